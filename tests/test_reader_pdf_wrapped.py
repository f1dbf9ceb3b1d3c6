"""A grouped number wrapped over two lines of a cell without rules (readers/pdf/wrapped.py): joined
only when the parts can be nothing else."""
from nianbao.readers.pdf.positions import Run
from nianbao.readers.pdf.wrapped import join_wrapped_numbers

S = 9.0


def run(x0, y0, text, width=None, value=True):
    w = width if width is not None else 4.5 * len(text)
    return Run(x0, y0, x0 + w, y0 + S, text, S, value)


def row(y, *values, label="（七）总计"):
    return [run(85, y, label, value=False)] + [run(300 + 40 * k, y, v) for k, v in enumerate(values)]


def texts(lines):
    return [[r.text for r in rs] for rs in lines]


def wrapped(top="1,07", rest="1", dy_top=-5.4, dy_rest=5.4, x_rest=None):
    """A row's line at y=100 with three values; the last one wrapped around it (centred)."""
    line = row(100, "5", "6")
    t = run(380, 100 + dy_top, top)
    c = 380 + t.x1 - t.x0
    w = 4.5 * len(rest)
    x = (x_rest if x_rest is not None else (380 + c) / 2 - w / 2)
    return [[t], line, [run(x, 100 + dy_rest, rest)]]


def test_a_number_wrapped_around_its_rows_line_is_joined_on_that_line():
    got = join_wrapped_numbers(wrapped())
    assert texts(got) == [["（七）总计", "5", "6", "1,071"]]
    assert got[0][-1].y0 == 100 and got[0][-1].y1 == 100 + S


def test_the_rest_on_the_labels_line_joins_there():
    lines = [[run(380, 89.2, "4,48")], row(100, "5", "8")]
    lines[1][-1] = run(380 + (18 - 4.5) / 2, 100, "8")
    assert texts(join_wrapped_numbers(lines)) == [["（七）总计", "5", "4,488"]]


def test_not_joined_when_anything_is_in_doubt():
    assert texts(join_wrapped_numbers(wrapped(top="1,071"))) == texts(wrapped(top="1,071"))   # whole
    assert texts(join_wrapped_numbers(wrapped(rest="12"))) == texts(wrapped(rest="12"))       # "1,0712"
    assert texts(join_wrapped_numbers(wrapped(x_rest=395))) == texts(wrapped(x_rest=395))     # not aligned
    far = wrapped(dy_top=-9, dy_rest=9)                                                       # two rows apart
    assert texts(join_wrapped_numbers(far)) == texts(far)
    off = wrapped(dy_top=-8, dy_rest=4)                                   # not centred on the row's line
    assert texts(join_wrapped_numbers(off)) == texts(off)
    label = wrapped()
    label[2] = [run(label[2][0].x0, label[2][0].y0, "1", value=False)]    # not a value
    assert texts(join_wrapped_numbers(label)) == texts(label)
