"""One run of the command: read → validate → compute → render, and the ledger around it.

The CLI (:mod:`kfbonus.cli`) turns arguments into :class:`Options` and calls
:func:`run`; this module prints what a user reads and returns the exit code.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from kfbonus import timings
from kfbonus.model import MonthInput, MonthResult, PreviousMonth, RunKind, RunStamp
from kfbonus.money import ZERO, fmt_money
from kfbonus.problems import Problem, format_problems, has_errors, sorted_problems, warning
from kfbonus.schemes.base import Run, Scheme

EXIT_OK, EXIT_INPUT = 0, 1

# The scheme whose periods the command runs, approves and discards (its key in the ledger).


class ConfigError(Exception):
    """Usage or configuration error (exit 2): a missing folder, a broken rules file."""


@dataclass(frozen=True)
class Options:
    period: str                  # "2026-11", or "2026" with annual
    input_dir: Path
    output_dir: Path
    check: bool = False
    rules: Path | None = None
    assess_date: dt.date | None = None
    ledger: Path | None = None
    approve_by: str | None = None
    correction: str | None = None
    annual: bool = False
    discard: bool = False
    include_drafts: bool = False
    scheme: str | None = None    # --scheme ID: this scheme only (else every scheme whose tables are found)


def say(text: str = "") -> None:
    print(text, flush=True)


_BARE = re.compile(r"[\w@%+=:,./-]+")


def quote_arg(arg: str) -> str:
    """One argument as the user types it: bare when safe, else in double quotes (both
    cmd.exe and a POSIX shell take "D:/激励 结果"), else the shell's own quoting."""
    if os.name == "nt":
        return subprocess.list2cmdline([arg])
    if _BARE.fullmatch(arg):
        return arg
    if not any(c in arg for c in '"$`\\!'):
        return f'"{arg}"'
    return shlex.quote(arg)


def command_text(opts: Options, *extra: str, inputs: bool = False) -> str:
    """The command a run suggests next, repeating the options the user gave that matter
    to it (--output, --ledger; with ``inputs`` also --input, --rules, --assess-date), so
    that typed literally from the same folder it works."""
    args = [opts.period]
    if opts.annual:
        args.append("--annual")
    if opts.scheme is not None:
        args += ["--scheme", opts.scheme]
    args += extra
    if inputs:
        if opts.input_dir != Path("input") / opts.period:
            args += ["--input", str(opts.input_dir)]
        if opts.rules is not None:
            args += ["--rules", str(opts.rules)]
        if opts.assess_date is not None:
            args += ["--assess-date", opts.assess_date.isoformat()]
    if opts.output_dir != Path("output"):
        args += ["--output", str(opts.output_dir)]
    if opts.ledger is not None:
        args += ["--ledger", str(opts.ledger)]
    return "python run_month.py " + " ".join(quote_arg(a) for a in args)


def default_assess_date(period: str, year_end: bool = False) -> dt.date:
    """The last day of the month (SCHEME.md: 考核实施日), or 31 December for a year-end run."""
    if year_end:
        return dt.date(int(period[:4]), 12, 31)
    year, month = map(int, period.split("-"))
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def run_time() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible outputs)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
        except (ValueError, OverflowError):
            raise ConfigError(f"环境变量 SOURCE_DATE_EPOCH「{epoch}」不是有效的时间戳") from None
    return dt.datetime.now().replace(microsecond=0)


def registered(opts: Options) -> tuple[Scheme, ...]:
    """Every registered scheme; ``--scheme`` must name one of them (exit 2 otherwise)."""
    from kfbonus.schemes import all_schemes

    schemes = all_schemes()
    if opts.scheme is not None and opts.scheme not in {s.id for s in schemes}:
        known = "、".join(f"{s.id}（{s.name}）" for s in schemes)
        raise ConfigError(f"未知的方案「{opts.scheme}」；可用的方案：{known}")
    return schemes


def default_scheme(schemes: Iterable[Scheme]) -> Scheme:
    """The scheme that covers every worker no other scheme claims (the installation crews)."""
    schemes = list(schemes)
    return next((s for s in schemes if s.posts is None), schemes[0])


