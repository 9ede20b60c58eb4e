"""工资导入_<period>.xlsx: the month's incentives as one flat sheet for payroll software
(用友, 金蝶) or an Excel lookup — header in row 1 (工号, 姓名, one column per award, 合计),
one row per worker of 汇总, nothing else: no title, no total row, no signatures.

Amounts are numbers (two decimals), 工号 is text (leading zeros kept) with the "number
stored as text" flag switched off; the figures are 汇总's, to the fen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import kfbonus
from kfbonus.model import MonthResult
from kfbonus.money import ZERO
from kfbonus.render.view import WorkerView, award_columns, period_label, summary_views, what_of
from kfbonus.render.xlsx import new_workbook, no_number_text_flags, text_width

__all__ = ["payroll_headers", "payroll_name", "write_payroll"]

SHEET = "工资导入"


def payroll_name(period: str) -> str:
    return f"工资导入_{period}.xlsx"


def payroll_headers(result: MonthResult) -> list[str]:
    return ["工号", "姓名", *[a.label for a in award_columns(result)], "合计"]


def write_payroll(result: MonthResult, views: Sequence[WorkerView], path: Path,
                  generated_at: dt.datetime) -> Path:
    awards = award_columns(result)
    headers = payroll_headers(result)
    title = f"{what_of(result)}工资导入 {period_label(result.period)}"
    wb = new_workbook(path, title, result.scheme, generated_at, f"kfbonus {kfbonus.__version__}")
    text = wb.add_format({"num_format": "@"})
    money = wb.add_format({"num_format": "0.00"})
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet(SHEET)
    widths = [text_width(h) + 2 for h in headers]
    for j, h in enumerate(headers):
        ws.write_string(0, j, h, bold)
    for i, v in enumerate(summary_views(views), start=1):
        ws.write_string(i, 0, v.worker_id, text)
        ws.write_string(i, 1, v.name, text)
        widths[0] = max(widths[0], text_width(v.worker_id) + 2)
        widths[1] = max(widths[1], min(30, text_width(v.name) + 2))
        for j, a in enumerate(awards, start=2):
            ws.write_number(i, j, v.by_award.get(a, ZERO), money)
        ws.write_number(i, len(headers) - 1, v.total, money)
    for j, w in enumerate(widths):
        ws.set_column(j, j, max(w, 10))
    ws.freeze_panes(1, 0)
    no_number_text_flags(ws)
    wb.close()
    return path
