"""The approval workbook (审批汇总表_<period>.xlsx) that the three signatories sign.

Sheets, in order: 汇总, 对比 and 工程 (年度评议依据 in the year-end run), one detail sheet
per award type (集体奖明细, 个人奖明细, 工龄奖明细, 培训补贴, 其他奖惩 — or 年度奖明细 in
the year-end run), 未发放, 问题清单, 核对, 规则与来源.  The 汇总 header (工号, 姓名, 班组,
one column per award, 合计) is a contract other tools read; the monthly run appends
上月合计, 变动, 备注 after it.

Every sheet prints with the run's stamp (status, run number, time, rules, input
fingerprint) in its footer and, on a draft, 「草稿 — 未批准」 in its header.

The year-end run's workbook is the draft 年度激励评议方案 (FS-MS-KF-13 §4.2): titled so,
signed 编制 / 拟定 / 批准, with the months it does not rest on (missing from the ledger,
still in draft) marked under the title of 汇总.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path

import kfbonus
from kfbonus.model import AwardLine, MonthResult
from kfbonus.money import ZERO, fmt_money, to_capital
from kfbonus.problems import Source
from kfbonus.render.reconcile import Check
from kfbonus.render.sheets import (
    Page,
    checks_sheet,
    problems_sheet,
    rules_sheet,
    sign_off_block,
    warning_count,
)
from kfbonus.render.sheets import merge as _merge
from kfbonus.render.sheets import print_page as _print
from kfbonus.render.view import (
    WorkerView,
    award_columns,
    award_order,
    banner,
    cn_date,
    is_annual,
    line_sort_key,
    months_text,
    period_label,
    periods_text,
    previous_month,
    run_status,
    sources_text,
    stamp_line,
    summary_views,
    worker_sort_key,
)
from kfbonus.render.xlsx import (
    Band,
    Col,
    Formats,
    cell_ref,
    new_workbook,
    text_width,
    write_table,
)
from kfbonus.schemes.kf13.model import ANNUAL_AWARDS, Award
from kfbonus.settings import company_line

__all__ = ["ANNUAL_SIGN_OFF", "ANNUAL_TITLE", "BASIS_SHEET", "SIGN_OFF", "TITLE", "annual_warnings",
           "approval_title", "detail_sheets", "sign_off", "warning_count", "write_approval_workbook"]

TITLE = "客户服务部工程施工安装人员综合激励审批汇总表"
ANNUAL_TITLE = "客户服务部工程施工安装人员年度激励评议方案"
SIGN_OFF = (("编制", "客户服务部核算员"), ("审核", "客户服务部经理"), ("批准", "光热事业部总经理"))
# FS-MS-KF-13 §4.1 the accountant compiles the figures, §4.2 the manager drafts the
# annual plan (拟定年度激励评议方案), §4.3 the division's general manager approves it.
ANNUAL_SIGN_OFF = (("编制", "客户服务部核算员"), ("拟定", "客户服务部经理"), ("批准", "光热事业部总经理"))
BASIS_SHEET = "年度评议依据"
SIGN_CLAUSE = "FS-MS-KF-13 §4"

_MONTHLY_DETAIL = (("集体奖明细", (Award.COLLECTIVE,)), ("个人奖明细", (Award.INDIVIDUAL,)),
                   ("工龄奖明细", (Award.SENIORITY,)), ("培训补贴", (Award.TRAINING,)),
                   ("其他奖惩", (Award.ADJUSTMENT,)))
_ANNUAL_DETAIL = (("年度奖明细", ANNUAL_AWARDS),)
_BY_PROJECT = (Award.COLLECTIVE, Award.INDIVIDUAL)


def approval_title(result: MonthResult) -> str:
    """综合激励审批汇总表 <month>, or 年度激励评议方案 <year>年度 for the year-end run."""
    return f"{ANNUAL_TITLE if is_annual(result) else TITLE} {period_label(result.period)}"


def sign_off(result: MonthResult) -> tuple[tuple[str, str], ...]:
    """(action, role) rows of the sign-off block (FS-MS-KF-13 §4)."""
    return ANNUAL_SIGN_OFF if is_annual(result) else SIGN_OFF


def annual_warnings(result: MonthResult) -> list[str]:
    """The year-end plan's warnings for the top of 汇总: the months missing from the ledger
    and the months still in draft, one line each (none in a monthly run)."""
    plan = result.annual
    if plan is None:
        return []
    out = []
    if plan.missing:
        out.append(f"注意：账本中缺 {periods_text(plan.missing)} 的运行记录，"
                   f"年度奖只按计入的 {len(plan.months)} 个月计算")
    if plan.drafts and plan.drafts_included:
        out.append(f"注意：{periods_text(plan.drafts)} 尚未批准（草稿），按要求已计入，年度奖含草稿数据")
    elif plan.drafts:
        out.append(f"注意：{periods_text(plan.drafts)} 尚未批准（草稿），未计入年度奖")
    return out


def detail_sheets(result: MonthResult) -> list[tuple[str, tuple[Award, ...]]]:
    """(sheet name, awards) for the detail sheets: fixed for the run type, plus one
    ``<奖项>明细`` sheet for any other award type present in the lines."""
    sheets = list(_ANNUAL_DETAIL if is_annual(result) else _MONTHLY_DETAIL)
    covered = {a for _, awards in sheets for a in awards}
    for award in award_columns(result):
        if award not in covered:
            sheets.append((f"{award.label}明细", (award,)))
    return sheets


def _team(team: str) -> str:
    return team or "（未分班组）"


_SUMIF_UNSAFE = set('*?~<>="')


def _summary(wb, f: Formats, result: MonthResult, views: Sequence[WorkerView], page: Page,
             generated_at: dt.datetime) -> None:
    ws = wb.add_worksheet("汇总")
    awards = award_columns(result)
    annual = is_annual(result)
    prev = None if annual else previous_month(result)
    compare = not annual
    cols = [Col("工号", min_width=7), Col("姓名", min_width=8, max_width=20), Col("班组", min_width=9)]
    cols += [Col(a.label, "money", min_width=11, total=True) for a in awards]
    cols.append(Col("合计", "money", min_width=12, total=True))
    if compare:
        cols += [Col("上月合计", "money", min_width=12, total=prev is not None),
                 Col("变动", "money", min_width=11, total=prev is not None),
                 Col("备注", "center", min_width=8)]
    ncols = len(cols)
    first_money, last_money = 3, 3 + len(awards) - 1
    total_col = last_money + 1
    rows_data = summary_views(views)
    settings = f.settings

    page_width = 72 if ncols <= 6 else 100   # display width of the table, about
    ws.merge_range(0, 0, 0, ncols - 1, approval_title(result), f.title)
    ws.set_row(0, 30)
    ws.merge_range(1, 0, 1, ncols - 1,
                   f"方案：{result.scheme}　　考核实施日：{cn_date(result.assess_date)}　　"
                   f"共 {len(rows_data)} 人　　单位：元", f.subtitle)
    stamp = stamp_line(result, generated_at)
    ws.merge_range(2, 0, 2, ncols - 1, stamp, f.stamp if run_status(result) == "草稿" else f.stamp_ok)
    ws.set_row(2, 15 * max(1, math.ceil(text_width(stamp) / (page_width + 20))) + 2)
    header_row = 4
    for text in annual_warnings(result):
        ws.merge_range(header_row - 1, 0, header_row - 1, ncols - 1, text, f.warn)
        ws.set_row(header_row - 1, 15 * max(1, math.ceil(text_width(text) / page_width)) + 4)
        header_row += 1
    rows = []
    marks: list[str] = []
    for v in rows_data:
        row: list[object] = [v.worker_id, v.name, v.team, *[v.by_award.get(a, ZERO) for a in awards], v.total]
        mark = ""
        if compare:
            if prev is None:
                row += [None, None, ""]
            else:
                before = prev.by_worker.get(v.worker_id)
                change = v.total - (before or ZERO)
                if before is None or (before == 0 and v.total != 0):
                    mark = "新增"
                elif settings.large_change(before, change):
                    mark = "变动大"
                row += [before or ZERO, change, mark]
        marks.append(mark)
        rows.append(row)
    end = write_table(ws, f, header_row, cols, rows, autofilter=False, empty_note="（本期无发放）")
    # 合计 per row as a formula carrying its value (the sum across the award columns); 变动 likewise
    for i, v in enumerate(rows_data):
        r = header_row + 1 + i
        formula = f"=SUM({cell_ref(r, first_money)}:{cell_ref(r, last_money)})"
        ws.write_formula(r, total_col, formula, f.money, v.total)
        if compare and prev is None:
            ws.write_string(r, total_col + 1, "—", f.dash)
            ws.write_string(r, total_col + 2, "—", f.dash)
        elif compare:
            change = rows[i][total_col + 2]
            big = marks[i] == "变动大"
            ws.write_formula(r, total_col + 2, f"={cell_ref(r, total_col)}-{cell_ref(r, total_col + 1)}",
                             f.flag_money if big else f.money, change)
            if marks[i]:
                ws.write_string(r, total_col + 3, marks[i], f.flag)
    if compare and prev is None and rows_data:
        ws.write_string(end - 1, total_col + 1, "—", f.total_label)
        ws.write_string(end - 1, total_col + 2, "—", f.total_label)
    first_data, last_data = header_row + 1, header_row + len(rows_data)

    width = _table_width(ws, ncols, page_width)

    def note(row: int, text: str, fmt=f.note_wrap) -> None:
        ws.merge_range(row, 0, row, ncols - 1, text, fmt)
        # 10 % slack: a CJK character prints a little wider than two units in WPS and LibreOffice
        lines = max(1, math.ceil(text_width(text) * 1.1 / max(1.0, width - 2)))
        if lines > 1:
            ws.set_row(row, 14 * lines + 2)

    grand = sum((v.total for v in rows_data), ZERO)
    unpaid = sum((v.unpaid for v in views), ZERO)
    r = end
    note(r, f"合计金额（大写）：{to_capital(grand)}（¥{fmt_money(grand)}）", f.label_wrap)
    r += 1
    note(r, f"注：未发放金额合计 {fmt_money(unpaid)} 元，逐项原因见「未发放」工作表；"
            f"各项合计的核对见「核对」工作表。")
    warnings = warning_count(result)
    if warnings:
        r += 1
        note(r, f"注：本期有警告 {warnings} 条（不影响计算，但请核实），逐条见「问题清单」工作表。")
    absent: list[tuple[str, str, str, Decimal]] = []
    if compare:
        r += 1
        if prev is None:
            period = result.stamp.previous_period if result.stamp else None
            note(r, f"注：账本中没有上月{f'（{period}）' if period else ''}的运行记录，"
                    f"「上月合计」「变动」显示为「—」。")
        else:
            shown = {v.worker_id for v in rows_data}
            for wid, before in sorted(prev.by_worker.items(), key=lambda kv: worker_sort_key(kv[0])):
                if wid not in shown and before != 0:
                    info = result.workers.get(wid)
                    absent.append((wid, info.name if info else prev.names.get(wid, ""),
                                   (info.team or "") if info else "", before))
            note(r, f"注：上月（{prev.period}，{prev.status}）合计 {fmt_money(prev.total)} 元，"
                    f"本月 {fmt_money(grand)} 元，变动 {fmt_money(grand - prev.total)} 元；"
                    f"「变动大」= 变动不少于 {fmt_money(settings.change_yuan)} 元且不少于上月的 "
                    f"{settings.change_pct.normalize():f}%。")
    if absent:
        r += 2
        ws.merge_range(r, 0, r, ncols - 1, "上月有发放、本月无发放的人员", f.label)
        r += 1
        for j, c in enumerate(cols):
            ws.write_string(r, j, c.header, f.header)
        r += 1
        for wid, name, team, before in absent:
            ws.write_string(r, 0, wid, f.text)
            ws.write_string(r, 1, name, f.text)
            ws.write_string(r, 2, team, f.text)
            for j in range(first_money, total_col + 1):
                ws.write_number(r, j, ZERO, f.money)
            ws.write_number(r, total_col + 1, before, f.money)
            ws.write_number(r, total_col + 2, -before, f.money)
            ws.write_string(r, total_col + 3, "本月无", f.flag)
            r += 1
    r = _team_block(ws, f, r + 2, cols, awards, rows_data, prev, absent, first_data, last_data, compare)
    r = sign_off_block(ws, f, r + 1, ncols, sign_off(result), SIGN_CLAUSE)
    _print(ws, page, header_row, landscape=ncols > 12)
    ws.print_area(0, 0, r - 1, ncols - 1)


def _table_width(ws, ncols: int, default: float) -> float:
    """The widths of the first ``ncols`` columns as set, in character units (xlsxwriter
    keeps them in pixels: 7 a character plus 5); ``default`` when unknown."""
    info = getattr(ws, "col_info", None)
    try:
        return float(sum((info[j].width - 5) / 7 for j in range(ncols)))
    except (TypeError, KeyError, AttributeError):
        return default


def _team_block(ws, f: Formats, r: int, cols: Sequence[Col], awards: Sequence[Award],
                rows_data: Sequence[WorkerView], prev, absent, first_data: int, last_data: int,
                compare: bool) -> int:
    """班组小计: per 班组 the count, each award column (SUMIF over 汇总's rows), 合计, and
    against last month.  Returns the next free row."""
    if not rows_data:
        return r
    teams: dict[str, list[WorkerView]] = {}
    for v in rows_data:
        teams.setdefault(v.team, []).append(v)
    absent_by_team: dict[str, Decimal] = {}
    for _, _, team, before in absent:
        absent_by_team[team] = absent_by_team.get(team, ZERO) + before
    for team in absent_by_team:
        teams.setdefault(team, [])
    ncols = len(cols)
    first_money = 3
    total_col = first_money + len(awards)
    ws.merge_range(r, 0, r, ncols - 1, "班组小计", f.label)
    r += 1
    _merge(ws, r, 0, 1, "班组", f.header)
    ws.write_string(r, 2, "人数", f.header)
    for j in range(first_money, ncols):
        ws.write_string(r, j, cols[j].header, f.header)
    r += 1
    team_col = f"$C${first_data + 1}:$C${last_data + 1}"
    for team in sorted(teams, key=lambda t: (t == "", t)):
        members = teams[team]
        _merge(ws, r, 0, 1, _team(team), f.text)
        ws.write_number(r, 2, len(members), f.integer)
        safe = not (_SUMIF_UNSAFE & set(team)) and team != ""
        for k, award in enumerate([*awards, None]):
            j = first_money + k
            value = sum((v.by_award.get(award, ZERO) if award else v.total for v in members), ZERO)
            if safe:
                col = cell_ref(0, j).rstrip("1")
                rng = f"{col}${first_data + 1}:{col}${last_data + 1}"
                ws.write_formula(r, j, f'=SUMIF({team_col},"{team}",{rng})', f.money, value)
            else:
                ws.write_number(r, j, value, f.money)
        if compare:
            total = sum((v.total for v in members), ZERO)
            if prev is None:
                ws.write_string(r, total_col + 1, "—", f.dash)
                ws.write_string(r, total_col + 2, "—", f.dash)
            else:
                before = sum((prev.by_worker.get(v.worker_id, ZERO) for v in members), ZERO)
                before += absent_by_team.get(team, ZERO)
                ws.write_number(r, total_col + 1, before, f.money)
                ws.write_number(r, total_col + 2, total - before, f.money)
            ws.write_blank(r, total_col + 3, None, f.text)
        r += 1
    return r


def _rate(now: Decimal, before: Decimal) -> str:
    """变动率 as text: ``+4.7%``, ``-`` for no change, 新增 from nothing."""
    if now == before:
        return "-"
    if before == 0:
        return "新增"
    return f"{(now - before) / abs(before) * 100:+.1f}%"


def _compare(wb, f: Formats, result: MonthResult, views: Sequence[WorkerView], page: Page) -> None:
    """对比: this month against last month, by award type."""
    ws = wb.add_worksheet("对比")
    prev = previous_month(result)
    awards = award_columns(result)
    cols = [Col("奖项", min_width=12), Col("本月人数", "integer", min_width=9),
            Col("本月金额", "money", min_width=13, total=True), Col("上月人数", "integer", min_width=9),
            Col("上月金额", "money", min_width=13, total=prev is not None),
            Col("变动", "money", min_width=13, total=prev is not None), Col("变动率", "center", min_width=9)]
    summary = summary_views(views)
    rows = []
    for award in awards:
        now = sum((v.by_award.get(award, ZERO) for v in summary), ZERO)
        count = sum(1 for v in summary if v.by_award.get(award, ZERO) != 0)
        if prev is None:
            rows.append([award.label, count, now, None, None, None, "—"])
        else:
            before = prev.by_award.get(award, ZERO)
            rate = _rate(now, before)
            rows.append([award.label, count, now, prev.paid_count.get(award, 0), before, now - before, rate])
    last = len(cols) - 1
    period = prev.period if prev else (result.stamp.previous_period if result.stamp else None)
    ws.merge_range(0, 0, 0, last, f"本月与上月对比 {period_label(result.period)}", f.title)
    if prev is None:
        note = f"账本中没有上月{f'（{period}）' if period else ''}的运行记录，无法对比。单位：元"
    else:
        note = f"上月：{period_label(prev.period)}（{prev.status}）。人数为有发放的人数。单位：元"
    ws.merge_range(1, 0, 1, last, note, f.subtitle)
    end = write_table(ws, f, 3, cols, rows, autofilter=False)
    if prev is None:
        for i in range(len(rows)):
            for j in (3, 4, 5):
                ws.write_string(4 + i, j, "—", f.dash)
    else:
        total_now = sum((row[2] for row in rows), ZERO)
        total_before = sum((row[4] for row in rows), ZERO)
        rate = _rate(total_now, total_before)
        ws.write_string(end - 1, 6, rate, f.total_label)
    _print(ws, page, 3, landscape=False)


def _projects(wb, f: Formats, result: MonthResult, page: Page) -> None:
    """工程: the scores and pools of each project (what to recompute a pool from by hand),
    then where each pool went."""
    ws = wb.add_worksheet("工程")
    by_project: dict[tuple[Award, str], list[AwardLine]] = {}
    for line in result.lines:
        if line.project_id and line.award in _BY_PROJECT:
            by_project.setdefault((line.award, line.project_id), []).append(line)
    widths = [11, 20, 10.5, 10.5, 12, 10.5, 10.5, 10.5, 10.5, 10.5, 10.5, 11, 10.5, 11, 11]
    cols = [Col("工程编号"), Col("工程名称", "wrap"), Col("重点工程", "center"), Col("人数", "integer"),
            Col("计件工资总额", "money", total=True),
            Col("安全得分", "score"), Col("质量得分", "score"), Col("沟通和配合得分", "score"),
            Col("规章制度得分", "score"), Col("总分", "score"), Col("集体激励比例", "percent"),
            Col("集体奖池", "money", total=True), Col("个人激励比例", "percent"),
            Col("个人奖池", "money", total=True), Col("个人奖已发", "money", total=True)]
    flow_cols = [Col("工程编号"), Col("工程名称", "wrap"), Col("集体奖池", "money", total=True),
                 Col("集体奖已发", "money", total=True), Col("不参加未发", "money", total=True),
                 Col("集体未分配", "money", total=True), Col("个人奖池", "money", total=True),
                 Col("个人奖已发", "money", total=True), Col("超出封顶", "money", total=True),
                 Col("不合格未发", "money", total=True), Col("个人未分配", "money", total=True)]
    rows, flows = [], []
    for p in sorted(result.projects, key=lambda p: p.project_id):
        scores = p.scores or {}
        has_individual = p.individual_pool is not None
        rows.append([p.project_id, p.project_name or "", "是" if p.key_project else "否", p.workers,
                     p.piece_total, scores.get("safety"), scores.get("quality"), scores.get("cooperation"),
                     scores.get("discipline"), p.total_score, p.collective_ratio, p.collective_pool,
                     p.individual_ratio, p.individual_pool, p.individual_paid if has_individual else None])
        if p.collective_pool is None and not has_individual:
            continue
        flow: list[object] = [p.project_id, p.project_name or ""]
        if p.collective_pool is not None:
            flow += [p.collective_pool, p.collective_allocated, p.collective_unpaid, p.collective_unallocated]
        else:
            flow += [None] * 4
        if has_individual:
            lines = by_project.get((Award.INDIVIDUAL, p.project_id), [])
            over = sum((x.unpaid for x in lines if x.reason.startswith("超出封顶")), ZERO)
            other = sum((x.unpaid for x in lines if not x.reason.startswith("超出封顶")), ZERO)
            rest = p.individual_pool - p.individual_paid - over - other
            flow += [p.individual_pool, p.individual_paid, over, other, rest]
        else:
            flow += [None] * 5
        flows.append(flow)
    last = len(cols) - 1
    ws.merge_range(0, 0, 0, last, f"工程激励汇总 {period_label(result.period)}", f.title)
    ws.merge_range(1, 0, 1, last,
                   "集体奖池 = 总分 ÷ 100 × 计件工资总额 × 集体激励比例；"
                   "个人奖池 = 个人激励比例 × 计件工资总额（均四舍五入到分）。"
                   "总分 = 四项得分之和 ÷ 4，按原值显示，不四舍五入。单位：元", f.subtitle)
    ws.set_row(1, 30)
    r = write_table(ws, f, 3, cols, rows, autofilter=False, fixed_widths=widths)
    r += 1
    ws.merge_range(r, 0, r, last, "奖池去向", f.label)
    r += 1
    ws.merge_range(r, 0, r, last,
                   "集体奖池 = 已发 + 不参加人员的份额（不转给他人）+ 未分配；个人奖池 = 已发 + 超出封顶"
                   "（每人每月封顶，超出部分不发）+ 不合格未发 + 未分配（申报金额合计小于奖池的部分）。",
                   f.note_wrap)
    ws.set_row(r, 30)
    r += 1
    write_table(ws, f, r, flow_cols, flows, autofilter=False, freeze=False, empty_note="（本期无奖池）",
                fixed_widths=widths[:len(flow_cols)])
    _print(ws, page, 3, landscape=True)


def _incidents_text(items: Sequence[str]) -> str:
    return f"{len(items)} 起：{'；'.join(items)}" if items else "无"


def _basis_sources(sources: Sequence[Source]) -> str:
    """Incident rows as ``file › sheet!row``, then the ledger months compactly
    (``ledger.sqlite › 2026-03…08``)."""
    rows: list[Source] = []
    months: dict[str, list[str]] = {}
    for s in sources:
        if s.row is None and s.col is None and s.sheet and len(s.sheet) == 7 and s.sheet[4] == "-":
            months.setdefault(s.file, []).append(s.sheet)
        else:
            rows.append(s)
    parts = [sources_text(rows)] if rows else []
    parts += [f"{file} › {periods_text(ps)}" for file, ps in months.items()]
    return "; ".join(parts)


def _basis(wb, f: Formats, result: MonthResult, page: Page) -> None:
    """年度评议依据: one row per worker, the facts behind the year-end awards."""
    ws = wb.add_worksheet(BASIS_SHEET)
    plan = result.annual
    cols = [Col("工号", min_width=8), Col("姓名", min_width=8, max_width=20), Col("班组", min_width=8),
            Col("工作月数", "integer", min_width=6), Col("工作月份", min_width=8, max_width=16),
            Col("参与工程数", "integer", min_width=6),
            Col("安全事故", "wrap", min_width=10, max_width=30),
            Col("质量投诉", "wrap", min_width=10, max_width=30),
            Col("质量得分均值", "score", min_width=8), Col("评分工程数", "integer", min_width=6),
            Col("年末在册/排除原因", "wrap", min_width=10, max_width=24),
            Col("年度安全奖", "money", min_width=11, total=True),
            Col("年度质量奖", "money", min_width=11, total=True),
            Col("来源", "wrap", min_width=24, max_width=52)]
    totals = result.totals()
    rows = []
    for b in sorted(plan.basis if plan else (), key=lambda b: worker_sort_key(b.worker_id)):
        paid = totals.get(b.worker_id, {})
        rows.append([b.worker_id, b.name, b.team or "", len(b.months), months_text(b.months), b.projects,
                     _incidents_text(b.safety), _incidents_text(b.quality), b.quality_mean,
                     b.scored_projects, b.status, paid.get(Award.ANNUAL_SAFETY, ZERO),
                     paid.get(Award.ANNUAL_QUALITY, ZERO), _basis_sources(b.sources)])
    last = len(cols) - 1
    ws.merge_range(0, 0, 0, last, f"{BASIS_SHEET} {period_label(result.period)}", f.title)
    if plan is not None:
        rule = (f"评议条件：12 月 31 日在册且全年工作不少于 {plan.min_months} 个月；"
                f"安全奖：全年无点名本人或本人参与工程的安全事故；质量奖：全年无点名本人或本人参与工程的质量投诉，"
                f"且评分工程的质量得分均值不低于 {plan.min_quality_score.normalize():f}。")
        kind = "已批准及草稿" if plan.drafts_included and plan.drafts else "已批准"
        basis = (f"依据账本中{kind}的 {periods_text(plan.months) or '（无）'} 共 {len(plan.months)} 个月"
                 f"及年度事故投诉表。单位：元")
    else:
        rule, basis = "（本结果未带评议依据）", "单位：元"
    ws.merge_range(1, 0, 1, last, rule, f.subtitle)
    ws.merge_range(2, 0, 2, last, basis, f.subtitle)
    write_table(ws, f, 4, cols, rows, empty_note="（无人员）")
    _print(ws, page, 4, landscape=True)


def _split_formula(lines: Sequence[AwardLine]) -> tuple[str, list[str]]:
    """What the lines' formulas share, shown once on the project's heading row, and what
    is left of each (the line's own numbers).

    The shared part is the text before the first ``；`` when every formula has the same
    (a project's pool), then the leading `` × ``-separated factors common to every rest
    (``集体奖池 3,446.77 ÷ 工期总天数 89``): the heading reads ``… ；每人 = 集体奖池 3,446.77 ÷
    工期总天数 89 × …`` and a line ``× 个人工期天数 14 × 个人百分比 110% = 596.407393… → 596.41``.
    ("", the formulas) when they share nothing."""
    texts = [line.formula for line in lines]
    heads = {text.split("；", 1)[0] for text in texts if "；" in text}
    if len(heads) != 1 or any("；" not in text for text in texts):
        return "", texts
    head = heads.pop()
    rests = [text.split("；", 1)[1] for text in texts]
    factors = [rest.split(" × ") for rest in rests]
    common = 0
    shortest = min(len(fs) for fs in factors)
    while common < shortest - 1 and len({fs[common] for fs in factors}) == 1:
        common += 1
    if common == 0 or len(lines) < 2:
        return head, rests
    shared = " × ".join(factors[0][:common])
    return f"{head}；每人 = {shared} × …", ["× " + " × ".join(fs[common:]) for fs in factors]


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _pool_text(project, award: Award) -> str:
    """A project's pool as its formula with the numbers (for the heading of its lines)."""
    if award is Award.COLLECTIVE and project.collective_pool is not None:
        return (f"集体奖池 = 总分 {_num(project.total_score)} ÷ 100 × 计件工资总额 "
                f"{fmt_money(project.piece_total)} × {_num(project.collective_ratio * 100)}% → "
                f"{fmt_money(project.collective_pool)}"
                if project.total_score is not None and project.collective_ratio is not None
                else f"集体奖池 {fmt_money(project.collective_pool)}")
    if award is Award.INDIVIDUAL and project.individual_pool is not None:
        return (f"个人奖池 = {_num(project.individual_ratio * 100)}% × 计件工资总额 "
                f"{fmt_money(project.piece_total)} → {fmt_money(project.individual_pool)}"
                if project.individual_ratio is not None else f"个人奖池 {fmt_money(project.individual_pool)}")
    return ""


def _detail(wb, f: Formats, name: str, awards: tuple[Award, ...], lines: Sequence[AwardLine],
            result: MonthResult, page: Page) -> None:
    """One award type's every line, paid or not.  Awards paid per project are grouped by
    project: a heading row with the pool's formula once, the crew, a 小计 row.  The printed
    columns are what a person checks; 工程编号, 条款 and 来源 are kept to the right of the
    print area (in the file, for whoever traces a figure)."""
    ws = wb.add_worksheet(name)
    several = len(awards) > 1
    by_project = any(a in _BY_PROJECT for a in awards)
    if by_project:
        key = lambda line: (line.project_id or "", worker_sort_key(line.worker_id))  # noqa: E731
    else:
        order = award_order(result)
        key = lambda line: (worker_sort_key(line.worker_id), line_sort_key(line, order))  # noqa: E731
    lines = sorted(lines, key=key)
    has = {
        "award": several,
        "category": any(line.category for line in lines),
        "unpaid": any(line.unpaid != 0 for line in lines),
        "reason": any(line.reason for line in lines),
        "project": not by_project and any(line.project_id for line in lines),
    }
    # (column, value of a line, shown on paper)
    spec: list[tuple[Col, Callable[[AwardLine, str], object]]] = [
        (Col("工号", min_width=7), lambda x, _: x.worker_id),
        (Col("姓名", min_width=8, max_width=20), lambda x, _: x.name)]
    if has["award"]:
        spec.append((Col("奖项", min_width=10), lambda x, _: x.award.label))
    if has["project"]:
        spec += [(Col("工程编号", min_width=11), lambda x, _: x.project_id or ""),
                 (Col("工程名称", "wrap", min_width=10, max_width=20), lambda x, _: x.project_name or "")]
    if has["category"]:
        spec.append((Col("类别", min_width=8, max_width=14), lambda x, _: x.category or ""))
    spec.append((Col("金额", "money", min_width=11, total=True), lambda x, _: x.amount))
    if has["unpaid"]:
        spec.append((Col("未发金额", "money", min_width=11, total=True),
                     lambda x, _: x.unpaid if x.unpaid != 0 else None))
    if has["reason"]:
        spec.append((Col("原因", "wrap", min_width=12, max_width=26), lambda x, _: x.reason))
    spec.append((Col("计算过程", "wrap", min_width=30, max_width=72), lambda _, formula: formula))
    printed = len(spec)
    if by_project:
        spec.append((Col("工程编号", min_width=11), lambda x, _: x.project_id or ""))
    spec += [(Col("条款", min_width=12, max_width=30), lambda x, _: x.clause),
             (Col("来源", min_width=24, max_width=80), lambda x, _: sources_text(x.sources))]
    cols = [c for c, _ in spec]

    def project_rows() -> Iterator[object]:
        projects = {p.project_id: p for p in result.projects}
        groups: dict[str, list[AwardLine]] = {}
        for line in lines:
            groups.setdefault(line.project_id or "", []).append(line)
        for pid, group in groups.items():
            head, formulas = _split_formula(group)
            project = projects.get(pid)
            if not head and project is not None:
                head = _pool_text(project, group[0].award)
            pname = (project.project_name if project else None) or group[0].project_name or ""
            title = f"{pid or '（无工程编号）'}　{pname}".strip()
            yield Band(f"{title}　{head}" if head else title)
            for line, formula in zip(group, formulas, strict=True):
                yield [get(line, formula) for _, get in spec]
            yield Band(f"小计 {pid}".strip(), "subtotal")

    # one row at a time into the sheet (a big month's detail rows are not all held at once)
    rows = project_rows() if by_project else ([get(line, line.formula) for _, get in spec] for line in lines)

    labels = "、".join(a.label for a in awards)
    last = printed - 1
    ws.merge_range(0, 0, 0, last, f"{labels}明细 {period_label(result.period)}", f.title)
    note = "每行一条计算结果，含未发放的行。" if has["unpaid"] or has["reason"] else "每行一条计算结果。"
    if by_project:
        note = "按工程分组：工程行列出奖池的计算，其下为每人的份额和小计。" + note
    ws.merge_range(1, 0, 1, last, note + "单位：元（条款、来源在打印区域右侧）", f.subtitle)
    end = write_table(ws, f, 3, cols, rows, autofilter=not by_project, empty_note=f"本期无{labels}",
                      span=printed)
    _print(ws, page, 3, landscape=True)
    ws.print_area(0, 0, max(end - 1, 4), last)


def _unpaid(wb, f: Formats, result: MonthResult, views: Sequence[WorkerView], page: Page) -> None:
    ws = wb.add_worksheet("未发放")
    cols = [Col("工号", min_width=7), Col("姓名", min_width=8, max_width=20), Col("奖项", min_width=9),
            Col("工程编号", min_width=11), Col("工程名称", "wrap", min_width=10, max_width=16),
            Col("已发金额", "money", min_width=11, total=True),
            Col("未发金额", "money", min_width=11, total=True),
            Col("原因", "wrap", min_width=16, max_width=30),
            Col("计算过程", "wrap", min_width=24, max_width=66),
            Col("条款", min_width=12, max_width=30)]
    rows = ([line.worker_id, line.name, line.award.label, line.project_id or "", line.project_name or "",
             line.amount, line.unpaid, line.reason, line.formula, line.clause]
            for v in views for line in v.lines if line.refused)
    last = len(cols) - 2
    ws.merge_range(0, 0, 0, last, f"未发放明细 {period_label(result.period)}", f.title)
    ws.merge_range(1, 0, 1, last,
                   "按方案不发放或未全额发放的项目：未发金额不转给他人。"
                   "单位：元（条款在打印区域右侧）", f.subtitle)
    end = write_table(ws, f, 3, cols, rows, empty_note="本期无未发放项目")
    _print(ws, page, 3, landscape=True)
    ws.print_area(0, 0, max(end - 1, 4), last)


def write_approval_workbook(result: MonthResult, views: Sequence[WorkerView], checks: Sequence[Check],
                            path: Path, generated_at: dt.datetime) -> Path:
    """Write 审批汇总表 to ``path`` from the result, the per-worker views and the checks."""
    title = approval_title(result)
    wb = new_workbook(path, title, result.scheme, generated_at, f"kfbonus {kfbonus.__version__}")
    f = Formats(wb)
    page = Page(company_line(), stamp_line(result, generated_at), banner(result))
    _summary(wb, f, result, views, page, generated_at)
    if is_annual(result):
        _basis(wb, f, result, page)
    else:
        _compare(wb, f, result, views, page)
        _projects(wb, f, result, page)
    by_award: dict[Award, list[AwardLine]] = {}
    for line in result.lines:
        by_award.setdefault(line.award, []).append(line)
    for name, awards in detail_sheets(result):
        lines = [line for a in awards for line in by_award.get(a, [])]
        _detail(wb, f, name, awards, lines, result, page)
    _unpaid(wb, f, result, views, page)
    problems_sheet(wb, f, result, page)
    checks_sheet(wb, f, result, checks, page)
    rules_sheet(wb, f, result, generated_at, page)
    wb.close()
    return path
