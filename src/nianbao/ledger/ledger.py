"""The request ledger (依申请公开台账): import from CSV/XLSX, row-by-row validation.

Nothing is half-imported: `load_ledger` returns the valid requests and the rejected rows with a
message naming the row and column; `strict=True` refuses the whole file if any row is rejected.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import unicodedata
from dataclasses import dataclass, field

from ..errors import NianbaoError

REQUIRED = ("编号", "收到日期", "申请人类型", "办理结果", "答复日期")
OPTIONAL = ("申请人", "申请内容", "收到方式", "提交日期", "补正告知日期", "补正收到日期", "延期", "征求意见天数",
            "收费通知日期", "缴费日期", "备注")
FEE_COLUMNS = ("收费方式", "页数")     # 109号: 按件 | 按量 (with the pages), recorded per request
COLUMNS = REQUIRED[:3] + OPTIONAL[:4] + REQUIRED[3:] + OPTIONAL[4:] + FEE_COLUMNS
FEE_WAYS = ("按件", "按量")

APPLICANT_COLS = {"自然人": "natural", "商业企业": "commercial", "科研机构": "research", "社会公益组织": "social",
                  "法律服务机构": "legal", "其他": "other_org"}
RECEIPT_WAYS = ("当面", "邮寄", "网络", "传真")
# 第三十一条: the day a request counts as received (收到日期), by the way it was submitted
RECEIPT_RULE = {"当面": ("提交之日", "第三十一条第（一）项"),
                "邮寄": ("签收之日（平常信函为与申请人确认之日）", "第三十一条第（二）项"),
                "网络": ("双方确认之日", "第三十一条第（三）项"), "传真": ("双方确认之日", "第三十一条第（三）项")}

# 办理结果 labels → (2019 row, 2021 row)
OUTCOMES: dict[str, tuple[str, str]] = {
    "予以公开": ("granted", "granted"),
    "部分公开": ("partial", "partial"),
    "不予公开-属于国家秘密": ("denied_1", "denied_1"),
    "不予公开-其他法律行政法规禁止公开": ("denied_2", "denied_2"),
    "不予公开-危及“三安全一稳定”": ("denied_3", "denied_3"),
    "不予公开-危及三安全一稳定": ("denied_3", "denied_3"),
    "不予公开-保护第三方合法权益": ("denied_4", "denied_4"),
    "不予公开-属于三类内部事务信息": ("denied_5", "denied_5"),
    "不予公开-属于四类过程性信息": ("denied_6", "denied_6"),
    "不予公开-属于行政执法案卷": ("denied_7", "denied_7"),
    "不予公开-属于行政查询事项": ("denied_8", "denied_8"),
    "无法提供-本机关不掌握相关政府信息": ("unable_1", "unable_1"),
    "无法提供-没有现成信息需要另行制作": ("unable_2", "unable_2"),
    "无法提供-补正后申请内容仍不明确": ("unable_3", "unable_3"),
    "不予处理-信访举报投诉类申请": ("not_processed_1", "not_processed_1"),
    "不予处理-重复申请": ("not_processed_2", "not_processed_2"),
    "不予处理-要求提供公开出版物": ("not_processed_3", "not_processed_3"),
    "不予处理-无正当理由大量反复申请": ("not_processed_4", "not_processed_4"),
    "不予处理-要求行政机关确认或重新出具已获取信息": ("not_processed_5", "not_processed_5"),
    "其他处理-申请人无正当理由逾期不补正": ("other", "other_1"),
    "其他处理-逾期不补正": ("other", "other_1"),
    "其他处理-申请人逾期未按收费通知要求缴纳费用": ("other", "other_2"),
    "其他处理-逾期未缴费": ("other", "other_2"),
    "其他处理-其他": ("other", "other_3"),
}


class LedgerError(NianbaoError):
    pass


@dataclass
class Request:
    row: int                      # row number in the file (header is row 1)
    id: str
    received: dt.date
    applicant_type: str           # contract column key (natural, commercial, …)
    outcome: str | None           # outcome label, None while open
    answered: dt.date | None
    applicant: str = ""
    content: str = ""
    way: str = ""
    correction_notice: dt.date | None = None
    correction_received: dt.date | None = None
    extended: bool = False
    consultation_days: int = 0
    fee_notice: dt.date | None = None
    fee_paid: dt.date | None = None
    note: str = ""
    fee_way: str = ""             # 按件 | 按量 | "" (no fee)
    pages: int | None = None      # for 按量
    submitted: dt.date | None = None   # 提交日期: the day the applicant handed in, posted or sent it (第三十一条);
                                       # the period runs from `received`, the day it counts as received

    @property
    def open(self) -> bool:
        return self.answered is None


@dataclass
class Rejected:
    row: int
    column: str | None
    message: str
    message_en: str


@dataclass
class Ledger:
    requests: list[Request] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    path: str = ""
    warnings: list[tuple[str, str]] = field(default_factory=list)   # (Chinese, English), e.g. unknown columns
    org: str | None = None        # the issuing body named in a title line above the ledger's header, if any


_DATE_FORMS = (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
               re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"), re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
               re.compile(r"^(\d{4})(\d{2})(\d{2})$"))
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIALS = (20000, 80000)           # Excel day numbers of 1954 … 2119: a bare number in a date column


def _excel_serial(n: float) -> dt.date:
    return _EXCEL_EPOCH + dt.timedelta(days=int(n))


def parse_date(value) -> dt.date | None:
    """YYYY-MM-DD, YYYY/M/D, YYYY年M月D日, YYYY.M.D, YYYYMMDD, in full-width digits too, an Excel date or an
    Excel day number (45717 = 2025-03-01). None for empty; ValueError when bad."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if _SERIALS[0] <= value < _SERIALS[1] and float(value).is_integer():
            return _excel_serial(value)
        raise ValueError(str(value))
    s = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "")
    if not s:
        return None
    m = re.match(r"^(\d{4}-\d{1,2}-\d{1,2})(?:T|\d{1,2}:)", s)
    if m:
        s = m.group(1)
    for rx in _DATE_FORMS:
        m = rx.match(s)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))   # ValueError if impossible
    if re.fullmatch(r"\d{5}(?:\.0+)?", s) and _SERIALS[0] <= float(s) < _SERIALS[1]:
        return _excel_serial(float(s))
    raise ValueError(str(value))