def _rules_ids(path: Path) -> set[str]:
    """The [scheme] ids of a rules file (or of every *.toml in a folder); unreadable files
    give none (the loader then says what is wrong)."""
    import tomllib

    files = sorted(path.glob("*.toml")) if path.is_dir() else [path]
    ids = set()
    for f in files:
        try:
            scheme = tomllib.loads(f.read_text(encoding="utf-8")).get("scheme")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        if isinstance(scheme, dict) and isinstance(scheme.get("id"), str):
            ids.add(scheme["id"].strip())
    return ids


def rules_apply(path: Path, scheme: Scheme, schemes: Iterable[Scheme]) -> bool:
    """``--rules PATH`` is ``scheme``'s when the file says so ([scheme] id); a file naming
    no registered scheme goes to the default scheme, whose loader then says why it fails."""
    ids = _rules_ids(path)
    known = {s.id for s in schemes}
    if ids & known:
        return scheme.id in ids
    return scheme is default_scheme(schemes)


def load_params(opts: Options, assess_date: dt.date, scheme: Scheme | None = None,
                rules: Path | None = None):
    """The parameters of ``scheme`` (the default scheme when None) in force on
    ``assess_date``: from ``rules`` (or ``--rules`` when it is this scheme's file), else
    from the scheme's own rules folder.  A broken file is exit 2."""
    from kfbonus.rules import RulesError, load_rules

    schemes = registered(opts)
    scheme = scheme or default_scheme(schemes)
    if rules is None and opts.rules is not None and rules_apply(opts.rules, scheme, schemes):
        rules = opts.rules
    try:
        return load_rules(rules, scheme.rule_spec, scheme.rules_dir).in_force(assess_date)
    except RulesError as exc:
        raise ConfigError(f"规则文件错误：{exc}") from None


def run_of(opts: Options, scheme: Scheme, assess_date: dt.date) -> Run:
    kind = RunKind.YEAR_END if opts.annual else RunKind.CORRECTION if opts.correction else RunKind.MONTH
    return Run(kind, scheme.id, opts.period, assess_date)


def read_inputs(folder: Path, period: str) -> tuple[MonthInput, list[Problem]]:
    from kfbonus.reader import read_month
    from kfbonus.validate import validate

    with timings.stage("读取输入"):
        month = read_month(folder, period)
    # the key checks run even when cells failed to read (a bad cell is None, its row kept),
    # so the accountant sees every problem of the folder in one pass
    with timings.stage("校验输入"):
        return month, list(month.problems) + validate(month) + settings_problems()


def settings_problems() -> list[Problem]:
    """A settings file (KFBONUS_SETTINGS) that cannot be read never stops a run, but it is
    said: the defaults are used instead of what the department wrote."""
    from kfbonus.problems import Source
    from kfbonus.settings import settings_trouble

    trouble = settings_trouble()
    if trouble is None:
        return []
    path, why = trouble
    return [warning("settings-unreadable", f"设置文件无法读取（{why}），本次使用默认设置；请改正后重新运行",
                    Source(str(path)))]


def _all_tables():
    from kfbonus.schemes import all_tables

    return all_tables()


def print_found(month: MonthInput) -> None:
    say(f"读取 {month.folder}：{len(month.files)} 个工作簿，识别出 {len(month.found)} 张表")
    titles = {t.kind: t.title for t in _all_tables()}
    for t in month.found:
        title = titles.get(t.kind, t.kind)
        shape = "（表单式）" if t.form_style else ""
        say(f"  {t.file} › {t.sheet} → {title}{shape}，表头第 {t.header_row} 行，{t.rows} 行数据")
    say()


def print_problems(problems: list[Problem]) -> None:
    if problems:
        say(format_problems(problems))
    else:
        say("未发现问题。")


def run(opts: Options) -> int:
    """Dispatch one command; returns the exit code (0 done, 1 input or state problems)."""
    if opts.check:
        return check(opts)
    from kfbonus.ledger import LedgerError, MonthApproved, OutputsChanged
    from kfbonus.lock import LockBusy
    from kfbonus.outputs import InputsChanged, OutputInUse

    try:
        if opts.discard:
            return discard(opts)
        if opts.approve_by:
            return approve(opts)
        if opts.annual:
            return run_annual(opts)
        return run_month(opts)
    except (LockBusy, MonthApproved, OutputsChanged, OutputInUse, InputsChanged) as exc:
        say(str(exc))
        return EXIT_INPUT
    except LedgerError as exc:
        raise ConfigError(f"账本错误：{exc}") from None


