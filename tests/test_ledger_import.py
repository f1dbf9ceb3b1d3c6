"""Ledger import as units keep it: title rows, other sheets active, .xls, official labels, full-width and
Excel-serial dates, other column names (matched and said, or listed as unknown)."""
import datetime as dt
import os
import shutil

import pytest
from openpyxl import Workbook

from nianbao.cli import main
from nianbao.ledger import LedgerError, WorkCalendar, deadline, load_ledger
from nianbao.ledger.compose import compose_report

from .conftest import DATA
from .test_ledger import req_row, write_csv

D = dt.date


def unit_workbook(path):
    """A workbook as a unit saves it: a notes sheet active, a title row above the ledger header, the
    official printed outcome label, 是否延期, an extra column, and the other two sheets in another order."""
    wb = Workbook()
    notes = wb.active
    notes.title = "说明"
    notes.append(["本表由办公室维护"])
    cases = wb.create_sheet("复议诉讼案件")
    cases.append(["2025年复议诉讼情况"])
    cases.append(["编号", "类型", "立案日期", "结果", "结案日期"])
    cases.append(["F1", "行政复议", D(2025, 4, 1), "维持", D(2025, 6, 1)])
    led = wb.create_sheet("台账")
    led.append(["某局2025年依申请公开台账"])
    led.append(["编号", "收到日期", "申请人类型", "办理结果", "答复日期", "是否延期", "经办人"])
    led.append(["A1", D(2025, 3, 3), "自然人", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", D(2025, 3, 20), "否", "王"])
    led.append(["A2", 45922, "法人或其他组织-商业企业", None, None, "是", "王"])      # 45922 = 2025-09-22
    wb.active = 0
    wb.save(path)
    return path


def test_workbook_found_by_content_not_by_the_active_sheet(tmp_path):
    led = load_ledger(str(unit_workbook(tmp_path / "台账.xlsx")))
    assert not led.rejected
    assert [(r.id, r.row) for r in led.requests] == [("A1", 3), ("A2", 4)]
    a1, a2 = led.requests
    assert a1.outcome == "部分公开" and a2.received == D(2025, 9, 22) and a2.applicant_type == "commercial"
    assert a2.extended                                      # 是否延期 = 是 is applied …
    assert deadline(a2, WorkCalendar()).due == WorkCalendar().add_workdays(D(2025, 9, 22), 40)[0]
    notes = " ".join(zh for zh, _ in led.warnings)
    assert "「是否延期」按「延期」读取" in notes             # … and said
    assert "未识别的列" in notes and "「经办人」" in notes
    report = compose_report(led, 2025, allow_missing=True)
    assert report["tables"]["t4"]["review"]["maintain"] == 1 and report["tables"]["t3"]["partial"]["natural"] == 1
    assert report["unfilled"] == ["t2"]                      # no 主动公开 sheet: said, not dropped


def test_real_xls_is_read(tmp_path):
    led = load_ledger(str(DATA / "ledger" / "ledger_excel97.xls"))     # saved by LibreOffice as Excel 97
    assert [(r.id, r.received, r.outcome, r.extended) for r in led.requests] == [
        ("X-001", D(2025, 3, 3), "部分公开", False), ("X-002", D(2025, 9, 22), None, True)]
    assert led.requests[0].row == 4                          # title row and a blank row above the header


def test_full_width_digits_serials_and_official_labels_in_csv(tmp_path):
    rows = [req_row(编号="Ａ１", 收到日期="２０２５－０３－０３", 办理结果="属于国家秘密", 答复日期="45737"),
            req_row(编号="A2", 收到日期="2025年3月4日", 办理结果="不予处理—2.重复申请", 答复日期="２０２５年３月２０日",
                    征求意见天数="５"),
            req_row(编号="A3", 收到日期="2025-03-05", 办理结果="其他", 答复日期="2025-03-20")]   # ambiguous: refused
    led = load_ledger(str(write_csv(tmp_path / "l.csv", rows)))
    assert [(r.id, r.received, r.outcome, r.answered) for r in led.requests] == [
        ("A1", D(2025, 3, 3), "不予公开-属于国家秘密", D(2025, 3, 21)),
        ("A2", D(2025, 3, 4), "不予处理-重复申请", D(2025, 3, 20))]
    assert led.requests[1].consultation_days == 5
    assert [(r.row, r.column) for r in led.rejected] == [(4, "办理结果")]


def test_misspelt_required_column_is_named(tmp_path):
    p = tmp_path / "l.csv"
    p.write_text("编号,收到日期,申请人类型,办理结果,答复日起\nA,2025-01-02,自然人,,\n", encoding="utf-8")
    with pytest.raises(LedgerError) as e:
        load_ledger(str(p))
    assert "缺少必填列：答复日期" in e.value.message and "「答复日起」（是否应为「答复日期」？）" in e.value.message


def test_cli_prints_the_column_notes(capsys, tmp_path):
    path = unit_workbook(tmp_path / "台账.xlsx")
    assert main(["ledger", "status", str(path), "--today", "2025-10-09"]) == 0
    err = capsys.readouterr().err
    assert "注意：列「是否延期」按「延期」读取" in err and "经办人" in err


def test_a_workbook_without_a_ledger_sheet_is_refused_clearly(tmp_path):
    wb = Workbook()
    wb.active.append(["项目", "本年制发件数"])
    wb.create_sheet("其他").append(["x"])
    wb.save(tmp_path / "w.xlsx")
    with pytest.raises(LedgerError) as e:
        load_ledger(str(tmp_path / "w.xlsx"))
    assert e.value.code == "ledger-columns" and "没有找到台账" in e.value.message


def test_template_has_every_sheet_dropdowns_examples_and_help(capsys, tmp_path):
    from openpyxl import load_workbook

    from nianbao.ledger.template import LISTS
    path = tmp_path / "模板.xlsx"
    assert main(["ledger", "template", str(path)]) == 0
    wb = load_workbook(path)
    assert {"依申请公开台账", "主动公开", "复议诉讼", "说明", "选项"} <= set(wb.sheetnames)
    assert wb["选项"].sheet_state == "hidden" and "--narrative" in str([c.value for r in wb["说明"] for c in r])
    for (sheet, header), choices in LISTS.items():
        ws = wb[sheet]
        col = [c.value for c in ws[1]].index(header) + 1
        letter = ws.cell(1, col).column_letter
        dvs = [dv for dv in ws.data_validations.dataValidation if f"{letter}2" in str(dv.sqref).split(":")[0]]
        assert len(dvs) == 1 and dvs[0].type == "list", (sheet, header)
        lst, rng = dvs[0].formula1.split("!")
        listed = [c.value for row in wb[lst][rng.replace("$", "")] for c in row]
        assert listed == choices, header
    led = load_ledger(str(path))
    assert [r.id for r in led.requests] == ["示例-001", "示例-002", "示例-003"] and not led.rejected
    assert isinstance(wb["依申请公开台账"]["B2"].value, dt.datetime)      # dates as dates
    out = tmp_path / "r.docx"
    assert main(["render", "--ledger", str(path), "--year", "2025", "--org", "某局", "-o", str(out)]) == 0


@pytest.mark.skipif(not shutil.which("soffice") and not os.environ.get("CI"),
                    reason="LibreOffice not installed; .ci/run installs it and in CI this never skips")
def test_libreoffice_opens_the_template_with_its_dropdowns(tmp_path):
    """LibreOffice Calc reads every dropdown as a list validation shown as a dropdown (display-list), on the
    cells of the column it belongs to, with its list on the hidden sheet 选项."""
    import subprocess
    import zipfile

    from lxml import etree
    from openpyxl import load_workbook
    from openpyxl.utils import column_index_from_string

    from nianbao.ledger.template import LISTS
    path = tmp_path / "模板.xlsx"
    assert main(["ledger", "template", str(path)]) == 0
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "ods",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    root = etree.fromstring(zipfile.ZipFile(tmp_path / "模板.ods").read("content.xml"))
    ns = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0"}
    t = lambda name: f"{{{ns['table']}}}{name}"    # noqa: E731
    rules = {v.get(t("name")): v for v in root.iterfind(".//table:content-validation", ns)}
    on_row_2: dict[tuple[str, int], str] = {}       # (sheet, column number) → validation name, on the first data row
    for sheet in root.iterfind(".//table:table", ns):
        rows = sheet.findall(".//table:table-row", ns)
        col = 1
        for cell in rows[1].findall("table:table-cell", ns) if len(rows) > 1 else []:
            n = int(cell.get(t("number-columns-repeated"), "1"))
            if cell.get(t("content-validation-name")):
                for k in range(col, col + n):
                    on_row_2[(sheet.get(t("name")), k)] = cell.get(t("content-validation-name"))
            col += n
    wb = load_workbook(path)
    for (sheet, header), choices in LISTS.items():
        letter = wb[sheet].cell(1, [c.value for c in wb[sheet][1]].index(header) + 1).column_letter
        name = on_row_2.get((sheet, column_index_from_string(letter)))
        assert name is not None, (sheet, header)
        rule = rules[name]
        assert rule.get(t("display-list")) != "none", (sheet, header)
        assert rule.get(t("condition")).startswith("of:cell-content-is-in-list([$选项.") and \
            rule.get(t("condition")).endswith(f"${len(choices) + 1}])"), (sheet, header, rule.get(t("condition")))