SHEET_T2, SHEET_CASES = "主动公开", "复议诉讼"


def _decode_csv(data: bytes, path: str) -> list[list]:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise LedgerError("encoding", "台账文件编码无法识别（CSV 应为 UTF-8 或 GBK；Excel 文件请用 .xlsx 或 .xls）。",
                          "unknown encoding (CSV in UTF-8 or GBK; Excel as .xlsx or .xls).", path)
    return [row for row in csv.reader(io.StringIO(text))]


def _unreadable(e: Exception, path: str) -> LedgerError:
    return LedgerError("ledger-unreadable", f"台账文件无法打开（{type(e).__name__}）；请确认是 CSV、XLSX 或 XLS 文件且未损坏。",
                       f"the ledger cannot be opened ({type(e).__name__}); use CSV, XLSX or XLS.", path)


def _xlsx_sheets(data: bytes) -> list[tuple[str, list[list]]]:
    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    return [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in wb.worksheets]


def _xls_sheets(data: bytes) -> list[tuple[str, list[list]]]:
    """A legacy Excel 97–2003 workbook (BIFF) through xlrd; dates come back as dates."""
    import xlrd
    book = xlrd.open_workbook(file_contents=data)
    out = []
    for sh in book.sheets():
        rows = []
        for r in range(sh.nrows):
            line = []
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    line.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
                elif cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
                    line.append(int(cell.value))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    line.append(None)
                else:
                    line.append(cell.value)
            rows.append(line)
        out.append((sh.name, rows))
    return out


def workbook_sheets(data: bytes, name: str) -> list[tuple[str, list[list]]]:
    """Every sheet of an author's file as (name, rows): XLSX/XLSM, XLS (BIFF) or CSV (one sheet), by content."""
    ext = os.path.splitext(name)[1].lower()
    try:
        if data[:2] == b"PK":
            return _xlsx_sheets(data)
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            return _xls_sheets(data)
    except Exception as e:  # openpyxl and xlrd raise many kinds for damaged files
        raise _unreadable(e, name) from None
    if ext in (".xlsx", ".xlsm", ".xls"):
        raise _unreadable(ValueError("not an Excel workbook"), name)
    return [("台账", _decode_csv(data, name))]


