"""Space-aligned columns: a PDF saved as text with its layout (``pdftotext -layout``, a copy from a
viewer). Runs of "label, a wide gap, values only" lines become linear tables."""
from __future__ import annotations

import re

from ...document import Cell, Where
from .common import _HEADING, NO_NUMBER

# space-aligned columns (text saved from a PDF with its layout, e.g. `pdftotext -layout`)
_GAP = re.compile(r"[ \u3000\u00a0]{2,}|\u3000")
_VALUE_TOKEN = re.compile(r"^(?:[+\-－]?[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?|[/／—–－]+)$")
_BRACKETED = re.compile(r"[（(][^）)]*(?:[）)]|$)")
_SEGMENT = re.compile(r"\S+(?:[ \u00a0]\S+)*")          # text between wide gaps
_TOKENS: dict[str, bool] = {}          # token → is a value (tokens repeat: "0", "1", "/")
# what stands in a value's column instead of a number ("约5", "5、6", "--253", "l2", "12.5万", "不适用",
# "？", "#REF!"): a value token too, so its line stays a row and the cell keeps its column
# (extract/numbers.py reads it missing, with a note); numbering ("1.", "（5）") only after a value
_ODD_TOKEN = re.compile(r"^(?=.*[0-9０-９])[0-9０-９A-Za-z+\-−–—.,，、·:：;；()（）%％~～/\\*#?？!！约余多近左右万]{1,12}$")
_NOT_A_NUMBER = frozenset({"不适用", "不涉及", "暂无", "见附件", "详见附件", "见附表", "未统计", "待统计", "不详", "未填报"})
_NUMBERING = re.compile(r"^(?:[0-9０-９]{1,2}[.、．]|[（(][0-9０-９]{1,2}[)）])$")


def _is_value_token(tok: str) -> bool:
    v = _TOKENS.get(tok)
    if v is None:
        if len(_TOKENS) > 20000:
            _TOKENS.clear()
        v = _TOKENS[tok] = _VALUE_TOKEN.match(tok) is not None or _ODD_TOKEN.match(tok) is not None \
            or tok in _NOT_A_NUMBER or NO_NUMBER.match(tok) is not None
    return v


def _tail_start(tokens: list[str]) -> int:
    """Index of the first value token of the values that end `tokens` (numbering right after the
    label, "（5） 3 4", stays with the label)."""
    k = len(tokens)
    while k and _is_value_token(tokens[k - 1]):
        k -= 1
    while k < len(tokens) and _NUMBERING.match(tokens[k]):
        k += 1
    return k


def _value_tail(line: str) -> tuple[int, int, int] | None:
    """(end of the label, column of the first value, number of values) when the line ends in
    whitespace-separated values ("规章      0   0   0" → (2, 8, 3)), else None."""
    s = line.rstrip()
    if not s:
        return None
    tokens = s.split()
    n = len(tokens)
    k = _tail_start(tokens)
    if k == n:
        return None
    if k == 0:
        return 0, len(s) - len(s.lstrip()), n
    label_end = len(s.rsplit(None, n - k)[0])
    rest = s[label_end:]
    return label_end, label_end + len(rest) - len(rest.lstrip()), n - k


