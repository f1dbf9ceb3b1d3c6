"""Clock states per request (条例 第三十条、第三十三条, 109号), due dates checked against an independent
working-day count over chinese_calendar.is_workday."""
import datetime as dt

import chinese_calendar as cc
import pytest

from nianbao.cli import main
from nianbao.ledger import WorkCalendar, load_ledger, t3_from_ledger
from nianbao.ledger.clock import (ANSWERED, ANSWERED_LATE, CLOSED_CORRECTION, CLOSED_FEE, EXTENDED, OVERDUE,
                                  PAUSED_CORRECTION, PAUSED_FEE, RUNNING, UNKNOWN, clock)

from .test_ledger import req_row, write_csv

D = dt.date
CAL = WorkCalendar()


def nth_workday(start, n):
    """Independent: the n-th day after `start` on which chinese_calendar says people work."""
    d, k = start, 0
    while k < n:
        d += dt.timedelta(days=1)
        k += cc.is_workday(d)
    return d


def count_workdays(a, b):
    """Independent: working days after a up to and including b."""
    return sum(cc.is_workday(a + dt.timedelta(days=i)) for i in range(1, (b - a).days + 1))


def one(tmp_path, **kw):
    led = load_ledger(str(write_csv(tmp_path / "l.csv", [req_row(**kw)])))
    assert not led.rejected, led.rejected
    return led.requests[0]


def test_running_and_overdue(tmp_path):
    r = one(tmp_path, 收到日期="2025-09-22")
    due = nth_workday(D(2025, 9, 22), 20)                     # across 国庆+中秋 2025
    c = clock(r, CAL, D(2025, 10, 9))
    assert (c.state, c.due, c.left) == (RUNNING, due, count_workdays(D(2025, 10, 9), due))
    assert not c.alarm
    later = due + dt.timedelta(days=10)
    c = clock(r, CAL, later)
    assert (c.state, c.left) == (OVERDUE, -count_workdays(due, later)) and c.alarm


def test_extended(tmp_path):
    r = one(tmp_path, 收到日期="2026-01-26", 延期="是")
    c = clock(r, CAL, D(2026, 3, 2))
    assert (c.state, c.due) == (EXTENDED, nth_workday(D(2026, 1, 26), 40))
    assert c.left == count_workdays(D(2026, 3, 2), c.due)


def test_waiting_for_payment_across_spring_festival_2026(tmp_path):
    r = one(tmp_path, 收到日期="2026-02-02", 收费通知日期="2026-02-06")
    today = D(2026, 3, 2)            # 20 working days after 2/2 would be 3/3 without the pause: nearly due
    c = clock(r, CAL, today)
    assert c.state == PAUSED_FEE and not c.alarm
    assert c.pay_due == nth_workday(D(2026, 2, 6), 20) == D(2026, 3, 12)
    assert c.left_at_pause == 20 - count_workdays(D(2026, 2, 2), D(2026, 2, 6)) == 16
    assert not c.pay_expired and clock(r, CAL, D(2026, 3, 13)).pay_expired
    paid = one(tmp_path, 收到日期="2026-02-02", 收费通知日期="2026-02-06", 缴费日期="2026-03-05")
    c = clock(paid, CAL, D(2026, 3, 6))
    pause = count_workdays(D(2026, 2, 6), D(2026, 3, 5))
    assert c.state == RUNNING and c.due == nth_workday(D(2026, 2, 2), 20 + pause)


def test_waiting_for_correction_over_national_day_2025(tmp_path):
    r = one(tmp_path, 收到日期="2025-09-24", 补正告知日期="2025-09-26")
    c = clock(r, CAL, D(2025, 11, 20))        # long past 20 working days after receipt: not an alarm
    assert c.state == PAUSED_CORRECTION and not c.alarm and c.due is None
    assert c.since_notice == count_workdays(D(2025, 9, 26), D(2025, 11, 20))
    assert c.correction_notice_late is None
    got = one(tmp_path, 收到日期="2025-09-24", 补正告知日期="2025-09-26", 补正收到日期="2025-10-09")
    c = clock(got, CAL, D(2025, 10, 10))
    assert c.state == RUNNING and c.due == nth_workday(D(2025, 10, 9), 20)


