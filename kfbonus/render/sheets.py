"""Sheets every scheme's approval workbook has, and what its pages carry.

问题清单 (every problem of the run), 核对 (the reconciliation by kind), 规则与来源 (scheme,
rules file, parameters, input files and the tables read in them), the page header and
footer stamp, and the sign-off block.  A scheme's workbook (its presentation) writes its
own sheets and calls these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import kfbonus
from kfbonus.model import MonthResult
from kfbonus.money import ZERO
from kfbonus.problems import Severity, sorted_problems
from kfbonus.render.reconcile import Check, check_kinds
from kfbonus.render.view import input_fingerprint, period_label, run_status, run_text
from kfbonus.render.xlsx import Col, Formats, print_setup, write_table
from kfbonus.settings import load_settings

__all__ = ["Page", "checks_sheet", "merge", "print_page", "problems_sheet", "rules_sheet", "sign_off_block",
           "unique_problems", "warning_count"]


def unique_problems(result: MonthResult) -> list:
    seen: dict[object, None] = {}
    for p in [*(result.inputs.problems if result.inputs else []), *result.problems]:
        seen.setdefault(p, None)
    return list(seen)


def warning_count(result: MonthResult) -> int:
    """Warnings of the run (the input's and compute's, each once), as 问题清单 lists them."""
    return sum(p.severity is Severity.WARNING for p in unique_problems(result))


@dataclass(frozen=True)
class Page:
    """What every printed page of the workbook carries: the header text (company and
    title), the banner (草稿 — 未批准 on a draft) and the footer stamp (run, time, rules,
    input fingerprint)."""

    header: str
    stamp: str
    banner: str


def print_page(ws, page: Page, repeat_row: int | None, landscape: bool) -> None:
    print_setup(ws, page.header, repeat_row, landscape, stamp=page.stamp, banner=page.banner)


def merge(ws, row: int, first: int, last: int, text: str, fmt) -> None:
    if last > first:
        ws.merge_range(row, first, row, last, text, fmt)
    else:
        ws.write_string(row, first, text, fmt)


def problems_sheet(wb, f: Formats, result: MonthResult, page: Page) -> None:
    ws = wb.add_worksheet("问题清单")
    cols = [Col("级别", "center", min_width=6), Col("代码", min_width=12, max_width=30),
            Col("文件", min_width=12, max_width=34), Col("工作表", min_width=8, max_width=20),
            Col("单元格", "center", min_width=7), Col("说明", "wrap", min_width=30, max_width=70)]
    rows = []
    for p in sorted_problems(unique_problems(result)):
        s = p.source
        rows.append([p.severity.label, p.code, s.file if s else "（全局）", (s.sheet or "") if s else "",
                     s.cell if s else "", p.message])
    ws.merge_range(0, 0, 0, len(cols) - 1, f"问题清单 {period_label(result.period)}", f.title)
    ws.merge_range(1, 0, 1, len(cols) - 1, "读取和计算中发现的问题（警告不影响发放，但请核实）", f.subtitle)
    write_table(ws, f, 3, cols, rows, empty_note="未发现问题")
    print_page(ws, page, 3, landscape=True)



def checks_sheet(wb, f: Formats, result: MonthResult, checks: Sequence[Check], page: Page) -> None:
    """核对: one row per kind of check with its count and verdict; the individual checks
    only of a kind that failed."""
    ws = wb.add_worksheet("核对")
    cols = [Col("核对项", "wrap", min_width=30, max_width=46), Col("项数", "integer", min_width=6),
            Col("左方合计", "money", min_width=13), Col("关系", "center", min_width=6),
            Col("右方合计", "money", min_width=13), Col("结果", "wrap", min_width=16, max_width=22)]
    rows = []
    kinds = check_kinds(checks)
    for kind, group in kinds:
        failed = [c for c in group if not c.passed]
        verdict = ("全部通过" if len(group) > 1 else "通过") if not failed else f"{len(failed)} 项不通过"
        rows.append([kind, len(group), sum((c.left for c in group), ZERO), group[0].relation,
                     sum((c.right for c in group), ZERO), verdict])
    last = len(cols) - 1
    ws.merge_range(0, 0, 0, last, f"核对 {period_label(result.period)}", f.title)
    passed = sum(c.passed for c in checks)
    ws.merge_range(1, 0, 1, last, f"共 {len(kinds)} 类 {len(checks)} 项，通过 {passed} 项。"
                   f"多项的类别，金额为各项之和", f.subtitle)
    r = write_table(ws, f, 3, cols, rows, autofilter=False, total_label=None)
    for i, (_, group) in enumerate(kinds):
        ok = all(c.passed for c in group)
        ws.write_string(4 + i, last, rows[i][last], f.passed if ok else f.failed)
    failed = [c for c in checks if not c.passed]
    if failed:
        r += 1
        ws.merge_range(r, 0, r, last, "不通过的核对", f.label)
        r += 1
        dcols = [Col("核对项", "wrap", min_width=30, max_width=46), Col("项目一", "wrap", min_width=6),
                 Col("金额一", "money", min_width=13), Col("关系", "center", min_width=6),
                 Col("金额二", "money", min_width=13), Col("项目二", "wrap", min_width=16, max_width=22)]
        write_table(ws, f, r, dcols, [[c.name, c.left_label, c.left, c.relation, c.right, c.right_label]
                                      for c in failed], autofilter=False, freeze=False, total_label=None)
    print_page(ws, page, 3, landscape=False)


_RULES_WIDTHS = (30, 26, 66, 24, 9)


def rules_sheet(wb, f: Formats, result: MonthResult, generated_at: dt.datetime, page: Page) -> None:
    """规则与来源.  Its two tables share the sheet's columns, so both are laid out with the
    same widths (the row heights of one were once computed for the other's widths, and the
    条款 text overprinted its neighbours)."""
    ws = wb.add_worksheet("规则与来源")
    ws.merge_range(0, 0, 0, 4, f"规则与来源 {period_label(result.period)}", f.title)
    info: list[tuple[str, object]] = [
        ("方案", result.scheme), ("规则文件", result.rules_file), ("期间", result.period),
        ("考核实施日", result.assess_date), ("输入文件夹", result.inputs.folder if result.inputs else ""),
        ("输入指纹", f"{input_fingerprint(result)}（各输入文件 SHA-256 排序后再求 SHA-256 的前 8 位）"),
        ("运行", " ".join(p for p in (run_status(result), run_text(result)) if p)),
        ("kfbonus 版本", kfbonus.__version__), ("生成时间", generated_at)]
    r = 2
    for label, value in info:
        ws.write_string(r, 0, label, f.label)
        if isinstance(value, dt.datetime):
            ws.merge_range(r, 1, r, 3, "", f.datetime)
            ws.write_datetime(r, 1, value, f.datetime)
        elif isinstance(value, dt.date):
            ws.merge_range(r, 1, r, 3, "", f.date)
            ws.write_datetime(r, 1, dt.datetime.combine(value, dt.time()), f.date)
        else:
            ws.merge_range(r, 1, r, 3, str(value), f.plain)
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
    cols = [Col("参数", "wrap"), Col("名称", "wrap"), Col("取值", "wrap"), Col("条款", "wrap"),
            Col("公司设定", "center")]
    r = write_table(ws, f, r, cols, params, autofilter=False, freeze=False, empty_note="（无参数）",
                    fixed_widths=_RULES_WIDTHS)
    r += 1
    ws.write_string(r, 0, "输入文件", f.label)
    r += 1
    files = result.inputs.files if result.inputs else []
    found = result.inputs.found if result.inputs else []
    tables: dict[str, list[str]] = {}
    for t in found:
        title = result.inputs.title(t.kind) if result.inputs else t.kind
        style = "，表单式" if t.form_style else ""
        tables.setdefault(t.file, []).append(
            f"{t.sheet} → {title}（表头第 {t.header_row} 行，{t.rows} 行{style}）")
    frows = [[fi.name, "\n".join(tables.get(fi.name, ["（未识别出表格）"])), fi.sha256, fi.size]
             for fi in files]
    fcols = [Col("文件", "wrap"), Col("读取的表", "wrap"), Col("SHA-256"), Col("大小（字节）", "integer")]
    write_table(ws, f, r, fcols, frows, autofilter=False, freeze=False, empty_note="（无输入文件）",
                fixed_widths=_RULES_WIDTHS[:4])
    print_page(ws, page, None, landscape=True)




def sign_off_block(ws, f: Formats, r: int, ncols: int, signers: Sequence[tuple[str, str]],
                   clause: str = "") -> int:
    """审批 (the clause) then one row per (action, role): the role and the name the
    settings give it, 签字, 日期.  Returns the row after the block."""
    ws.merge_range(r, 0, r, ncols - 1, f"审批（{clause}）" if clause else "审批", f.sign_label)
    r += 1
    mid = max(3, ncols // 2) if ncols > 7 else 3
    settings = load_settings()
    for action, role in signers:
        ws.set_row(r, 30)
        ws.write_string(r, 0, action, f.sign_label)
        name = settings.signer(role)
        merge(ws, r, 1, 2, f"{role}　{name}" if name else role, f.sign)
        merge(ws, r, 3, mid, "签字：________________" if ncols > 7 else "签字：________", f.sign)
        merge(ws, r, mid + 1, ncols - 1, "日期：________年____月____日", f.sign)
        r += 1
    return r
