"""The author's side: working days with 调休, deadlines, ledger validation, 表三 from the ledger, fees."""
import datetime as dt
import json
import random

import pytest

from nianbao.cli import main
from nianbao.formats import FORMATS
from nianbao.ledger import (CalendarError, LedgerError, WorkCalendar, deadline, load_ledger, per_page_fee,
                            per_request_fee, per_request_total, t3_from_ledger)
from nianbao.ledger.ledger import COLUMNS

D = dt.date
CAL = WorkCalendar()

# The State Council's published schedules (国务院办公厅关于节假日安排的通知, 2023-10, 2024-11, 2025-11).
SCHEDULES = {
    "2024 春节": ([D(2024, 2, d) for d in range(10, 18)], [D(2024, 2, 4), D(2024, 2, 18)]),
    "2024 国庆": ([D(2024, 10, d) for d in range(1, 8)], [D(2024, 9, 29), D(2024, 10, 12)]),
    "2025 春节": ([D(2025, 1, 28), D(2025, 1, 29), D(2025, 1, 30), D(2025, 1, 31), D(2025, 2, 1), D(2025, 2, 2),
                 D(2025, 2, 3), D(2025, 2, 4)], [D(2025, 1, 26), D(2025, 2, 8)]),
    "2025 国庆": ([D(2025, 10, d) for d in range(1, 9)], [D(2025, 9, 28), D(2025, 10, 11)]),
    "2026 元旦": ([D(2026, 1, 1), D(2026, 1, 2), D(2026, 1, 3)], [D(2026, 1, 4)]),
    "2026 春节": ([D(2026, 2, d) for d in range(15, 24)], [D(2026, 2, 14), D(2026, 2, 28)]),
    "2026 国庆": ([D(2026, 10, d) for d in range(1, 8)], [D(2026, 9, 20), D(2026, 10, 10)]),
}


@pytest.mark.parametrize("name", SCHEDULES)
def test_calendar_follows_the_official_schedule(name):
    off, makeup = SCHEDULES[name]
    assert [d for d in off if CAL.is_workday(d)] == []
    assert all(CAL.is_workday(d) and d.weekday() >= 5 for d in makeup)
    assert all(CAL.day(d).reason == "调休上班" for d in makeup)


def test_twenty_working_days_across_spring_festival_2024():
    due, walked = CAL.add_workdays(D(2024, 2, 1), 20)
    assert due == D(2024, 3, 5)
    assert [d.date for d in walked if d.reason == "调休上班"] == [D(2024, 2, 4), D(2024, 2, 18)]
    assert sum(1 for d in walked if d.reason.startswith("法定节假日")) == 8


def test_twenty_working_days_across_national_day_2025():
    # 9/26 received; 9/28 (Sun) works (1), 9/29–30 (3), 10/1–10/8 off, 10/9–10 (5), 10/11 (Sat) works (6),
    # 10/13–17 (11), 10/20–24 (16), 10/27–30 (20)
    due, _ = CAL.add_workdays(D(2025, 9, 26), 20)
    assert due == D(2025, 10, 30)


def req_row(**kw):
    row = {c: "" for c in COLUMNS}
    row.update({"编号": "A1", "收到日期": "2025-03-03", "申请人类型": "自然人", "办理结果": "", "答复日期": ""})
    row.update(kw)
    return row


def write_csv(path, rows):
    import csv
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        for r in rows:
            w.writerow(r)
    return path


def test_unknown_year_says_so_and_an_override_file_works(tmp_path):
    with pytest.raises(CalendarError) as e:
        CAL.add_workdays(D(2027, 1, 4), 20)
    assert e.value.code == "unknown-year" and "2027" in e.value.message and "--holidays" in e.value.message
    f = tmp_path / "h.json"
    f.write_text(json.dumps({"years": [2027], "holidays": {"2027-01-01": "元旦"}, "workdays": []}), encoding="utf-8")
    cal = WorkCalendar.load(str(f))
    due, _ = cal.add_workdays(D(2026, 12, 30), 3)       # 12/31 (Thu), 1/1 holiday, 1/4 (Mon), 1/5
    assert due == D(2027, 1, 5)


def test_deadline_rules_correction_extension_consultation_fee(tmp_path):
    rows = [req_row(编号="plain", 收到日期="2025-03-03"),
            req_row(编号="corr", 收到日期="2025-03-03", 补正告知日期="2025-03-05", 补正收到日期="2025-03-17"),
            req_row(编号="ext", 收到日期="2025-03-03", 延期="是"),
            req_row(编号="cons", 收到日期="2025-03-03", 征求意见天数="5"),
            req_row(编号="fee", 收到日期="2025-03-03", 收费通知日期="2025-03-10", 缴费日期="2025-03-14")]
    led = load_ledger(str(write_csv(tmp_path / "l.csv", rows)))
    due = {r.id: deadline(r, CAL).due for r in led.requests}
    assert due["plain"] == D(2025, 3, 31)                 # 20 working days after 3/3, no holiday in between
    assert due["corr"] == D(2025, 4, 15)                  # restarts at 3/17; 4/4 清明 is off
    assert due["ext"] == D(2025, 4, 28)                   # 40 working days; 4/4 off, 4/27 (Sun) works (劳动节调休)
    assert due["cons"] == D(2025, 4, 8)                   # 25 working days; 4/4 off
    assert due["fee"] == D(2025, 4, 7)                    # 4 working days from notice to payment not counted
    steps = deadline(led.requests[1], CAL).steps
    assert any("第三十条" in s for s in steps)


