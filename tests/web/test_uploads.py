"""Uploads: single, many, zip, folder; failures listed apart; duplicates; zip bombs; limits; scope."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nianbao.web import jobs
from nianbao.web.models import Report, UploadFile

from .conftest import SEED_000, SEED_002, SEED_003, upload, zip_bytes


def post_files(client, files: dict[str, bytes], unit=None, **extra):
    data = {"files": [SimpleUploadedFile(n, b) for n, b in files.items()]}
    if unit is not None:
        data["unit"] = unit.pk
    return client.post("/uploads/", data, **extra)


def test_upload_one_file_matches_unit_by_name(clients, tree):
    r = post_files(clients["city"], {"002.txt": SEED_002.read_bytes()})
    assert r.status_code == 302
    assert UploadFile.objects.get().status == UploadFile.QUEUED     # stored first, processed in the background
    assert jobs.run_pending() == 1
    rep = Report.objects.get()
    assert rep.unit == tree["xfl"] and rep.year == 2021 and rep.format == "2021"
    assert rep.versions.count() == 1 and rep.errors + rep.warnings > 0
    page = clients["city"].get(r["Location"])
    assert page.status_code == 200 and "002.txt" in page.content.decode()


def test_upload_json_twin_and_progress(clients, tree):
    r = post_files(clients["city"], {"a.txt": SEED_002.read_bytes(), "b.txt": SEED_000.read_bytes()},
                   HTTP_ACCEPT="application/json")
    assert r.status_code == 201
    d = r.json()
    assert d["counts"] == {"queued": 2, "processing": 0, "done": 0, "duplicate": 0, "failed": 0,
                           "total": 2, "finished": 0}
    jobs.run_pending()
    d = clients["city"].get(d["url"] + "?format=json").json()
    assert d["counts"]["done"] == 2 and d["counts"]["finished"] == 2
    assert all(f["report"]["url"].startswith("/reports/") for f in d["files"])


def test_zip_with_gbk_names_and_junk(clients, tree):
    class GbkInfo(zipfile.ZipInfo):      # what Windows' built-in zip writes: GBK bytes, no UTF-8 flag
        def _encodeFilenameFlags(self):
            return self.filename.encode("gbk"), self.flag_bits

    gbk = GbkInfo("报告/先锋路2021.txt")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(gbk, SEED_002.read_bytes())
        zf.writestr("说明.xls", b"junk")
        zf.writestr("inner.zip", b"PK")
        zf.writestr("__MACOSX/._x.txt", b"")
    r = post_files(clients["city"], {"all.zip": buf.getvalue()}, HTTP_ACCEPT="application/json")
    jobs.run_pending()
    d = clients["city"].get(r.json()["url"] + "?format=json").json()
    by_name = {f["name"]: f for f in d["files"]}
    assert by_name["all.zip!/报告/先锋路2021.txt"]["status"] == "done"
    assert by_name["all.zip!/说明.xls"]["error_code"] == "old-format"
    assert by_name["all.zip!/inner.zip"]["error_code"] == "nested-zip"
    assert not any("__MACOSX" in n for n in by_name)
    assert Report.objects.count() == 1


def test_zip_bomb_refused_whole(clients, tree):
    bomb = zip_bytes({"a.txt": b"0" * (20 * 1024 * 1024), "b.txt": SEED_002.read_bytes()})
    r = post_files(clients["city"], {"bomb.zip": bomb}, HTTP_ACCEPT="application/json")
    files = r.json()["files"]
    assert [f["error_code"] for f in files] == ["zip-bomb"]
    assert "压缩炸弹" in files[0]["error"]
    jobs.run_pending()
    assert Report.objects.count() == 0


def test_bad_files_listed_apart_not_as_reports(clients, tree, monkeypatch):
    monkeypatch.setenv("NIANBAO_SOFFICE", "")      # a server without LibreOffice
    post_files(clients["city"], {"x.doc": b"\xd0\xcf\x11\xe0", "y.gif": b"GIF89a", "z.txt": b"",
                                 "ok.txt": SEED_002.read_bytes()})
    jobs.run_pending()
    fails = clients["city"].get("/uploads/failed/?format=json").json()["files"]
    codes = sorted(f["error_code"] for f in fails)
    assert codes == ["empty", "old-format", "unsupported-type"]
    assert all(f["error"] for f in fails)
    assert Report.objects.count() == 1
    html = clients["city"].get("/uploads/failed/").content.decode()
    assert "另存为" in html


def test_duplicate_upload_is_not_stored_twice(clients, tree):
    for _ in range(2):
        post_files(clients["city"], {"002.txt": SEED_002.read_bytes()})
    jobs.run_pending()
    assert Report.objects.count() == 1
    assert sorted(UploadFile.objects.values_list("status", flat=True)) == ["done", "duplicate"]


def test_unit_not_found_fails_with_reason(clients, tree):
    """Seed 003 (平湖街道) is outside the city reviewer's scope: not attributed, listed as failed."""
    post_files(clients["city"], {"003.txt": SEED_003.read_bytes()})
    jobs.run_pending()
    uf = UploadFile.objects.get()
    assert uf.status == "failed" and "平湖街道" in uf.error and "不属于您的权限范围" in uf.error
    assert Report.objects.count() == 0