def ledger_path(opts: Options) -> Path:
    return opts.ledger or opts.output_dir / "ledger.sqlite"


def _require_input(opts: Options) -> None:
    if not opts.input_dir.is_dir():
        kind = "本年度事故投诉、花名册" if opts.annual else "本月工作簿"
        raise ConfigError(f"输入文件夹「{opts.input_dir}」不存在；请用 --input 指定{kind}所在的文件夹")


class Prepared(NamedTuple):
    """What :func:`_prepare` found: the month read, every problem, each scheme's result
    (none when there are errors) and the schemes the folder holds."""

    month: MonthInput
    problems: list[Problem]
    results: list[MonthResult]
    present: tuple[Scheme, ...] = ()


def _prepare(opts: Options) -> Prepared:
    """Read and validate the folder, find the schemes it holds, and compute each one's
    month (nothing for the year-end run, which reads the ledger too).  The problems are
    every problem found; each result carries the folder's shared ones and its own."""
    from kfbonus.scoping import owners, schemes_present, scoped

    _require_input(opts)
    assess_date = opts.assess_date or default_assess_date(opts.period, opts.annual)
    schemes = registered(opts)
    if opts.rules is not None:   # a broken --rules file is exit 2 before anything is read
        with timings.stage("载入规则"):
            for s in schemes:
                if opts.scheme in (None, s.id) and rules_apply(opts.rules, s, schemes):
                    load_params(opts, assess_date, s)
    month, problems = read_inputs(opts.input_dir, opts.period)
    if opts.annual:
        return Prepared(month, problems, [])
    present, found = schemes_present(month, schemes, opts.scheme)
    present = tuple(present)
    problems += found
    # each scheme's own checks run even when cells failed to read (a bad cell is None, its
    # row kept), so the accountant sees every problem of the folder in one pass
    who = owners(month, schemes)
    seen: dict[str, tuple[MonthInput, list[Problem]]] = {}
    everything = list(problems)
    for s in present:
        sub, left_out = scoped(month, s, schemes, who)
        left_out += [p for check in s.checks for p in check(sub)]
        seen[s.id] = (sub, left_out)
        everything += left_out
    if has_errors(everything):
        return Prepared(month, everything, [], present)
    with timings.stage("载入规则"):
        params = {s.id: load_params(opts, assess_date, s) for s in present}
    results: list[MonthResult] = []
    with timings.stage("计算"):
        for s in present:
            sub, left_out = seen[s.id]
            result = s.compute(sub, params[s.id], run_of(opts, s, assess_date))
            result.problems = problems + left_out + result.problems
            everything += result.problems[len(problems) + len(left_out):]
            results.append(result)
    return Prepared(month, everything, results, present)


def check(opts: Options) -> int:
    """--check: read, validate and compute; print the tables found and every problem; write nothing.

    The computation runs too (when the inputs are clean) so that the accountant sees
    the scheme's problems as well — a ratio out of range, shares over the pool.
    """
    month, problems, _, present = _prepare(opts)
    print_found(month)
    if present:
        say("本月计算的方案：" + "；".join(f"{s.id}（{s.name}）" for s in present))
        say()
    print_problems(problems)
    problem_list(opts, problems)
    return EXIT_INPUT if has_errors(problems) else EXIT_OK


def problem_list(opts: Options, problems: list[Problem]) -> None:
    """问题清单_<period>.xlsx beside the month's folder: written when there are problems,
    removed when there are none (render/problem_list.py); never fails the run."""
    from kfbonus.render.problem_list import update_problem_list

    note = update_problem_list(problems, opts.output_dir, opts.period, run_time(), opts.input_dir)
    if note:
        say(note)


def refuse_errors(problems: list[Problem], opts: Options | None = None) -> int:
    print_problems(problems)
    if opts is not None:
        problem_list(opts, problems)
    say()
    say("输入有错误，本月结果未写入。请按上面的清单修改工作簿后重新运行。")
    return EXIT_INPUT


def _approved_text(period: str, record) -> str:
    return f"{period} 已于 {record.approved_at:%Y-%m-%d %H:%M} 由 {record.approved_by} 批准"


