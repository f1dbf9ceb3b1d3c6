"""第三十一条: the submission date (提交日期) and the day a request counts as received (收到日期), which the
answer period runs from. Due dates checked against an independent count over chinese_calendar.is_workday."""
import datetime as dt

import pytest
from openpyxl import load_workbook

from nianbao.cli import main
from nianbao.ledger import WorkCalendar, deadline, explain, load_ledger
from nianbao.ledger.clock import OVERDUE, RUNNING, clock
from nianbao.ledger.ledger import COLUMNS

from .test_ledger import req_row, write_csv
from .test_ledger_clock import count_workdays, nth_workday

D = dt.date
CAL = WorkCalendar()


def load(tmp_path, *rows):
    return load_ledger(str(write_csv(tmp_path / "l.csv", list(rows))))


def test_online_after_hours_counts_from_the_confirmation(tmp_path):
    # submitted online on Saturday 2025-10-18, confirmed on Monday 10-20: 20 working days from Monday
    led = load(tmp_path, req_row(收到方式="网络", 提交日期="2025-10-18", 收到日期="2025-10-20"))
    r = led.requests[0]
    assert (r.submitted, r.received) == (D(2025, 10, 18), D(2025, 10, 20))
    dl = deadline(r, CAL)
    assert dl.due == nth_workday(D(2025, 10, 20), 20) != nth_workday(D(2025, 10, 18), 20)
    text = explain(dl)
    assert "2025-10-18 网络提交，2025-10-20 为双方确认之日（第三十一条第（三）项），期限自收到日期起算" in text
    c = clock(r, CAL, D(2025, 11, 17))
    assert (c.state, c.left) == (RUNNING, count_workdays(D(2025, 11, 17), dl.due))


def test_by_post_counts_from_signing_and_the_clock_uses_it(tmp_path):
    led = load(tmp_path, req_row(收到方式="邮寄", 提交日期="2025-09-26", 收到日期="2025-09-30"))
    r = led.requests[0]
    due = nth_workday(D(2025, 9, 30), 20)                  # across 国庆+中秋 2025
    assert deadline(r, CAL).due == due
    assert "签收之日" in explain(deadline(r, CAL))
    day_after = due + dt.timedelta(days=1)
    assert clock(r, CAL, day_after).state == (OVERDUE if count_workdays(due, day_after) else RUNNING)


def test_handed_in_counts_from_the_day_handed_in(tmp_path):
    led = load(tmp_path, req_row(编号="a", 收到方式="当面", 提交日期="2025-03-03", 收到日期=""),
               req_row(编号="b", 收到方式="当面", 提交日期="2025-03-03", 收到日期="2025-03-05"))
    assert [r.id for r in led.requests] == ["a"] and led.requests[0].received == D(2025, 3, 3)
    assert "以提交之日为收到申请之日" in explain(deadline(led.requests[0], CAL))
    (bad,) = led.rejected
    assert (bad.column, bad.row) == ("收到日期", 3)
    assert "第三十一条第（一）项" in bad.message and "收到日期应为 2025-03-03" in bad.message


def test_impossible_or_incomplete_receipt_is_rejected_with_the_rule(tmp_path):
    led = load(tmp_path, req_row(编号="late", 提交日期="2025-03-10", 收到日期="2025-03-03"),
               req_row(编号="none", 收到方式="网络", 提交日期="2025-03-01", 收到日期=""),
               req_row(编号="bad", 提交日期="2025-02-30"))
    got = {(r.row, r.column): r.message for r in led.rejected}
    assert "晚于收到日期" in got[(2, "提交日期")]
    assert "双方确认之日" in got[(3, "收到日期")] and "请填写" in got[(3, "收到日期")]
    assert "2025-02-30" in got[(4, "提交日期")]
    assert led.requests == []


def test_without_a_submission_date_nothing_changes(tmp_path):
    led = load(tmp_path, req_row(收到日期="2025-03-03"))
    assert led.requests[0].submitted is None
    assert deadline(led.requests[0], CAL).due == nth_workday(D(2025, 3, 3), 20)


def test_other_names_of_the_columns(tmp_path):
    p = tmp_path / "l.csv"
    p.write_text("编号,申请日期,签收日期,申请人类型,收到方式,办理结果,答复日期\nA1,2025-03-01,2025-03-03,自然人,邮寄,,\n",
                 encoding="utf-8")
    led = load_ledger(str(p))
    assert (led.requests[0].submitted, led.requests[0].received) == (D(2025, 3, 1), D(2025, 3, 3))
    assert any("「申请日期」按「提交日期」读取" in zh for zh, _ in led.warnings)


def test_the_template_has_both_dates_with_the_rule(tmp_path):
    out = tmp_path / "t.xlsx"
    assert main(["ledger", "template", str(out)]) == 0
    wb = load_workbook(out)
    head = [c.value for c in wb["依申请公开台账"][1]]
    assert head == list(COLUMNS) and "提交日期" in head and "收到日期" in head
    row = {h: c.value for h, c in zip(head, wb["依申请公开台账"][2])}
    assert row["提交日期"].date() == D(2025, 1, 4) and row["收到日期"].date() == D(2025, 1, 6)
    assert wb["依申请公开台账"].cell(2, head.index("提交日期") + 1).number_format == "yyyy-mm-dd"
    help_text = "".join(str(c.value or "") for r in wb["说明"].iter_rows() for c in r)
    assert "第三十一条" in help_text and "提交日期" in help_text and "双方确认之日" in help_text
    led = load_ledger(str(out))
    assert not led.rejected and led.requests[0].submitted == D(2025, 1, 4)


def test_status_explain_shows_both_dates(tmp_path, capsys):
    p = write_csv(tmp_path / "l.csv", [req_row(编号="W1", 收到方式="网络", 提交日期="2025-10-18", 收到日期="2025-10-20")])
    assert main(["ledger", "status", str(p), "--today", "2025-10-21", "--explain", "W1"]) == 0
    out = capsys.readouterr().out
    assert "2025-10-18 网络提交" in out and str(nth_workday(D(2025, 10, 20), 20)) in out


@pytest.mark.parametrize("way", ["邮寄", "网络", "传真"])
def test_request_row_keeps_the_submission_date(tmp_path, way):
    from nianbao.ledger.ledger import request_row
    led = load(tmp_path, req_row(收到方式=way, 提交日期="2025-03-01", 收到日期="2025-03-03"))
    assert request_row(led.requests[0])["提交日期"] == "2025-03-01"