def test_author_uploads_go_to_own_unit(clients, tree):
    """A name the tree does not know (剑光街道) is trusted to be the author's own unit."""
    post_files(clients["author_qnl"], {"x.txt": (SEED_003.parent / "004_ad88d0bc66619eac.txt").read_bytes()})
    jobs.run_pending()
    assert Report.objects.get().unit == tree["qnl"]


def test_upload_to_unit_outside_scope_refused(clients, tree):
    r = post_files(clients["city"], {"x.txt": SEED_003.read_bytes()}, unit=tree["ph"], HTTP_ACCEPT="application/json")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not-found"
    assert UploadFile.objects.count() == 0


def test_upload_views_scope(clients, tree):
    r = post_files(clients["city"], {"002.txt": SEED_002.read_bytes()}, HTTP_ACCEPT="application/json")
    url = r.json()["url"]
    assert clients["city"].get(url).status_code == 200
    assert clients["admin"].get(url).status_code == 200
    for who in ("other", "author_xfl", "author_qnl"):
        assert clients[who].get(url).status_code == 404, who
    assert clients["norole"].get("/uploads/").status_code == 403
    assert clients["anon"].get("/uploads/").status_code == 302
    assert clients["anon"].get("/uploads/?format=json").json()["error"]["code"] == "login-required"