# --------------------------------------------------------------------------- finding sheets and headers
_HEADER_SCAN = 15          # a header is looked for in the first rows of a sheet (title rows above it)
# other names units give the contract's columns
ALIASES = {"是否延期": "延期", "延期答复": "延期", "是否延长": "延期", "延长答复期限": "延期", "是否延长答复期限": "延期",
           "申请编号": "编号", "受理编号": "编号", "收到申请日期": "收到日期", "收到时间": "收到日期", "受理日期": "收到日期",
           "申请人类别": "申请人类型", "处理结果": "办理结果", "答复结果": "办理结果", "答复时间": "答复日期",
           "办结日期": "答复日期", "申请方式": "收到方式", "申请渠道": "收到方式", "申请人姓名或名称": "申请人",
           "申请人姓名": "申请人", "补正通知日期": "补正告知日期", "补正日期": "补正收到日期",
           "提交申请日期": "提交日期", "申请提交日期": "提交日期", "申请日期": "提交日期", "寄出日期": "提交日期",
           "提交时间": "提交日期", "申请时间": "提交日期",
           "收到申请之日": "收到日期", "收到申请日": "收到日期", "签收日期": "收到日期",
           "收费通知时间": "收费通知日期", "缴费时间": "缴费日期", "征求意见工作日": "征求意见天数",
           "计收方式": "收费方式", "收费标准": "收费方式", "页码数": "页数", "复制页数": "页数"}


def header_name(cell) -> str:
    """A header cell → a comparable name: width unified, spaces, '*' marks and bracketed notes removed."""
    s = unicodedata.normalize("NFKC", str(cell if cell is not None else "")).strip()
    s = re.sub(r"\s+", "", s).strip("*＊")
    s = re.sub(r"[（(][^）)]*[）)]$", "", s)
    return s


def _canonical(name: str) -> str | None:
    if name in COLUMNS:
        return name
    return ALIASES.get(name)


def _ledger_score(row) -> int:
    names = {_canonical(header_name(c)) for c in row}
    return sum(1 for c in REQUIRED if c in names)


def find_header(rows: list[list], score=_ledger_score, need: int = 3) -> int | None:
    """Index of the header row among the first rows (title rows above it are skipped), or None."""
    best, at = 0, None
    for i, r in enumerate(rows[:_HEADER_SCAN]):
        n = score(r)
        if n > best:
            best, at = n, i
    return at if best >= need else None


def _cases_score(row) -> int:
    names = {header_name(c) for c in row}
    return sum(1 for c in ("类型", "立案日期", "结果", "结案日期") if c in names)


def _t2_score(rows: list[list]) -> int:
    from ..formats import FORMATS
    from ..labels import core
    labels = {core(lbl) for f in FORMATS.values() for r in f.table("t2").cell_rows() for lbl in r.labels}
    return sum(1 for r in rows[:60] if r and r[0] is not None and core(str(r[0])) in labels)


def _from_header(rows: list[list], at: int | None) -> list[list] | None:
    return None if at is None else rows[at:]


