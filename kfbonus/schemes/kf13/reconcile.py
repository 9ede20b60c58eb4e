"""FS-MS-KF-13's own reconciliation (核对): every project's collective and individual pools
against the lines paid from them; :func:`kfbonus.render.reconcile.reconcile` adds these
to the checks every scheme gets."""

from __future__ import annotations

from decimal import Decimal

from kfbonus.model import AwardLine, MonthResult
from kfbonus.money import ZERO
from kfbonus.render.reconcile import Check
from kfbonus.schemes.kf13.model import Award

__all__ = ["project_checks"]


def _sum(values) -> Decimal:
    return sum(values, ZERO)


def project_checks(result: MonthResult) -> list[Check]:
    """Per project: 已分配 + 未发 + 未分配 = 集体奖池, the 工程 sheet's figures = the lines,
    个人奖 paid ≤ its pool, and no line paid from a project without a pool."""
    checks: list[Check] = []
    by_project: dict[tuple[Award, str], list[AwardLine]] = {}
    for line in result.lines:
        if line.project_id is not None and line.award in (Award.COLLECTIVE, Award.INDIVIDUAL):
            by_project.setdefault((Award(line.award), line.project_id), []).append(line)
    seen: set[tuple[Award, str]] = set()
    for project in result.projects:
        pid = project.project_id
        if project.collective_pool is not None:
            seen.add((Award.COLLECTIVE, pid))
            lines = by_project.get((Award.COLLECTIVE, pid), [])
            paid = _sum(line.amount for line in lines)
            unpaid = _sum(line.unpaid for line in lines)
            checks.append(Check(f"集体奖 {pid}：已分配 + 未发 + 未分配 = 奖池", "已分配 + 未发 + 未分配",
                                paid + unpaid + project.collective_unallocated,
                                "集体奖池", project.collective_pool,
                                group="集体奖 各工程：已分配 + 未发 + 未分配 = 奖池"))
            checks.append(Check(f"集体奖 {pid}：工程表已分配 = 明细已发", "工程表已分配",
                                project.collective_allocated, "明细已发合计", paid,
                                group="集体奖 各工程：工程表已分配 = 明细已发"))
            checks.append(Check(f"集体奖 {pid}：工程表未发 = 明细未发", "工程表未发",
                                project.collective_unpaid, "明细未发合计", unpaid,
                                group="集体奖 各工程：工程表未发 = 明细未发"))
        if project.individual_pool is not None:
            seen.add((Award.INDIVIDUAL, pid))
            lines = by_project.get((Award.INDIVIDUAL, pid), [])
            paid = _sum(line.amount for line in lines)
            checks.append(Check(f"个人奖 {pid}：已发 ≤ 奖池", "明细已发合计", paid,
                                "个人奖池", project.individual_pool, "≤", group="个人奖 各工程：已发 ≤ 奖池"))
            checks.append(Check(f"个人奖 {pid}：工程表已发 = 明细已发", "工程表个人奖已发",
                                project.individual_paid, "明细已发合计", paid,
                                group="个人奖 各工程：工程表已发 = 明细已发"))
    for (award, pid), lines in sorted(by_project.items()):
        paid = _sum(line.amount for line in lines)
        if (award, pid) not in seen and paid != 0:
            checks.append(Check(f"{award.label} {pid}：工程无奖池却有发放", "明细已发合计", paid,
                                "奖池", ZERO, group="各工程：无奖池不得有发放"))
    return checks
