"""Security: each hole found by probing the app as an attacker would (issue 14) has a test here."""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from nianbao.web import ingest, jobs
from nianbao.web.models import Report, UploadFile

from .conftest import SEED_002, upload, zip_bytes


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def post_files(client, files: dict[str, bytes], **extra):
    return client.post("/uploads/", {"files": [SimpleUploadedFile(n, b) for n, b in files.items()]}, **extra)


# ----------------------------------------------------------------------------------------- zip
def many_member_bomb(n: int = 300, size: int = 1024 * 1024) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for i in range(n):
            zf.writestr(f"r{i:03d}.txt", b"\0" * size)
    return buf.getvalue()


def test_many_small_members_zip_bomb_refused_and_nothing_stored(clients, tree):
    """300 members of 1 MiB each (no member over the per-member floor): refused whole, nothing on disk."""
    bomb = many_member_bomb()
    assert len(bomb) < 400 * 1024                       # ~339 KB that expands to 300 MiB
    r = post_files(clients["city"], {"bomb.zip": bomb}, HTTP_ACCEPT="application/json")
    assert r.status_code == 201
    files = r.json()["files"]
    assert [f["error_code"] for f in files] == ["zip-bomb"], files
    assert "压缩炸弹" in files[0]["error"] and "300 MB" in files[0]["error"]
    assert stored_files() == []
    assert jobs.run_pending() == 0 and Report.objects.count() == 0


def test_zip_expanded_total_and_member_count_capped(clients, tree, settings):
    """The total and the count are judged over all members together, before anything is written."""
    settings.MAX_ZIP_TOTAL_BYTES = 3 * 1024 * 1024
    data = zip_bytes({f"{i}.txt": os.urandom(1024 * 1024) for i in range(4)})     # incompressible
    files = post_files(clients["city"], {"big.zip": data}, HTTP_ACCEPT="application/json").json()["files"]
    assert [f["error_code"] for f in files] == ["zip-too-large"]
    settings.MAX_ZIP_MEMBERS = 10
    data = zip_bytes({f"{i}.txt": b"x" for i in range(11)})
    files = post_files(clients["city"], {"many.zip": data}, HTTP_ACCEPT="application/json").json()["files"]
    assert [f["error_code"] for f in files] == ["zip-too-many"]
    assert stored_files() == []


def test_failed_and_duplicate_files_leave_nothing_on_disk(users, tree):
    up = upload(users["city"], "junk.txt", b"hello")             # a 5-byte file: read, then failed
    assert up.files.get().status == UploadFile.FAILED
    assert stored_files() == []
    upload(users["city"], SEED_002)
    upload(users["city"], SEED_002)                               # the duplicate's copy goes too
    assert sorted(UploadFile.objects.values_list("status", flat=True)) == ["done", "duplicate", "failed"]
    rep = Report.objects.get()
    assert [p.name for p in stored_files()] == [Path(rep.source.name).name]
    assert rep.source.open("rb").read() == SEED_002.read_bytes()


def test_purge_removes_copies_older_versions_kept(users, tree):
    up = upload(users["city"], "junk.txt", b"hello")
    uf = up.files.get()
    uf.file.save("old.txt", io.BytesIO(b"hello"), save=True)     # what an older version left behind
    assert len(stored_files()) == 1
    assert ingest.purge_failed_files() == 1
    assert stored_files() == [] and UploadFile.objects.get().file.name == ""


# ----------------------------------------------------------------------------------------- duplicates
def test_duplicate_across_scopes_reveals_nothing(clients, tree):
    """其他县's reviewer uploads a file 临清市 already has: told only 「与已有文件相同」 — no unit, no
    year, no report id, no link."""
    post_files(clients["city"], {"002.txt": SEED_002.read_bytes()})
    jobs.run_pending()
    rep = Report.objects.get()
    r = post_files(clients["other"], {"mine.txt": SEED_002.read_bytes()}, HTTP_ACCEPT="application/json")
    url = r.json()["url"]
    jobs.run_pending()
    d = clients["other"].get(url + "?format=json").json()
    f = d["files"][0]
    assert f["status"] == "duplicate" and f["error"] == "与已有文件相同，未重复保存。"
    assert f["report"] is None
    html = clients["other"].get(url).content.decode()
    table = html[html.index('id="ok-files"'):]
    for body in (table[:table.index("</table>")], str(d)):
        assert "先锋路" not in body and "临清" not in body and "2021" not in body
        assert f"/reports/{rep.pk}" not in body
    # the uploader's own scope still links to the report it duplicates
    r = post_files(clients["city"], {"again.txt": SEED_002.read_bytes()}, HTTP_ACCEPT="application/json")
    jobs.run_pending()
    d = clients["city"].get(r.json()["url"] + "?format=json").json()
    assert d["files"][0]["error"] == "与已有文件相同，未重复保存。"
    assert d["files"][0]["report"]["url"] == f"/reports/{rep.pk}/"