def folder_of(scheme: Scheme, period: str) -> str:
    """The output folder of ``scheme``'s ``period`` (``2026-11``, ``2026-11_业绩提成``)."""
    return scheme.presentation.folder(period)


def run_month(opts: Options) -> int:
    """A month: compute and write each scheme the folder holds (a draft each), or on an
    approved month, a correction.  Every scheme found must be in the state the command
    asks for (all drafts to run, all approved to correct), else nothing is written."""
    from kfbonus.ledger import Ledger
    from kfbonus.lock import output_lock

    _require_input(opts)
    with output_lock(opts.output_dir), Ledger.open(ledger_path(opts)) as ledger:
        schemes = registered(opts)
        settle(opts, ledger, schemes)
        prepared = _prepare(opts)
        problems, results = prepared.problems, prepared.results
        del prepared   # the month read is not kept
        if has_errors(problems):
            return refuse_errors(problems, opts)
        for r in results:   # computed: the rows read are not needed again, their memory is
            r.inputs = r.inputs.without_rows() if r.inputs is not None else None
        by_id = {s.id: s for s in schemes}
        records = {r.scheme_id: ledger.month(r.scheme_id, opts.period) for r in results}
        several = len(results) > 1
        for r in results:
            record = records[r.scheme_id]
            name = f"{opts.period}（{r.scheme_id}）" if several else opts.period
            if record is not None and record.approved and not opts.correction:
                say(f"{_approved_text(name, record)}，已锁定，不再重新计算；本次未改动任何文件。")
                say(f"如需更正，请运行：{command_text(opts, '--correction', '更正原因', inputs=True)}")
                if several:
                    say(f"只重新计算其他方案：{command_text(_only(opts, results, r.scheme_id), inputs=True)}")
                return EXIT_INPUT
            if opts.correction and (record is None or not record.approved):
                say(f"{name} 尚未批准，不需要更正：修改输入后直接重新运行该月即可。")
                if several:
                    say(f"只更正已批准的方案：请加 --scheme，例如 "
                        f"{command_text(_only(opts, results, r.scheme_id), '--correction', '更正原因')}")
                return EXIT_INPUT
        at = run_time()
        printed: set = set()   # a folder's own warnings are printed once, not once per scheme
        for result in results:
            scheme = by_id[result.scheme_id]
            if opts.correction:
                name = f"{opts.period}（{scheme.id} {scheme.name}）" if several else opts.period
                _correct(opts, ledger, records[result.scheme_id], result, at, scheme, name)
                continue
            result.stamp = run_stamp(ledger, result)
            target = write_outputs(result, opts.output_dir, folder_of(scheme, opts.period), ledger, at)
            print_summary(result, target, printed)
        problem_list(opts, [])
        if not opts.correction:
            say(f"状态：草稿。核对无误并签字后，请运行 {command_text(opts, '--approve', '--by', '批准人')}")
    return EXIT_OK


def _only(opts: Options, results: list[MonthResult], but: str) -> Options:
    """``opts`` restricted to the one other scheme found (for a suggested command)."""
    from dataclasses import replace

    others = [r.scheme_id for r in results if r.scheme_id != but]
    return replace(opts, scheme=others[0] if len(others) == 1 else but)


def previous_period(period: str) -> str | None:
    """The month before ``2026-11`` (``2026-10``; ``2025-12`` before January); None for a year."""
    if len(period) != 7:
        return None
    year, month = int(period[:4]), int(period[5:7])
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


def run_stamp(ledger, result: MonthResult) -> RunStamp:
    """The run number of this run of the period and the month before from the ledger
    (same scheme only: the ledger keys months by scheme), for the outputs' stamp and 上月
    comparisons."""
    prev = None if result.kind == RunKind.YEAR_END else previous_period(result.period)
    previous = None
    record = ledger.month(result.scheme_id, prev) if prev else None
    if record is not None:
        previous = PreviousMonth(prev, record.status_label,
                                 tuple(ledger.lines(result.scheme_id, prev, awards=result.awards)))
    return RunStamp(ledger.next_run_number(result.scheme_id, result.period), previous_period=prev,
                    previous=previous)


