"""The values that pass between the stages: read → validate → compute → render.

Plain frozen dataclasses (and the reader's DataFrames); no stage reaches back
into an earlier one's files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

import pandas as pd

from kfbonus.money import ZERO
from kfbonus.problems import Problem, Source

__all__ = ["FoundTable", "InputFile", "MonthInput", "Award", "AwardLine", "ProjectResult",
           "WorkerInfo", "AnnualBasis", "AnnualPlan", "PreviousMonth", "RunStamp", "MonthResult"]


@dataclass(frozen=True)
class FoundTable:
    """A table the reader recognised: ``file › sheet → kind, rows``."""

    file: str
    sheet: str
    kind: str
    header_row: int
    rows: int
    form_style: bool = False


@dataclass(frozen=True)
class InputFile:
    """An input workbook as read: its name (relative to the input folder) and SHA-256."""

    name: str
    sha256: str
    size: int


@dataclass
class MonthInput:
    """What the reader gives: one DataFrame per table kind (schema.TABLES), with
    the fields' ``name`` as columns plus ``src`` (:class:`~kfbonus.problems.RowRef`);
    every kind is present, empty when no such table was found."""

    folder: str
    tables: dict[str, pd.DataFrame]
    files: list[InputFile]
    found: list[FoundTable]
    problems: list[Problem]

    def table(self, kind: str) -> pd.DataFrame:
        return self.tables[kind]


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
class AwardLine:
    """One line of one worker's month: paid, partly paid or not paid.

    ``amount`` is what is paid (0.00 when nothing is); ``unpaid`` is what the
    line would have paid on top of that had it not been refused (an excluded
    worker's share, the part over the cap, a nominee who does not qualify).
    ``formula`` has the numbers filled in; ``reason`` says why something is not
    paid (empty when all is); ``clause`` cites FS-MS-KF-13.

    ``facts`` holds the line's figures by name (``pool``, ``days``, ``total_days`` …,
    Decimal, int or str), so that a slip can say the line in a plain sentence without
    parsing ``formula`` (render.plain).  Optional: lines read back from the ledger have
    none and the slip falls back to the formula.  Not compared, not stored.
    """

    worker_id: str
    name: str
    award: Award
    amount: Decimal
    formula: str
    clause: str
    sources: tuple[Source, ...] = ()
    project_id: str | None = None
    project_name: str | None = None
    unpaid: Decimal = ZERO
    reason: str = ""
    category: str | None = None  # adjustment category (类别), training type, seniority tier …
    facts: Mapping[str, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def paid(self) -> bool:
        return self.amount != 0

    @property
    def refused(self) -> bool:
        return self.unpaid != 0 or (self.amount == 0 and bool(self.reason))


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
class WorkerInfo:
    """A roster worker as the outputs show them, with the exclusion found (if any)."""

    worker_id: str
    name: str
    team: str | None
    position: str | None
    employment_type: str | None
    hire_date: dt.date | None
    service_years: int | None
    excluded: str | None = None   # the reason, in Chinese, when excluded
    source: Source | None = None


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


@dataclass(frozen=True)
class PreviousMonth:
    """The month before, as the ledger holds it (latest revision), for 上月 comparisons."""

    period: str
    status: str                      # 草稿 / 已批准
    lines: tuple[AwardLine, ...]


@dataclass(frozen=True)
class RunStamp:
    """What ties a printed page to its run: the run number of the period in the ledger
    (1, 2, … — every run of a draft counts), the status the outputs are written in, and
    the month looked up for 上月 comparisons (``previous`` None when the ledger has none)."""

    run_number: int
    status: str = "草稿"
    previous_period: str | None = None
    previous: PreviousMonth | None = None


@dataclass
class MonthResult:
    """Everything compute gives the renderers."""

    period: str                    # "2026-11" (or "2026" for the year-end run)
    assess_date: dt.date
    scheme: str                    # "FS-MS-KF-13 A/2"
    rules_file: str
    parameters: list[tuple]   # (key, value as shown, clause[, company_set[, Chinese label]])
    workers: dict[str, WorkerInfo]
    lines: list[AwardLine]
    projects: list[ProjectResult]
    problems: list[Problem] = field(default_factory=list)
    inputs: MonthInput | None = None
    annual: AnnualPlan | None = None   # the year-end run's plan (None in a monthly run)
    stamp: RunStamp | None = None      # set by the pipeline from the ledger before rendering
    details: dict[str, object] = field(default_factory=dict)   # scheme-specific figures for its presentation

    def totals(self) -> dict[str, dict[Award, Decimal]]:
        """Per worker (工号), per award type, the sum of paid amounts."""
        out: dict[str, dict[Award, Decimal]] = {}
        for line in self.lines:
            per = out.setdefault(line.worker_id, {})
            per[line.award] = per.get(line.award, ZERO) + line.amount
        return out
