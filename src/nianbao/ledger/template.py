"""The author's workbook as a file to fill in: sheets 依申请公开台账, 主动公开, 复议诉讼, 说明, and a hidden
sheet 选项 holding the lists behind the dropdowns (data validation) of every enumerated column.

`dress(wb)` adds the dropdowns, column widths and the 说明 sheet to a workbook written by
compose.write_workbook; `write_template` writes the template with example rows.
"""
from __future__ import annotations

from .ledger import APPLICANT_COLS, COLUMNS, OUTCOMES, RECEIPT_WAYS

SHEET_LEDGER, SHEET_T2, SHEET_CASES, SHEET_HELP, SHEET_LISTS = "依申请公开台账", "主动公开", "复议诉讼", "说明", "选项"

# one label per 表三 row (the ledger also accepts the other spellings and the official printed labels)
OUTCOME_CHOICES = [k for k in OUTCOMES if k not in ("不予公开-危及三安全一稳定", "其他处理-申请人无正当理由逾期不补正",
                                                   "其他处理-申请人逾期未按收费通知要求缴纳费用")]
LISTS = {  # (sheet, column header) → choices
    (SHEET_LEDGER, "申请人类型"): list(APPLICANT_COLS),
    (SHEET_LEDGER, "收到方式"): list(RECEIPT_WAYS),
    (SHEET_LEDGER, "办理结果"): OUTCOME_CHOICES,
    (SHEET_LEDGER, "延期"): ["是", "否"],
    (SHEET_LEDGER, "收费方式"): ["按件", "按量"],
    (SHEET_CASES, "类型"): ["行政复议", "未经复议直接起诉", "复议后起诉"],
    (SHEET_CASES, "结果"): ["维持", "纠正", "其他"],
}
DATE_COLUMNS = ("提交日期", "收到日期", "答复日期", "补正告知日期", "补正收到日期", "收费通知日期", "缴费日期", "立案日期", "结案日期")
ROWS = 2000          # rows that get the dropdowns

HELP = [
    ["依申请公开台账填写说明"],
    [""],
    ["工作表", "内容"],
    [SHEET_LEDGER, "每件申请一行。必填：编号、收到日期、申请人类型；办结后填办理结果和答复日期。表三由这些行自动生成。"],
    ["", "提交日期：申请人当面递交、寄出、网上提交或发送传真的日期（可不填）。收到日期：收到申请之日，办理期限由此起算（第三十一条）："
         "当面提交的以提交之日为准（收到日期可不填）；邮寄的以签收之日为准，平常信函以与申请人确认之日为准；"
         "网络、传真以双方确认之日为准（如周六晚上网上提交、周一确认，收到日期填周一）。"],
    ["", "补正：填补正告知日期（应在收到后 7 个工作日内，第三十条），收到补正后填补正收到日期，期限自该日重新计算。"],
    ["", "收费（国办函〔2020〕109号）：填收费通知日期；申请人缴费后填缴费日期。等待缴费和等待补正期间不计入答复期限。"],
    ["", "收费方式：按件（同一申请人一个自然月内的第几件）或按量（填页数）；不收费的留空。nianbao fee --ledger 台账.xlsx 计算金额。"],
    ["", "延期：经批准延长答复期限的填“是”（延长不超过 20 个工作日）；征求意见天数填不计入期限的工作日数。"],
    ["", "申请人类型、收到方式、办理结果、延期为下拉选择；日期写成 2025-03-03（或 2025/3/3、2025年3月3日）。"],
    [SHEET_T2, "表二：每行一个项目，按列填写本年数字（没有发生的填 0，不适用的留空）。"],
    [SHEET_CASES, "表四：每件行政复议或行政诉讼一行；类型、结果为下拉选择，未审结的结果和结案日期留空。"],
    ["正文", "报告正文（六个部分）另存为文本文件，如 年报正文.txt，编制时用 --narrative 指定。"],
    [""],
    ["命令", "nianbao ledger status 台账.xlsx        （办理期限，最紧急的在前）"],
    ["", "nianbao render --ledger 台账.xlsx --narrative 年报正文.txt --year 2025 -o 年报.docx"],
    ["", "示例行（编号以“示例”开头）请在填写前删除。"],
]


