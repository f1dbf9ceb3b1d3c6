"""Command line: a thin layer over the library. Messages in Chinese first (`--lang en`).

Exit codes (every command): 0 success, no error-level findings; 1 error-level findings or
some inputs unreadable; 2 usage error or nothing could be read.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Iterable, Iterator

from . import __version__
from .errors import NianbaoError, ReadError, UsageError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

_LANG = "zh"


def say(zh: str, en: str) -> str:
    return zh if _LANG == "zh" else en


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # Chinese first, exit 2
        self.print_usage(sys.stderr)
        sys.stderr.write(say(f"命令用法错误：{message}\n请运行 `{self.prog} --help` 查看说明。\n",
                             f"usage error: {message}\nrun `{self.prog} --help` for help.\n"))
        sys.exit(EXIT_USAGE)


def iter_paths(paths: Iterable[str]):
    """Files in argument order; folders walked in sorted order: `readers.walk.Found` entries (a
    file that cannot be read, e.g. a .doc or a locked sub-folder, carries its reason)."""
    from .readers.walk import walk
    return list(walk(paths))


def _internal(e: Exception, path: str) -> NianbaoError:
    """An unexpected exception while reading one file: that file fails, the run goes on."""
    if os.environ.get("NIANBAO_DEBUG"):
        raise e
    return NianbaoError("internal", f"内部错误：{type(e).__name__}: {e}。这是 nianbao 的缺陷，请设置 NIANBAO_DEBUG=1 "
                                    "重新运行并把输出附在问题报告中。",
                        f"internal error: {type(e).__name__}: {e}. This is a nianbao bug; rerun with "
                        "NIANBAO_DEBUG=1 and attach the output to a bug report.", path)


def _extract_one(found, ocr: bool = False):
    """(Report, None) or (None, NianbaoError) for one walked file, within the per-file time limit;
    `ocr`: scanned pages and pictures are read by OCR (`--ocr`), with a progress bar on a terminal."""
    from . import limits
    from .extract import extract_path
    from .readers.ocr import switched
    if found.error is not None:
        return None, found.error
    try:
        with limits.time_limit(), switched(ocr, progress=ocr and sys.stderr.isatty()):
            return extract_path(found.path), None
    except NianbaoError as e:
        e.path = e.path or found.path
        return None, e
    except (MemoryError, RecursionError):
        return None, limits.too_complex("读取时内存或嵌套层数超出上限", "out of memory or nesting depth while reading",
                                        found.path)
    except Exception as e:  # noqa: BLE001 - one bad file never aborts a multi-file run
        return None, _internal(e, found.path)


def _progress(items: list, desc: str):
    if len(items) > 3 and sys.stderr.isatty():
        try:
            from tqdm import tqdm
            return tqdm(items, desc=desc, unit=say("份", "file"), file=sys.stderr, leave=False)
        except ImportError:  # pragma: no cover
            pass
    return items


# ------------------------------------------------------------------ extract
def cmd_extract(args: argparse.Namespace) -> int:
    paths = iter_paths(args.paths)
    if not paths:
        raise UsageError("no-input", "没有找到要读取的报告文件（支持 .txt .html .docx .pdf）。",
                         "no report files found (.txt .html .docx .pdf).")
    if args.to in ("csv", "xlsx") and not args.output:
        raise UsageError("no-output", f"--to {args.to} 需要用 -o 指定输出文件。",
                         f"--to {args.to} needs an output file: -o FILE.")
    results: list[dict] = []
    ok = bad = 0
    single = len(paths) == 1 and args.to == "json"
    out = sys.stdout
    for found in _progress(paths, say("读取", "reading")):
        report, e = _extract_one(found, args.ocr)
        if report is not None:
            try:
                d = report.to_dict(_LANG)
                ok += 1
            except Exception as x:  # noqa: BLE001
                report, e = None, _internal(x, found.path)
        if report is None:
            d = {"source": {"path": found.path}, "error": e.to_dict(_LANG)}
            sys.stderr.write(say("无法读取 ", "cannot read ") + e.text(_LANG) + "\n")
            bad += 1
        if args.to == "json":
            if single:
                json.dump(d, out, ensure_ascii=False, indent=2)
                out.write("\n")
            else:
                out.write(json.dumps(d, ensure_ascii=False) + "\n")
                out.flush()
        else:
            results.append(d)
    if args.to in ("csv", "xlsx"):
        from .export import write_long_table
        n = write_long_table(results, args.output, args.to)
        sys.stderr.write(say(f"已写入 {args.output}：{n} 行（{ok} 份报告）。\n",
                             f"wrote {args.output}: {n} rows ({ok} reports).\n"))
    if ok == 0:
        return EXIT_USAGE
    return EXIT_FINDINGS if bad else EXIT_OK


# ------------------------------------------------------------------ debug
def cmd_debug(args: argparse.Namespace) -> int:
    from .debug import debug_text
    from .readers import read
    doc = read(args.path)
    sys.stdout.write(debug_text(doc, lang=_LANG, width=args.width))
    return EXIT_OK


# ------------------------------------------------------------------ check
def cmd_check(args: argparse.Namespace) -> int:
    from .checks import ERROR, apply_waivers, load_waivers, run_checks
    from .checks.output import to_text, write_review_xlsx, write_unit_workbooks
    from .checks.waivers import waiver_path
    from .extract import extract_path
    paths = iter_paths(args.paths)
    if not paths:
        raise UsageError("no-input", "没有找到要检查的报告文件（支持 .txt .html .docx .pdf）。",
                         "no report files found (.txt .html .docx .pdf).")
    if args.to == "xlsx" and not args.output:
        raise UsageError("no-output", "--to xlsx 需要用 -o 指定输出文件。", "--to xlsx needs -o FILE.")
    previous = None
    if args.previous:
        try:
            previous = extract_path(args.previous)
        except ReadError as e:
            raise UsageError("bad-previous", say("上一年报告无法读取：", "the previous report cannot be read: ")
                             + e.text(_LANG), e.text("en")) from None
    select = rule_selection(args.select, args.ignore)
    results = []
    all_json: list[dict] = []
    errors = unreadable = ok = 0
    color = args.to == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    extracted = []
    for found in _progress(paths, say("读取", "reading")):
        extracted.append((found.path, *_extract_one(found, args.ocr)))
    children = _region_children(args.units, [r for _, r, _ in extracted if r is not None]) if args.units else {}
    for path, report, e in extracted:
        if report is not None:
            try:
                findings = run_checks(report, previous, args.published, select, children.get(id(report)))
                wpath = args.waivers or waiver_path(path)
                findings = apply_waivers(findings, load_waivers(wpath), path) if os.path.exists(wpath) else findings
            except NianbaoError as x:
                report, e = None, x
            except Exception as x:  # noqa: BLE001 - one bad file never aborts a multi-file run
                report, e = None, _internal(x, path)
        if report is None:
            unreadable += 1
            sys.stderr.write(say("无法读取 ", "cannot read ") + e.text(_LANG) + "\n")
            results.append((None, [], e.message if _LANG == "zh" else e.message_en, path))
            all_json.append({"code": "E000", "name": "unreadable", "severity": "error", "kind": "reading",
                             "unit": None, "year": None,
                             "message": e.text(_LANG), "table": None, "row": None, "col": None,
                             "where": None, "source": path})
            continue
        ok += 1
        if select is not None:
            findings = [f for f in findings if f.code in select or f.code == "E001"]
        errors += sum(1 for f in findings if f.severity == ERROR and not f.waived)
        results.append((report, findings, None, path))
        if args.to == "text":
            sys.stdout.write(to_text(report, findings, color, _LANG) + "\n")
        elif args.to == "json":
            all_json.extend(f.to_dict(_LANG) for f in findings)
    if args.to == "json":
        json.dump(all_json, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.to == "xlsx":
        write_review_xlsx(results, args.output)
        sys.stderr.write(say(f"已写入审查表 {args.output}（{ok} 份报告）。\n", f"wrote {args.output} ({ok} reports).\n"))
    if args.per_unit:
        written = write_unit_workbooks(results, args.per_unit)
        sys.stderr.write(say(f"已在 {args.per_unit} 写入 {len(written)} 个单位的审查表（含“单位答复”列）。\n",
                             f"wrote {len(written)} per-unit workbooks to {args.per_unit}.\n"))
    if ok == 0:
        return EXIT_USAGE
    return EXIT_FINDINGS if errors or unreadable else EXIT_OK


def _region_children(units_path: str, reports: list) -> dict:
    """{id(parent report): [its children's reports]} for the regions whose own report and every direct
    child unit's report (same year) are among the inputs (units file as for `nianbao compile`)."""
    from .corpus.compile import children_of, load_units
    from .corpus.units import normalise_unit
    units = load_units(units_path)
    by_key = {}
    for r in reports:
        if r.org and r.year:
            by_key.setdefault((normalise_unit(r.org), r.year), r)
    out = {}
    for r in reports:
        kids = children_of(units, r.org)
        if not kids or not r.year:
            continue
        found = [by_key.get((u.key, r.year)) for u in kids]
        if all(found):
            out[id(r)] = found
    return out


def rule_selection(select: str | None, ignore: str | None) -> set[str] | None:
    """The rule codes --select/--ignore leave (None: all). A code may be given in any case, or as a
    prefix ("H", "h3", "R"); one that names no rule is a usage error."""
    from .checks import RULES
    if not select and not ignore:
        return None

    def codes(arg: str, opt: str) -> set[str]:
        out: set[str] = set()
        for raw in arg.replace("，", ",").split(","):
            tok = raw.strip().upper()
            if not tok:
                continue
            hit = {c for c in RULES if c == tok or c.startswith(tok)}
            if not hit:
                raise UsageError("unknown-rule", f"{opt} 中的 {raw.strip()} 不是已知的规则代码；运行 nianbao rules 查看全部规则"
                                 f"（可写完整代码如 H301，或前缀如 H）。",
                                 f"{opt}: {raw.strip()} is not a rule code; run nianbao rules to list them.")
            out |= hit
        return out
    chosen = codes(select, "--select") if select else set(RULES)
    return chosen - (codes(ignore, "--ignore") if ignore else set())


def cmd_rules(args: argparse.Namespace) -> int:
    from .checks import RULES
    from .checks.output import rules_markdown
    if args.markdown:
        sys.stdout.write(rules_markdown())
        return EXIT_OK
    for code, r in RULES.items():
        sys.stdout.write(f"{code}  {r.severity:<8} {r.name:<32} {r.title}\n")
    return EXIT_OK


# codes that findings carry but no rule of the catalogue produces
_NOT_RULES = {
    "E000": "E000 unreadable（错误）\n\n检查内容：文件无法读取（空文件、二进制、损坏或加密的 DOCX/PDF、无文字层的扫描件等），"
            "没有做任何检查。\n\n如何修改：按提示提供可读取的原件（Word/PDF 或网页），扫描件先做 OCR。\n",
    "E001": "E001 rule-crashed（错误）\n\n检查内容：某条规则执行时出错，这是 nianbao 自身的缺陷，不是报告的问题；"
            "其余规则照常运行。\n\n如何修改：把 nianbao debug 的输出和原文件附在问题报告中。\n",
}


def cmd_explain(args: argparse.Namespace) -> int:
    from .checks import RULES
    from .checks.output import rule_doc
    code = args.code.strip().upper()
    if code in _NOT_RULES:
        sys.stdout.write(_NOT_RULES[code] if _LANG == "zh" else code + "\n")
        return EXIT_OK
    if code not in RULES:
        raise UsageError("unknown-rule", f"没有规则 {args.code}；运行 nianbao rules 查看全部规则。",
                         f"no rule {args.code}; run nianbao rules to list them.")
    sys.stdout.write(rule_doc(code))
    return EXIT_OK


# ------------------------------------------------------------------ render
def cmd_render(args: argparse.Namespace) -> int:
    """A report in the contract's JSON (e.g. `nianbao extract` output) → official-layout DOCX/HTML/text."""
    from .render import to_docx, to_html, to_text
    if args.ledger:
        from .ledger import load_ledger
        from .ledger.compose import compose_report
        _year_arg(args.year, "render --ledger")
        ledger = load_ledger(args.ledger, strict=True)
        report = compose_report(ledger, args.year, args.narrative, args.org, allow_missing=args.allow_missing)
        if not report.get("org"):
            sys.stderr.write(say("注意：报告没有发布机关（标题和落款将缺少单位名称）。请用 --org 指定，或写在正文文件的标题、"
                                 "台账表头上方的标题行中。\n",
                                 "note: the report names no issuing body; give --org, or name it in the narrative's title "
                                 "or a title line above the ledger's header.\n"))
        args.path = args.path or os.path.join(os.path.dirname(args.ledger) or ".", f"{args.year}年报")
        return _write_rendered(args, report, to_docx, to_html, to_text)
    if not args.path:
        raise UsageError("no-input", "请给出报告 JSON，或用 --ledger 按台账编制。", "give a report JSON or --ledger.")
    try:
        with open(args.path, encoding="utf-8-sig") as fh:
            report = json.load(fh)
    except FileNotFoundError:
        raise UsageError("not-found", f"{args.path}: 文件不存在。", f"{args.path}: no such file.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise UsageError("bad-json", f"{args.path}: 不是有效的 JSON（{e}）；请提供 nianbao extract 的输出。",
                         f"{args.path}: not valid JSON ({e}); give the output of nianbao extract.") from None
    if not isinstance(report, dict) or "error" in report or report.get("format") not in ("2019", "2021"):
        raise UsageError("bad-report", f"{args.path}: 不是可编制的报告（缺少 format 或表格，或是读取失败的结果）。",
                         f"{args.path}: not a renderable report (no format/tables, or an extraction error).")
    return _write_rendered(args, report, to_docx, to_html, to_text)


def _write_rendered(args, report, to_docx, to_html, to_text) -> int:
    to = args.to or os.path.splitext(args.output or "")[1].lstrip(".").lower() or "docx"
    if to not in ("docx", "html", "txt", "md"):
        raise UsageError("bad-target", f"不支持的输出格式 {to}（可用 docx、html、txt）。", f"unsupported output {to}.")
    output = args.output or os.path.splitext(args.path)[0] + "." + to
    date = _date_arg(getattr(args, "date", None), "--date")
    folder = os.path.dirname(os.path.abspath(output))
    import tempfile
    fd, tmp = tempfile.mkstemp(prefix=".nianbao-", suffix="." + to, dir=folder)
    os.close(fd)
    try:
        if to == "docx":
            to_docx(report, tmp, date)
        else:
            with open(tmp, "w", encoding="utf-8") as fh:
                if to == "html":
                    fh.write(to_html(report))
                elif to == "md":
                    from .render import to_markdown
                    fh.write(to_markdown(report))
                else:
                    fh.write(to_text(report, "tabbed"))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)          # mkstemp's 0600 → the usual mode of a new file (0644)
        os.replace(tmp, output)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    sys.stderr.write(say(f"已生成 {output}\n", f"wrote {output}\n"))
    from .render.layout import lost_parents
    for _, zh, en in lost_parents(report):
        sys.stderr.write(say(f"注意：{zh}\n", f"note: {en}\n"))
    return EXIT_OK


# ------------------------------------------------------------------ ledger and fees
def _date_arg(value: str | None, option: str):
    """A YYYY-MM-DD option as a date; a usage error (exit 2) when it is not a real date."""
    import datetime as dt
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError("bad-date", f"{option} {value}：不是有效日期（应为 YYYY-MM-DD，且日期存在）。",
                         f"{option} {value}: not a valid date (YYYY-MM-DD).") from None


def _year_arg(year: int | None, command: str) -> int:
    from .formats import format_for_year
    if not year:
        raise UsageError("no-year", f"{command} 需要 --year 指定报告年度。", f"{command} needs --year.")
    if format_for_year(year) is None:
        raise UsageError("bad-year", f"--year {year}：没有适用的年度报告格式（现行格式自 2019 年度起；"
                         "2019–2020 年度用 2019 版，2021 年度起用 2021 版）。",
                         f"--year {year}: no annual report format applies (formats exist from 2019 on).")
    return year


def cmd_ledger(args: argparse.Namespace) -> int:
    import datetime as dt

    from .ledger import WorkCalendar, deadline, explain, load_ledger, t3_from_ledger, write_template
    from .ledger.clock import OVERDUE, UNKNOWN, clocks, describe
    if args.action == "template":
        if os.path.exists(args.file) and not args.force:
            raise UsageError("exists", f"{args.file} 已存在；如需覆盖请加 --force。", f"{args.file} exists; use --force.")
        write_template(args.file)
        sys.stderr.write(say(f"已生成台账模板 {args.file}\n", f"wrote the ledger template {args.file}\n"))
        return EXIT_OK
    if args.action == "tables":
        _year_arg(args.year, "ledger tables")
    today = _date_arg(args.today, "--today") or dt.date.today()
    cal = WorkCalendar.from_env(args.holidays)
    ledger = load_ledger(args.file, strict=args.strict)
    for r in ledger.rejected:
        sys.stderr.write(say("拒收 ", "rejected ") + (r.message if _LANG == "zh" else r.message_en) + "\n")
    for w in ledger.warnings:
        sys.stderr.write(say("注意：", "note: ") + (w[0] if _LANG == "zh" else w[1]) + "\n")
    if ledger.rejected:
        sys.stderr.write(say(f"共导入 {len(ledger.requests)} 行，拒收 {len(ledger.rejected)} 处错误（其余行已导入）。\n",
                             f"imported {len(ledger.requests)} rows; {len(ledger.rejected)} errors rejected.\n"))
    if args.action == "tables":
        fmt, t3 = t3_from_ledger(ledger, args.year)
        json.dump({"year": args.year, "format": fmt, "tables": {"t3": t3}}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_FINDINGS if ledger.rejected else EXIT_OK
    if args.explain:
        for req in ledger.requests:
            if req.id == args.explain:
                sys.stdout.write(explain(deadline(req, cal)))
                return EXIT_OK
        raise UsageError("no-request", f"台账中没有编号为 {args.explain} 的申请。", f"no request {args.explain}.")
    if args.late:
        return _ledger_late(args, ledger, cal, today)
    rows = clocks([r for r in ledger.requests if r.open], cal, today)
    if args.to == "xlsx":
        if not args.output:
            raise UsageError("no-output", "--to xlsx 需要用 -o 指定输出文件。", "--to xlsx needs -o FILE.")
        from openpyxl import Workbook
        wb = Workbook()
        ws = wb.active
        ws.title = "办理期限"
        ws.append(["编号", "申请人", "收到日期", "状态", "到期日", "剩余工作日", "缴费期限", "说明"])
        for c in rows:
            ws.append([c.request.id, c.request.applicant, c.request.received, c.label("zh"), c.due, c.left,
                       c.pay_due, describe(c, "zh")])
        wb.save(args.output)
        sys.stderr.write(say(f"已写入 {args.output}\n", f"wrote {args.output}\n"))
    else:
        overdue = sum(1 for c in rows if c.state == OVERDUE)
        sys.stdout.write(say(f"截至 {today}，未办结申请 {len(rows)} 件，其中已超期 {overdue} 件（最紧急的在前）：\n",
                             f"as of {today}, {len(rows)} open requests, {overdue} overdue (most urgent first):\n"))
        for c in rows:
            sys.stdout.write(f"  {c.request.id:<12} {say('收到', 'received')} {c.request.received}  "
                             f"{describe(c, _LANG)}\n")
    unknown = sorted({c.missing_year for c in rows if c.state == UNKNOWN and c.missing_year})
    if unknown:
        years = "、".join(str(y) for y in unknown)
        sys.stderr.write(say(f"有申请无法计算期限：缺少 {years} 年节假日安排。请用 --holidays 文件.json 或环境变量 NIANBAO_HOLIDAYS "
                             "提供（格式见 nianbao ledger --help）。\n",
                             f"some deadlines cannot be computed: no holiday schedule for {years}; supply --holidays "
                             "or NIANBAO_HOLIDAYS.\n"))
    alarms = any(c.state in (OVERDUE, UNKNOWN) for c in rows)
    return EXIT_FINDINGS if alarms or ledger.rejected else EXIT_OK


def _ledger_late(args, ledger, cal, today) -> int:
    """`ledger status --late`: answers given after their due date, and 补正 notices sent too late."""
    from .ledger.clock import ANSWERED_LATE, UNKNOWN, clocks, describe
    reqs = [r for r in ledger.requests if not r.open and (args.year is None or r.answered.year == args.year)]
    cs = clocks(reqs, cal, today)
    late = [c for c in cs if c.state == ANSWERED_LATE]
    late.sort(key=lambda c: (-(c.late_by or 0), c.request.received))
    notices = [c for c in cs if c.correction_notice_late]
    unknown = [c for c in cs if c.state == UNKNOWN]
    scope = say(f"{args.year} 年", f"in {args.year}") if args.year else ""
    sys.stdout.write(say(f"{scope}逾期答复 {len(late)} 件（答复日期晚于到期日，按逾期工作日从多到少）：\n",
                         f"{len(late)} answers given after their due date {scope}:\n"))
    for c in late:
        sys.stdout.write(f"  {c.request.id:<12} {say('收到', 'received')} {c.request.received}  {describe(c, _LANG)}\n")
    if notices:
        sys.stdout.write(say(f"补正告知超过 7 个工作日（第三十条）{len(notices)} 件：\n",
                             f"{len(notices)} 补正 notices sent after 7 working days (第三十条):\n"))
        for c in notices:
            sys.stdout.write(f"  {c.request.id:<12} {say('收到', 'received')} {c.request.received}  "
                             f"{say('补正告知', 'notice')} {c.request.correction_notice}  "
                             f"{say(f'第 {c.correction_notice_late} 个工作日', f'working day {c.correction_notice_late}')}\n")
    for c in unknown:
        sys.stdout.write(f"  {c.request.id:<12} {say('收到', 'received')} {c.request.received}  {describe(c, _LANG)}\n")
    return EXIT_FINDINGS if ledger.rejected or unknown else EXIT_OK


def _fee_from_ledger(args) -> int:
    """`fee --ledger`: the fee of every request whose 收费方式 is recorded, with its fee notice and the
    applicant's payment deadline."""
    from .ledger import WorkCalendar, load_ledger
    from .ledger.calendar import CalendarError
    from .ledger.deadlines import PAY_DAYS
    from .ledger.fees import ledger_fees
    cal = WorkCalendar.from_env(args.holidays)
    ledger = load_ledger(args.ledger)
    for r in ledger.rejected:
        sys.stderr.write(say("拒收 ", "rejected ") + (r.message if _LANG == "zh" else r.message_en) + "\n")
    lines = ledger_fees(ledger.requests)
    if args.month:
        lines = [f for f in lines if f.request.received.strftime("%Y-%m") == args.month]
    sys.stdout.write(say(f"按台账计收信息处理费（国办函〔2020〕109号）{len(lines)} 件：\n",
                         f"{len(lines)} requests with a fee (109号):\n"))
    for f in lines:
        r = f.request
        notice = ""
        if r.fee_notice:
            try:
                pay_due = cal.add_workdays(r.fee_notice, PAY_DAYS)[0]
                due = say(f"缴费期限 {pay_due}", f"pay by {pay_due}")
            except CalendarError as e:
                due = say(f"缴费期限无法计算（缺少{e.year}年节假日安排）", f"pay-by unknown (no {e.year} schedule)")
            paid = say(f"，{r.fee_paid} 已缴费", f", paid {r.fee_paid}") if r.fee_paid else ""
            notice = say(f"  收费通知 {r.fee_notice}，{due}{paid}", f"  notice {r.fee_notice}, {due}{paid}")
        elif f.amount:
            notice = say("  尚未发出收费通知", "  no fee notice yet")
        sys.stdout.write(f"  {r.id:<12} {f.way} {f.basis}  {f.amount} {say('元', 'yuan')}{notice}\n")
    total = sum(f.amount for f in lines)
    sys.stdout.write(say(f"合计 {total} 元。\n", f"total {total} yuan.\n"))
    return EXIT_FINDINGS if ledger.rejected else EXIT_OK


def cmd_fee(args: argparse.Namespace) -> int:
    from .ledger import per_page_fee, per_request_fee, per_request_total
    if args.ledger:
        if args.month:
            import re
            if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", args.month):
                raise UsageError("bad-month", f"--month {args.month}：应为 YYYY-MM。", f"--month {args.month}: use YYYY-MM.")
        return _fee_from_ledger(args)
    if args.requests is None and args.pages is None:
        raise UsageError("fee-args", "请给出 --requests N（本月第几件/共几件）或 --pages N（页数）。",
                         "give --requests N or --pages N.")
    for name, value in (("--requests", args.requests), ("--pages", args.pages)):
        if value is not None and value < 1:
            raise UsageError("fee-args", f"{name} {value}：应为正整数。", f"{name} {value}: must be a positive integer.")
    if args.requests is not None:
        n = args.requests
        sys.stdout.write(say(f"按件计收：同一申请人本自然月第 {n} 件收费 {per_request_fee(n)} 元；"
                             f"前 {n} 件合计 {per_request_total(n)} 元（国办函〔2020〕109号）。\n",
                             f"per request: the {n}th request costs {per_request_fee(n)} yuan; "
                             f"{per_request_total(n)} yuan for all {n}.\n"))
    if args.pages is not None:
        sys.stdout.write(say(f"按量计收：{args.pages} 页收费 {per_page_fee(args.pages)} 元（国办函〔2020〕109号）。\n",
                             f"per page: {args.pages} pages cost {per_page_fee(args.pages)} yuan.\n"))
    return EXIT_OK


# ------------------------------------------------------------------ batch
def cmd_batch(args: argparse.Namespace) -> int:
    from .corpus import Store, run_batch
    client = None
    if args.scheduler:
        try:
            from dask.distributed import Client
        except ImportError:
            raise UsageError("no-dask", "使用 --scheduler 需要安装 dask[distributed]：pip install 'nianbao[dask]'。",
                             "--scheduler needs dask[distributed].") from None
        client = Client(args.scheduler)
    try:
        from .corpus.units import load_mapping
        stats = run_batch(args.paths, args.store, workers=args.workers, chunk=args.chunk,
                          progress=sys.stderr.isatty() and not args.quiet, client=client,
                          mapping=load_mapping(args.units_map), retry_failures=args.retry_failures)
    finally:
        if client is not None:
            client.close()
    store = Store(args.store, read_only=not args.parquet)
    try:
        counts = store.counts()
        conflicts = store.conflicts()
        if args.parquet:
            store.export_parquet(args.parquet)
    finally:
        store.close()
    sys.stderr.write(batch_summary(stats, counts, args.store))
    for unit, year, cur, other in conflicts:
        sys.stderr.write(say(f"  警告 {unit} {year} 年有两份不同的报告：当前使用 {cur}，另一份 {other}；请核对。\n",
                             f"  warning: {unit} {year} has two different reports: using {cur}, not {other}.\n"))
    if stats.found and stats.reports + stats.duplicates == 0:
        return EXIT_USAGE
    return EXIT_FINDINGS if stats.failed or stats.skipped else EXIT_OK


def batch_summary(stats, counts: dict, store: str) -> str:
    """The run's accounting — every input found is a report, a duplicate, a failure or skipped — then
    every duplicate, failure and skip with its reason."""
    ok = stats.balanced()
    lines = [say(
        f"共找到 {stats.found} 个文件 = 报告 {stats.reports} 份（新入库 {stats.stored}，已在库中 {stats.unchanged}）"
        f" + 重复 {stats.duplicates} 个 + 无法读取 {stats.failed} 个 + 跳过 {stats.skipped} 个"
        + ("。" if ok else "；账目不平，这是 nianbao 的缺陷，请报告。"),
        f"found {stats.found} files = {stats.reports} reports ({stats.stored} new, {stats.unchanged} already stored)"
        f" + {stats.duplicates} duplicates + {stats.failed} unreadable + {stats.skipped} skipped"
        + ("." if ok else "; the accounts do not balance: a nianbao bug, please report it."))]
    lines.append(say(f"库中现有当前报告 {counts['current_reports']} 份（含旧版本共 {counts['reports']} 份）、"
                     f"单元格 {counts['cells']} 个、问题 {counts['findings']} 条（{store}）。",
                     f"the store holds {counts['current_reports']} current reports ({counts['reports']} with "
                     f"older versions) ({store})."))
    for path, of in sorted(stats.dups)[:50]:
        lines.append(f"  {say('重复', 'duplicate')} {path}: " + say(f"与 {of} 内容相同", f"same content as {of}"))
    if len(stats.dups) > 50:
        lines.append(say(f"  另有 {len(stats.dups) - 50} 个重复文件（见库中 files 表）",
                         f"  and {len(stats.dups) - 50} more duplicates (see the files table)"))
    for path, code, msg in sorted(stats.failures):
        lines.append(f"  {say('无法读取', 'unreadable')} {path}: {msg}")
    for path, code, msg in sorted(stats.skips):
        lines.append(f"  {say('跳过', 'skipped')} {path}: {msg}")
    return "\n".join(lines) + "\n"


def cmd_schema(args: argparse.Namespace) -> int:
    from .corpus.schema import markdown
    sys.stdout.write(markdown())
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from .corpus.diff import diff_reports, diff_text
    from .extract import extract_path
    d = diff_reports(extract_path(args.old), extract_path(args.new))
    if args.to == "json":
        json.dump(d, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(diff_text(d))
    return EXIT_OK


def cmd_compile(args: argparse.Namespace) -> int:
    from .corpus.compile import compile_region, compile_text, load_tree
    from .corpus.units import load_mapping
    tree = load_tree(args.units)
    mapping = load_mapping(args.units_map)
    d = compile_region(args.store, tree, args.region, args.year, mapping)
    if args.workbook:
        from .corpus.compile import region_workbook
        region_workbook(args.store, tree, args.region, args.year, args.workbook, mapping)
        sys.stderr.write(say(f"已写入审查工作簿 {args.workbook}\n", f"wrote {args.workbook}\n"))
    c = d["compiled"]
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            json.dump(d, fh, ensure_ascii=False, indent=2)
    else:
        json.dump(d, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    sys.stderr.write(say(compile_text(d),
                         f"{args.region} {args.year}: {len(c['summed'])} units compiled; {len(c['missing'])} missing; "
                         f"{len(c['left_out'])} reports left out; {len(c['conflicts'])} unit-year conflicts.\n"))
    return EXIT_FINDINGS if c["parent_check"] or c["left_out"] or c["conflicts"] else EXIT_OK


def cmd_charts(args: argparse.Namespace) -> int:
    from .corpus.charts import make_charts
    tree = root = None
    if args.region and not args.units:
        raise UsageError("no-units", "--region 需要同时用 --units 给出单位文件。", "--region needs --units.")
    if args.units:
        from .corpus.compile import find_region, load_tree
        tree = load_tree(args.units)
        root = find_region(tree, args.region) if args.region else None
    files = make_charts(args.store, args.output, tree, root, args.year, csv_too=args.to == "csv")
    sys.stderr.write(say(f"已生成 {len(files)} 个图表文件于 {args.output}\n", f"wrote {len(files)} files\n"))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    if args.data:
        os.environ["NIANBAO_DATA"] = args.data
    from .web.serve import serve
    return serve(args.host, args.port, args.threads, args.workers)


def cmd_manage(args: argparse.Namespace) -> int:
    if args.data:
        os.environ["NIANBAO_DATA"] = args.data
    from .web.serve import manage
    return manage(args.args)


# ------------------------------------------------------------------ main
def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="nianbao", description=say(
        "年报：政府信息公开工作年度报告的读取、核对与编制工具。",
        "nianbao: read, check and compile government information-disclosure annual reports."),
        epilog=say("退出码：0 成功且无错误；1 有错误级问题或部分文件无法读取；2 用法错误或没有任何文件可读。",
                   "exit codes: 0 success; 1 error-level findings or some files unreadable; 2 usage error "
                   "or nothing readable."))
    p.add_argument("--version", action="version", version=f"nianbao {__version__}")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help=say("界面语言（默认中文）", "message language"))
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    e = sub.add_parser("extract", help=say("把报告读成结构化数据（JSON / CSV / XLSX）", "extract reports into data"),
                       description=say(
                           "读取一份或多份年度报告（.txt .html .docx .pdf，或包含它们的文件夹），输出数据契约规定的 JSON。"
                           "一个文件输出一个 JSON 对象；多个文件输出 JSON Lines（每行一份，按参数顺序，文件夹按名称排序）。"
                           "无法读取的文件在其所在行输出 error，运行继续。",
                           "Read annual reports and print the contract JSON: one object for one file, JSON Lines "
                           "for several (argument order; folders in sorted order). Unreadable files yield an "
                           "error line and the run continues."))
    e.add_argument("paths", nargs="+", metavar="PATH", help=say("报告文件或文件夹", "report files or folders"))
    e.add_argument("--to", choices=("json", "csv", "xlsx"), default="json",
                   help=say("输出格式：json（默认）、csv 或 xlsx 长表（每个单元格一行）",
                            "output: json (default), or a long table in csv/xlsx (one row per cell)"))
    e.add_argument("-o", "--output", help=say("csv/xlsx 的输出文件", "output file for csv/xlsx"))
    e.add_argument("--ocr", action="store_true", help=say(
        "对没有文字层的扫描页和图片（.png .jpg）做OCR识别（需安装 pip install 'nianbao[ocr]'）；识别的数值须与勾稽关系一致才算读取",
        "read scanned pages and pictures by OCR (needs pip install 'nianbao[ocr]'); a value counts as read only "
        "when it agrees with the identities"))
    e.set_defaults(func=cmd_extract)

    d = sub.add_parser("debug", help=say("显示读取器重建的表格网格及每个单元格的映射（报告问题时请附上）",
                                         "show the grids the reader rebuilt and how each cell was mapped"),
                       description=say("显示读取器重建的每个表格网格，以及每个模板单元格从哪里读取、状态如何。"
                                       "提交问题时请附上此输出。",
                                       "Show the grid each reader rebuilt and how every template cell was "
                                       "mapped; attach this to bug reports."))
    d.add_argument("path", metavar="FILE")
    d.add_argument("--width", type=int, default=14, help=say("网格中每个单元格显示的最大字符数", "cell width"))
    d.set_defaults(func=cmd_debug)

    c = sub.add_parser("check", help=say("检查报告：勾稽关系、完整性、结构、合理性、跨年度衔接", "check reports"),
                       description=say(
                           "检查一份或多份报告（或文件夹），列出每个问题所在的表、行、列和原文位置；错误在前。"
                           "审查人员可以在报告旁放置 <报告文件名>.waivers.json 豁免某个问题："
                           '[{"code": "M102", "table": "t4", "row": "review", "reason": "…", "by": "张三"}]。'
                           "不再对应任何问题的豁免会被报告。",
                           "Check reports; findings name table, row, column and source location, errors first. "
                           "Waivers: <report>.waivers.json next to the report."))
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--ocr", action="store_true", help=say("对扫描页和图片做OCR识别（同 extract --ocr）",
                                                         "read scanned pages and pictures by OCR (as extract --ocr)"))
    c.add_argument("--previous", metavar="FILE", help=say("同一单位上一年度的报告（跨年度衔接、照抄检查）",
                                                         "the same unit's previous-year report"))
    c.add_argument("--to", choices=("text", "json", "xlsx"), default="text",
                   help=say("输出：text（默认）、json、xlsx 审查表", "output: text, json, or an xlsx review sheet"))
    c.add_argument("-o", "--output", help=say("xlsx 审查表的输出文件（另有每个单位一张工作表）", "output file for xlsx"))
    c.add_argument("--per-unit", metavar="DIR", help=say("每个单位一个审查表（含“单位答复”列），写入此文件夹",
                                                         "also write one workbook per unit into DIR"))
    c.add_argument("--units", metavar="单位.xlsx", help=say(
        "单位表（名称、上级，同 nianbao compile）：同时给出地区本级和全部直接下级单位的报告时，核对本级 = 下级之和",
        "units file: when a region's own report and all its children's are given, check parent = sum of children"))
    c.add_argument("--waivers", metavar="FILE", help=say("豁免文件（默认：报告旁的 .waivers.json）", "waiver file"))
    c.add_argument("--published", metavar="YYYY-MM-DD", help=say("公布日期（检查第四十九条期限）", "publication date"))
    c.add_argument("--select", metavar="CODES", help=say("只运行这些规则，逗号分隔；可写前缀（如 H 表示全部勾稽关系规则），不区分大小写",
                                                        "only these rule codes (comma-separated; prefixes and lower case accepted)"))
    c.add_argument("--ignore", metavar="CODES", help=say("不运行这些规则，写法同 --select", "skip these rule codes"))
    c.set_defaults(func=cmd_check)

    rd = sub.add_parser("render", help=say("把报告 JSON 生成官方版式的 DOCX / HTML / 文本", "render a report JSON"),
                        description=say("把 nianbao extract 输出的 JSON 生成官方版式（合并单元格、公文字体）的 Word 文档、网页或文本："
                                        "nianbao extract 报告.pdf > r.json; nianbao render r.json -o 报告.docx",
                                        "Render a contract JSON as an official-layout DOCX, HTML or text."))
    rd.add_argument("path", metavar="REPORT.json", nargs="?")
    rd.add_argument("--ledger", metavar="台账.xlsx", help=say("按台账编制：依申请公开台账（可含「主动公开」「复议诉讼」两张表）",
                                                            "compose from a ledger workbook"))
    rd.add_argument("--narrative", metavar="正文.txt", help=say("按台账编制：报告正文（含六个部分标题）", "narrative text"))
    rd.add_argument("--year", type=int, help=say("按台账编制：报告年度", "report year"))
    rd.add_argument("--org", help=say("发布机关（默认取正文标题）", "issuing body"))
    rd.add_argument("--allow-missing", action="store_true",
                    help=say("按台账编制：工作簿缺少「主动公开」或「复议诉讼」表时仍生成草稿，相应表格标明「未填报」",
                             "compose even when a sheet is missing (its table printed 未填报)"))
    rd.add_argument("--date", metavar="YYYY-MM-DD",
                    help=say("Word 文档落款的成文日期（默认取报告原文的落款或发布日期，没有则为今天）",
                             "the date of the DOCX signature (default: the report's own date, else today)"))
    rd.add_argument("-o", "--output", help=say("输出文件（默认与输入同名，扩展名按格式）", "output file"))
    rd.add_argument("--to", choices=("docx", "html", "txt", "md"), help=say("输出格式（默认按 -o 的扩展名，否则 docx）",
                                                                           "output kind"))
    rd.set_defaults(func=cmd_render)

    lg = sub.add_parser("ledger", help=say("依申请公开台账：模板、办理期限、生成表三", "the request ledger"),
                        description=say(
                            "依申请公开台账（CSV 或 XLSX，列见数据契约）。template 生成空模板；status 列出未办结申请的到期日和"
                            "剩余工作日（按国务院节假日和调休安排，最紧急的在前，--explain 编号 显示计算过程）；tables 生成某年度的表三。"
                            "节假日数据未覆盖的年份须用 --holidays 文件.json 提供："
                            '{"years": [2027], "holidays": {"2027-01-01": "元旦"}, "workdays": ["2027-02-06"]}。'
                            "有错误的行会被拒收并逐行说明，其余行照常导入；--strict 则整份拒收。",
                            "The request ledger: template, status (deadlines), tables (t3 for a year)."))
    lg.add_argument("action", choices=("template", "status", "tables"))
    lg.add_argument("file", metavar="LEDGER")
    lg.add_argument("--year", type=int, help=say("tables：报告年度", "tables: report year"))
    lg.add_argument("--today", metavar="YYYY-MM-DD", help=say("status：以哪一天计算（默认今天）", "status: as of"))
    lg.add_argument("--holidays", metavar="FILE.json", help=say("节假日与调休补充文件", "holiday override file"))
    lg.add_argument("--explain", metavar="编号", help=say("显示某件申请到期日的计算过程", "show the working"))
    lg.add_argument("--late", action="store_true", help=say("status：列出逾期答复（答复日期晚于到期日）和超过 7 个工作日的补正告知"
                                                            "（可加 --year）", "status: answers given late"))
    lg.add_argument("--to", choices=("text", "xlsx"), default="text")
    lg.add_argument("-o", "--output")
    lg.add_argument("--strict", action="store_true", help=say("有任何错误行就整份拒收", "refuse the file on any error"))
    lg.add_argument("--force", action="store_true", help=say("template：覆盖已有文件", "template: overwrite"))
    lg.set_defaults(func=cmd_ledger)

    fe = sub.add_parser("fee", help=say("信息处理费计算（国办函〔2020〕109号）", "information processing fee"))
    fe.add_argument("--requests", type=int, metavar="N", help=say("同一申请人本自然月第 N 件申请", "nth request this month"))
    fe.add_argument("--pages", type=int, metavar="N", help=say("按页计收的页数", "pages"))
    fe.add_argument("--ledger", metavar="台账.xlsx", help=say("按台账计算：每件记录了收费方式（按件/按量）的申请",
                                                             "fees of the ledger's requests"))
    fe.add_argument("--month", metavar="YYYY-MM", help=say("--ledger：只列该月收到的申请", "--ledger: one month"))
    fe.add_argument("--holidays", metavar="FILE.json", help=say("节假日与调休补充文件（缴费期限）", "holiday override file"))
    fe.set_defaults(func=cmd_fee)

    b = sub.add_parser("batch", help=say("批量读取并检查大量报告，存入 DuckDB 库（可续跑）", "batch reports into a store"),
                       description=say(
                           "并行读取并检查文件、文件夹、zip 压缩包或文件清单（.lst，每行一个路径）中的全部报告，存入 DuckDB 库"
                           "（reports、cells、findings、sections、failures 五张表）。重复运行时跳过库中已有的文件（按 sha256），"
                           "中途中断后重新运行不会重复也不会丢失。无法读取的文件记入 failures 并列出原因，不会中断运行。",
                           "Extract and check every report into a DuckDB store; re-runs skip stored files (sha256)."))
    b.add_argument("paths", nargs="+", metavar="PATH")
    b.add_argument("--store", default="nianbao.duckdb", help=say("库文件（默认 nianbao.duckdb）", "store file"))
    b.add_argument("--workers", type=int, help=say("读取报告的进程数（默认 CPU 核数；0 表示在主进程内读取）", "worker processes (0: in the main process)"))
    b.add_argument("--chunk", type=int, default=500, help=say("每个事务写入的文件数（默认 500）", "files per transaction (default 500)"))
    b.add_argument("--parquet", metavar="DIR", help=say("完成后把各表导出为 Parquet", "export tables as Parquet"))
    b.add_argument("--scheduler", metavar="tcp://HOST:PORT", help=say("在 Dask 集群上运行", "run on a Dask cluster"))
    b.add_argument("--units-map", metavar="映射.csv", help=say("名称→单位映射（CSV 列：名称,单位），用于规则无法归并的名称",
                                                             "name → unit mapping CSV (名称,单位)"))
    b.add_argument("--retry-failures", action="store_true",
                   help=say("重新读取库中所有曾无法读取的文件（默认只在其依赖的条件变化后重读：装了 LibreOffice 或 OCR、"
                            "升级了 nianbao）", "read every earlier failure again (by default only when what it "
                            "depended on has changed)"))
    b.add_argument("--quiet", action="store_true")
    b.set_defaults(func=cmd_batch)

    sc = sub.add_parser("schema", help=say("打印语料库的数据字典（每个表、列、键及其印刷标签，Markdown）",
                                           "print the store's data dictionary (Markdown)"))
    sc.set_defaults(func=cmd_schema)

    df = sub.add_parser("diff", help=say("比较同一单位相邻两年的报告：数值变化、结转衔接、照抄文字",
                                         "compare a unit's reports of two years"))
    df.add_argument("old", metavar="OLD")
    df.add_argument("new", metavar="NEW")
    df.add_argument("--to", choices=("text", "json"), default="text")
    df.set_defaults(func=cmd_diff)

    cp = sub.add_parser("compile", help=say("汇总某地区下级单位的报告：合计表格、未提交名单、提交矩阵",
                                            "compile a region from its units' reports"),
                        description=say("从 nianbao batch 建立的库中，把某地区直接下级单位的报告表格相加，生成地区汇总草稿"
                                        "（可用 nianbao render 输出），列出当年未提交报告的单位和单位×年度提交矩阵；"
                                        "若库中有本级报告，核对本级 = 下级之和。单位文件（XLSX 或 CSV）列：名称、上级、层级。",
                                        "Sum the direct child units' tables for a year from a store."))
    cp.add_argument("region", metavar="REGION")
    cp.add_argument("--year", type=int, required=True)
    cp.add_argument("--units", required=True, metavar="单位.xlsx")
    cp.add_argument("--store", default="nianbao.duckdb")
    cp.add_argument("-o", "--output", metavar="汇总.json")
    cp.add_argument("--units-map", metavar="映射.csv", help=say("名称→单位映射（CSV 列：名称,单位；单位可写完整路径 市/区/街道），"
                                                             "用于确定名称对应多个单位的报告", "name → unit map"))
    cp.add_argument("--workbook", metavar="审查.xlsx", help=say("同时输出地区审查工作簿（问题清单、报告汇总、提交情况）",
                                                              "also write the region's review workbook"))
    cp.set_defaults(func=cmd_compile)

    ch = sub.add_parser("charts", help=say("关键指标图表（PNG、SVG）：申请数量、公开率、复议纠错率",
                                           "charts of key figures"),
                        description=say("从库中绘制各单位和历年的关键指标：新收申请数量、公开率（办理不足30件的单位不排序）、"
                                        "行政复议纠错率。需要中文字体（如 fonts-noto-cjk）。",
                                        "Charts from the store; units with fewer than 30 requests are not ranked."))
    ch.add_argument("--store", default="nianbao.duckdb")
    ch.add_argument("--units", metavar="单位.xlsx", help=say("只画这些单位（配合 --region 限定地区）", "limit to units"))
    ch.add_argument("--region", help=say("地区名称（需 --units）", "region (with --units)"))
    ch.add_argument("--year", type=int, help=say("年度（默认库中最新年度）", "year (default: latest)"))
    ch.add_argument("-o", "--output", default="charts", metavar="DIR")
    ch.add_argument("--to", choices=("png", "csv"), default="png",
                    help=say("csv：同时为每个图表写出其数字（CSV），便于核对", "csv: also write each chart's numbers"))
    ch.set_defaults(func=cmd_charts)

    sv = sub.add_parser("serve", help=say("启动网页版（审核、上传、辖区总览、编制年报）", "start the web app"),
                        description=say("启动网页版。首次启动前用 `nianbao manage createsuperuser` 创建管理员。"
                                        "数据（SQLite 数据库与上传文件）存于 --data 目录；设置环境变量 "
                                        "NIANBAO_DATABASE_URL=postgresql://… 可改用 PostgreSQL。",
                                        "Start the web app; create the first administrator with "
                                        "`nianbao manage createsuperuser`."))
    sv.add_argument("--host", default="127.0.0.1", help=say("监听地址（默认仅本机；局域网用 0.0.0.0）", "bind address"))
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument("--threads", type=int, default=8, help=say("处理网页请求的线程数", "HTTP threads"))
    sv.add_argument("--workers", type=int, default=1, help=say("后台处理上传文件的线程数", "background workers"))
    sv.add_argument("--data", metavar="DIR", help=say("数据目录（默认 ./nianbao-data 或 NIANBAO_DATA）", "data folder"))
    sv.set_defaults(func=cmd_serve)
    mg = sub.add_parser("manage", help=say("网页版管理命令：createsuperuser、import_units、changepassword 等",
                                            "web admin commands (Django manage)"), add_help=False)
    mg.add_argument("--data", metavar="DIR", help=say("数据目录", "data folder"))
    mg.add_argument("args", nargs=argparse.REMAINDER)
    mg.set_defaults(func=cmd_manage)

    r = sub.add_parser("rules", help=say("列出全部检查规则", "list the rules"))
    r.add_argument("--markdown", action="store_true", help=say("输出规则文档（Markdown）", "print rule docs"))
    r.set_defaults(func=cmd_rules)
    x = sub.add_parser("explain", help=say("解释一条规则", "explain one rule"))
    x.add_argument("code", metavar="CODE")
    x.set_defaults(func=cmd_explain)
    return p


