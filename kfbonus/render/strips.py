"""工资条 (pay strips): for each worker a header row and the worker's row, a blank row
between workers, printed on A4 portrait and cut apart.

The workers are those of 汇总 (any non-zero line), with the same figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import kfbonus
from kfbonus.model import MonthResult
from kfbonus.money import ZERO
from kfbonus.render.view import WorkerView, award_columns, period_label, stamp_line, summary_views, what_of
from kfbonus.render.xlsx import Formats, new_workbook, print_setup, text_width
from kfbonus.settings import company_line

__all__ = ["strip_headers", "write_strips"]


def strip_headers(result: MonthResult) -> list[str]:
    return ["月份", "工号", "姓名", "班组", *[a.label for a in award_columns(result)], "合计"]


def write_strips(result: MonthResult, views: Sequence[WorkerView], path: Path,
                 generated_at: dt.datetime) -> Path:
    awards = award_columns(result)
    headers = strip_headers(result)
    label = period_label(result.period)
    title = f"{what_of(result)}工资条 {label}"
    wb = new_workbook(path, title, result.scheme, generated_at, f"kfbonus {kfbonus.__version__}")
    f = Formats(wb)
    ws = wb.add_worksheet("工资条")
    widths = [text_width(h) + 3 for h in headers]
    widths[2] = max(widths[2], 10)
    r = 0
    for v in summary_views(views):
        ws.set_row(r, 20)
        ws.set_row(r + 1, 22)
        for j, h in enumerate(headers):
            ws.write_string(r, j, h, f.header)
        texts = [label, v.worker_id, v.name, v.team]
        for j, text in enumerate(texts):
            ws.write_string(r + 1, j, text, f.text)
            widths[j] = max(widths[j], min(30, text_width(text) + 2))
        for j, a in enumerate(awards, start=len(texts)):
            amount = v.by_award.get(a, ZERO)
            ws.write_number(r + 1, j, amount, f.money)
            widths[j] = max(widths[j], text_width(f"{amount:,.2f}") + 2)
        ws.write_number(r + 1, len(headers) - 1, v.total, f.total_money)
        widths[-1] = max(widths[-1], text_width(f"{v.total:,.2f}") + 3)
        r += 3   # header, worker, blank line to cut along
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)
    # the run's stamp in the footer (not the 草稿 banner: strips are cut and handed out)
    print_setup(ws, f"{company_line()}　{title}", None, landscape=False,
                stamp=stamp_line(result, generated_at))
    wb.close()
    return path
