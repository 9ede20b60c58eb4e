"""FS-MS-KF-13's own values: its award types, its per-project figures and its year-end plan."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from kfbonus.money import ZERO
from kfbonus.problems import Source

__all__ = ["ANNUAL_AWARDS", "AWARD_LABELS", "MONTHLY_AWARDS", "AnnualBasis", "AnnualPlan", "Award",
           "ProjectResult"]


class Award(StrEnum):
    """Award types of FS-MS-KF-13 (SCHEME.md, 综合激励分类)."""

    INDIVIDUAL = "individual"
    COLLECTIVE = "collective"
    TRAINING = "training"
    SENIORITY = "seniority"
    ADJUSTMENT = "adjustment"
    ANNUAL_SAFETY = "annual_safety"
    ANNUAL_QUALITY = "annual_quality"

    @property
    def label(self) -> str:
        return AWARD_LABELS[self]

    @property
    def annual(self) -> bool:
        return self in ANNUAL_AWARDS


AWARD_LABELS = {
    Award.INDIVIDUAL: "个人奖",
    Award.COLLECTIVE: "集体奖",
    Award.TRAINING: "培训补贴",
    Award.SENIORITY: "工龄奖",
    Award.ADJUSTMENT: "其他奖惩",
    Award.ANNUAL_SAFETY: "年度安全奖",
    Award.ANNUAL_QUALITY: "年度质量奖",
}
MONTHLY_AWARDS = (Award.INDIVIDUAL, Award.COLLECTIVE, Award.TRAINING, Award.SENIORITY,
                  Award.ADJUSTMENT)
ANNUAL_AWARDS = (Award.ANNUAL_SAFETY, Award.ANNUAL_QUALITY)


@dataclass(frozen=True)
class ProjectResult:
    """A project's figures for the 工程 sheet (None where the project has no such award)."""

    project_id: str
    project_name: str | None
    piece_total: Decimal
    scores: dict[str, Decimal] | None = None       # safety, quality, cooperation, discipline
    total_score: Decimal | None = None
    collective_ratio: Decimal | None = None
    collective_pool: Decimal | None = None
    collective_allocated: Decimal = ZERO          # shares paid
    collective_unpaid: Decimal = ZERO             # shares computed for excluded workers
    collective_unallocated: Decimal = ZERO        # pool − all shares (未分配)
    individual_ratio: Decimal | None = None
    individual_pool: Decimal | None = None
    individual_paid: Decimal = ZERO
    key_project: bool = False
    workers: int = 0
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class AnnualBasis:
    """One worker's facts behind the year-end awards (年度评议依据), as compute found them.

    ``months`` the months worked (``"2026-03"`` …); ``safety`` / ``quality`` one text per
    安全事故 / 质量投诉 that counts against the worker (``"3月 GC-2603-01 高处作业未系安全带"``);
    ``quality_mean`` the mean 质量得分 of the ``scored_projects`` scored projects (None when
    none was scored); ``status`` 年末在册 or the exclusion; ``sources`` the incident rows'
    sources, then the ledger months.
    """

    worker_id: str
    name: str
    team: str | None
    months: tuple[str, ...]
    projects: int
    safety: tuple[str, ...] = ()
    quality: tuple[str, ...] = ()
    quality_mean: Decimal | None = None
    scored_projects: int = 0
    status: str = "在册"
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class AnnualPlan:
    """The year-end run's draft plan (年度激励评议方案): which months of the year it rests
    on, the thresholds applied, and each worker's basis."""

    year: int
    months: tuple[str, ...]            # months of the year counted (approved; drafts when included)
    missing: tuple[str, ...] = ()      # months with no run in the ledger
    drafts: tuple[str, ...] = ()       # months still in draft (not approved)
    drafts_included: bool = False      # the drafts are counted (--include-drafts), marked as drafts
    min_months: int = 6
    min_quality_score: Decimal = Decimal(90)
    basis: tuple[AnnualBasis, ...] = ()


