"""One run of the command: read → validate → compute → render, and the ledger around it.

The CLI (:mod:`kfbonus.cli`) turns arguments into :class:`Options` and calls
:func:`run`; this module prints what a user reads and returns the exit code.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from kfbonus.model import MONTHLY_AWARDS, Award, MonthInput, MonthResult
from kfbonus.money import ZERO, fmt_money
from kfbonus.problems import Problem, format_problems, has_errors
from kfbonus.schema import TABLE_BY_KIND

EXIT_OK, EXIT_INPUT = 0, 1


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


def say(text: str = "") -> None:
    print(text, flush=True)


def default_assess_date(period: str) -> dt.date:
    """The last day of the month (SCHEME.md: 考核实施日), or 31 December for a year."""
    if len(period) == 4:
        return dt.date(int(period), 12, 31)
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


def load_params(opts: Options, assess_date: dt.date):
    from kfbonus.rules import RulesError, load_rules

    try:
        return load_rules(opts.rules).in_force(assess_date)
    except RulesError as exc:
        raise ConfigError(f"规则文件错误：{exc}") from None


def read_inputs(folder: Path) -> tuple[MonthInput, list[Problem]]:
    from kfbonus.reader import read_month
    from kfbonus.validate import validate

    month = read_month(folder)
    problems = list(month.problems)
    if not has_errors(problems):
        problems += validate(month)
    return month, problems


def print_found(month: MonthInput) -> None:
    say(f"读取 {month.folder}：{len(month.files)} 个工作簿，识别出 {len(month.found)} 张表")
    for t in month.found:
        title = TABLE_BY_KIND[t.kind].title
        shape = "（表单式）" if t.form_style else ""
        say(f"  {t.file} › {t.sheet} → {title}{shape}，表头第 {t.header_row} 行，{t.rows} 行数据")
    say()


def print_problems(problems: list[Problem]) -> None:
    if problems:
        say(format_problems(problems))
    else:
        say("未发现问题。")


def run(opts: Options) -> int:
    if opts.annual:
        raise ConfigError("年度运行（--annual）尚未实现")
    return run_month(opts)


def run_month(opts: Options) -> int:
    if not opts.input_dir.is_dir():
        raise ConfigError(f"输入文件夹「{opts.input_dir}」不存在；请用 --input 指定本月工作簿所在的文件夹")
    assess_date = opts.assess_date or default_assess_date(opts.period)
    params = load_params(opts, assess_date)
    month, problems = read_inputs(opts.input_dir)
    result: MonthResult | None = None
    if not has_errors(problems):
        from kfbonus.compute import compute_month

        result = compute_month(month, params, assess_date, opts.period)
        problems += result.problems
        result.problems = problems

    if opts.check:
        print_found(month)
        print_problems(problems)
        return EXIT_INPUT if has_errors(problems) else EXIT_OK

    if has_errors(problems):
        print_problems(problems)
        say()
        say("输入有错误，本月结果未写入。请按上面的清单修改工作簿后重新运行。")
        return EXIT_INPUT

    assert result is not None
    target = write_outputs(result, opts.output_dir, opts.period)
    print_summary(result, target)
    return EXIT_OK


def write_outputs(result: MonthResult, output_dir: Path, name: str) -> Path:
    """Render into a temporary folder beside the target, then move it into place.

    A crash while rendering leaves the previous results (if any) untouched and
    no half-written month.
    """
    from kfbonus.render import render_month

    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / name
    tmp = output_dir / f".{name}.tmp-{os.getpid()}"
    old = output_dir / f".{name}.old-{os.getpid()}"
    for stale in (tmp, old):
        if stale.exists():
            shutil.rmtree(stale)
    tmp.mkdir()
    try:
        with _progress("写入工资条") as progress:
            render_month(result, tmp, generated_at=run_time(), progress=progress)
        if target.exists():
            target.rename(old)
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not target.exists():
            old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)
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

            self._bar = Progress(TextColumn(self.label), BarColumn(), MofNCompleteColumn(), transient=True)
            self._bar.start()
        return self

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            return
        if self._task is None:
            self._task = self._bar.add_task(self.label, total=total)
        self._bar.update(self._task, completed=done, total=total)

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()


def award_totals(result: MonthResult, awards: Iterable[Award] = MONTHLY_AWARDS) -> dict[Award, Decimal]:
    totals = {a: ZERO for a in awards}
    for line in result.lines:
        if line.award in totals:
            totals[line.award] += line.amount
    return totals


def print_summary(result: MonthResult, target: Path) -> None:
    per_worker = result.totals()
    paid = [w for w, t in per_worker.items() if any(v != 0 for v in t.values())]
    awards = [a for a in Award if any(line.award is a for line in result.lines)] or list(MONTHLY_AWARDS)
    totals = award_totals(result, awards)
    warnings = [p for p in result.problems if not p.is_error]
    say(f"{result.period} 综合激励已计算（{result.scheme}，考核日 {result.assess_date}）")
    say(f"  人员 {len(paid)} 人有发放，工程 {len(result.projects)} 个")
    for award in awards:
        say(f"  {award.label:　<6}{fmt_money(totals[award]):>14}")
    say(f"  {'合计':　<6}{fmt_money(sum(totals.values(), ZERO)):>14}")
    if warnings:
        say(f"  警告 {len(warnings)} 条（见审批汇总表「问题清单」）：")
        print_problems(warnings)
    say(f"结果已写入 {target}")