def test_correction_notice_after_seven_working_days_is_flagged(tmp_path):
    rec = D(2025, 9, 24)
    on_time = nth_workday(rec, 7)             # the 7th working day (across 国庆) is still on time
    r = one(tmp_path, 收到日期=rec.isoformat(), 补正告知日期=on_time.isoformat())
    assert clock(r, CAL, D(2025, 10, 20)).correction_notice_late is None
    late = nth_workday(rec, 8)
    r = one(tmp_path, 收到日期=rec.isoformat(), 补正告知日期=late.isoformat())
    assert clock(r, CAL, D(2025, 10, 20)).correction_notice_late == 8


def test_answered_on_time_and_late(tmp_path):
    due = nth_workday(D(2025, 3, 3), 20)
    r = one(tmp_path, 收到日期="2025-03-03", 办理结果="予以公开", 答复日期=due.isoformat())
    assert clock(r, CAL, D(2025, 12, 1)).state == ANSWERED
    r = one(tmp_path, 收到日期="2025-03-03", 办理结果="予以公开", 答复日期="2025-04-10")
    c = clock(r, CAL, D(2025, 12, 1))
    assert (c.state, c.late_by) == (ANSWERED_LATE, count_workdays(due, D(2025, 4, 10)))


def test_closed_without_answer_goes_to_other_1_and_other_2(tmp_path):
    rows = [req_row(编号="c1", 收到日期="2025-03-03", 补正告知日期="2025-03-05", 办理结果="其他处理-逾期不补正",
                    答复日期="2025-04-20"),
            req_row(编号="c2", 收到日期="2025-03-03", 收费通知日期="2025-03-05", 办理结果="其他处理-逾期未缴费",
                    答复日期="2025-04-20")]
    led = load_ledger(str(write_csv(tmp_path / "l.csv", rows)))
    states = [clock(r, CAL, D(2025, 5, 1)).state for r in led.requests]
    assert states == [CLOSED_CORRECTION, CLOSED_FEE]
    _, t3 = t3_from_ledger(led, 2025)
    assert (t3["other_1"]["natural"], t3["other_2"]["natural"]) == (1, 1)


