"""Typed rows of the month's tables, built once from the tables as read (kfbonus.model.Columns)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from kfbonus.model import Columns, MonthInput
from kfbonus.problems import RowRef, Source

__all__ = ["AdjustmentRow", "AttendanceRow", "DealerRow", "MonthRows", "PurchaseRow", "WorkerRow", "build"]


@dataclass(frozen=True)
class WorkerRow:
    worker_id: str
    name: str
    position: str | None
    team: str | None
    employment_type: str | None
    hire_date: dt.date | None
    regular_date: dt.date | None
    leave_date: dt.date | None
    src: RowRef

    @property
    def source(self) -> Source:
        return self.src.source


@dataclass(frozen=True)
class DealerRow:
    dealer_id: str
    dealer_name: str | None
    service_id: str | None
    sales_id: str | None
    src: RowRef

    @property
    def source(self) -> Source:
        return self.src.source


@dataclass(frozen=True)
class PurchaseRow:
    dealer_id: str
    date: dt.date | None
    channel: str | None
    sales: Decimal | None
    discount: Decimal | None
    amount: Decimal | None
    src: RowRef

    @property
    def source(self) -> Source:
        return self.src.source


@dataclass(frozen=True)
class AdjustmentRow:
    worker_id: str | None
    team: str | None
    category: str | None
    amount: object  # Decimal, values.Percentage or None
    note: str | None
    name: str | None
    src: RowRef

    @property
    def source(self) -> Source:
        return self.src.source


@dataclass(frozen=True)
class AttendanceRow:
    worker_id: str
    longest_absence: Decimal | None
    src: RowRef


@dataclass(frozen=True)
class MonthRows:
    roster: tuple[WorkerRow, ...]
    dealers: tuple[DealerRow, ...]
    purchases: tuple[PurchaseRow, ...]
    adjustments: tuple[AdjustmentRow, ...]
    attendance: tuple[AttendanceRow, ...]


def _records(df: Columns | None) -> list[dict]:
    return [] if df is None else df.records()


def build(month: MonthInput) -> MonthRows:
    t = month.tables
    roster = tuple(
        WorkerRow(
            str(r["worker_id"]),
            str(r.get("name") or ""),
            r.get("position"),
            r.get("team"),
            r.get("employment_type"),
            r.get("hire_date"),
            r.get("regular_date"),
            r.get("leave_date"),
            r["src"],
        )
        for r in _records(t.get("roster"))
        if r.get("worker_id") is not None
    )
    dealers = tuple(
        DealerRow(
            str(r["dealer_id"]), r.get("dealer_name"), r.get("service_id"), r.get("sales_id"), r["src"]
        )
        for r in _records(t.get("dealer"))
        if r.get("dealer_id") is not None
    )
    purchases = tuple(
        PurchaseRow(
            str(r["dealer_id"]),
            r.get("date"),
            r.get("channel"),
            r.get("sales"),
            r.get("discount"),
            r.get("amount"),
            r["src"],
        )
        for r in _records(t.get("purchase"))
        if r.get("dealer_id") is not None
    )
    adjustments = tuple(
        AdjustmentRow(
            r.get("worker_id"),
            r.get("team"),
            r.get("category"),
            r.get("amount"),
            r.get("note"),
            r.get("name"),
            r["src"],
        )
        for r in _records(t.get("adjustment"))
    )
    attendance = tuple(
        AttendanceRow(str(r["worker_id"]), r.get("longest_absence"), r["src"])
        for r in _records(t.get("attendance"))
        if r.get("worker_id") is not None
    )
    return MonthRows(roster, dealers, purchases, adjustments, attendance)