def test_no_files_and_oversized_request(clients, tree, settings):
    r = clients["city"].post("/uploads/", {}, HTTP_ACCEPT="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "no-files"
    settings.MAX_UPLOAD_BYTES = 1000
    r = post_files(clients["city"], {"002.txt": SEED_002.read_bytes()}, HTTP_ACCEPT="application/json")
    assert r.status_code == 413 and "上限" in r.json()["error"]["message"]


def test_stale_processing_files_are_requeued(clients, tree):
    post_files(clients["city"], {"002.txt": SEED_002.read_bytes()})
    UploadFile.objects.update(status=UploadFile.PROCESSING)      # a server killed mid-file
    assert jobs.requeue_stale() == 1
    jobs.run_pending()
    assert Report.objects.count() == 1


def test_author_cannot_file_another_units_report(clients, tree):
    """Seed 002 is 先锋路街道's: the author of 青年路街道 cannot store it under their own unit."""
    post_files(clients["author_qnl"], {"x.txt": SEED_002.read_bytes()})
    jobs.run_pending()
    uf = UploadFile.objects.get()
    assert uf.status == "failed" and "临清市先锋路街道办事处" in uf.error and "不属于" in uf.error
    assert Report.objects.count() == 0
    # the reviewer choosing the wrong unit explicitly is refused the same way
    post_files(clients["city"], {"x.txt": SEED_002.read_bytes()}, unit=tree["qnl"])
    jobs.run_pending()
    assert Report.objects.count() == 0
    post_files(clients["city"], {"x.txt": SEED_002.read_bytes()}, unit=tree["xfl"])
    jobs.run_pending()
    assert Report.objects.get().unit == tree["xfl"]


def test_security_headers_and_header_user(clients, tree):
    r = post_files(clients["city"], {"002.txt": SEED_002.read_bytes()})
    page = clients["city"].get(r["Location"])
    csp = page["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "object-src 'none'" in csp
    assert page["X-Content-Type-Options"] == "nosniff"
    html = page.content.decode()
    assert "退出" in html and "辖区总览" in html           # the site header survives the data's "user" key


def test_gbk_text_and_truncated_docx(clients, tree):
    """A GBK text export is read; a DOCX cut in half fails with a Chinese reason; nothing else is lost."""
    from pathlib import Path
    fx = Path(__file__).parents[1] / "fixtures" / "same_report"
    gbk = SEED_002.read_text(encoding="utf-8").encode("gb18030")
    docx = next(fx.glob("*.docx")).read_bytes()
    post_files(clients["city"], {"gbk.txt": gbk, "cut.docx": docx[: len(docx) // 2]})
    jobs.run_pending()
    by = {f.name: f for f in UploadFile.objects.all()}
    assert by["gbk.txt"].status == "done" and by["gbk.txt"].report.year == 2021
    assert by["cut.docx"].status == "failed" and by["cut.docx"].error and "Traceback" not in by["cut.docx"].error
    assert Report.objects.count() == 1


def test_doc_named_web_page_is_read_and_real_doc_refused(users, tree, monkeypatch):
    """OA systems save single-file web pages as ".doc": accepted by content; a real .doc (OLE2) is
    still refused with the 另存为 hint, alone or inside a zip, on a server without LibreOffice."""
    monkeypatch.setenv("NIANBAO_SOFFICE", "")
    mht = (Path(__file__).parents[1] / "fixtures" / "html_layouts" / "word_single_file.doc").read_bytes()
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    up = upload(users["city"], "报告.doc", mht, unit=tree["qnl"])
    f = up.files.get()
    assert f.status == f.DONE and f.report.kind == "html"
    up = upload(users["city"], "old.doc", ole, unit=tree["qnl"])
    assert up.files.get().error_code == "old-format"
    up = upload(users["city"], "两份.zip", zip_bytes({"a.doc": mht, "b.doc": ole}), unit=tree["qnl"])
    by = {f.name.rsplit("/", 1)[-1]: f for f in up.files.all()}
    assert by["a.doc"].status in (f.DONE, f.DUPLICATE) and by["b.doc"].error_code == "old-format"


def test_legacy_word_and_wps_files_are_read_where_libreoffice_is_installed(users, clients, tree):
    from nianbao.readers.legacy import soffice
    from tests.conftest import require
    require(None if soffice() else "LibreOffice (soffice) not installed")
    legacy = Path(__file__).parents[1] / "fixtures" / "legacy"
    up = upload(users["city"], legacy / "report.doc", unit=tree["qnl"])
    f = up.files.get()
    assert f.status == f.DONE, (f.error_code, f.error)
    assert f.report.kind == "doc" and f.report.year == 2022
    page = clients["city"].get(f"/reports/{f.report.pk}/").content.decode()
    assert "原文无法显示" not in page and "文化路街道" in page      # the source view converts it again
    up = upload(users["city"], "坏.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, unit=tree["qnl"])
    f = up.files.get()
    assert f.status == f.FAILED and f.error_code == "convert-failed" and "另存为 .docx" in f.error


def test_ofd_files_are_read(users, clients, tree):
    ofd = Path(__file__).parents[1] / "fixtures" / "ofd" / "report.ofd"
    f = upload(users["city"], ofd, unit=tree["qnl"]).files.get()
    assert f.status == f.DONE and f.report.kind == "ofd" and f.report.year == 2022
    page = clients["city"].get(f"/reports/{f.report.pk}/").content.decode()
    assert "原文无法显示" not in page and "文化路街道" in page


def test_authors_see_their_failed_uploads_with_reason_and_what_to_do(clients, users, tree, settings, monkeypatch):
    """The file is not kept, but the author finds every failure of their unit (theirs, and one a reviewer
    uploaded for the unit) with the reason and what to do, at most MAX_LISTED_FAILURES_PER_UNIT per unit."""
    from .conftest import upload as upload_now
    monkeypatch.setenv("NIANBAO_SOFFICE", "")
    settings.MAX_LISTED_FAILURES_PER_UNIT = 3
    post_files(clients["author_xfl"], {"a.txt": b"", "b.doc": b"\xd0\xcf\x11\xe0", "c.exe": b"MZ", "d.txt": b""})
    upload_now(users["city"], "e.txt", b"", unit=tree["xfl"])                     # for the unit, by its reviewer
    post_files(clients["author_qnl"], {"q1.txt": b"", "q2.txt": b""})
    jobs.run_pending()
    d = clients["author_xfl"].get("/uploads/failed/?format=json").json()
    assert [f["name"] for f in d["files"]] == ["e.txt", "d.txt", "c.exe"]         # newest first, capped at 3
    assert d["cap"] == 3 and d["hidden"] == 2
    assert [(u["name"], u["listed"], u["total"], u["hidden"]) for u in d["units"]] == [("临清市先锋路街道办事处", 3, 5, 2)]
    for f in d["files"]:
        assert f["error"] and f["advice"] and f["kept"] is False and f["unit_name"] == "临清市先锋路街道办事处"
    by = {f["name"]: f for f in d["files"]}
    assert "只上传年度报告文件本身" in by["c.exe"]["advice"] and "重新导出" in by["d.txt"]["advice"]
    html = clients["author_xfl"].get("/uploads/failed/").content.decode()
    assert "怎么办" in html and "服务器不保存读取失败的文件" in html and "另有 2 个更早的失败记录未列出" in html
    assert "q1.txt" not in html                                                    # another unit's
    home = clients["author_xfl"].get("/author/").content.decode()
    assert 'id="author-failed"' in home and "5 个上传的文件未能读取" in home
    assert 'id="failed-link"' in clients["author_xfl"].get("/uploads/").content.decode()
    # the reviewer and the administrator see both units, each capped
    for who in ("city", "admin"):
        d = clients[who].get("/uploads/failed/?format=json").json()
        assert [(u["name"], u["listed"], u["total"]) for u in d["units"]] == [
            ("临清市先锋路街道办事处", 3, 5), ("临清市青年路街道办事处", 2, 2)], who
        assert len(d["files"]) == 5
    assert clients["other"].get("/uploads/failed/?format=json").json()["files"] == []
    assert UploadFile.objects.filter(status="failed").exclude(file="").count() == 0  # nothing kept
