"""What is derived from a stored file is made once and kept (web/derived.py): a page view never starts
LibreOffice, reads a Word file or measures a PDF again; what is kept goes with the file."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from nianbao.readers import legacy
from nianbao.web import derived, ingest, jobs
from nianbao.web.models import Report

from .conftest import upload

FIXTURES = Path(__file__).parents[1] / "fixtures"


def derived_files(sha: str | None = None) -> list[Path]:
    root = Path(settings.MEDIA_ROOT, "derived")
    if sha is not None:
        root = root / sha[:2] / sha
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def soffice_runs(monkeypatch):
    """Counts LibreOffice runs (each conversion attempt starts one)."""
    runs = []
    real = legacy._convert_once

    def counting(*a, **k):
        runs.append(a[2] if len(a) > 2 else k.get("kind"))
        return real(*a, **k)
    monkeypatch.setattr(legacy, "_convert_once", counting)
    return runs


@pytest.fixture
def reads(monkeypatch):
    """Counts files read by the readers (readers.read_bytes)."""
    import nianbao.readers as readers
    calls = []
    real = readers.read_bytes

    def counting(data, name="<bytes>", kind=None):
        calls.append(name)
        return real(data, name, kind)
    monkeypatch.setattr(readers, "read_bytes", counting)
    return calls


def _source(client, rep) -> str:
    page = client.get(f"/reports/{rep.pk}/").content.decode()
    assert page.count('id="source"') == 1
    return page[page.index('id="source"'):]


def test_legacy_doc_is_converted_once_not_per_view(users, clients, tree, soffice_runs, monkeypatch):
    from tests.conftest import require
    require(None if legacy.soffice() else "LibreOffice (soffice) not installed")
    # read (converted), then refused (no unit of 其他县 prints 文化路街道): nothing derived is left
    f = upload(users["other"], FIXTURES / "legacy" / "report.doc").files.get()
    assert f.status == f.FAILED and f.error_code == "unit-unknown" and soffice_runs == ["doc"]
    assert derived_files(f.sha256) == []
    f = upload(users["city"], FIXTURES / "legacy" / "report.doc", unit=tree["qnl"]).files.get()
    assert f.status == f.DONE, (f.error_code, f.error)
    rep = f.report
    soffice_runs.clear()
    assert rep.sha256 == f.sha256 and derived_files(rep.sha256)      # the upload's own reading, kept
    for _ in range(2):                                              # views: rendered at upload, kept
        src = _source(clients["city"], rep)
        assert "文化路街道" in src and "原文无法显示" not in src
    assert soffice_runs == []
    names = sorted(p.name for p in derived_files(rep.sha256))
    assert [n.split("-")[0] for n in names] == ["convert", "view"], names
    # the view's code changed (an upgrade): rendered again from the kept conversion, no LibreOffice
    monkeypatch.setattr(derived, "code_id", lambda: "upgraded")
    assert "文化路街道" in _source(clients["city"], rep)
    assert soffice_runs == []
    # a re-check and a correction read the file again: from the kept conversion too
    from nianbao.web import review
    assert review.recheck(rep, users["city"], "test") is not None
    assert soffice_runs == []
    # nothing kept (a new server): the first view converts, the second does not
    assert derived.discard(rep.sha256) and derived_files(rep.sha256) == []
    for _ in range(2):
        assert "文化路街道" in _source(clients["city"], rep)
    assert soffice_runs == ["doc"]


def test_a_kept_conversion_is_only_used_for_the_same_converter(users, tree, soffice_runs, monkeypatch):
    """Another LibreOffice (an upgrade) is another converter: its conversion is not taken from the cache."""
    from tests.conftest import require
    require(None if legacy.soffice() else "LibreOffice (soffice) not installed")
    data = (FIXTURES / "legacy" / "report.rtf").read_bytes()
    cache = derived.ConversionCache()
    assert cache.get(data, "rtf") is None
    cache.put(data, "rtf", b"converted")
    assert cache.get(data, "rtf") == b"converted"
    monkeypatch.setattr(derived, "converter_id", lambda kind: "another-libreoffice")
    assert cache.get(data, "rtf") is None
    monkeypatch.undo()
    monkeypatch.setenv("NIANBAO_SOFFICE", "")                      # without LibreOffice nothing is kept
    assert derived.converter_id("rtf") is None and cache.get(data, "rtf") is None


def test_docx_and_pdf_views_read_nothing(users, clients, tree, reads, monkeypatch):
    from nianbao.web import source
    measured = []
    real = source.pdf_pages
    monkeypatch.setattr(source, "pdf_pages", lambda b: measured.append(1) or real(b))
    docx = upload(users["city"], FIXTURES / "same_report" / "report.docx", unit=tree["qnl"]).files.get().report
    pdf = upload(users["city"], FIXTURES / "same_report" / "report2019.pdf", unit=tree["qnl"]).files.get().report
    assert len(reads) == 2 and len(measured) == 1                    # the uploads' own readings
    for _ in range(2):
        assert 'data-cell="t4|review|total"' in _source(clients["city"], docx)
        assert f'src="/reports/{pdf.pk}/pages/1.png"' in _source(clients["city"], pdf)
    assert len(reads) == 2 and len(measured) == 1, (reads, measured)


def test_kept_files_go_with_the_file(users, tree, settings):
    """A duplicate does not remove what its report keeps; at start
    the worker removes folders no report keeps, and the page images older versions kept."""
    rep = upload(users["city"], FIXTURES / "same_report" / "report.docx", unit=tree["qnl"]).files.get().report
    kept = derived_files(rep.sha256)
    assert kept
    upload(users["city"], FIXTURES / "same_report" / "report.docx", unit=tree["qnl"])        # duplicate
    assert derived_files(rep.sha256) == kept
    orphan = "ab" * 32
    derived.put(orphan, "view-x.json", b"{}")
    Path(settings.MEDIA_ROOT, "pages", "ab").mkdir(parents=True)
    assert derived.purge_orphans() == 1
    assert derived_files(orphan) == [] and derived_files(rep.sha256) == kept
    assert not Path(settings.MEDIA_ROOT, "pages").exists()
    assert Report.objects.count() == 1


def test_derived_names_are_checked():
    with pytest.raises(ValueError):
        derived.folder("../../etc")
    with pytest.raises(ValueError):
        derived.path("ab" * 32, "../x")
