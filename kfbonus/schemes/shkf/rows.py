"""Typed rows of the month's tables, built once from the reader's DataFrames."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from kfbonus.model import MonthInput
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


def _records(df: pd.DataFrame | None) -> list[dict]:
    if df is None or df.empty:
        return []
    return df.to_dict("records")


def _opt(value: object) -> object:
    return None if value is None or (isinstance(value, float) and value != value) else value


def _get(rec: dict, name: str) -> object:
    return _opt(rec.get(name))


def build(month: MonthInput) -> MonthRows:
    t = month.tables
    roster = tuple(
        WorkerRow(
            str(r["worker_id"]),
            str(_get(r, "name") or ""),
            _get(r, "position"),
            _get(r, "team"),
            _get(r, "employment_type"),
            _get(r, "hire_date"),
            _get(r, "regular_date"),
            _get(r, "leave_date"),
            r["src"],
        )
        for r in _records(t.get("roster"))
        if _get(r, "worker_id") is not None
    )
    dealers = tuple(
        DealerRow(
            str(r["dealer_id"]), _get(r, "dealer_name"), _get(r, "service_id"), _get(r, "sales_id"), r["src"]
        )
        for r in _records(t.get("dealer"))
        if _get(r, "dealer_id") is not None
    )
    purchases = tuple(
        PurchaseRow(
            str(r["dealer_id"]),
            _get(r, "date"),
            _get(r, "channel"),
            _get(r, "sales"),
            _get(r, "discount"),
            _get(r, "amount"),
            r["src"],
        )
        for r in _records(t.get("purchase"))
        if _get(r, "dealer_id") is not None
    )
    adjustments = tuple(
        AdjustmentRow(
            _get(r, "worker_id"),
            _get(r, "team"),
            _get(r, "category"),
            _get(r, "amount"),
            _get(r, "note"),
            _get(r, "name"),
            r["src"],
        )
        for r in _records(t.get("adjustment"))
    )
    attendance = tuple(
        AttendanceRow(str(r["worker_id"]), _get(r, "longest_absence"), r["src"])
        for r in _records(t.get("attendance"))
        if _get(r, "worker_id") is not None
    )
    return MonthRows(roster, dealers, purchases, adjustments, attendance)