def _correct(opts: Options, ledger, record, result: MonthResult, at: dt.datetime, scheme: Scheme,
             name: str) -> int:
    """Correction n of an approved month: 补发/扣回 against the month as approved (and corrected)."""
    from kfbonus.correction import diff_lines
    from kfbonus.ledger import hash_outputs
    from kfbonus.outputs import die_at, install_new, tmp_folder
    from kfbonus.render.correction import correction_folder, render_correction

    diff = diff_lines(ledger.approved_lines(result.scheme_id, opts.period, result.awards), result.lines,
                      result.awards)
    if not diff.lines:
        say(f"{name} 按当前输入重新计算，与已批准结果（含历次更正）逐项相同，无需更正；未生成更正单。")
        return EXIT_OK
    number = record.revision + 1
    month_dir = opts.output_dir / folder_of(scheme, opts.period)
    tmp = tmp_folder(month_dir, "correction")
    final = month_dir / correction_folder(number)
    try:
        render_correction(opts.period, number, opts.correction, record, diff, tmp, at, result.presentation)
        hashes = hash_outputs(tmp)
        die_at("rendered")
        # recorded, moved into place, then committed (kfbonus.outputs)
        install_new(tmp / correction_folder(number), final, ledger, inputs=result.inputs,
                    record=lambda: ledger.record_correction(result, opts.correction, diff, hashes, at))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    say(f"{name} 更正第 {number:02d} 号（原因：{opts.correction}）")
    say(f"  变动 {len(diff.lines)} 项，涉及 {len(diff.workers)} 人；未变 {diff.unchanged} 项")
    say(f"  补发 {fmt_money(diff.more)}，扣回 {fmt_money(-diff.back)}，"
        f"净额 {fmt_money(diff.total)}")
    say(f"更正单已写入 {month_dir / correction_folder(number)}；原批准文件未改动。")
    return EXIT_OK


def _recorded(opts: Options, ledger, schemes: Iterable[Scheme]) -> list[tuple[Scheme, object]]:
    """The schemes with a record of the period in the ledger (``--scheme`` restricts)."""
    out = []
    for s in schemes:
        if opts.scheme not in (None, s.id):
            continue
        record = ledger.month(s.id, opts.period)
        if record is not None:
            out.append((s, record))
    return out


def approve(opts: Options) -> int:
    """--approve --by NAME: lock the period's draft of each scheme recorded (or of
    ``--scheme``) after checking its files still match the ledger."""
    from kfbonus.ledger import Ledger, MonthApproved, hash_file
    from kfbonus.lock import output_lock
    from kfbonus.render import approval_name

    approved = []
    with output_lock(opts.output_dir), Ledger.open(ledger_path(opts)) as ledger:
        schemes = registered(opts)
        settle(opts, ledger, schemes)
        found = _recorded(opts, ledger, schemes)
        if not found:
            say(f"账本中没有 {opts.period} 的记录：请先运行该期间，核对后再批准。")
            return EXIT_INPUT
        drafts = [(s, r) for s, r in found if not r.approved] if len(found) > 1 else found
        if not drafts:
            raise MonthApproved("；".join(_approved_text(f"{opts.period}（{s.id}）", r) for s, r in found)
                                + "，不能重复批准")
        for scheme, record in drafts:
            folder = opts.output_dir / folder_of(scheme, opts.period)
            book = folder / approval_name(opts.period)
            sha = hash_file(book) if book.is_file() else None
            record = ledger.approve(scheme.id, opts.period, opts.approve_by, run_time(), approval_sha=sha,
                                    folder=folder)
            approved.append((scheme, record, ledger.next_run_number(scheme.id, opts.period) - 1))
    several = len(approved) > 1
    for scheme, record, run in approved:
        name = f"{opts.period}（{scheme.id} {scheme.name}）" if several else opts.period
        say(f"{_approved_text(name, record)}。")
        say(f"  批准的是第 {run} 次运行的结果（审批汇总表页脚印有「第 {run} 次运行」，请与签字的纸本核对）")
        say(f"  审批汇总表 SHA-256：{record.approval_sha}")
    if opts.annual:
        say("此后年度方案不会再被重新计算。")
    else:
        again = command_text(opts, "--correction", "更正原因", inputs=True)
        say(f"此后该期间不会再被重新计算；如需更正，请运行：{again}")
    return EXIT_OK


