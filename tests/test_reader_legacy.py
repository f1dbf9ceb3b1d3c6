"""Legacy office files (.doc, .wps, .rtf, .et) read through LibreOffice (readers/legacy.py).

The fixtures in tests/fixtures/legacy/ are the same-report fixtures saved by LibreOffice
(scripts/make_legacy_fixtures.py); their ground truth is the JSON beside the source. Conversions
need soffice: skipped on a machine without it, a failure in CI (.ci/run installs it).
"""
import json
import os
import shutil
import stat
import subprocess
import threading
import time

import pytest

from nianbao import limits
from nianbao.cli import main
from nianbao.corpus.batch import run_batch
from nianbao.errors import ReadError
from nianbao.extract import extract
from nianbao.readers import legacy, read, read_bytes

from .conftest import DATA, require

FIX = DATA.parent / "fixtures"
LEG = FIX / "legacy"
TRUTH = {"report.doc": "report.json", "report2019.wps": "report2019.json", "report.rtf": "report.json",
         "report2019.odt": "report2019.json", "report.et": "report.json"}
KIND = {".doc": "doc", ".wps": "doc", ".rtf": "rtf", ".odt": "odt", ".et": "et"}


def needs_soffice():
    require(None if legacy.soffice() else "LibreOffice (soffice) not installed")


_cache: dict = {}


def extracted(name: str):
    if name not in _cache:
        _cache[name] = extract(read(LEG / name))
    return _cache[name]


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_legacy_file_reads_the_printed_tables_exactly(name):
    needs_soffice()
    truth = json.loads((FIX / "same_report" / TRUTH[name]).read_text(encoding="utf-8"))
    d = extracted(name).to_dict()
    assert d["source"]["path"] == str(LEG / name)          # provenance: the original file
    assert d["source"]["kind"] == KIND[os.path.splitext(name)[1]]
    assert (d["org"], d["year"], d["format"]) == (truth["org"], truth["year"], truth["format"])
    assert d["tables"] == truth["tables"]
    assert [s["number"] for s in d["sections"]] == [1, 2, 3, 4, 5, 6]
    assert d["problems"][0]["code"] == "converted" and "LibreOffice" in d["problems"][0]["message"]


@pytest.mark.parametrize("name,twin", [("report.doc", "report.docx"), ("report2019.wps", "report2019.docx"),
                                       ("report.rtf", "report.docx"), ("report2019.odt", "report2019.docx"),
                                       ("report.et", "report.html")])
def test_every_cell_has_the_status_of_the_original(name, twin):
    needs_soffice()
    want = {(c["table"], c["row"], c["col"]): (c["value"], c["status"])
            for c in extract(read(FIX / "same_report" / twin)).to_dict()["cells"]}
    got = {(c["table"], c["row"], c["col"]): (c["value"], c["status"]) for c in extracted(name).to_dict()["cells"]}
    assert got == want and len(got) > 150


def test_without_libreoffice_the_message_says_save_as_docx(monkeypatch):
    monkeypatch.setenv("NIANBAO_SOFFICE", "")
    cases = {"report.doc": ("doc-legacy", "旧版 Word（.doc）"), "report2019.wps": ("doc-legacy", "WPS 文字（.wps）"),
             "report.rtf": ("rtf", "RTF 文件"), "report2019.odt": ("odt", "OpenDocument 文本（.odt）"),
             "report.et": ("doc-legacy", "WPS 表格（.et）")}
    for name, (code, what) in cases.items():
        with pytest.raises(ReadError) as ei:
            read(LEG / name)
        e = ei.value
        assert e.code == code and what in e.message and "LibreOffice" in e.message, name
        assert ("另存为 .docx" in e.message) == (name != "report.et") and e.path == str(LEG / name)


def test_a_doc_named_docx_is_converted_too(tmp_path):
    needs_soffice()
    p = tmp_path / "报告.docx"
    p.write_bytes((LEG / "report.doc").read_bytes())
    doc = read(p)
    assert doc.source.kind == "doc" and doc.source.path == str(p)
    assert extract(doc).tables() == extracted("report.doc").tables()


def test_a_cut_or_junk_legacy_file_is_refused_without_starting_libreoffice(monkeypatch, tmp_path):
    monkeypatch.setenv("NIANBAO_SOFFICE", str(tmp_path / "never-run"))
    for name, data in [("a.doc", b"\xd0\xcf\x11\xe0old word"), ("b.et", b"\xd0\xcf\x11\xe0et"),
                       ("c.wps", (LEG / "report2019.wps").read_bytes()[:1000])]:
        with pytest.raises(ReadError) as ei:
            read_bytes(data, name)
        assert ei.value.code == "convert-failed" and "LibreOffice 未能打开" in ei.value.message


