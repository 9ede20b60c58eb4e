"""Reconciliation (核对): every total on every output equals the sum of its lines.

:func:`reconcile` computes the checks shown on the approval workbook's 核对
sheet from the result itself and from the per-worker models the slips and
the 汇总 sheet are rendered from.  A failed check is a bug upstream (or a
tampered result): :func:`render_month` raises :class:`ReconciliationError`
before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from kfbonus.model import AwardLine, MonthResult
from kfbonus.money import ZERO, fmt_money
from kfbonus.render.view import WorkerView, award_columns, summary_views, worker_views

__all__ = ["Check", "ReconciliationError", "check_or_raise", "check_kinds", "reconcile"]


@dataclass(frozen=True)
class Check:
    """One reconciliation: ``left relation right`` (relation ``=`` or ``≤``)."""

    name: str
    left_label: str
    left: Decimal
    right_label: str
    right: Decimal
    relation: str = "="
    group: str = ""   # the kind of check, shared by its instances (各工程 …); the name when empty

    @property
    def kind(self) -> str:
        """What the 核对 sheet counts by: one row per kind."""
        return self.group or self.name

    @property
    def passed(self) -> bool:
        if self.relation == "≤":
            return self.left <= self.right
        return self.left == self.right

    @property
    def verdict(self) -> str:
        return "通过" if self.passed else "不通过"

    def __str__(self) -> str:
        return (f"{self.name}：{self.left_label} {fmt_money(self.left)} {self.relation} "
                f"{self.right_label} {fmt_money(self.right)} — {self.verdict}")


class ReconciliationError(Exception):
    """Totals that do not add up: a bug, the month stops and nothing is written."""

    def __init__(self, failed: Sequence[Check]):
        self.failed = list(failed)
        detail = "\n".join(f"  {c}" for c in self.failed)
        super().__init__(f"核对不通过（{len(self.failed)} 项），未生成任何输出：\n{detail}")


def _sum(values) -> Decimal:
    return sum(values, ZERO)


def reconcile(result: MonthResult, views: Sequence[WorkerView] | None = None) -> list[Check]:
    """All checks, passed or not, in the order the 核对 sheet shows them."""
    views = worker_views(result) if views is None else views
    summary = summary_views(views)
    columns = award_columns(result)
    checks: list[Check] = []

    by_award: dict[str, list[AwardLine]] = {a: [] for a in columns}
    for line in result.lines:
        by_award.setdefault(line.award, []).append(line)

    # 1. each 汇总 column against its detail sheet
    column_totals: dict[str, Decimal] = {}
    for award in columns:
        column_totals[award] = _sum(v.by_award.get(award, ZERO) for v in summary)
        checks.append(Check(f"{award.label}：汇总列 = 明细合计", "汇总表列合计", column_totals[award],
                            "明细表金额合计", _sum(line.amount for line in by_award[award]),
                            group="各奖项：汇总表列合计 = 明细表金额合计"))
    # an award outside the columns would be missing from 汇总 (cannot happen: columns are data-driven)
    for award, lines in by_award.items():
        if award not in columns:
            checks.append(Check(f"{award.label}：未列入汇总表", "汇总表列合计", ZERO,
                                "明细表金额合计", _sum(line.amount for line in lines)))
    grand_total = _sum(column_totals.values())
    checks.append(Check("汇总表：各列合计之和 = 各人合计之和", "各列合计之和", grand_total,
                        "各人合计之和", _sum(v.total for v in summary)))

    # 2. the scheme's own checks (FS-MS-KF-13: every project's pools)
    own = getattr(result.presentation, "checks", None)
    if own is not None:
        checks.extend(own(result))

    # 3. slips against 汇总
    checks.append(Check("明细单合计 = 汇总表总计", "全部明细单合计", _sum(v.total for v in views),
                        "汇总表总计", grand_total))
    return checks


def check_kinds(checks: Sequence[Check]) -> list[tuple[str, list[Check]]]:
    """The checks by kind, in the order each kind first appears."""
    kinds: dict[str, list[Check]] = {}
    for c in checks:
        kinds.setdefault(c.kind, []).append(c)
    return list(kinds.items())


def check_or_raise(checks: Sequence[Check]) -> list[Check]:
    """Return ``checks`` when all pass; raise :class:`ReconciliationError` otherwise."""
    failed = [c for c in checks if not c.passed]
    if failed:
        raise ReconciliationError(failed)
    return list(checks)
