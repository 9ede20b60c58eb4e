"""售后客服、销售岗位业绩提成审批表 (COMMISSION.md § Outputs), written with xlsxwriter.

Sheets: 汇总 (工号, 姓名, 岗位, 底薪, 客服提成, 销售提成, 其他奖惩, 合计; one row per worker
with any non-zero line, then 合计; sign-off block), 加盟商 (per dealer), 明细 (every line
with formula, clause, sources), 问题清单, 规则与来源.  The look follows FS-MS-KF-13's
workbook: title block, run stamp, 草稿 banner and footer on every printed page.

``render.view.worker_views`` groups by FS-MS-KF-13's Award enum, so this writer takes
what it needs from ``result.lines`` directly (``views`` is accepted and not used).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

import kfbonus
from kfbonus.model import AwardLine, MonthResult
from kfbonus.money import ZERO, to_capital
from kfbonus.render.sheets import Page, checks_sheet, print_page, problems_sheet, rules_sheet, sign_off_block
from kfbonus.render.view import (
    banner,
    cn_date,
    period_label,
    run_status,
    sources_text,
    stamp_line,
    worker_sort_key,
)
from kfbonus.render.xlsx import Col, Formats, new_workbook, text_width, write_table
from kfbonus.settings import company_line

__all__ = ["AWARDS", "SIGN_OFF", "TITLE", "approval_title", "summary_rows", "write_workbook"]

TITLE = "售后客服、销售岗位业绩提成审批表"
AWARDS = (
    ("base_salary", "底薪"),
    ("service_commission", "客服提成"),
    ("sales_commission", "销售提成"),
    ("adjustment", "其他奖惩"),
)
_LABELS = dict(AWARDS)
SIGN_OFF = (("编制", "客户服务部核算员"), ("审核", "客户服务部经理"), ("批准", "光热事业部总经理"))


def approval_title(result: MonthResult) -> str:
    return f"{TITLE} {period_label(result.period)}"


def summary_rows(result: MonthResult) -> list[list[object]]:
    """汇总's rows: [工号, 姓名, 岗位, 底薪, 客服提成, 销售提成, 其他奖惩, 合计], one per worker
    with any non-zero line, by 工号."""
    per: dict[str, dict[str, Decimal]] = {}
    names: dict[str, str] = {}
    for line in result.lines:
        if line.amount == 0:
            continue
        by = per.setdefault(line.worker_id, {})
        by[str(line.award)] = by.get(str(line.award), ZERO) + line.amount
        names.setdefault(line.worker_id, line.name)
    rows = []
    for wid in sorted(per, key=worker_sort_key):
        info = result.workers.get(wid)
        amounts = [per[wid].get(a, ZERO) for a, _ in AWARDS]
        rows.append(
            [
                wid,
                (info.name if info else "") or names[wid],
                (info.position if info else "") or "",
                *amounts,
                sum(amounts, ZERO),
            ]
        )
    return rows


def _summary(wb, f: Formats, result: MonthResult, page: Page) -> None:
    ws = wb.add_worksheet("汇总")
    cols = [Col("工号", min_width=7), Col("姓名", min_width=8, max_width=20), Col("岗位", min_width=8)]
    cols += [Col(label, "money", min_width=11, total=True) for _, label in AWARDS]
    cols.append(Col("合计", "money", min_width=12, total=True))
    ncols = len(cols)
    rows = summary_rows(result)
    ws.merge_range(0, 0, 0, ncols - 1, approval_title(result), f.title)
    ws.set_row(0, 30)
    ws.merge_range(
        1,
        0,
        1,
        ncols - 1,
        f"{company_line()}　　方案：{result.scheme}　　考核实施日：{cn_date(result.assess_date)}　　"
        f"共 {len(rows)} 人　　单位：元",
        f.subtitle,
    )
    ws.merge_range(2, 0, 2, ncols - 1, page.stamp, f.stamp if run_status(result) == "草稿" else f.stamp_ok)
    ws.set_row(2, 15 * max(1, math.ceil(text_width(page.stamp) / 90)) + 2)
    header_row = 4
    r = write_table(ws, f, header_row, cols, rows, empty_note="本月无发放")
    total = sum((row[-1] for row in rows), ZERO)
    r += 1
    ws.merge_range(r, 0, r, ncols - 1, f"合计金额（大写）：{to_capital(total)}", f.label)
    r = sign_off_block(ws, f, r + 2, ncols, result.presentation.signers if result.presentation else SIGN_OFF)
    print_page(ws, page, header_row, landscape=False)
    ws.print_area(0, 0, r - 1, ncols - 1)


def _dealers(wb, f: Formats, result: MonthResult, page: Page) -> None:
    ws = wb.add_worksheet("加盟商")
    cols = [
        Col("加盟商编号", min_width=10),
        Col("加盟商名称", "wrap", min_width=10, max_width=24),
        Col("月提货额", "money", min_width=13, total=True),
        Col("档位", "center", min_width=8),
        Col("比例", "percent", min_width=7),
        Col("客服提成", "money", min_width=11, total=True),
        Col("售后客服", min_width=12),
        Col("云商城提货额", "money", min_width=13, total=True),
        Col("签约销售", min_width=12),
        Col("提货行数", "integer", min_width=6),
        Col("来源", min_width=24, max_width=80),
    ]
    dealers = result.details.get("dealers", ())
    rows = [
        [
            d.dealer_id,
            d.name or "",
            d.total,
            d.tier,
            d.rate,
            d.commission,
            f"{d.service_id} {d.service_name}".strip() if d.service_id else "",
            d.cloud_total,
            f"{d.sales_id} {d.sales_name}".strip() if d.sales_id else "",
            d.rows,
            sources_text(d.sources),
        ]
        for d in dealers
    ]  # type: ignore[attr-defined]
    _listing(ws, f, page, f"加盟商月提货额与客服提成 {period_label(result.period)}",
             "每个加盟商一行：本月提货额合计、所属档位与客服提成比例（整月提货额按档位比例计）。单位：元",
             cols, rows, "本月无加盟商", last=len(cols) - 2)


def _details(wb, f: Formats, result: MonthResult, page: Page) -> None:
    ws = wb.add_worksheet("明细")
    cols = [
        Col("工号", min_width=7),
        Col("姓名", min_width=8, max_width=20),
        Col("奖项", min_width=8),
        Col("加盟商", min_width=8),
        Col("类别", min_width=8, max_width=14),
        Col("金额", "money", min_width=11, total=True),
        Col("未发金额", "money", min_width=11, total=True),
        Col("原因", "wrap", min_width=10, max_width=26),
        Col("计算过程", "wrap", min_width=30, max_width=72),
        Col("条款", min_width=12, max_width=34),
        Col("来源", min_width=24, max_width=80),
    ]
    lines: Sequence[AwardLine] = result.lines
    rows = (   # one row at a time into the sheet
        [
            x.worker_id,
            x.name,
            _LABELS.get(str(x.award), str(x.award)),
            x.project_id or "",
            x.category or "",
            x.amount,
            x.unpaid if x.unpaid != 0 else None,
            x.reason,
            x.formula,
            x.clause,
            sources_text(x.sources),
        ]
        for x in lines
    )
    _listing(ws, f, page, f"业绩提成明细 {period_label(result.period)}",
             "每行一条计算结果，含不计提成和未发放的行。单位：元（条款、来源在打印区域右侧）",
             cols, rows, "本月无明细", last=8)


def _listing(ws, f: Formats, page: Page, title: str, subtitle: str,
             cols: list[Col], rows: Iterable, empty_note: str, last: int) -> None:
    """A sheet that is one table under a title and a subtitle, printed landscape up to
    column ``last`` (the columns right of it are for the screen)."""
    ws.merge_range(0, 0, 0, last, title, f.title)
    ws.merge_range(1, 0, 1, last, subtitle, f.subtitle)
    end = write_table(ws, f, 3, cols, rows, empty_note=empty_note)
    print_page(ws, page, 3, landscape=True)
    ws.print_area(0, 0, max(end - 1, 4), last)


def write_workbook(result: MonthResult, views, checks, path: Path, generated_at: dt.datetime) -> Path:
    """Write the approval workbook to ``path``: 汇总, 加盟商, 明细, 问题清单, 核对 (the
    reconciliation every scheme gets, ``checks``), 规则与来源."""
    path = Path(path)
    wb = new_workbook(
        path, approval_title(result), result.scheme, generated_at, f"kfbonus {kfbonus.__version__}"
    )
    f = Formats(wb)
    # every printed page: the company left (the sheet carries its title), the draft banner, the stamp
    page = Page(company_line(), stamp_line(result, generated_at), banner(result))
    _summary(wb, f, result, page)
    _dealers(wb, f, result, page)
    _details(wb, f, result, page)
    problems_sheet(wb, f, result, page)
    checks_sheet(wb, f, result, checks, page)
    rules_sheet(wb, f, result, generated_at, page)
    wb.close()
    return path