def dress(wb) -> None:
    """Dropdowns for every enumerated column, date hints, widths, and the 说明 and 选项 sheets."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    lists = wb[SHEET_LISTS] if SHEET_LISTS in wb.sheetnames else wb.create_sheet(SHEET_LISTS)
    lists.sheet_state = "hidden"
    for k, ((sheet, header), choices) in enumerate(LISTS.items(), start=1):
        col = get_column_letter(k)
        lists.cell(1, k, header)
        for i, choice in enumerate(choices, start=2):
            lists.cell(i, k, choice)
        if sheet not in wb.sheetnames:
            continue
        ws = wb[sheet]
        heads = [c.value for c in ws[1]]
        if header not in heads:
            continue
        target = get_column_letter(heads.index(header) + 1)
        dv = DataValidation(type="list", formula1=f"{SHEET_LISTS}!${col}$2:${col}${len(choices) + 1}",
                            allow_blank=True, showErrorMessage=True, errorTitle="请从下拉列表中选择",
                            error=f"「{header}」请从下拉列表中选择：{'、'.join(choices[:6])}{'…' if len(choices) > 6 else ''}")
        dv.add(f"{target}2:{target}{ROWS}")
        ws.add_data_validation(dv)
    for name in (SHEET_LEDGER, SHEET_T2, SHEET_CASES):
        if name not in wb.sheetnames:
            continue
        ws = wb[name]
        for i, c in enumerate(ws[1], start=1):
            c.font = Font(bold=True)
            text = str(c.value or "")
            width = 42 if text in ("办理结果", "项目", "申请内容") else max(10, 2 * len(text) + 2)
            ws.column_dimensions[get_column_letter(i)].width = width
            if text in DATE_COLUMNS:
                for row in ws.iter_rows(min_row=2, max_row=ws.max_row, min_col=i, max_col=i):
                    for cell in row:
                        cell.number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
    help_ws = wb[SHEET_HELP] if SHEET_HELP in wb.sheetnames else wb.create_sheet(SHEET_HELP)
    for r in HELP:
        help_ws.append(r)
    help_ws["A1"].font = Font(bold=True, size=14)
    help_ws.column_dimensions["A"].width = 18
    help_ws.column_dimensions["B"].width = 100


EXAMPLE_LEDGER = [   # 示例-001: submitted online on a Saturday evening, confirmed on Monday — the period counts from Monday
    ["示例-001", "2025-01-06", "自然人", "张三", "某路段改造规划", "网络", "2025-01-04", "予以公开", "2025-01-20", "", "", "否", "",
     "", "", ""],
    ["示例-002", "2025-02-10", "商业企业", "某公司", "招标文件", "邮寄", "2025-02-07", "", "", "2025-02-12", "", "否", "", "", "",
     "等待补正"],
    ["示例-003", "2025-03-03", "自然人", "李四", "大量复印件", "当面", "2025-03-03", "", "", "", "", "否", "", "2025-03-10", "",
     "等待缴费", "按量", "120"],
]
EXAMPLE_CASES = [["示例-FY1", "行政复议", "2025-04-10", "维持", "2025-06-05", "对示例-001答复不服"]]


def write_template(path: str, year_format: str = "2021") -> None:
    """The template workbook (every sheet render needs, dropdowns, examples, 说明)."""
    from .compose import CASE_COLUMNS, t2_rows_from_values, write_workbook
    from .ledger import parse_date

    def dated(header, rows):        # real dates in date columns, as an author's Excel has them
        return [[parse_date(v) if h in DATE_COLUMNS and v else v for h, v in zip(header, r)] for r in rows]
    write_workbook(path, dated(COLUMNS, EXAMPLE_LEDGER), t2_rows_from_values(year_format, None),
                   [list(CASE_COLUMNS), *dated(CASE_COLUMNS, EXAMPLE_CASES)])


assert all(len(r) <= len(COLUMNS) for r in EXAMPLE_LEDGER)
