"""Tables pasted as pictures inside a Word document or a web page (scripts/make_picture_fixtures.py:
a report whose 表三/表四 are PNG pictures of the rendered tables). With OCR they are read where the
picture stands, under the OCR trust rules, their provenance naming the picture; without it the report is
never blamed: the reading problem says the tables are pictures and how to read them."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from nianbao.checks import run_checks
from nianbao.document import Source
from nianbao.extract import extract, extract_path
from nianbao.readers import ocr, read, read_bytes
from nianbao.report import MISSING

from .test_ocr import need_ocr, outcome
from .test_ocr_pictures import png_claiming

PICS = Path(__file__).parent / "fixtures" / "pictures"
_cache: dict[str, dict] = {}


def truth(name: str) -> dict:
    return json.loads((PICS / f"{name.split('.')[0]}.truth.json").read_text("utf-8"))


def extracted(name: str) -> dict:
    if name not in _cache:
        with ocr.switched(True):
            _cache[name] = extract_path(PICS / name).to_dict()
    return _cache[name]


@pytest.fixture(autouse=True)
def no_page_limit(monkeypatch):
    # the per-page limit is wall-clock time: on a machine shared by many it is no test of anything here
    monkeypatch.setenv("NIANBAO_OCR_PAGE_LIMIT", "0")


@pytest.mark.parametrize("name", ["docx21.docx", "html19.html"])
def test_tables_given_as_pictures_are_read_exact_or_missing(name):
    need_ocr()
    rep, tru = extracted(name), truth(name)
    assert (rep["org"], rep["year"], rep["format"]) == (tru["org"], tru["year"], tru["format"])
    n, exact, wrong = outcome(rep, tru)
    assert wrong == []
    assert n >= 170 and exact / n >= 0.99, (exact, n)
    assert outcome(rep, tru, ("t2",))[2] == []          # 表二 is text in these reports: read as text
    codes = [p["code"] for p in rep["problems"]]
    assert "ocr-verified" in codes and "tables-as-images" not in codes and "missing-table" not in codes


@pytest.mark.parametrize("name, t3_image, t4_image", [
    ("docx21.docx", "word/media/image1.png", "word/media/image2.png"),
    ("html19.html", "html19_files/t3.png", "data:image/png;base64（第2张图片）"),
])
def test_provenance_names_the_picture_and_the_box(name, t3_image, t4_image):
    need_ocr()
    rep = extracted(name)
    for table, image in (("t3", t3_image), ("t4", t4_image)):
        ws = [c["where"] for c in rep["cells"] if c["table"] == table and c["status"] != MISSING]
        assert ws and all(w["image"] == image and len(w["bbox"]) == 4 and 0 <= w["conf"] <= 1
                          and "page" not in w and "table" in w for w in ws), ws[:2]
    t2 = [c["where"] for c in rep["cells"] if c["table"] == "t2" and c["status"] != MISSING]
    assert t2 and all("image" not in w and "bbox" not in w for w in t2)
    # tables are numbered in document order: 表二 (text) 0, 表三 1, 表四 2
    assert [min(c["where"]["table"] for c in rep["cells"] if c["table"] == t and c["where"]) for t in
            ("t2", "t3", "t4")] == [0, 1, 2]


@pytest.mark.parametrize("name", ["docx21.docx", "html19.html"])
def test_without_ocr_the_tables_are_a_reading_problem_naming_the_way(name, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    report = extract(read(PICS / name))
    p = next(p for p in report.problems if p.code == "tables-as-images")
    assert p.severity == "warning" and "表三、表四" in p.message and "pip install 'nianbao[ocr]'" in p.message
    codes = {f.code for f in run_checks(report)}
    assert "R104" in codes and "M101" not in codes
    assert report.cells[("t3", "granted", "natural")].status == MISSING


def test_ocr_installed_but_off_names_the_switch():
    need_ocr()
    with ocr.switched(False):
        doc = read(PICS / "docx21.docx")
    p = next(p for p in doc.problems if p.code == "tables-as-images")
    assert "nianbao extract --ocr" in p.message and doc.ocr is None


def _page(img: str) -> bytes:
    return (f'<html><body><h1>某某局2023年政府信息公开工作年度报告</h1><p>三、收到和处理政府信息公开申请情况</p>'
            f'<p>{img}</p></body></html>').encode("utf-8")


def test_web_page_pictures_never_come_from_outside_its_folder_or_the_web(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: True)      # nothing here reaches the engine
    (tmp_path / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    page = tmp_path / "site" / "r.html"
    page.parent.mkdir()
    page.write_bytes(_page('<img src="../secret.png"><img src="/etc/passwd"><img src="https://x.gov.cn/t3.png">'
                           '<img src="gone.png">'))
    with ocr.switched(True):
        doc = read(page)
        up = read_bytes(_page('<img src="t3.png">'), "r.html")          # an upload: no folder at all
    msgs = [p.message for p in doc.problems if p.code == "tables-as-images"]
    assert sum("不在网页所在的文件夹内" in m for m in msgs) == 2
    assert any("1 张图片链接到网上" in m for m in msgs) and any("gone.png 不存在" in m for m in msgs)
    assert doc.ocr is None
    assert any("未随网页提供" in p.message for p in up.problems)


def test_a_picture_bomb_inside_a_docx_is_refused_before_decoding(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: True)      # refused from the header: no OCR runs
    src = zipfile.ZipFile(PICS / "docx21.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for i in src.infolist():
            data = src.read(i.filename)
            if i.filename.startswith("word/media/"):
                data = png_claiming(100_000, 100_000) if i.filename.endswith("1.png") else b"\x89PNG\r\n\x1a\n\x00cut"
            out.writestr(i, data)
    with ocr.switched(True):
        report = extract(read_bytes(buf.getvalue(), "bomb.docx"))
    codes = [p.code for p in report.problems]
    assert "image-too-large" in codes and "image-damaged" in codes and "tables-as-images" in codes
    big = next(p for p in report.problems if p.code == "image-too-large")
    assert "word/media/image1.png" in big.message and big.where.line is not None
    findings = {f.code for f in run_checks(report)}
    assert "R104" in findings and "M101" not in findings


def test_single_file_web_page_pictures_are_its_parts():
    from nianbao.readers.html_pictures import pictures
    png = (PICS / "html19_files" / "t3.png").read_bytes()
    import base64
    mht = (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n--b\r\n"
           b"Content-Type: text/html; charset=utf-8\r\nContent-Location: file:///C:/r.htm\r\n\r\n<html></html>\r\n--b\r\n"
           b"Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
           b"Content-Location: file:///C:/r.files/image001.png\r\n\r\n" + base64.encodebytes(png) + b"\r\n--b--\r\n")
    pics = pictures([(0, "r.files/image001.png", 600, 3), (0, "r.files/image009.png", None, 4)],
                    Source("r.mht", "", "html"), mht)
    assert pics[0].load() == png and pics[0].width_in == 600 / 96
    assert pics[1].load is None and "未随网页提供" in pics[1].why_not[0]


def test_pictures_of_an_html_alt_chunk_keep_their_trust_record(monkeypatch):
    # a DOCX made by a web system (altChunk HTML) with a table as a data: picture: the cells OCR read
    # keep picture and box, and their record reaches the document (else trust.verify could not find them)
    from nianbao.document import Cell, Table, Where
    from nianbao.readers.ocr import cell_key, picture

    from .test_reader_docx import _with_alt_chunk

    def fake_splice(blocks, pics):
        name = pics[0].name
        cell = Cell("7", 0, 1, where=Where(bbox=(1.0, 2.0, 3.0, 4.0), image=name, conf=0.99))
        t = Table([[Cell("乙", 0, 0, where=Where(image=name, bbox=(0.0, 2.0, 1.0, 4.0))), cell]], 0, Where(image=name))
        return blocks + [t], {cell_key(name, cell.where.bbox): "what OCR saw"}, []

    monkeypatch.setattr(ocr, "available", lambda: True)
    monkeypatch.setattr(picture, "splice", fake_splice)
    html = f'<html><body><p>表三</p><p><img src="data:image/png;base64,{"A" * 40}"></p></body></html>'
    with ocr.switched(True):
        doc = read_bytes(_with_alt_chunk("text/html", html.encode("utf-8")), "web.docx")
    t = [b for b in doc.blocks if b.__class__ is Table][-1]
    w = t.rows[0][1].where
    assert (w.table, w.image, w.bbox, w.conf) == (1, "data:image/png;base64（第1张图片）", (1.0, 2.0, 3.0, 4.0), 0.99)
    assert doc.ocr == {cell_key(w.image, w.bbox): "what OCR saw"}


def test_a_page_ocr_gave_up_on_is_a_reading_problem_not_a_missing_table():
    # OCR stopped on the page holding 表三/表四 (time limit): the report is not blamed for lacking them
    from nianbao.checks.examples import ctx
    from nianbao.document import Problem, Where
    x = ctx(present=("t2",))
    x.report.problems.append(Problem("ocr-timeout", "第2页OCR识别超过时间上限 60 秒，该页未读取。",
                                     "OCR of page 2 took longer than 60 s.", Where(page=2), "warning"))
    codes = {f.code for f in run_checks(x.report)}
    assert "R104" in codes and "M101" not in codes