def discard(opts: Options) -> int:
    """--discard: remove a draft month (or year-end draft) — its output folder and its
    ledger entry — after printing what is removed.  No confirmation is asked: only a
    draft can go (an approved period refuses, exit 1), a draft is rebuilt by running the
    period again, and the accountant also runs the command from a .bat file.

    The folder is first moved aside (hidden), then the ledger entry is deleted in one
    transaction, then the folder is deleted: if the ledger refuses, the folder is put
    back and nothing has changed."""
    from kfbonus.ledger import Ledger, MonthApproved
    from kfbonus.lock import output_lock

    label = f"{opts.period} 年度方案" if opts.annual else opts.period
    if not ledger_path(opts).is_file():   # nothing to discard: create no ledger, no folder
        say(f"账本「{ledger_path(opts)}」不存在，其中没有 {label} 的记录，无需撤销；未改动任何文件。")
        return EXIT_INPUT
    with output_lock(opts.output_dir), Ledger.open(ledger_path(opts)) as ledger:
        schemes = registered(opts)
        settle(opts, ledger, schemes)
        found = _recorded(opts, ledger, schemes)
        if not found:
            say(f"账本「{ledger_path(opts)}」中没有 {label} 的记录，无需撤销；未改动任何文件。")
            return EXIT_INPUT
        for scheme, record in found:
            if record.approved:
                name = f"{opts.period}（{scheme.id}）" if len(found) > 1 else opts.period
                other = command_text(_other(opts, found, scheme), "--discard")
                again = "" if len(found) == 1 else f"\n只撤销其他方案的草稿，请运行：{other}"
                raise MonthApproved(
                    f"{_approved_text(name, record)}，已锁定，不能撤销；本次未改动任何文件。"
                    + ("" if opts.annual else
                       f"\n如需更正，请运行：{command_text(opts, '--correction', '更正原因', inputs=True)}")
                    + again)
        for scheme, record in found:
            shown = label if len(found) == 1 else f"{label}（{scheme.id}）"
            _discard_one(opts, ledger, scheme, record, shown)
    say(f"已撤销 {label}：输出文件夹和账本记录均已删除。")
    return EXIT_OK


def _other(opts: Options, found, but: Scheme) -> Options:
    from dataclasses import replace

    others = [s.id for s, _ in found if s is not but]
    return replace(opts, scheme=others[0] if others else None)


def _discard_one(opts: Options, ledger, scheme: Scheme, record, label: str) -> None:
    """Remove one scheme's draft of the period: folder aside, ledger entry, folder gone."""
    from kfbonus.outputs import rename_or_refuse

    lines = ledger.lines(scheme.id, opts.period)
    total = sum((x.amount for x in lines), ZERO)
    name = folder_of(scheme, opts.period)
    folder = opts.output_dir / name
    say(f"撤销草稿 {label}，将删除：")
    say(f"  输出文件夹 {folder}" + ("" if folder.is_dir() else "（已不存在）"))
    say(f"  账本记录：运行于 {record.run_at:%Y-%m-%d %H:%M}，规则 {record.scheme}，"
        f"考核日 {record.assess_date}")
    say(f"  输入文件 {len(record.inputs)} 个" + "".join(f"\n    {f.name}" for f in record.inputs))
    say(f"  明细 {len(lines)} 行，合计 {fmt_money(total)}")
    aside = opts.output_dir / f".{name}.discard-{os.getpid()}"
    shutil.rmtree(aside, ignore_errors=True)
    if folder.exists():
        rename_or_refuse(folder, aside, shown=folder)   # open in Excel/WPS: exit 1, nothing done
    try:
        ledger.discard(scheme.id, opts.period)
    except BaseException:
        if aside.exists():
            rename_or_refuse(aside, folder)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def year_end_scheme(opts: Options, schemes: Iterable[Scheme]) -> Scheme:
    """The scheme whose year-end run this is: the one with a year-end run (``--scheme``
    restricts; a scheme without one is exit 2)."""
    candidates = [s for s in schemes if s.year_end is not None and opts.scheme in (None, s.id)]
    if not candidates:
        raise ConfigError(f"方案 {opts.scheme} 没有年度运行（--annual）")
    return candidates[0]


