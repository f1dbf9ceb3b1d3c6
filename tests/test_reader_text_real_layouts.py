"""The real text layouts of bench/real_layouts.py (separator lines, markdown, markdownify, pipe rows,
pipe spans) over a few random reports: every cell read exactly, every section found. A bounded sample;
`python bench/accuracy.py --kinds text` runs the same over 40 reports with large numbers and rewordings."""
import importlib.util
import random
from pathlib import Path

import pytest

from nianbao import extract, read_bytes
from nianbao.synth import random_report


def _layouts():
    path = Path(__file__).parent.parent / "bench" / "real_layouts.py"
    spec = importlib.util.spec_from_file_location("bench_real_layouts", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    layouts = dict(mod.LAYOUTS)
    # pipe rows without the trailing pipe, and pipes without spaces around them
    layouts["pipe_rows_bare"] = lambda rep: "\n".join(
        line[:-2] if line.endswith(" |") else line for line in mod.pipe_rows(rep).split("\n"))
    layouts["pipe_spans_tight"] = lambda rep: mod.pipe_spans(rep).replace(" | ", "|")
    return layouts


LAYOUTS = _layouts()
REPORTS = [random_report(random.Random(f"real-layouts:{i}"), ("2021", "2019")[i % 2], zero_share=0.4)
           for i in range(4)]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_real_layout_reads_every_cell(layout):
    for i, rep in enumerate(REPORTS):
        name = f"r{i}.md" if "markdown" in layout else f"r{i}.txt"
        r = extract(read_bytes(LAYOUTS[layout](rep).encode("utf-8"), name))
        wrong = {f"{t}.{row}.{col}": (rep["tables"][t][row][col], cv.status, cv.value)
                 for (t, row, col), cv in r.cells.items()
                 if cv.status != "read" or cv.value != rep["tables"][t][row][col]}
        assert wrong == {}, f"report {i}"
        assert (r.org, r.year, r.format) == (rep["org"], rep["year"], rep["format"])
        assert sorted(s.number for s in r.sections) == [1, 2, 3, 4, 5, 6]