def pick_sheets(sheets: list[tuple[str, list[list]]], path: str = "") -> tuple[list[list], list[list] | None,
                                                                              list[list] | None, int]:
    """(ledger rows from its header on, 「主动公开」 rows, 「复议诉讼」 rows, the ledger header's row number).
    Sheets are found by content (the ledger by its required columns, 复议诉讼 by its columns, 主动公开 by its
    name or by 表二 row labels), whichever sheet was active when the file was saved."""
    ledger_at: tuple[int, int, int] | None = None          # (score, sheet index, header index)
    cases = t2 = None
    for k, (title, rows) in enumerate(sheets):
        at = find_header(rows)
        if at is not None and (ledger_at is None or _ledger_score(rows[at]) > ledger_at[0]):
            ledger_at = (_ledger_score(rows[at]), k, at)
        if cases is None and (title.strip() == SHEET_CASES or find_header(rows, _cases_score, 4) is not None):
            cases = _from_header(rows, find_header(rows, _cases_score, 4)) or (rows if title.strip() == SHEET_CASES
                                                                                else None)
    for title, rows in sheets:
        if title.strip() == SHEET_T2:
            t2 = rows
    if t2 is None:
        scored = [(_t2_score(rows), k) for k, (_, rows) in enumerate(sheets)]
        best = max(scored, default=(0, -1))
        if best[0] >= 5:
            t2 = sheets[best[1]][1]
    if t2 is not None:
        while t2 and _blank(t2[0]):
            t2 = t2[1:]
        head = next((i for i, r in enumerate(t2[:_HEADER_SCAN]) if r and header_name(r[0]) == "项目"), 0)
        t2 = t2[head:]
    if ledger_at is None:
        if len(sheets) == 1:           # let ledger_from_rows name the missing columns
            rows = sheets[0][1]
            first = next((i for i, r in enumerate(rows) if not _blank(r)), 0)
            return rows[first:], t2, cases, first + 1
        raise LedgerError("ledger-columns", f"工作簿中没有找到台账（任何工作表的前 {_HEADER_SCAN} 行都没有"
                          f"{'、'.join(REQUIRED)} 这些列）。可用 nianbao ledger template 生成模板。",
                          "no sheet of the workbook has the ledger's required columns.", path)
    _, k, at = ledger_at
    return sheets[k][1][at:], t2, cases, at + 1


_TITLE_ORG = re.compile(r"^([\u4e00-\u9fa5（）()·]{2,40}?)(?:20\d\d年度?)?(?:政府信息公开|依申请公开|信息公开|申请|台账)")


def title_org(sheets: list[tuple[str, list[list]]]) -> str | None:
    """The issuing body a title line above the ledger's header names ("XX街道办事处2025年依申请公开台账"), or None."""
    from ..extract.metadata import _clean_org
    for _, rows in sheets:
        at = find_header(rows)
        for row in rows[:at or 0]:
            for cell in row:
                t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(cell or "")))
                m = _TITLE_ORG.match(t)
                if m and (org := _clean_org(m.group(1))):
                    return org
    return None


def read_sheets(data: bytes, name: str) -> tuple[list[list], list[list] | None, list[list] | None]:
    """An author's workbook as bytes → (ledger rows, 「主动公开」 rows, 「复议诉讼」 rows), each from its header
    row on. A CSV holds the ledger only (the other two are None); so may a workbook."""
    ledger, t2, cases, _ = pick_sheets(workbook_sheets(data, name), name)
    return ledger, t2, cases


def _read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise LedgerError("not-found", "台账文件不存在。", "no such ledger file.", path) from None
    except OSError as e:
        raise LedgerError("not-found", f"台账文件无法读取：{e.strerror}。", f"cannot read: {e.strerror}.", path) from None


def read_file(path: str) -> tuple[list[list], list[list] | None, list[list] | None, int]:
    """`pick_sheets` of a file on disk."""
    return pick_sheets(workbook_sheets(_read_bytes(path), path), path)


def _blank(row) -> bool:
    return not any(str(c if c is not None else "").strip() for c in row)


_YES_NO = {"是": "是", "否": "否", "y": "是", "n": "否", "yes": "是", "no": "否", "√": "是", "×": "否", "x": "否",
           "1": "是", "0": "否", "已延期": "是", "延期": "是", "未延期": "否", "不延期": "否", "true": "是", "false": "否"}


def applicant_label(text: str) -> str:
    """申请人类型 as printed in 表三 too: '法人或其他组织-商业企业', '商业企业' → '商业企业'."""
    t = re.sub(r"\s+", "", text)
    if t in APPLICANT_COLS:
        return t
    tail = re.split(r"[-—－:：/、]", t)[-1]
    return tail if tail in APPLICANT_COLS else t


def _outcome_index() -> dict[str, str]:
    """core(any printed 表三 label, with or without its group) → the ledger's outcome label."""
    from ..formats import FORMATS
    from ..labels import core
    index: dict[str, str] = {}
    for key in OUTCOMES:
        index.setdefault(core(key), key)
    by_row: dict[str, str] = {}
    for key, (_, r21) in OUTCOMES.items():
        by_row.setdefault(r21, key)
    groups = {"denied": "不予公开", "unable": "无法提供", "not_processed": "不予处理", "other": "其他处理"}
    for r in FORMATS["2021"].table("t3").cell_rows():
        if r.key not in by_row:
            continue
        group = groups.get(r.key.rsplit("_", 1)[0], "")
        for lbl in r.labels:
            if group:
                index.setdefault(core(group) + core(lbl), by_row[r.key])
            if core(lbl) != "其他":          # 3.其他 alone is ambiguous
                index.setdefault(core(lbl), by_row[r.key])
    return index