def run_annual(opts: Options) -> int:
    """The year-end run (SCHEME.md §5 for FS-MS-KF-13): the scheme's year-end awards from
    the ledger's months and the year-end folder."""
    from kfbonus.ledger import Ledger
    from kfbonus.lock import output_lock

    _require_input(opts)
    with output_lock(opts.output_dir), Ledger.open(ledger_path(opts)) as ledger:
        schemes = registered(opts)
        scheme = year_end_scheme(opts, schemes)
        settle(opts, ledger, [scheme])
        record = ledger.month(scheme.id, opts.period)
        if record is not None and record.approved:
            say(f"{_approved_text(opts.period, record)}，年度方案已锁定；本次未改动任何文件。")
            return EXIT_INPUT
        assess_date = opts.assess_date or default_assess_date(opts.period, opts.annual)
        params = load_params(opts, assess_date, scheme)
        month, problems = read_inputs(opts.input_dir, opts.period)
        if has_errors(problems):
            return refuse_errors(problems, opts)
        result = year_end_plan(opts, ledger, month, problems, params, assess_date, scheme)
        if has_errors(result.problems):
            return refuse_errors(result.problems, opts)
        at = run_time()
        result.stamp = run_stamp(ledger, result)
        target = write_outputs(result, opts.output_dir, folder_of(scheme, opts.period), ledger, at)
        print_summary(result, target)
        problem_list(opts, [])
        approve_cmd = command_text(opts, "--approve", "--by", "批准人")
        say(f"状态：草稿（年度激励评议方案）。审批后请运行 {approve_cmd}")
    return EXIT_OK


def year_end_plan(opts: Options, ledger, month: MonthInput, problems: list[Problem], params,
                  assess_date: dt.date, scheme: Scheme | None = None) -> MonthResult:
    """The scheme's year-end result from the ledger and the year-end folder (read, no
    errors) under ``params``, the folder scoped to the scheme's workers; its problems
    include ``problems``.  Writes nothing (the year-end run and its what-if comparison
    share it)."""
    from kfbonus.scoping import scoped

    schemes = registered(opts)
    scheme = scheme or year_end_scheme(opts, schemes)
    sub, left_out = scoped(month, scheme, schemes)
    result = scheme.year_end(ledger, sub, params, run_of(opts, scheme, assess_date),
                             include_drafts=opts.include_drafts, folder=opts.input_dir)
    result.problems = problems + left_out + result.problems
    return result


def settle(opts: Options, ledger, schemes: Iterable[Scheme]) -> None:
    """Before a command touches the period's output folders: refuse when Excel/WPS has one
    of their workbooks open (nothing done yet), then settle what a run that died left
    behind (:func:`kfbonus.outputs.recover`), saying what was done."""
    from kfbonus.outputs import recover, refuse_open_files

    schemes = [s for s in schemes if opts.scheme in (None, s.id)]
    for s in schemes:
        refuse_open_files(opts.output_dir / folder_of(s, opts.period))
    for s in schemes:
        for note in recover(opts.output_dir, folder_of(s, opts.period), ledger, s.id, opts.period):
            say(note)


def write_outputs(result: MonthResult, output_dir: Path, name: str, ledger, at: dt.datetime) -> Path:
    """Render into a hidden temporary folder beside the target, record it as the period's
    draft and move it into place, in one ledger transaction (the protocol:
    :mod:`kfbonus.outputs`): it commits only once the folder is in place and the input files
    are re-checked unchanged; any failure leaves the previous results and the ledger as
    they were.

    The transaction is opened before the files are written, so that the month's lines are
    recorded while the approval workbook is still being written in a second process
    (:mod:`kfbonus.beside`); the files' SHA-256 are recorded once all are written.
    """
    from concurrent.futures import ThreadPoolExecutor

    from kfbonus.ledger import hash_file, hash_outputs
    from kfbonus.outputs import die_at, install, tmp_folder
    from kfbonus.render import render_month

    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / name
    tmp = tmp_folder(output_dir, name)
    # the slips are hashed in a thread while the workbooks are written (hashlib and file
    # reads let the other thread run): the same hashes, read back from the same files
    hasher = ThreadPoolExecutor(max_workers=1)
    early: list = []   # one job a batch of slips (a future a file was 14 MiB at 10x)
    recorded = [0.0]

    def hash_slips(paths: list[Path]) -> None:
        early.append(hasher.submit(lambda: {p: hash_file(p) for p in paths}))

    def record_lines() -> None:
        with timings.stage("账本记录"):
            ledger.record_draft(result, at)

    def render_and_record() -> None:
        with _progress("写入明细单") as progress:
            render_month(result, tmp, generated_at=at, progress=progress, slips_written=hash_slips,
                         meanwhile=record_lines)
        with timings.stage("校验和（回读输出文件）"):
            hashes = hash_outputs(tmp, known={p: sha for job in early for p, sha in job.result().items()})
        die_at("rendered")
        with timings.stage("账本记录"):
            ledger.record_draft_outputs(result.scheme_id, result.period, hashes, at)
        recorded[0] = time.perf_counter()

    try:
        install(tmp, target, ledger, render_and_record, inputs=result.inputs)
    finally:
        hasher.shutdown(wait=True, cancel_futures=True)
    timings.add("复核输入、移动到位", time.perf_counter() - recorded[0])
    return target