class AlignedLayout:
    """Builder mixin."""

    # -- space-aligned columns ------------------------------------------------------------------
    @staticmethod
    def _aligned_row(line: str, tail: tuple[int, int, int] | None) -> bool:
        """A table row laid out with spaces: a label (or nothing), a wide gap, then values only.
        `tail` is `_value_tail(line)`."""
        if tail is None:
            return False
        label = line[:tail[0]].strip()
        if not label:
            return True
        # a label has no sentence punctuation (outside its brackets: "（区分处理的，只计这一情形）")
        bare = _BRACKETED.sub("", label) if "（" in label or "(" in label else label
        return bool(_GAP.match(line, tail[0])) and len(label) <= 40 and not any(
            ch in bare for ch in "。，；：,;:")

    @staticmethod
    def _aligned_fragment(line: str) -> bool:
        """A header or label piece inside a space-aligned table (not a sentence of the text)."""
        t = line.strip()
        if not t or "。" in t or (_HEADING.match(line) and len(t) > 8 and not _GAP.search(t)):
            return False
        return bool(_GAP.search(t)) or len(t) <= 20

    def _aligned_blocks(self, lines: list[int]) -> list[tuple[int, int]]:
        """[(start, end)] positions in `lines` of runs with at least 3 space-aligned rows."""
        raw, blank = self.raw, self.blank
        if not any("  " in raw[k] or "\u3000" in raw[k] for k in lines):
            return []
        out: list[tuple[int, int]] = []
        tails = [_value_tail(raw[k]) for k in lines]
        self._tails = dict(zip(lines, tails))
        is_row = [self._aligned_row(raw[k], t) for k, t in zip(lines, tails)]
        i, n = 0, len(lines)
        while i < n:
            if not is_row[i]:
                i += 1
                continue
            j, rows, last_row, n_values = i, 0, i, 0
            while j < n:
                line = raw[lines[j]]
                if is_row[j]:
                    rows += 1
                    last_row = j
                    n_values += tails[j][2]
                elif not (blank[lines[j]] or self._aligned_fragment(line)):
                    break
                j += 1
            if rows >= 3 or n_values >= 8:
                b0 = i                          # the table's header: gapped fragments just above
                while b0 > 0 and not blank[lines[b0 - 1]] and _GAP.search(raw[lines[b0 - 1]].strip()) \
                        and self._aligned_fragment(raw[lines[b0 - 1]]) and (not out or b0 > out[-1][1]):
                    b0 -= 1
                end = last_row + 1
                while end < j and self._aligned_fragment(raw[lines[end]]) and _GAP.search(raw[lines[end]].strip()):
                    end += 1                    # label pieces printed below the last values
                out.append((b0, end))
                i = end
            else:
                i = j + 1
        return out

    def _aligned_table(self, lines: list[int]) -> None:
        """One linear table: each line's label and value tokens in reading order.

        A label centred beside a wrapped label of the next column is printed on the line of that
        row's values ("（四）无" / "法提供  6 2 0" beside "2.没有现成信息需要另行制"): a line holding a
        single short label left of the pending row label (a label-only line's last label, left of
        the value columns), then values, has that label moved before the pending one, so the values
        follow the label they belong to.
        """
        raw = self.raw
        rows: list[list[Cell]] = []
        pending: tuple[int, int] | None = None      # (index in rows, column) of a label-only line's label
        # the left edge of the value columns: labels left of it are row labels, not column headers
        tails = self._tails             # (_aligned_blocks computed them for these lines)
        value_col = min((t[1] for k in lines
                         if (t := tails[k] if k in tails else _value_tail(raw[k])) is not None), default=0)
        for k in lines:
            w = Where(k + 1)
            line = raw[k]
            labels: list[tuple[int, str]] = []
            values: list[str] = []
            for m in _SEGMENT.finditer(line):
                tokens = m.group().split()
                n = _tail_start(tokens)
                if n:
                    if values:                  # a label after values: flush what came before
                        pending = self._emit(rows, labels, values, w, pending, value_col)
                        labels, values = [], []
                    labels.append((m.start(), " ".join(tokens[:n])))
                values.extend(tokens[n:])
            pending = self._emit(rows, labels, values, w, pending, value_col)
        self._add_table(rows, linear=True)

    @staticmethod
    def _emit(rows: list[list[Cell]], labels: list[tuple[int, str]], values: list[str], w: Where,
              pending: tuple[int, int] | None, value_col: int) -> tuple[int, int] | None:
        if labels and pending is not None and labels[0][0] < pending[1] and len(labels[0][1]) <= 6 \
                and (len(labels) == 1 or not values):
            rows.insert(pending[0], [Cell(labels[0][1], 0, 0, 1, 1, w)])
            labels = labels[1:]
            if not values:
                # a piece of the left column's label on a line inside a wrapped row label, alone
                # ("2.申请人逾期未按收费通知" / "他处理" / "要求缴纳费用…  0 1 0") or beside the
                # label's next piece ("他处理  知要求缴纳费用、行政机关"): it goes before the row label,
                # which stays pending (one position later) unless the line continues it
                if not labels:
                    return (pending[0] + 1, pending[1])
        for col, text in labels:
            rows.append([Cell(text, 0, 0, 1, 1, w)])
        rows.extend([Cell(t, 0, 0, 1, 1, w)] for t in values)
        if values:
            return None
        if labels:
            return (len(rows) - 1, labels[-1][0]) if labels[-1][0] < value_col else None
        return pending
