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
from dataclasses import dataclass, field

from ..errors import NianbaoError

REQUIRED = ("编号", "收到日期", "申请人类型", "办理结果", "答复日期")
OPTIONAL = ("申请人", "申请内容", "收到方式", "补正告知日期", "补正收到日期", "延期", "征求意见天数",
            "收费通知日期", "缴费日期", "备注")
COLUMNS = REQUIRED[:3] + ("申请人", "申请内容", "收到方式") + REQUIRED[3:] + OPTIONAL[3:]

APPLICANT_COLS = {"自然人": "natural", "商业企业": "commercial", "科研机构": "research", "社会公益组织": "social",
                  "法律服务机构": "legal", "其他": "other_org"}
RECEIPT_WAYS = ("当面", "邮寄", "网络", "传真")

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


_DATE_FORMS = (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
               re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"), re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"))


def parse_date(value) -> dt.date | None:
    """YYYY-MM-DD, YYYY/M/D, YYYY年M月D日 (or an Excel date). None for empty; ValueError when bad."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = str(value).strip()
    if not s:
        return None
    s = s.split(" ")[0] if re.match(r"^\d{4}-\d{1,2}-\d{1,2} \d", s) else s
    for rx in _DATE_FORMS:
        m = rx.match(s)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))   # ValueError if impossible
    raise ValueError(s)


SHEET_T2, SHEET_CASES = "主动公开", "复议诉讼"


def _decode_csv(data: bytes, path: str) -> list[list]:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise LedgerError("encoding", "台账文件编码无法识别（应为 UTF-8 或 GBK）。", "unknown encoding.", path)
    return [row for row in csv.reader(io.StringIO(text))]


def _unreadable(e: Exception, path: str) -> LedgerError:
    return LedgerError("ledger-unreadable", f"台账文件无法打开（{type(e).__name__}）；请确认是 CSV 或 XLSX。",
                       f"the ledger cannot be opened ({type(e).__name__}); use CSV or XLSX.", path)


def read_sheets(data: bytes, name: str) -> tuple[list[list], list[list] | None, list[list] | None]:
    """An author's workbook as bytes → (ledger rows, 「主动公开」 rows, 「复议诉讼」 rows), header rows
    included. A CSV holds the ledger only (the other two are None); so does a workbook without them."""
    ext = os.path.splitext(name)[1].lower()
    if ext not in (".xlsx", ".xlsm"):
        if data[:2] == b"PK":
            raise LedgerError("ledger-unreadable", "这是 Excel 文件，但文件名不是 .xlsx；请用 .xlsx 或 .csv 文件。",
                              "an Excel workbook without the .xlsx name.", name)
        return _decode_csv(data, name), None, None
    try:
        from openpyxl import load_workbook
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        ledger_ws = wb.active
        if ledger_ws is None or ledger_ws.title in (SHEET_T2, SHEET_CASES):
            ledger_ws = wb[wb.sheetnames[0]]

        def rows_of(ws):
            return [list(r) for r in ws.iter_rows(values_only=True)]
        return (rows_of(ledger_ws),
                rows_of(wb[SHEET_T2]) if SHEET_T2 in wb.sheetnames else None,
                rows_of(wb[SHEET_CASES]) if SHEET_CASES in wb.sheetnames else None)
    except Exception as e:  # openpyxl raises many kinds for damaged files
        raise _unreadable(e, name) from None


def _rows_from_file(path: str) -> list[list]:
    ext = os.path.splitext(path)[1].lower()
    try:
        if ext in (".xlsx", ".xlsm"):
            from openpyxl import load_workbook
            wb = load_workbook(path, read_only=True, data_only=True)
            ws = wb.active
            return [list(r) for r in ws.iter_rows(values_only=True)]
        with open(path, "rb") as fh:
            data = fh.read()
        return _decode_csv(data, path)
    except FileNotFoundError:
        raise LedgerError("not-found", "台账文件不存在。", "no such ledger file.", path) from None
    except LedgerError:
        raise
    except Exception as e:  # openpyxl raises many kinds for damaged files
        raise _unreadable(e, path) from None


def _blank(row) -> bool:
    return not any(str(c if c is not None else "").strip() for c in row)


def validate_row(get, n: int, seen: dict[str, int] | None = None) -> tuple[Request | None, list[Rejected]]:
    """One ledger row: `get(column)` gives the raw value of a column (None when absent), `n` is the row
    number used in the messages, `seen` maps the ids of the rows before it to their row numbers.
    Returns the Request, or None and every problem of the row (each naming the row and column)."""
    seen = seen if seen is not None else {}
    errors: list[Rejected] = []

    def text(col) -> str:
        v = get(col)
        return "" if v is None else str(v).strip()

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
    received = date("收到日期")
    if received is None and get("收到日期") in (None, ""):
        bad("收到日期", "收到日期为空", "empty receipt date")
    atype = text("申请人类型")
    if atype not in APPLICANT_COLS:
        bad("申请人类型", f"“{atype}”不是有效的申请人类型（{'|'.join(APPLICANT_COLS)}）", f"unknown applicant type '{atype}'")
    outcome = text("办理结果").replace("—", "-").replace("－", "-") or None
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
    way = text("收到方式")
    if way and way not in RECEIPT_WAYS:
        bad("收到方式", f"“{way}”不是有效的收到方式（{'|'.join(RECEIPT_WAYS)}）", f"unknown receipt way '{way}'")
    ext = text("延期")
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
    if errors:
        return None, errors
    return Request(n, rid, received, APPLICANT_COLS[atype], outcome, answered, text("申请人"), text("申请内容"), way,
                   cn, cr, ext == "是", cdays, fn, fp, text("备注")), []


def ledger_from_rows(header, rows, strict: bool = False, path: str = "", start: int = 2) -> Ledger:
    """Requests from in-memory rows: `header` names the columns, each row is a list in that order (or a dict
    keyed by column). `start` is the number of the first row in the messages (2 in a file: the header is
    row 1). Rows are validated one by one; blank rows are skipped."""
    header = [str(c if c is not None else "").strip() for c in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise LedgerError("ledger-columns", f"台账缺少必填列：{'、'.join(missing)}。可用 nianbao ledger template 生成模板。",
                          f"the ledger lacks required columns: {', '.join(missing)}.", path)
    idx = {name: header.index(name) for name in COLUMNS if name in header}
    ledger = Ledger(path=path)
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
    """Leading blank rows dropped; the first row is the header. An empty sheet is refused."""
    rows = list(rows)
    while rows and _blank(rows[0]):
        rows.pop(0)
    if not rows:
        raise LedgerError("ledger-empty", "台账文件是空的。", "the ledger is empty.", path)
    return [str(c if c is not None else "").strip() for c in rows[0]], rows[1:]


def load_ledger(path: str, strict: bool = False) -> Ledger:
    header, rows = split_header(_rows_from_file(path), path)
    return ledger_from_rows(header, rows, strict, path)


def _iso(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def request_row(req: Request) -> dict[str, str]:
    """A valid Request back as a ledger row keyed by the contract's columns (dates as YYYY-MM-DD)."""
    label = {v: k for k, v in APPLICANT_COLS.items()}
    return {"编号": req.id, "收到日期": _iso(req.received), "申请人类型": label[req.applicant_type],
            "申请人": req.applicant, "申请内容": req.content, "收到方式": req.way, "办理结果": req.outcome or "",
            "答复日期": _iso(req.answered), "补正告知日期": _iso(req.correction_notice),
            "补正收到日期": _iso(req.correction_received), "延期": "是" if req.extended else "否",
            "征求意见天数": str(req.consultation_days) if req.consultation_days else "",
            "收费通知日期": _iso(req.fee_notice), "缴费日期": _iso(req.fee_paid), "备注": req.note}


def write_template(path: str) -> None:
    ext = os.path.splitext(path)[1].lower()
    example = ["2025-001", "2025-01-06", "自然人", "张三", "某路段改造规划", "网络", "予以公开", "2025-01-20", "", "", "否",
               "", "", "", ""]
    if ext == ".xlsx":
        from openpyxl import Workbook
        wb = Workbook()
        ws = wb.active
        ws.title = "依申请公开台账"
        ws.append(list(COLUMNS))
        ws.append(example)
        wb.save(path)
    else:
        with open(path, "w", newline="", encoding="utf-8-sig") as fh:
            w = csv.writer(fh)
            w.writerow(COLUMNS)
            w.writerow(example)