class _progress:
    """A rich progress bar on a terminal, nothing otherwise; a callable(done, total)."""

    def __init__(self, label: str):
        self.label = label
        self._bar = None
        self._task = None

    def __enter__(self):
        if sys.stdout.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 transient=True)
            self._bar.start()
        return self

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            return
        if self._task is None:
            self._task = self._bar.add_task(self.label, total=total)
        # the slips are the last files written beside the approval workbook: once they are
        # all out, say what is still being finished rather than sit at 100%
        label = self.label if done < total else "明细单已写完，正在完成审批汇总表……"
        self._bar.update(self._task, completed=done, total=total, description=label)

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()


def award_totals(result: MonthResult, awards: Iterable) -> dict:
    totals = dict.fromkeys(awards, ZERO)
    for line in result.lines:
        if line.award in totals:
            totals[line.award] += line.amount
    return totals


WARNINGS_SHOWN = 30
"""A successful run prints at most this many warnings; all are on the 问题清单 sheet."""


def print_summary(result: MonthResult, target: Path, printed: set | None = None) -> None:
    """What a successful run says: the warnings (the first few), the totals, where the files are.
    ``printed``: the warnings already printed for another scheme of the same folder (the
    folder's own, such as an unread sheet), not printed again; the set is added to."""
    per_worker = result.totals()
    paid = [w for w, t in per_worker.items() if any(v != 0 for v in t.values())]
    from kfbonus.render.view import award_columns, is_annual, what_of

    present = {str(line.award) for line in result.lines}
    columns = award_columns(result)
    awards = [a for a in columns if str(a) in present] or list(columns)
    totals = award_totals(result, awards)
    warnings = [p for p in result.problems if not p.is_error]
    warnings_total = len(warnings)
    if printed is not None:
        fresh = [p for p in warnings if p not in printed]
        printed.update(fresh)
        warnings = fresh
    shared = warnings_total - len(warnings)   # the folder's own, printed under an earlier scheme
    warnings_text = f"警告 {warnings_total} 条"
    if shared:
        warnings_text += f"（其中 {shared} 条是整个文件夹的，已在上面列出）"
    if warnings:
        shown = sorted_problems(warnings)[:WARNINGS_SHOWN]
        say(format_problems(shown, count_line=len(shown) == len(warnings)))
        if len(warnings) > len(shown):
            say(f"（另有 {len(warnings) - len(shown)} 条警告未在此列出，全部见审批汇总表「问题清单」）")
        say()
    if is_annual(result):
        say(f"{result.period} 年度安全、质量奖评议方案已计算（{result.scheme}，考核日 {result.assess_date}）")
        say(f"  人员 {len(paid)} 人有发放，{warnings_text}")
    else:
        say(f"{result.period} {what_of(result)}已计算（{result.scheme}，考核日 {result.assess_date}）")
        projects = f"工程 {len(result.projects)} 个，" if result.projects else ""
        say(f"  人员 {len(paid)} 人有发放，{projects}{warnings_text}")
    for award in awards:
        say(f"  {award.label:　<6}{fmt_money(totals[award]):>14}")
    say(f"  {'合计':　<6}{fmt_money(sum(totals.values(), ZERO)):>14}")
    say(f"结果已写入 {target}")