def test_status_counts_only_real_overdues_and_sorts_them_first(capsys, tmp_path):
    rows = [req_row(编号="fresh", 收到日期="2026-02-24"),
            req_row(编号="fee", 收到日期="2026-01-26", 收费通知日期="2026-02-06"),
            req_row(编号="notice-too-late", 收到日期="2025-12-01", 收费通知日期="2026-02-06"),
            req_row(编号="corr", 收到日期="2025-09-24", 补正告知日期="2025-09-26"),
            req_row(编号="late", 收到日期="2026-01-05")]
    path = write_csv(tmp_path / "l.csv", rows)
    assert main(["ledger", "status", str(path), "--today", "2026-03-02"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out[1:]] == ["notice-too-late", "late", "fresh", "fee", "corr"]
    assert "已超期" in out[2] and "其中已超期 2 件" in out[0] and "发出收费通知时已超期" in out[1]
    assert "暂停：等待缴费" in out[4] and "缴费期限 2026-03-12" in out[4] and "已超期" not in out[4]
    assert "暂停：等待补正" in out[5] and "已超期" not in out[5]
    path = write_csv(tmp_path / "l2.csv", [rows[0], rows[1], rows[3]])
    assert main(["ledger", "status", str(path), "--today", "2026-03-02"]) == 0   # paused clocks are no alarm


def test_status_late_lists_late_answers_and_notices(capsys, tmp_path):
    rows = [req_row(编号="ok", 收到日期="2025-03-03", 办理结果="予以公开", 答复日期="2025-03-20"),
            req_row(编号="late", 收到日期="2025-03-03", 办理结果="予以公开", 答复日期="2025-04-10"),
            req_row(编号="notice", 收到日期="2025-03-03", 补正告知日期="2025-03-20", 补正收到日期="2025-03-21",
                    办理结果="予以公开", 答复日期="2025-03-25")]
    path = write_csv(tmp_path / "l.csv", rows)
    assert main(["ledger", "status", str(path), "--late", "--year", "2025", "--today", "2025-12-31"]) == 0
    out = capsys.readouterr().out
    n = count_workdays(nth_workday(D(2025, 3, 3), 20), D(2025, 4, 10))
    assert f"逾期 {n} 个工作日" in out and "\n  late " in out and "\n  ok " not in out
    assert "notice" in out and f"第 {count_workdays(D(2025, 3, 3), D(2025, 3, 20))} 个工作日" in out


def test_unknown_year_on_its_own_line_and_the_rest_shown(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("NIANBAO_HOLIDAYS", raising=False)
    rows = [req_row(编号="next", 收到日期="2027-01-05"), req_row(编号="now", 收到日期="2026-06-01")]
    path = write_csv(tmp_path / "l.csv", rows)
    assert main(["ledger", "status", str(path), "--today", "2026-06-02"]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert any(line.split()[0] == "now" and "剩余" in line for line in lines)
    assert [line for line in lines if line.split()[0] == "next"][0].endswith(
        "无法计算（缺少2027年节假日安排，请用 --holidays 提供）")
    assert "NIANBAO_HOLIDAYS" in captured.err
    hol = tmp_path / "h.json"
    hol.write_text('{"years": [2027], "holidays": {"2027-01-01": "元旦"}}', encoding="utf-8")
    monkeypatch.setenv("NIANBAO_HOLIDAYS", str(hol))
    assert main(["ledger", "status", str(path), "--today", "2026-06-02"]) == 0
    assert "无法计算" not in capsys.readouterr().out
    c = clock(load_ledger(str(path)).requests[0], CAL, D(2026, 6, 2))
    assert (c.state, c.missing_year) == (UNKNOWN, 2027)


@pytest.mark.parametrize("argv", [["ledger", "tables", "{p}", "--year", "2018"],
                                  ["ledger", "status", "{p}", "--today", "2025-13-01"],
                                  ["fee", "--requests", "-5"], ["fee", "--pages", "-1"]])
def test_bad_dates_and_numbers_are_usage_errors(capsys, tmp_path, argv):
    path = write_csv(tmp_path / "l.csv", [req_row()])
    assert main([a.format(p=path) for a in argv]) == 2
    err = capsys.readouterr().err
    assert "内部错误" not in err and err.strip()


def test_fees_from_the_ledger_per_applicant_per_natural_month(capsys, tmp_path):
    from nianbao.ledger.fees import ledger_fees
    rows = [req_row(编号=f"Z{i:02d}", 收到日期=f"2025-03-{i + 1:02d}", 申请人="张三", 收费方式="按件") for i in range(12)]
    rows += [req_row(编号="Z-apr", 收到日期="2025-04-01", 申请人="张三", 收费方式="按件"),      # a new month
             req_row(编号="L1", 收到日期="2025-03-05", 申请人="李四", 收费方式="按量", 页数="120",
                     收费通知日期="2026-02-06"),
             req_row(编号="bad", 收到日期="2025-03-05", 申请人="王五", 收费方式="按量")]
    path = write_csv(tmp_path / "l.csv", rows)
    led = load_ledger(str(path))
    assert [(r.row, r.column) for r in led.rejected] == [(16, "页数")]
    fees = {f.request.id: (f.nth, f.amount) for f in ledger_fees(led.requests)}
    assert [fees[f"Z{i:02d}"] for i in (0, 9, 10, 11)] == [(1, 0), (10, 0), (11, 100), (12, 100)]
    assert fees["Z-apr"] == (1, 0) and fees["L1"][1] == 70 * 10 + 20 * 20
    assert main(["fee", "--ledger", str(path), "--month", "2025-03"]) == 1        # one row rejected
    out = capsys.readouterr().out
    assert "合计 1300 元" in out and f"缴费期限 {nth_workday(D(2026, 2, 6), 20)}" in out and "Z-apr" not in out
    assert main(["fee", "--ledger", str(path), "--month", "2025-3"]) == 2
