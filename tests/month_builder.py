"""Build a :class:`~kfbonus.model.MonthInput` directly from rows, without workbooks.

``build_month({"roster": [{"worker_id": "A01", ...}], "settlement": [...]})`` makes one
Columns table per kind of kfbonus.schema, with a fake :class:`SheetTable` per kind
(file ``人员名册.xlsx``, sheet = the table's title, header on row 1, column letters from
the field order), so every ``src`` and every cell Source looks like the reader's.
Row keys may be field names (``piece_wage``) or Chinese headers/aliases (``计件工资``).
Values are typed as the reader would: numbers/money from int, str or Decimal (``"15%"``
for ratios; bare numbers read by the field's range as INPUTS.md says), dates from
``date`` or ``"2026-11-30"``, yes/no from bool or 是/否, skills
from a list or ``"电工、焊工"``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from string import ascii_uppercase

from kfbonus.model import Columns, MonthInput
from kfbonus.money import D
from kfbonus.problems import RowRef, SheetTable
from kfbonus.schema import Field, Kind
from kfbonus.schemes import all_tables
from kfbonus.values import Percentage

TABLES = all_tables()

__all__ = ["FILES", "build_month"]

FILES = {
    "roster": "人员名册.xlsx",
    "settlement": "计件工资结算单.xlsx",
    "application": "工程激励申报.xlsx",
    "scores": "工程评分.xlsx",
    "nomination": "个人激励申报.xlsx",
    "attendance": "考勤.xlsx",
    "training": "带薪培训.xlsx",
    "adjustment": "其他奖惩.xlsx",
    "incident": "事故投诉.xlsx",
}


def _typed(f: Field, v: object) -> object:
    if v is None or v == "":
        return None
    if f.kind is Kind.MONEY_OR_PERCENT and isinstance(v, str) and v.strip().endswith("%"):
        return Percentage(D(v.strip()[:-1]) / 100)
    if f.kind in (Kind.NUMBER, Kind.MONEY, Kind.RATIO, Kind.PERCENT, Kind.MONEY_OR_PERCENT):
        if isinstance(v, str) and v.strip().endswith("%"):
            return D(v.strip()[:-1]) / 100
        if isinstance(v, float):
            raise TypeError(f"{f.name}: write numbers as str/int/Decimal, not float {v!r}")
        d = D(v)
        if f.kind is Kind.RATIO and d > 1:      # award ratio: 15 = 15%
            return d / 100
        if f.kind is Kind.PERCENT and d > 5:    # 个人百分比: 110 = 110%, 1.1 = 110%
            return d / 100
        return d
    if f.kind is Kind.DATE:
        return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))
    if f.kind is Kind.BOOL:
        if isinstance(v, bool):
            return v
        return str(v).strip() in ("是", "√", "Y", "1")
    if f.kind is Kind.SKILLS:
        if isinstance(v, list | tuple):
            return tuple(str(x) for x in v)
        return tuple(s for s in str(v).replace("，", "、").split("、") if s)
    if isinstance(v, Decimal):
        return format(v, "f")
    return str(v).strip()


def build_month(rows: Mapping[str, Sequence[Mapping[str, object]]], folder: str = "2026-11") -> MonthInput:
    """One table (Columns) per kind (empty when ``rows`` has none), typed, with real-looking sources."""
    unknown = set(rows) - {t.kind for t in TABLES}
    if unknown:
        raise KeyError(f"unknown table kinds: {sorted(unknown)}")
    tables: dict[str, Columns] = {}
    for table in TABLES:
        columns = {f.name: (ascii_uppercase[i], f.header) for i, f in enumerate(table.fields)}
        sheet = SheetTable(FILES.get(table.kind, f"{table.title}.xlsx"), table.title, table.kind, 1, columns)
        by_header = {h: f for f in table.fields for h in (f.name, *f.headers)}
        records = []
        for n, given in enumerate(rows.get(table.kind, ()), start=2):
            bad = set(given) - set(by_header)
            if bad:
                raise KeyError(f"{table.kind}: unknown columns {sorted(bad)}")
            rec: dict[str, object] = {f.name: None for f in table.fields}
            for key, value in given.items():
                f = by_header[key]
                rec[f.name] = _typed(f, value)
            rec["src"] = RowRef(sheet, n)
            records.append(rec)
        cols = [f.name for f in table.fields] + ["src"]
        tables[table.kind] = Columns.from_records(cols, records)
    return MonthInput(folder=folder, tables=tables, files=[], found=[], problems=[], read=TABLES)