def test_invalid_rows_are_rejected_one_by_one_and_the_rest_imported(tmp_path):
    rows = [req_row(编号="ok1"),
            req_row(编号="bad-date", 收到日期="2025-02-30"),
            req_row(编号="bad-type", 申请人类型="个人"),
            req_row(编号="bad-order", 收到日期="2025-05-01", 办理结果="予以公开", 答复日期="2025-04-01"),
            req_row(编号="ok1"),
            req_row(编号="bad-outcome", 办理结果="同意", 答复日期="2025-03-10"),
            req_row(编号="ok2", 收到日期="2025年3月4日", 办理结果="不予公开-属于国家秘密", 答复日期="2025/3/20")]
    led = load_ledger(str(write_csv(tmp_path / "l.csv", rows)))
    assert [r.id for r in led.requests] == ["ok1", "ok2"]
    got = [(r.row, r.column) for r in led.rejected]
    assert got == [(3, "收到日期"), (4, "申请人类型"), (5, "答复日期"), (6, "编号"), (7, "办理结果")]
    assert "第3行「收到日期」" in led.rejected[0].message and "2025-02-30" in led.rejected[0].message
    with pytest.raises(LedgerError) as e:
        load_ledger(str(tmp_path / "l.csv"), strict=True)
    assert e.value.code == "ledger-rejected" and "整份拒收" in e.value.message


def test_missing_columns_refuse_the_file(tmp_path):
    p = tmp_path / "l.csv"
    p.write_text("编号,收到日期\nA,2025-01-01\n", encoding="utf-8")
    with pytest.raises(LedgerError) as e:
        load_ledger(str(p))
    assert "申请人类型" in e.value.message


def random_ledger(rng, tmp_path):
    outcomes = ["予以公开", "部分公开", "不予公开-属于国家秘密", "无法提供-本机关不掌握相关政府信息", "不予处理-重复申请",
                "其他处理-逾期不补正", "其他处理-逾期未缴费", "其他处理-其他"]
    types = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    rows = []
    for i in range(rng.randint(0, 60)):
        rec = D(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 3))
        answered = rec + dt.timedelta(days=rng.randint(0, 60)) if rng.random() < 0.9 else None
        rows.append(req_row(编号=f"R{i}", 收到日期=rec.isoformat(), 申请人类型=rng.choice(types),
                            办理结果=rng.choice(outcomes) if answered else "",
                            答复日期=answered.isoformat() if answered else ""))
    return load_ledger(str(write_csv(tmp_path / f"l{rng.random()}.csv", rows)))


def test_tables_from_the_ledger_satisfy_every_identity_and_carry_over(tmp_path):
    rng = random.Random(5)
    for _ in range(30):
        led = random_ledger(rng, tmp_path)
        prev = None
        for year in (2020, 2021, 2022):
            fmt, t3 = t3_from_ledger(led, year)
            assert fmt == ("2019" if year == 2020 else "2021")
            for ident in FORMATS[fmt].identities:
                if ident.code == "H4":
                    continue
                lhs = sum(t3[r][c] for _, r, c in ident.lhs)
                rhs = sum(t3[r][c] for _, r, c in ident.rhs)
                assert lhs == rhs, (year, ident.code, ident.key)
            if prev is not None:
                assert t3["carried_over"] == prev["carried_forward"]      # C1 across the format change
            prev = t3


def test_fees_109():
    assert [per_request_fee(n) for n in (1, 10, 11, 30, 31, 40, 41, 51)] == [0, 0, 100, 100, 200, 200, 300, 400]
    assert per_request_total(10) == 0 and per_request_total(30) == 2000 and per_request_total(35) == 3000
    assert [per_page_fee(p) for p in (30, 31, 100, 101, 200, 201)] == [0, 10, 700, 720, 2700, 2740]


def test_ledger_status_lists_open_requests_most_urgent_first(capsys, tmp_path):
    rows = [req_row(编号="late", 收到日期="2025-01-02"), req_row(编号="fresh", 收到日期="2025-03-20"),
            req_row(编号="done", 收到日期="2025-01-02", 办理结果="予以公开", 答复日期="2025-01-10"),
            req_row(编号="soon", 收到日期="2025-02-20")]
    path = write_csv(tmp_path / "l.csv", rows)
    code = main(["ledger", "status", str(path), "--today", "2025-03-21"])
    out = capsys.readouterr().out
    assert code == 1                                         # something is overdue
    order = [line.split()[0] for line in out.splitlines()[1:]]
    assert order == ["late", "soon", "fresh"]
    assert "已超期" in out.splitlines()[1]
    assert main(["ledger", "status", str(path), "--explain", "late"]) == 0
    assert "春节" in capsys.readouterr().out                 # the period ran through the 2025 Spring Festival
