"""The data dictionary: docs/data.md is `nianbao schema`'s output, and it documents every table, view and
column of a real store, and every cell key of both formats with its printed label."""
from pathlib import Path

import duckdb

from nianbao.cli import main
from nianbao.corpus import run_batch
from nianbao.corpus.schema import TABLES, cell_keys, markdown
from nianbao.formats import FORMATS

from .conftest import DATA

DOC = Path(__file__).parents[1] / "docs" / "data.md"


def test_docs_data_md_is_the_generated_dictionary(capsys):
    assert main(["schema"]) == 0
    out = capsys.readouterr().out
    assert out == markdown() == DOC.read_text(encoding="utf-8"), "run: nianbao schema > docs/data.md"


def test_every_column_of_a_real_store_is_documented(tmp_path):
    store = tmp_path / "s.duckdb"
    run_batch([str(DATA / "seeds")], str(store), workers=1)
    con = duckdb.connect(str(store), read_only=True)
    try:
        actual: dict[str, list[str]] = {}
        for table, column in con.execute("SELECT table_name, column_name FROM information_schema.columns "
                                         "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position").fetchall():
            actual.setdefault(table, []).append(column)
    finally:
        con.close()
    assert set(actual) == set(TABLES)
    for name, (_, _, _, cols) in TABLES.items():
        documented = [c for c, _, _ in cols]
        if name in ("current_files", "current_reports"):
            base = "files" if name == "current_files" else "reports"
            assert actual[name] == actual[base], name            # "列同 …"
        elif name == "report_versions":
            assert actual[name] == actual["reports"] + documented
        else:
            assert actual[name] == documented, name


def test_every_cell_key_has_its_printed_label():
    keys = cell_keys()
    assert len(keys) == sum(len(f.template_cells()) for f in FORMATS.values())
    assert ("2021", "t3", "granted", "natural", "表三「（一）予以公开」×「自然人」", "") in keys
    assert all(label.startswith(("表二「", "表三「", "表四「")) for *_, label, _ in keys)