def test_a_file_libreoffice_cannot_open_gets_a_clear_message():
    needs_soffice()
    with pytest.raises(ReadError) as ei:
        read(FIX / "docx_layouts" / "legacy.wps")       # an OLE header and nothing of a document
    e = ei.value
    assert e.code == "convert-failed" and "WPS 文字（.wps）" in e.message and "另存为 .docx" in e.message


FAKE = """#!/bin/sh
# a LibreOffice that never finishes, with a child of its own (as soffice starts soffice.bin)
sleep 300 &
echo $! > "{pidfile}"
sleep 300
"""


def test_a_conversion_that_hangs_is_stopped_with_its_whole_process_group(monkeypatch, tmp_path):
    pidfile = tmp_path / "child.pid"
    fake = tmp_path / "soffice"
    fake.write_text(FAKE.format(pidfile=pidfile))
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("NIANBAO_SOFFICE", str(fake))
    t0 = time.monotonic()
    with limits.time_limit(1.5), pytest.raises(ReadError) as ei:
        read(LEG / "report.doc")
    assert ei.value.code == "too-complex" and "LibreOffice 转换超过" in ei.value.message
    assert time.monotonic() - t0 < 10
    child = int(pidfile.read_text())
    for _ in range(50):                 # SIGKILL is delivered at once; reaping by init may lag
        if not os.path.exists(f"/proc/{child}") or "Z" in _state(child):
            break
        time.sleep(0.1)
    assert not os.path.exists(f"/proc/{child}") or "Z" in _state(child)


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def test_two_conversions_at_once_use_two_profiles(monkeypatch):
    needs_soffice()
    seen: list[str] = []
    real = subprocess.Popen

    def popen(cmd, *a, **kw):
        seen.extend(x for x in cmd if x.startswith("-env:UserInstallation="))
        return real(cmd, *a, **kw)
    monkeypatch.setattr(subprocess, "Popen", popen)
    got: dict = {}

    def one(name):
        got[name] = extract(read(LEG / name)).tables()

    ts = [threading.Thread(target=one, args=(n,)) for n in ("report.doc", "report.rtf")]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    truth = json.loads((FIX / "same_report" / "report.json").read_text(encoding="utf-8"))["tables"]
    assert got == {"report.doc": truth, "report.rtf": truth}
    assert len(seen) == 2 and seen[0] != seen[1]
    assert not any(os.path.exists(s.split("file://", 1)[1]) for s in seen)      # profiles removed


def test_folders_and_batch_read_legacy_files(capsys, tmp_path):
    needs_soffice()
    for name in ("report.doc", "report.et"):
        shutil.copyfile(LEG / name, tmp_path / name)
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    code = main(["extract", str(tmp_path)])
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [os.path.basename(d["source"]["path"]) for d in out] == ["old.xls", "report.doc", "report.et"]
    assert out[0]["error"]["code"] == "doc-legacy"
    assert [d["source"]["kind"] for d in out[1:]] == ["doc", "et"] and all(d["year"] == 2022 for d in out[1:])
    assert code == 1
    stats = run_batch([str(tmp_path)], str(tmp_path / "s.duckdb"), workers=1)
    assert stats.found == 3 and stats.stored == 2 and stats.failed + stats.skipped == 1 and stats.balanced()


FLAKY = """#!/bin/sh
# a LibreOffice whose first start ends without a result; the second converts (copies the DOCX twin)
if [ ! -e "{mark}" ]; then touch "{mark}"; exit 0; fi
for a in "$@"; do case "$prev" in --outdir) out="$a";; esac; prev="$a"; done
mkdir -p "$out" && cp "{docx}" "$out/in.docx"
"""


def test_a_run_without_result_is_tried_once_more(monkeypatch, tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text(FLAKY.format(mark=tmp_path / "started", docx=FIX / "same_report" / "report.docx"))
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("NIANBAO_SOFFICE", str(fake))
    truth = json.loads((FIX / "same_report" / "report.json").read_text(encoding="utf-8"))["tables"]
    assert extract(read(LEG / "report.doc")).tables() == truth and (tmp_path / "started").exists()
    (tmp_path / "started").unlink()
    fake.write_text("#!/bin/sh\nexit 0\n")          # never a result: convert-failed after two runs
    with pytest.raises(ReadError) as ei:
        read(LEG / "report.doc")
    assert ei.value.code == "convert-failed"