_OUTCOME_INDEX: dict[str, str] = {}


def outcome_label(text: str) -> str:
    """办理结果 as the ledger's label: '不予公开-属于国家秘密', also the official printed labels
    ('（二）部分公开（区分处理的，只计这一情形，不计其他情形）', '属于国家秘密', '不予公开—1.属于国家秘密')."""
    from ..labels import core
    t = re.sub(r"\s+", "", text).replace("—", "-").replace("－", "-").replace("–", "-")
    if not t or t in OUTCOMES:
        return t
    if not _OUTCOME_INDEX:
        _OUTCOME_INDEX.update(_outcome_index())
    parts = [p for p in re.split(r"[-:：/]", t) if p]
    for cand in (core(t), "".join(core(p) for p in parts), core(parts[-1]) if parts else ""):
        hit = _OUTCOME_INDEX.get(cand)
        if hit:
            return hit
    return t


def validate_row(get, n: int, seen: dict[str, int] | None = None) -> tuple[Request | None, list[Rejected]]:
    """One ledger row: `get(column)` gives the raw value of a column (None when absent), `n` is the row
    number used in the messages, `seen` maps the ids of the rows before it to their row numbers.
    Returns the Request, or None and every problem of the row (each naming the row and column)."""
    seen = seen if seen is not None else {}
    errors: list[Rejected] = []

    def text(col) -> str:
        v = get(col)
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return "" if v is None else unicodedata.normalize("NFKC", str(v)).strip()

    def bad(col, zh, en):
        errors.append(Rejected(n, col, f"第{n}行「{col}」：{zh}", f"row {n}, column {col}: {en}"))

    def date(col):
        try:
            return parse_date(get(col))
        except ValueError:
            bad(col, f"日期“{get(col)}”无效（应为 YYYY-MM-DD、YYYY/M/D 或 YYYY年M月D日，且日期存在）",
                f"invalid date '{get(col)}'")
            return None

    rid = text("编号")
    if not rid:
        bad("编号", "编号为空", "empty id")
    elif rid in seen:
        bad("编号", f"编号“{rid}”与第{seen[rid]}行重复", f"id '{rid}' repeats row {seen[rid]}")
    received, submitted = date("收到日期"), date("提交日期")
    way = text("收到方式")
    if received is None and get("收到日期") in (None, ""):
        if way == "当面" and submitted:
            received = submitted          # 第三十一条第（一）项: handed in → received that day
        elif submitted and way in RECEIPT_RULE:
            day, art = RECEIPT_RULE[way]
            bad("收到日期", f"收到日期为空：{way}提交的申请以{day}为收到申请之日（{art}），期限自该日起算，请填写",
                f"empty receipt date: a request sent by {way} counts from {day} ({art})")
        else:
            bad("收到日期", "收到日期为空", "empty receipt date")
    if received and submitted:
        if submitted > received:
            bad("提交日期", f"提交日期 {submitted} 晚于收到日期 {received}（收到申请之日不会早于提交之日）",
                "submitted after it was received")
        elif way == "当面" and submitted != received:
            bad("收到日期", f"当面提交的申请以提交之日为收到申请之日（第三十一条第（一）项），收到日期应为 {submitted}，"
                f"不是 {received}", f"a request handed in counts as received the day it was handed in ({submitted})")
    atype = applicant_label(text("申请人类型"))
    if atype not in APPLICANT_COLS:
        bad("申请人类型", f"“{atype}”不是有效的申请人类型（{'|'.join(APPLICANT_COLS)}）", f"unknown applicant type '{atype}'")
    outcome = outcome_label(text("办理结果")) or None
    if outcome and outcome not in OUTCOMES:
        bad("办理结果", f"“{outcome}”不是表三的办理结果（如 予以公开、部分公开、不予公开-属于国家秘密、其他处理-其他）",
            f"unknown outcome '{outcome}'")
    answered = date("答复日期")
    if outcome and answered is None and not errors:
        bad("答复日期", "已填写办理结果，但答复日期为空", "an outcome without an answer date")
    if answered and not outcome:
        bad("办理结果", "已填写答复日期，但办理结果为空", "an answer date without an outcome")
    if received and answered and answered < received:
        bad("答复日期", f"答复日期 {answered} 早于收到日期 {received}", "answered before received")
    cn, cr = date("补正告知日期"), date("补正收到日期")
    if cr and not cn:
        bad("补正收到日期", "有补正收到日期但没有补正告知日期", "correction received without a notice")
    if cn and received and cn < received:
        bad("补正告知日期", "补正告知日期早于收到日期", "correction notice before receipt")
    if cn and cr and cr < cn:
        bad("补正收到日期", "补正收到日期早于补正告知日期", "correction received before the notice")
    fn, fp = date("收费通知日期"), date("缴费日期")
    if fp and not fn:
        bad("缴费日期", "有缴费日期但没有收费通知日期", "payment without a fee notice")
    if way and way not in RECEIPT_WAYS:
        bad("收到方式", f"“{way}”不是有效的收到方式（{'|'.join(RECEIPT_WAYS)}）", f"unknown receipt way '{way}'")
    ext = _YES_NO.get(text("延期").lower(), text("延期"))
    if ext not in ("", "是", "否"):
        bad("延期", f"“{ext}”应为 是 或 否", f"'{ext}' should be 是 or 否")
    cdays_raw = text("征求意见天数")
    cdays = 0
    if cdays_raw:
        try:
            cdays = int(float(cdays_raw))
            if cdays < 0:
                raise ValueError
        except ValueError:
            bad("征求意见天数", f"“{cdays_raw}”应为非负整数（工作日）", f"'{cdays_raw}' is not a non-negative integer")
    fee_way = text("收费方式")
    if fee_way and fee_way not in FEE_WAYS:
        bad("收费方式", f"“{fee_way}”应为 按件 或 按量（国办函〔2020〕109号）", f"'{fee_way}' should be 按件 or 按量")
    pages_raw, pages = text("页数"), None
    if pages_raw:
        try:
            pages = int(float(pages_raw))
            if pages < 0:
                raise ValueError
        except ValueError:
            bad("页数", f"“{pages_raw}”应为非负整数", f"'{pages_raw}' is not a non-negative integer")
    if fee_way == "按量" and pages is None and not any(e.column == "页数" for e in errors):
        bad("页数", "按量计收需要填写页数", "按量 needs the number of pages")
    if errors:
        return None, errors
    return Request(n, rid, received, APPLICANT_COLS[atype], outcome, answered, text("申请人"), text("申请内容"), way,
                   cn, cr, ext == "是", cdays, fn, fp, text("备注"), fee_way, pages, submitted=submitted), []


