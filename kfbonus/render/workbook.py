"""The approval workbook (审批汇总表_<period>.xlsx) that the three signatories sign.

Sheets, in order: 汇总, 工程 (年度评议依据 in the year-end run), one detail sheet per
award type (集体奖明细, 个人奖明细, 工龄奖明细, 培训补贴, 其他奖惩 — or 年度奖明细 in the
year-end run), 未发放, 问题清单, 核对, 规则与来源.  The 汇总 header (工号, 姓名, 班组,
one column per award, 合计) is a contract other tools read.

The year-end run's workbook is the draft 年度激励评议方案 (FS-MS-KF-13 §4.2): titled so,
signed 编制 / 拟定 / 批准, with the months it does not rest on (missing from the ledger,
still in draft) marked under the title of 汇总.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path

import kfbonus
from kfbonus.model import ANNUAL_AWARDS, Award, AwardLine, MonthResult
from kfbonus.money import ZERO, fmt_money, to_capital
from kfbonus.problems import Severity, Source, sorted_problems
from kfbonus.render.reconcile import Check
from kfbonus.render.view import (
    WorkerView,
    award_columns,
    is_annual,
    line_sort_key,
    months_text,
    period_label,
    periods_text,
    sources_text,
    summary_views,
    worker_sort_key,
)
from kfbonus.render.xlsx import Col, Formats, cell_ref, new_workbook, print_setup, text_width, write_table
from kfbonus.schema import TABLE_BY_KIND

__all__ = ["ANNUAL_SIGN_OFF", "ANNUAL_TITLE", "BASIS_SHEET", "SIGN_OFF", "TITLE", "annual_warnings",
           "approval_title", "detail_sheets", "sign_off", "warning_count", "write_approval_workbook"]

TITLE = "客户服务部工程施工安装人员综合激励审批汇总表"
ANNUAL_TITLE = "客户服务部工程施工安装人员年度激励评议方案"
COMPANY = "广东五星太阳能有限公司 客户服务部"
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


def _unique_problems(result: MonthResult) -> list:
    seen: dict[object, None] = {}
    for p in [*(result.inputs.problems if result.inputs else []), *result.problems]:
        seen.setdefault(p, None)
    return list(seen)


def warning_count(result: MonthResult) -> int:
    """Warnings of the run (the input's and compute's, each once), as 问题清单 lists them."""
    return sum(p.severity is Severity.WARNING for p in _unique_problems(result))


def detail_sheets(result: MonthResult) -> list[tuple[str, tuple[Award, ...]]]:
    """(sheet name, awards) for the detail sheets: fixed for the run type, plus one
    ``<奖项>明细`` sheet for any other award type present in the lines."""
    sheets = list(_ANNUAL_DETAIL if is_annual(result) else _MONTHLY_DETAIL)
    covered = {a for _, awards in sheets for a in awards}
    for award in award_columns(result):
        if award not in covered:
            sheets.append((f"{award.label}明细", (award,)))
    return sheets


def _merge(ws, row: int, first: int, last: int, text: str, fmt) -> None:
    if last > first:
        ws.merge_range(row, first, row, last, text, fmt)
    else:
        ws.write_string(row, first, text, fmt)


def _summary(wb, f: Formats, result: MonthResult, views: Sequence[WorkerView], header_text: str) -> None:
    ws = wb.add_worksheet("汇总")
    awards = award_columns(result)
    cols = [Col("工号", min_width=8), Col("姓名", min_width=10, max_width=28), Col("班组", min_width=10)]
    cols += [Col(a.label, "money", min_width=12, total=True) for a in awards]
    cols.append(Col("合计", "money", min_width=13, total=True))
    ncols = len(cols)
    first_money, last_money = 3, 3 + len(awards) - 1
    rows_data = summary_views(views)

    ws.merge_range(0, 0, 0, ncols - 1, approval_title(result), f.title)
    ws.set_row(0, 30)
    ws.merge_range(1, 0, 1, ncols - 1,
                   f"方案：{result.scheme}　　考核实施日：{result.assess_date.isoformat()}　　"
                   f"共 {len(rows_data)} 人　　单位：元", f.subtitle)
    header_row = 3
    page_width = 72 if ncols <= 6 else 100   # display width of the table, about
    for text in annual_warnings(result):
        ws.merge_range(header_row - 1, 0, header_row - 1, ncols - 1, text, f.warn)
        ws.set_row(header_row - 1, 15 * max(1, math.ceil(text_width(text) / page_width)) + 4)
        header_row += 1
    rows = [[v.worker_id, v.name, v.team, *[v.by_award.get(a, ZERO) for a in awards], v.total]
            for v in rows_data]
    end = write_table(ws, f, header_row, cols, rows, autofilter=False, empty_note="（本期无发放）")
    # 合计 per row as a formula carrying its value (the sum across the award columns)
    for i, v in enumerate(rows_data):
        r = header_row + 1 + i
        formula = f"=SUM({cell_ref(r, first_money)}:{cell_ref(r, last_money)})"
        ws.write_formula(r, ncols - 1, formula, f.money, v.total)

    grand = sum((v.total for v in rows_data), ZERO)
    unpaid = sum((v.unpaid for v in views), ZERO)
    r = end
    ws.merge_range(r, 0, r, ncols - 1,
                   f"合计金额（大写）：{to_capital(grand)}（¥{fmt_money(grand)}）", f.label)
    r += 1
    ws.merge_range(r, 0, r, ncols - 1,
                   f"注：未发放金额合计 {fmt_money(unpaid)} 元，逐项原因见「未发放」工作表；"
                   f"各项合计的核对见「核对」工作表。", f.note)
    warnings = warning_count(result)
    if warnings:
        r += 1
        ws.merge_range(r, 0, r, ncols - 1,
                       f"注：本期有警告 {warnings} 条（不影响计算，但请核实），逐条见「问题清单」工作表。",
                       f.note)
    r += 2
    ws.merge_range(r, 0, r, ncols - 1, f"审批（{SIGN_CLAUSE}）", f.sign_label)
    r += 1
    mid = max(3, ncols // 2)
    for action, role in sign_off(result):
        ws.set_row(r, 30)
        ws.write_string(r, 0, action, f.sign_label)
        _merge(ws, r, 1, 2, role, f.sign)
        _merge(ws, r, 3, mid, "签字：________________", f.sign)
        _merge(ws, r, mid + 1, ncols - 1, "日期：________年____月____日", f.sign)
        r += 1
    print_setup(ws, header_text, header_row, landscape=ncols > 9)
    ws.print_area(0, 0, r - 1, ncols - 1)


def _projects(wb, f: Formats, result: MonthResult, header_text: str) -> None:
    ws = wb.add_worksheet("工程")
    cols = [Col("工程编号", min_width=12), Col("工程名称", "wrap", min_width=14, max_width=24),
            Col("重点工程", "center", min_width=5), Col("人数", "integer", min_width=5),
            Col("计件工资总额", "money", min_width=12, total=True),
            Col("安全得分", "score"), Col("质量得分", "score"), Col("沟通和配合得分", "score"),
            Col("规章制度得分", "score"), Col("总分", "score"), Col("集体激励比例", "percent"),
            Col("集体奖池", "money", total=True), Col("已分配", "money", total=True),
            Col("未发（不参加）", "money", total=True), Col("未分配", "money", total=True),
            Col("个人激励比例", "percent"), Col("个人奖池", "money", total=True),
            Col("个人奖已发", "money", total=True)]
    rows = []
    for p in sorted(result.projects, key=lambda p: p.project_id):
        scores = p.scores or {}
        has_collective = p.collective_pool is not None
        has_individual = p.individual_pool is not None
        rows.append([
            p.project_id, p.project_name or "", "是" if p.key_project else "否", p.workers, p.piece_total,
            scores.get("safety"), scores.get("quality"), scores.get("cooperation"), scores.get("discipline"),
            p.total_score, p.collective_ratio, p.collective_pool,
            p.collective_allocated if has_collective else None,
            p.collective_unpaid if has_collective else None,
            p.collective_unallocated if has_collective else None,
            p.individual_ratio, p.individual_pool, p.individual_paid if has_individual else None,
        ])
    ws.merge_range(0, 0, 0, len(cols) - 1, f"工程激励汇总 {period_label(result.period)}", f.title)
    ws.merge_range(1, 0, 1, len(cols) - 1,
                   "集体奖池 = 已分配 + 未发（不参加人员的份额）+ 未分配；个人奖已发 ≤ 个人奖池。单位：元",
                   f.subtitle)
    write_table(ws, f, 3, cols, rows, autofilter=True)
    print_setup(ws, header_text, 3, landscape=True)


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


def _basis(wb, f: Formats, result: MonthResult, header_text: str) -> None:
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
        basis = (f"依据账本中 {periods_text(plan.months) or '（无）'} 共 {len(plan.months)} 个月的运行记录"
                 f"及年度事故投诉表。单位：元")
    else:
        rule, basis = "（本结果未带评议依据）", "单位：元"
    ws.merge_range(1, 0, 1, last, rule, f.subtitle)
    ws.merge_range(2, 0, 2, last, basis, f.subtitle)
    write_table(ws, f, 4, cols, rows, empty_note="（无人员）")
    print_setup(ws, header_text, 4, landscape=True)


def _detail_rows(lines: Sequence[AwardLine], several: bool) -> list[list[object]]:
    rows = []
    for line in lines:
        row: list[object] = [line.worker_id, line.name]
        if several:
            row.append(line.award.label)
        row += [line.project_id or "", line.project_name or "", line.category or "", line.amount,
                line.unpaid if line.unpaid != 0 else None, line.reason, line.formula, line.clause,
                sources_text(line.sources)]
        rows.append(row)
    return rows


def _detail(wb, f: Formats, name: str, awards: tuple[Award, ...], lines: Sequence[AwardLine],
            result: MonthResult, header_text: str) -> None:
    ws = wb.add_worksheet(name)
    several = len(awards) > 1
    cols = [Col("工号", min_width=8), Col("姓名", min_width=10, max_width=28)]
    if several:
        cols.append(Col("奖项", min_width=10))
    cols += [Col("工程编号", min_width=11), Col("工程名称", "wrap", min_width=10, max_width=20),
             Col("类别", min_width=8, max_width=14), Col("金额", "money", min_width=11, total=True),
             Col("未发金额", "money", min_width=11, total=True),
             Col("原因", "wrap", min_width=10, max_width=22),
             Col("计算过程", "wrap", min_width=24, max_width=36),
             Col("条款", "wrap", min_width=12, max_width=18),
             Col("来源", "wrap", min_width=24, max_width=36)]
    if any(a in _BY_PROJECT for a in awards):
        key = lambda line: (line.project_id or "", worker_sort_key(line.worker_id))  # noqa: E731
    else:
        key = lambda line: (worker_sort_key(line.worker_id), line_sort_key(line))  # noqa: E731
    labels = "、".join(a.label for a in awards)
    ws.merge_range(0, 0, 0, len(cols) - 1, f"{labels}明细 {period_label(result.period)}", f.title)
    ws.merge_range(1, 0, 1, len(cols) - 1,
                   "每行一条计算结果，含未发放的行（见「未发金额」与「原因」）。单位：元", f.subtitle)
    write_table(ws, f, 3, cols, _detail_rows(sorted(lines, key=key), several),
                empty_note=f"本期无{labels}")
    print_setup(ws, header_text, 3, landscape=True)


def _unpaid(wb, f: Formats, result: MonthResult, views: Sequence[WorkerView], header_text: str) -> None:
    ws = wb.add_worksheet("未发放")
    cols = [Col("工号", min_width=8), Col("姓名", min_width=10, max_width=28), Col("奖项", min_width=10),
            Col("工程编号", min_width=11), Col("工程名称", min_width=10, max_width=26),
            Col("已发金额", "money", min_width=11, total=True),
            Col("未发金额", "money", min_width=11, total=True),
            Col("原因", "wrap", min_width=16, max_width=32),
            Col("计算过程", "wrap", min_width=20, max_width=36),
            Col("条款", "wrap", min_width=12, max_width=18)]
    rows = [[line.worker_id, line.name, line.award.label, line.project_id or "", line.project_name or "",
             line.amount, line.unpaid, line.reason, line.formula, line.clause]
            for v in views for line in v.lines if line.refused]
    ws.merge_range(0, 0, 0, len(cols) - 1, f"未发放明细 {period_label(result.period)}", f.title)
    ws.merge_range(1, 0, 1, len(cols) - 1,
                   "按方案不发放或未全额发放的项目：未发金额不转给他人。单位：元", f.subtitle)
    write_table(ws, f, 3, cols, rows, empty_note="本期无未发放项目")
    print_setup(ws, header_text, 3, landscape=True)


def _problems(wb, f: Formats, result: MonthResult, header_text: str) -> None:
    ws = wb.add_worksheet("问题清单")
    cols = [Col("级别", "center", min_width=6), Col("代码", min_width=12, max_width=30),
            Col("文件", min_width=12, max_width=34), Col("工作表", min_width=8, max_width=20),
            Col("单元格", "center", min_width=7), Col("说明", "wrap", min_width=30, max_width=70)]
    rows = []
    for p in sorted_problems(_unique_problems(result)):
        s = p.source
        rows.append([p.severity.label, p.code, s.file if s else "（全局）", (s.sheet or "") if s else "",
                     s.cell if s else "", p.message])
    ws.merge_range(0, 0, 0, len(cols) - 1, f"问题清单 {period_label(result.period)}", f.title)
    ws.merge_range(1, 0, 1, len(cols) - 1, "读取和计算中发现的问题（警告不影响发放，但请核实）", f.subtitle)
    write_table(ws, f, 3, cols, rows, empty_note="未发现问题")
    print_setup(ws, header_text, 3, landscape=True)


def _checks(wb, f: Formats, result: MonthResult, checks: Sequence[Check], header_text: str) -> None:
    ws = wb.add_worksheet("核对")
    cols = [Col("核对项", min_width=20, max_width=46), Col("项目一", min_width=14, max_width=26),
            Col("金额一", "money", min_width=12), Col("关系", "center", min_width=6),
            Col("项目二", min_width=14, max_width=26), Col("金额二", "money", min_width=12),
            Col("结果", "center", min_width=8)]
    rows = [[c.name, c.left_label, c.left, c.relation, c.right_label, c.right, c.verdict] for c in checks]
    ws.merge_range(0, 0, 0, len(cols) - 1, f"核对 {period_label(result.period)}", f.title)
    passed = sum(c.passed for c in checks)
    ws.merge_range(1, 0, 1, len(cols) - 1, f"共 {len(checks)} 项，通过 {passed} 项", f.subtitle)
    write_table(ws, f, 3, cols, rows, autofilter=False)
    for i, c in enumerate(checks):
        ws.write_string(4 + i, 6, c.verdict, f.passed if c.passed else f.failed)
    print_setup(ws, header_text, 3, landscape=False)


def _rules(wb, f: Formats, result: MonthResult, generated_at: dt.datetime, header_text: str) -> None:
    ws = wb.add_worksheet("规则与来源")
    ws.merge_range(0, 0, 0, 3, f"规则与来源 {period_label(result.period)}", f.title)
    info = [("方案", result.scheme), ("规则文件", result.rules_file), ("期间", result.period),
            ("考核实施日", result.assess_date.isoformat()),
            ("输入文件夹", result.inputs.folder if result.inputs else ""),
            ("kfbonus 版本", kfbonus.__version__), ("生成时间", generated_at.isoformat(timespec="seconds"))]
    r = 2
    for label, value in info:
        ws.write_string(r, 0, label, f.label)
        ws.merge_range(r, 1, r, 3, value, f.plain)
        r += 1
    r += 1
    ws.write_string(r, 0, "参数", f.label)
    r += 1
    params = []
    for row in result.parameters:
        key, value, clause = row[0], row[1], row[2]
        company = ("是" if row[3] else "") if len(row) > 3 else ""
        label = row[4] if len(row) > 4 else ""
        params.append([key, label, value, clause, company])
    cols = [Col("参数", min_width=24, max_width=34), Col("名称", "wrap", min_width=12, max_width=24),
            Col("取值", "wrap", min_width=16, max_width=50),
            Col("条款", "wrap", min_width=20, max_width=34), Col("公司设定", "center", min_width=8)]
    r = write_table(ws, f, r, cols, params, autofilter=False, freeze=False, empty_note="（无参数）")
    r += 1
    ws.write_string(r, 0, "输入文件", f.label)
    r += 1
    files = result.inputs.files if result.inputs else []
    found = result.inputs.found if result.inputs else []
    tables: dict[str, list[str]] = {}
    for t in found:
        title = TABLE_BY_KIND[t.kind].title if t.kind in TABLE_BY_KIND else t.kind
        style = "，表单式" if t.form_style else ""
        tables.setdefault(t.file, []).append(
            f"{t.sheet} → {title}（表头第 {t.header_row} 行，{t.rows} 行{style}）")
    frows = [[fi.name, "\n".join(tables.get(fi.name, ["（未识别出表格）"])), fi.sha256, fi.size]
             for fi in files]
    fcols = [Col("文件", "wrap", min_width=24, max_width=34),
             Col("读取的表", "wrap", min_width=16, max_width=50),
             Col("SHA-256", min_width=20, max_width=68), Col("大小（字节）", "integer", min_width=8)]
    write_table(ws, f, r, fcols, frows, autofilter=False, freeze=False, empty_note="（无输入文件）")
    print_setup(ws, header_text, None, landscape=True)


def write_approval_workbook(result: MonthResult, views: Sequence[WorkerView], checks: Sequence[Check],
                            path: Path, generated_at: dt.datetime) -> Path:
    """Write 审批汇总表 to ``path`` from the result, the per-worker views and the checks."""
    title = approval_title(result)
    wb = new_workbook(path, title, result.scheme, generated_at, f"kfbonus {kfbonus.__version__}")
    f = Formats(wb)
    header_text = f"{COMPANY}　{title}"
    _summary(wb, f, result, views, header_text)
    if is_annual(result):
        _basis(wb, f, result, header_text)
    else:
        _projects(wb, f, result, header_text)
    by_award: dict[Award, list[AwardLine]] = {}
    for line in result.lines:
        by_award.setdefault(line.award, []).append(line)
    for name, awards in detail_sheets(result):
        lines = [line for a in awards for line in by_award.get(a, [])]
        _detail(wb, f, name, awards, lines, result, header_text)
    _unpaid(wb, f, result, views, header_text)
    _problems(wb, f, result, header_text)
    _checks(wb, f, result, checks, header_text)
    _rules(wb, f, result, generated_at, header_text)
    wb.close()
    return path
