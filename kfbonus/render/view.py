"""What every renderer shows, computed once from a :class:`~kfbonus.model.MonthResult`.

The approval workbook, the slips, the strips and the reconciliation all read
the per-worker models built here (:func:`worker_views`), so a figure on one
output is the same figure on every other.  Nothing here formats or rounds:
amounts stay :class:`~decimal.Decimal` and are summed exactly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from kfbonus.model import AwardLine, MonthResult, RunKind, Shared, WorkerInfo
from kfbonus.money import ZERO
from kfbonus.problems import Source

__all__ = [
    "Previous",
    "WorkerView",
    "banner",
    "cn_date",
    "cn_datetime",
    "input_fingerprint",
    "previous_month",
    "run_status",
    "run_text",
    "stamp_line",
    "award_columns",
    "award_order",
    "what_of",
    "is_annual",
    "line_sort_key",
    "months_text",
    "period_label",
    "periods_text",
    "sources_text",
    "summary_views",
    "worker_sort_key",
    "worker_views",
]

_DIGITS = re.compile(r"(\d+)")


def worker_sort_key(worker_id: str) -> tuple:
    """工号 in natural order: ``K9`` before ``K10``; fixed-width ids sort as text does."""
    return tuple((0, int(p), p) if p.isdigit() else (1, 0, p) for p in _DIGITS.split(worker_id) if p)


def what_of(result: MonthResult) -> str:
    """What the scheme's runs compute, in the outputs' titles (综合激励, 业绩提成)."""
    return getattr(result.presentation, "what", "") or "综合激励"


def award_order(result: MonthResult) -> dict[str, int]:
    """Award id → its place in the scheme's order (``result.awards``); an award the
    scheme does not list (a line built in code) comes after, in order of appearance."""
    order = {str(a): i for i, a in enumerate(result.awards)}
    for award in _awards_in(result):
        order.setdefault(str(award), len(order))
    return order


def _awards_in(result: MonthResult) -> list:
    """The award types of the result's lines, once each, in order of first appearance
    (str() of each once, not once per line: 130,000 lines at 10×)."""
    return list(dict.fromkeys(line.award for line in result.lines))


def line_sort_key(line: AwardLine, order: dict[str, int] | None = None) -> tuple:
    """Lines of one worker: by award type (the scheme's order), then 工程编号."""
    return ((order or {}).get(str(line.award), 0), line.project_id or "", line.category or "")


def is_annual(result: MonthResult) -> bool:
    """The year-end run (the run's kind, never the period's shape)."""
    return result.kind == RunKind.YEAR_END


def award_columns(result: MonthResult) -> tuple:
    """The award columns of 汇总 and the strips, data-driven.

    The monthly run shows every monthly award of the scheme (a column of zeros says
    "none this month"); the year-end run shows the annual ones.  Any other award type
    present in the lines is appended, so no paid line is ever left out of a total.
    """
    annual = is_annual(result)
    base = tuple(a for a in result.awards if bool(getattr(a, "annual", False)) == annual)
    listed = {str(a) for a in base}
    extra: dict[str, object] = {}
    for award in _awards_in(result):
        if str(award) not in listed:
            extra.setdefault(str(award), award)
    known = {str(a): a for a in result.awards}
    return base + tuple(known.get(k, a) for k, a in extra.items())


def period_label(period: str) -> str:
    """``2026-11`` → ``2026年11月``; ``2026`` → ``2026年度``."""
    if re.fullmatch(r"\d{4}-\d{2}", period):
        year, month = period.split("-")
        return f"{year}年{int(month)}月"
    if re.fullmatch(r"\d{4}", period):
        return f"{period}年度"
    return period


def _runs(periods: Iterable[str]) -> list[tuple[str, str, int]]:
    """Consecutive months of ``YYYY-MM`` periods as (first, last, length) runs, in order."""
    runs: list[list] = []
    for p in sorted(set(periods)):
        year, month = int(p[:4]), int(p[5:7])
        if runs and runs[-1][3] == (year, month - 1):
            runs[-1][1], runs[-1][2], runs[-1][3] = p, runs[-1][2] + 1, (year, month)
        else:
            runs.append([p, p, 1, (year, month)])
    return [(first, last, n) for first, last, n, _ in runs]


def months_text(periods: Iterable[str]) -> str:
    """Months of one year, compact: ``3–8月``, ``3–5、7月``, ``3、4、7月``; ``—`` for none.
    A run of three or more consecutive months is written as a range."""
    parts = []
    for first, last, n in _runs(periods):
        a, b = int(first[5:7]), int(last[5:7])
        if n >= 3:
            parts.append(f"{a}–{b}")
        else:
            parts += [str(m) for m in range(a, b + 1)]
    return f"{'、'.join(parts)}月" if parts else "—"


def periods_text(periods: Iterable[str]) -> str:
    """``2026-01、2026-02、2026-09…12``: a run of three or more months as ``first…MM``."""
    parts = []
    for first, last, n in _runs(periods):
        if n >= 3:
            parts.append(f"{first}…{last[5:7]}")
        elif n == 2:
            parts += [first, last]
        else:
            parts.append(first)
    return "、".join(parts)


def sources_text(sources: Iterable[Source]) -> str:
    """Where a line's numbers come from, compactly: each file and sheet named once,
    its cells after it, consecutive whole rows as a range, duplicates dropped::

        计件工资结算单.xlsx › GC-2611-01 第6–12行; 工程激励审批.xlsx › 激励申报!E3, G3; 个人激励申报 第3行
    """
    # per file, per sheet, its places in order; most lines cite one place a sheet (a crew
    # member's settlement row, the project's ratio cell, their roster row), said directly
    files: dict[str, dict[str | None, list[Source]]] = {}
    for s in sources:
        sheets = files.get(s.file)
        if sheets is None:
            files[s.file] = {s.sheet: [s]}
            continue
        cells = sheets.get(s.sheet)
        if cells is None:
            sheets[s.sheet] = [s]
        else:
            cells.append(s)
    parts = []
    for file, sheets in files.items():
        texts = []
        for sheet, cells in sheets.items():
            if sheet is None:
                continue
            if len(cells) == 1:   # the place as it says itself (花名册 第7行, 激励申报!E3)
                c = cells[0]
                texts.append(c.place if c.row or c.col else sheet)
                continue
            # the first of equal ones (equal ignores header), in order: a dict, not a list
            # (a project's line has one source per settlement row, and `in` on a list was quadratic)
            cells = list(dict.fromkeys(cells))
            texts.append(_cells_text(sheet, cells) if any(c.row or c.col for c in cells) else sheet)
        parts.append(f"{file} › {'; '.join(texts)}" if texts else file)
    return "; ".join(parts)


def _cells_text(sheet: str, cells: Sequence[Source]) -> str:
    """``GC-01 第6–12行, GC-01!E3, G3``: whole rows in runs (INPUTS.md: a row is
    ``sheet 第N行``), then single cells in order (``sheet!C7``)."""
    rows = sorted({c.row for c in cells if c.col is None and c.row is not None})
    runs: list[str] = []
    start = prev = None
    for r in [*rows, None]:
        if r is not None and prev is not None and r == prev + 1:
            prev = r
            continue
        if start is not None:
            runs.append(str(start) if start == prev else f"{start}–{prev}")
        start = prev = r
    parts = [f"{sheet} 第{'、'.join(runs)}行"] if runs else []
    singles = [c.cell for c in cells if c.col is not None]
    if singles:
        parts.append(f"{sheet}!{', '.join(singles)}")
    return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class WorkerView:
    """One worker's month as every output shows it.

    ``lines`` holds every line of the worker, paid or not, in display order;
    ``by_award`` the paid sum per award column; ``total`` (合计) their sum;
    ``unpaid`` the sum of what was not paid.
    """

    worker_id: str
    name: str
    team: str
    position: str
    excluded: str
    lines: tuple[AwardLine, ...]
    by_award: dict[str, Decimal]
    total: Decimal
    unpaid: Decimal

    @property
    def has_paid_line(self) -> bool:
        """Appears on 汇总 and the strips: any line with a non-zero amount."""
        return any(line.amount != 0 for line in self.lines)


def _info_text(value: object) -> str:
    return "" if value is None else str(value)


def worker_views(result: MonthResult) -> list[WorkerView]:
    """Every worker with at least one line (paid or not), sorted by 工号.

    Name, 班组 and 岗位 come from the roster (WorkerInfo) when the worker is on
    it, else from the line.  One pass over the lines (linear).
    """
    columns = award_columns(result)
    order = award_order(result)
    grouped: dict[str, list[AwardLine]] = {}
    for line in result.lines:
        grouped.setdefault(line.worker_id, []).append(line)
    views = []
    shared = Shared()   # most workers' sums are one of a few amounts (a tier's 工龄奖): each held once
    for worker_id in sorted(grouped, key=worker_sort_key):
        lines = sorted(grouped[worker_id], key=lambda x: line_sort_key(x, order))
        info: WorkerInfo | None = result.workers.get(worker_id)
        by_award = dict.fromkeys(columns, ZERO)
        unpaid = ZERO
        for line in lines:
            by_award[line.award] = by_award.get(line.award, ZERO) + line.amount
            if line.unpaid:   # (most are 0.00: the shared ZERO stays, not a new 0.00 a worker)
                unpaid += line.unpaid
        total = sum(by_award.values(), ZERO)
        views.append(WorkerView(
            worker_id=worker_id,
            name=info.name if info else lines[0].name,
            team=_info_text(info.team) if info else "",
            position=_info_text(info.position) if info else "",
            excluded=_info_text(info.excluded) if info else "",
            lines=tuple(lines),
            by_award={award: shared(amount) for award, amount in by_award.items()},
            total=shared(total),
            unpaid=shared(unpaid),
        ))
    return views


def summary_views(views: Iterable[WorkerView]) -> list[WorkerView]:
    """The workers of 汇总 and the strips: those with a non-zero line."""
    return [v for v in views if v.has_paid_line]


# --- the run stamp ---------------------------------------------------------------------------

def input_fingerprint(result: MonthResult) -> str:
    """A short fingerprint of the inputs: the first 8 hex digits of the SHA-256 of the input
    files' SHA-256 digests, sorted, one a line.  Same files (whatever their names) → same
    fingerprint; any changed byte → another.  ``—`` when the result carries no inputs."""
    files = result.inputs.files if result.inputs else []
    if not files:
        return "—"
    digest = hashlib.sha256("\n".join(sorted(f.sha256 for f in files)).encode("ascii"))
    return digest.hexdigest()[:8]


def cn_date(day: dt.date) -> str:
    """``2026年11月30日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_datetime(at: dt.datetime) -> str:
    """``2026年11月30日 14:05``."""
    return f"{cn_date(at)} {at:%H:%M}"


def run_status(result: MonthResult) -> str:
    """草稿 / 已批准: what the outputs are written as (a run always writes a draft)."""
    return result.stamp.status if result.stamp else "草稿"


def run_text(result: MonthResult) -> str:
    """``第 3 次运行``, or empty when the run was not recorded in a ledger."""
    return f"第 {result.stamp.run_number} 次运行" if result.stamp else ""


def stamp_line(result: MonthResult, generated_at: dt.datetime) -> str:
    """The one line that ties a printed page to its run: status, run number, time, rules
    version and input fingerprint."""
    status = run_status(result) + ("（未批准）" if run_status(result) == "草稿" else "")
    parts = [status, run_text(result), f"生成于 {cn_datetime(generated_at)}", f"规则 {result.scheme}",
             f"输入指纹 {input_fingerprint(result)}"]
    return "　".join(p for p in parts if p)


def banner(result: MonthResult) -> str:
    """The big header text of every printed page of a draft: 草稿 — 未批准."""
    return "草稿 — 未批准" if run_status(result) == "草稿" else ""


# --- month over month ------------------------------------------------------------------------

@dataclass(frozen=True)
class Previous:
    """The month before as 汇总 and 对比 compare with: paid totals per worker and per award,
    the number of workers paid per award, and each worker's name as then recorded."""

    period: str
    status: str
    by_worker: dict[str, Decimal]
    by_award: dict[str, Decimal]
    paid_count: dict[str, int]
    names: dict[str, str]

    @property
    def total(self) -> Decimal:
        return sum(self.by_worker.values(), ZERO)


def previous_month(result: MonthResult) -> Previous | None:
    """The ledger's previous month of the same scheme, when the pipeline found one."""
    prev = result.stamp.previous if result.stamp else None
    if prev is None:
        return None
    by_worker: dict[str, Decimal] = {}
    by_award: dict[str, Decimal] = {}
    paid: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for line in prev.lines:
        by_worker[line.worker_id] = by_worker.get(line.worker_id, ZERO) + line.amount
        by_award[line.award] = by_award.get(line.award, ZERO) + line.amount
        if line.amount != 0:
            paid.setdefault(line.award, set()).add(line.worker_id)
        names.setdefault(line.worker_id, line.name)
    return Previous(prev.period, prev.status, by_worker, by_award,
                    {a: len(ws) for a, ws in paid.items()}, names)
