"""What every award module shares: the month's rows grouped once, the workers with their
exclusions, and number formatting for formula texts.

Grouping is done once with dicts (linear in the rows); award modules never loop
rows × rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from decimal import Context as DecimalContext
from typing import Any

from kfbonus.model import Columns, MonthInput, Shared
from kfbonus.money import D
from kfbonus.problems import Source
from kfbonus.rules import Params, fmt_number, fmt_percent
from kfbonus.schema import COMMON
from kfbonus.schemes.kf13.params import ID
from kfbonus.schemes.kf13.tables import TABLES

__all__ = ["SCHEME_ID", "Context", "MonthData", "exact_div", "fmt_exact", "fmt_number", "fmt_percent",
           "row_source", "rows_of"]

SCHEME_ID = ID   # this scheme's id: its months' key in the ledger, with the period

Row = Any  # one of the frozen row dataclasses below (Table.row_type): the table's fields + src

_TABLES = {t.kind: t for t in (*COMMON, *TABLES)}


def rows_of(df: Columns | None, kind: str) -> list[Row]:
    """The rows of the reader's table ``kind`` as frozen dataclasses
    (:attr:`kfbonus.schema.Table.row_type`: typed fields, blank cells None, and ``src``)."""
    if df is None or not len(df):
        return []
    make = _TABLES[kind].row_type
    names = df.columns
    rows = df.rows()
    if names == make.__match_args__:   # the reader's column order: positional is faster
        return [make(*values) for values in rows]
    return [make(**dict(zip(names, values, strict=True))) for values in rows]


def row_source(row: Row) -> Source:
    return row.src.source


def exact_div(numerator: Decimal, denominator: Decimal) -> Decimal:
    """One division with 50 significant digits: exact whenever the quotient terminates."""
    return _EXACT.divide(D(numerator), D(denominator))


_EXACT = DecimalContext(prec=50)   # made once: a localcontext per division cost more than the division


def fmt_exact(value: Decimal) -> str:
    """An unrounded value for a formula: ``1,389.375``; non-terminating ``120.106666…``."""
    d = D(value)
    n = d.normalize()
    exponent = n.as_tuple().exponent
    if exponent >= -6:  # type: ignore[operator]
        if exponent > 0:  # type: ignore[operator]
            n = n.quantize(Decimal(1))
        return format(n, ",f")
    return format(d.quantize(Decimal("0.000001"), rounding=ROUND_DOWN), ",f") + "…"


def service_years(hire: dt.date | None, on: dt.date) -> int | None:
    """Full years from 入职日期 to ``on``: the anniversary itself counts; a 29 February
    hire's anniversary in a non-leap year is 1 March."""
    if hire is None:
        return None
    years = on.year - hire.year - ((on.month, on.day) < (hire.month, hire.day))
    return max(years, 0)


@dataclass
class MonthData:
    """The month's rows grouped once: by project, by worker."""

    roster: dict[str, Row] = field(default_factory=dict)
    settlement: dict[str, list[Row]] = field(default_factory=dict)     # project → lines
    application: dict[str, Row] = field(default_factory=dict)          # project → first row
    scores: dict[str, list[Row]] = field(default_factory=dict)         # project → rows
    nominations: dict[str, list[Row]] = field(default_factory=dict)    # project → rows
    attendance: dict[str, Row] = field(default_factory=dict)           # worker → first row
    training: list[Row] = field(default_factory=list)
    adjustment: list[Row] = field(default_factory=list)
    wages: dict[str, list[Row]] = field(default_factory=dict)          # worker → settlement lines
    teams: dict[str, list[str]] = field(default_factory=dict)          # 班组 → roster 工号

    @classmethod
    def build(cls, month: MonthInput) -> MonthData:
        t = month.tables
        data = cls()
        for r in rows_of(t.get("roster"), "roster"):
            if r.worker_id not in data.roster:
                data.roster[r.worker_id] = r
                if r.team:
                    data.teams.setdefault(str(r.team).strip(), []).append(r.worker_id)
        settlement: dict[str, list[Row]] = defaultdict(list)
        wages: dict[str, list[Row]] = defaultdict(list)
        for r in rows_of(t.get("settlement"), "settlement"):
            settlement[r.project_id].append(r)
            wages[r.worker_id].append(r)
        data.settlement = dict(settlement)
        data.wages = dict(wages)
        for r in rows_of(t.get("application"), "application"):   # one per project: checks.py says more
            data.application.setdefault(r.project_id, r)
        scores: dict[str, list[Row]] = defaultdict(list)
        for r in rows_of(t.get("scores"), "scores"):
            scores[r.project_id].append(r)
        data.scores = dict(scores)
        noms: dict[str, list[Row]] = defaultdict(list)
        for r in rows_of(t.get("nomination"), "nomination"):
            noms[r.project_id].append(r)
        data.nominations = dict(noms)
        for r in rows_of(t.get("attendance"), "attendance"):    # one per worker: checks.py says more
            data.attendance.setdefault(r.worker_id, r)
        data.training = rows_of(t.get("training"), "training")
        data.adjustment = rows_of(t.get("adjustment"), "adjustment")
        return data


@dataclass
class Context:
    """Parameters in force, the assessment date, the month's data and each worker's
    service years and exclusion reasons (computed once), and what the scheme's checks
    found cannot be computed (:func:`kfbonus.schemes.kf13.checks.rule_checks`)."""

    params: Params
    assess_date: dt.date
    data: MonthData
    years: dict[str, int | None]
    exclusions: dict[str, list[str]]
    unusable: frozenset = frozenset()   # (award, project id) or (award, row) the checks refused
    # the texts and numbers many lines repeat (a tier's formula, a reason, 22 应出勤), held once
    shared: Shared = field(default_factory=Shared)

    def blocked(self, key: tuple) -> bool:
        """True when the checks reported an error that keeps ``key`` from being computed."""
        return key in self.unusable

    def name(self, worker_id: str, fallback: object = None) -> str:
        r = self.data.roster.get(worker_id)
        if r is not None and r.name:
            return str(r.name)
        return str(fallback or "")

    def roster_source(self, worker_id: str) -> tuple[Source, ...]:
        r = self.data.roster.get(worker_id)
        return (row_source(r),) if r is not None else ()

    def excluded_for(self, award: str, worker_id: str) -> str | None:
        """The exclusion reason when ``award`` is in exclusions.applies_to, else None."""
        if award not in self.params["exclusions.applies_to"]:  # type: ignore[operator]
            return None
        reasons = self.exclusions.get(worker_id)
        return self.shared("；".join(reasons)) if reasons else None

    def clause(self, key: str) -> str:
        return self.params.clause(key)
