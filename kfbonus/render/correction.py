"""The correction of an approved month: 更正_<NN>/更正单_<period>_<NN>.xlsx and a slip
(更正通知单) per affected worker, 更正_<NN>/slips/<工号>_<姓名>.html.

The workbook has two sheets: 更正汇总 (one row per affected worker: 补发, 扣回, 净额,
the three-role sign-off of FS-MS-KF-13 §4) and 更正明细 (one row per changed line:
原批准金额, 更正后金额, 差额, 补发/扣回).  Lines whose amount did not change are not
listed; their number is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from kfbonus.correction import CorrectionDiff, CorrectionLine, WorkerCorrection
from kfbonus.ledger import MonthRecord
from kfbonus.money import ZERO, fmt_money, to_capital
from kfbonus.render.plain import clean_formula
from kfbonus.render.slips import TEMPLATE_DIR, ask_text, slip_filename
from kfbonus.render.view import period_label, worker_sort_key
from kfbonus.render.xlsx import Col, Formats, new_workbook, print_setup, write_table
from kfbonus.settings import company_line, load_settings

__all__ = ["correction_folder", "render_correction"]


def correction_folder(n: int) -> str:
    """``更正_01`` for correction 1."""
    return f"更正_{n:02d}"


@dataclass(frozen=True)
class _Meta:
    company: str
    title: str
    period: str
    period_label: str
    number: str
    reason: str
    scheme: str
    approved_by: str
    approved_at: str
    generated_at: str
    unchanged: int
    ask: str = ""
    heading: str = ""          # the correction workbook's title (the scheme's 更正单)
    what: str = "综合激励"     # what the scheme pays, in the notice's wording
    signers: tuple = ()        # the sign-off (action, role) pairs
    sign_clause: str = ""


def _meta(period: str, n: int, reason: str, approved: MonthRecord, diff: CorrectionDiff,
          generated_at: dt.datetime, presentation) -> _Meta:
    what = getattr(presentation, "what", "") or "综合激励"
    return _Meta(
        company=company_line(), title=f"{what}更正通知单", period=period, period_label=period_label(period),
        heading=getattr(presentation, "correction_title", "") or f"{what}更正单", what=what,
        signers=tuple(getattr(presentation, "signers", ())),
        sign_clause=getattr(presentation, "sign_clause", ""),
        number=f"第 {n:02d} 号", reason=reason, scheme=approved.scheme,
        approved_by=approved.approved_by or "（未记录）",
        approved_at=approved.approved_at.strftime("%Y-%m-%d %H:%M") if approved.approved_at else "（未记录）",
        generated_at=generated_at.strftime("%Y-%m-%d %H:%M"), unchanged=diff.unchanged,
        ask=ask_text(period, load_settings()))


def _line_sort(c: CorrectionLine) -> tuple:
    return (worker_sort_key(c.worker_id),)


def _project_text(c: CorrectionLine) -> str:
    return c.project_id or ""


def _summary_sheet(wb, f: Formats, meta: _Meta, workers: list[WorkerCorrection], diff: CorrectionDiff,
                   header_text: str) -> None:
    ws = wb.add_worksheet("更正汇总")
    cols = [Col("工号", min_width=8), Col("姓名", min_width=10, max_width=28),
            Col("补发", "money", min_width=12, total=True), Col("扣回", "money", min_width=12, total=True),
            Col("净额", "money", min_width=13, total=True), Col("结论", "center", min_width=8),
            Col("变动项数", "integer", min_width=8)]
    ncols = len(cols)
    ws.merge_range(0, 0, 0, ncols - 1, f"{meta.heading} {meta.period_label} {meta.number}", f.title)
    ws.set_row(0, 30)
    ws.merge_range(1, 0, 1, ncols - 1, f"方案：{meta.scheme}　　单位：元　　生成时间：{meta.generated_at}",
                   f.subtitle)
    ws.merge_range(2, 0, 2, ncols - 1, f"原审批：{meta.approved_by} 于 {meta.approved_at} 批准", f.plain)
    ws.merge_range(3, 0, 3, ncols - 1, f"更正原因：{meta.reason}", f.plain)
    ws.merge_range(4, 0, 4, ncols - 1,
                   f"变动 {len(diff.lines)} 项（{len(workers)} 人），"
                   f"未变动 {diff.unchanged} 项（不列出）", f.note)
    header_row = 6
    rows = [[w.worker_id, w.name, w.more, w.back, w.difference, w.kind, w.lines] for w in workers]
    r = write_table(ws, f, header_row, cols, rows, autofilter=False, empty_note="（无变动）")
    net = diff.total
    word = "补发" if net > 0 else "扣回" if net < 0 else "无需补发或扣回"
    ws.merge_range(r, 0, r, ncols - 1,
                   f"净额合计（大写）：{to_capital(net)}（¥{fmt_money(net)}，{word}）", f.label)
    r += 2
    label = f"审批（{meta.sign_clause}）" if meta.sign_clause else "审批"
    ws.merge_range(r, 0, r, ncols - 1, label, f.sign_label)
    r += 1
    settings = load_settings()
    for action, role in meta.signers:
        ws.set_row(r, 30)
        ws.write_string(r, 0, action, f.sign_label)
        name = settings.signer(role)
        ws.merge_range(r, 1, r, 2, f"{role}　{name}" if name else role, f.sign)
        ws.merge_range(r, 3, r, 4, "签字：________________", f.sign)
        ws.merge_range(r, 5, r, ncols - 1, "日期：____年__月__日", f.sign)
        r += 1
    print_setup(ws, header_text, header_row, landscape=False)
    ws.print_area(0, 0, r - 1, ncols - 1)


def _detail_sheet(wb, f: Formats, meta: _Meta, lines: list[CorrectionLine], header_text: str) -> None:
    ws = wb.add_worksheet("更正明细")
    cols = [Col("工号", min_width=8), Col("姓名", min_width=10, max_width=20), Col("奖项", min_width=8),
            Col("工程编号", min_width=12), Col("工程名称", "wrap", min_width=12, max_width=24),
            Col("类别", min_width=8, max_width=16),
            Col("原批准金额", "money", min_width=12, total=True),
            Col("更正后金额", "money", min_width=12, total=True),
            Col("差额", "money", min_width=12, total=True), Col("类型", "center", min_width=6),
            Col("计算公式（更正后）", "wrap", min_width=20, max_width=48),
            Col("说明", "wrap", min_width=12, max_width=30)]
    ws.merge_range(0, 0, 0, len(cols) - 1, f"{meta.heading}明细 {meta.period_label} {meta.number}", f.title)
    ws.set_row(0, 30)
    header_row = 2
    rows = [[c.worker_id, c.name, getattr(c.award, "label", str(c.award)), _project_text(c),
             c.project_name or "", c.category or "",
             c.approved, c.now, c.difference, c.kind, c.formula, c.reason] for c in lines]
    write_table(ws, f, header_row, cols, rows, empty_note="（无变动）")
    print_setup(ws, header_text, header_row, landscape=True)


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["money"] = fmt_money
    env.filters["capital"] = to_capital
    env.filters["clean"] = clean_formula
    return env


def render_correction(period: str, n: int, reason: str, approved_meta: MonthRecord, diff: CorrectionDiff,
                      out_dir: Path, generated_at: dt.datetime, presentation=None) -> list[Path]:
    """Write correction ``n`` of ``period`` into ``out_dir/更正_<NN>/``; returns the files
    written (workbook first, then slips by 工号).  ``approved_meta`` is the month as the
    ledger holds it (who approved it and when)."""
    folder = Path(out_dir) / correction_folder(n)
    (folder / "slips").mkdir(parents=True, exist_ok=True)
    meta = _meta(period, n, reason, approved_meta, diff, generated_at, presentation)
    workers = sorted(diff.workers, key=lambda w: worker_sort_key(w.worker_id))
    lines = sorted(diff.lines, key=_line_sort)   # stable: keeps diff order within a worker
    header_text = f"{meta.heading} {meta.period_label} {meta.number}"

    book = folder / f"更正单_{period}_{n:02d}.xlsx"
    wb = new_workbook(book, title=header_text, subject=f"{period} 更正 {n:02d}", generated_at=generated_at,
                      comments=f"更正原因：{reason}")
    f = Formats(wb)
    _summary_sheet(wb, f, meta, workers, diff, header_text)
    _detail_sheet(wb, f, meta, lines, header_text)
    wb.close()
    written = [book]

    env = _environment()
    template = env.get_template("correction_slip.html")
    by_worker: dict[str, list[CorrectionLine]] = {}
    for c in lines:
        by_worker.setdefault(c.worker_id, []).append(c)
    used: set[str] = set()
    for w in workers:
        name = slip_filename(w.worker_id, w.name)
        stem, k = name.removesuffix(".html"), 2
        while name in used:
            name, k = f"{stem}_{k}.html", k + 1
        used.add(name)
        path = folder / "slips" / name
        mine = by_worker[w.worker_id]
        html = template.render(meta=meta, w=w, lines=mine,
                               approved_total=sum((c.approved for c in mine), ZERO),
                               now_total=sum((c.now for c in mine), ZERO))
        path.write_text(html, encoding="utf-8")
        written.append(path)
    return written