def _unknown_note(raw_header: list[str]) -> tuple[str, str]:
    """Columns the ledger does not know, each with the nearest known column when one is close."""
    import difflib
    unknown = [c for c in raw_header if c and _canonical(header_name(c)) is None]
    if not unknown:
        return "", ""
    parts = []
    for c in unknown:
        near = difflib.get_close_matches(header_name(c), COLUMNS, n=1, cutoff=0.5)
        parts.append(f"「{c}」" + (f"（是否应为「{near[0]}」？）" if near else ""))
    return (f"台账有未识别的列，未导入：{'、'.join(parts)}。已知的列见 nianbao ledger template。",
            f"unknown columns, not imported: {', '.join(unknown)}.")


def ledger_from_rows(header, rows, strict: bool = False, path: str = "", start: int = 2) -> Ledger:
    """Requests from in-memory rows: `header` names the columns, each row is a list in that order (or a dict
    keyed by column). `start` is the number of the first row in the messages (2 in a file: the header is
    row 1). Rows are validated one by one; blank rows are skipped."""
    raw_header = [str(c if c is not None else "").strip() for c in header]
    header = [_canonical(header_name(c)) or c for c in raw_header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise LedgerError("ledger-columns", f"台账缺少必填列：{'、'.join(missing)}。可用 nianbao ledger template 生成模板。"
                          + _unknown_note(raw_header)[0],
                          f"the ledger lacks required columns: {', '.join(missing)}.", path)
    idx = {name: header.index(name) for name in COLUMNS if name in header}
    ledger = Ledger(path=path)
    for raw, name in zip(raw_header, header):
        if name in COLUMNS and header_name(raw) != name:
            ledger.warnings.append((f"列「{raw}」按「{name}」读取。", f"column '{raw}' is read as '{name}'."))
    zh, en = _unknown_note(raw_header)
    if zh:
        ledger.warnings.append((zh, en))
    seen: dict[str, int] = {}
    for n, raw in enumerate(rows, start=start):
        if isinstance(raw, dict):
            get = (lambda d: (lambda col: d.get(col) if col in idx else None))(raw)
            values = list(raw.values())
        else:
            get = (lambda r: (lambda col: r[idx[col]] if col in idx and idx[col] < len(r) else None))(raw)
            values = raw
        if _blank(values):
            continue
        req, errors = validate_row(get, n, seen)
        if errors:
            ledger.rejected.extend(errors)
            continue
        seen[req.id] = n
        ledger.requests.append(req)
    if strict and ledger.rejected:
        first = ledger.rejected[0]
        raise LedgerError("ledger-rejected",
                          f"台账有 {len(ledger.rejected)} 处错误，按 --strict 要求整份拒收（未导入任何行）。第一处：{first.message}",
                          f"{len(ledger.rejected)} errors; --strict refuses the whole file. First: {first.message_en}",
                          path)
    return ledger


def split_header(rows: list[list], path: str = "") -> tuple[list[str], list[list]]:
    """The header row (found by content below title rows, else the first non-blank row) and the rows under it.
    An empty sheet is refused."""
    rows = list(rows)
    while rows and _blank(rows[0]):
        rows.pop(0)
    if not rows:
        raise LedgerError("ledger-empty", "台账文件是空的。", "the ledger is empty.", path)
    at = find_header(rows) or 0
    return [str(c if c is not None else "").strip() for c in rows[at]], rows[at + 1:]


def load_ledger(path: str, strict: bool = False) -> Ledger:
    sheets = workbook_sheets(_read_bytes(path), path)
    rows, _, _, header_row = pick_sheets(sheets, path)
    if not rows:
        raise LedgerError("ledger-empty", "台账文件是空的。", "the ledger is empty.", path)
    header = [str(c if c is not None else "").strip() for c in rows[0]]
    ledger = ledger_from_rows(header, rows[1:], strict, path, start=header_row + 1)
    ledger.org = title_org(sheets)
    return ledger


def _iso(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def request_row(req: Request) -> dict[str, str]:
    """A valid Request back as a ledger row keyed by the contract's columns (dates as YYYY-MM-DD)."""
    label = {v: k for k, v in APPLICANT_COLS.items()}
    return {"编号": req.id, "收到日期": _iso(req.received), "申请人类型": label[req.applicant_type],
            "申请人": req.applicant, "申请内容": req.content, "收到方式": req.way, "提交日期": _iso(req.submitted),
            "办理结果": req.outcome or "",
            "答复日期": _iso(req.answered), "补正告知日期": _iso(req.correction_notice),
            "补正收到日期": _iso(req.correction_received), "延期": "是" if req.extended else "否",
            "征求意见天数": str(req.consultation_days) if req.consultation_days else "",
            "收费通知日期": _iso(req.fee_notice), "缴费日期": _iso(req.fee_paid), "备注": req.note,
            "收费方式": req.fee_way, "页数": "" if req.pages is None else str(req.pages)}


def write_template(path: str) -> None:
    ext = os.path.splitext(path)[1].lower()
    example = ["2025-001", "2025-01-06", "自然人", "张三", "某路段改造规划", "网络", "2025-01-04", "予以公开", "2025-01-20",
               "", "", "否", "", "", "", ""]
    if ext == ".xlsx":
        from .template import write_template as workbook_template
        workbook_template(path)
    else:
        with open(path, "w", newline="", encoding="utf-8-sig") as fh:
            w = csv.writer(fh)
            w.writerow(COLUMNS)
            w.writerow(example)