def main(argv: list[str] | None = None) -> int:
    global _LANG
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--lang" in argv:
        i = argv.index("--lang")
        if i + 1 < len(argv) and argv[i + 1] in ("zh", "en"):
            _LANG = argv[i + 1]
    parser = build_parser()
    args = parser.parse_args(argv)
    _LANG = args.lang
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.func(args)
    except UsageError as e:
        sys.stderr.write(e.text(_LANG) + "\n")
        return EXIT_USAGE
    except ReadError as e:
        sys.stderr.write(say("无法读取 ", "cannot read ") + e.text(_LANG) + "\n")
        return EXIT_USAGE
    except NianbaoError as e:
        sys.stderr.write(e.text(_LANG) + "\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write(say("已中断。\n", "interrupted.\n"))
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as e:  # never a bare traceback for a user; NIANBAO_DEBUG=1 shows it
        if os.environ.get("NIANBAO_DEBUG"):
            raise
        sys.stderr.write(say(f"内部错误：{type(e).__name__}: {e}。这是 nianbao 的缺陷，请设置 NIANBAO_DEBUG=1 重新运行并把输出附在问题报告中。\n",
                             f"internal error: {type(e).__name__}: {e}. This is a nianbao bug; rerun with "
                             "NIANBAO_DEBUG=1 and attach the output to a bug report.\n"))
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
