"""The what-if workbook 对比_<期间>_<name>.xlsx: the period as it stands beside each alternative.

Sheets: 对比 (per worker 现行合计, then per alternative its 合计 and 差额, a 合计 row, the
largest moves marked), 按奖项, 按工程, 参数差异 (each changed parameter with its clause and
both values as 规则与来源 shows them, and each changed input value).  Print-ready as the
approval workbook (A4 landscape, one page wide, header rows repeated, 工号 as text without
Excel's flag), without sign-off: it is a calculation, not a decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import kfbonus
from kfbonus.model import MonthResult
from kfbonus.money import ZERO
from kfbonus.render.view import cn_datetime, period_label, worker_sort_key
from kfbonus.render.xlsx import (
    LINE_HEIGHT,
    Col,
    Formats,
    new_workbook,
    print_setup,
    wrapped_lines,
    write_table,
)
from kfbonus.settings import company_line

__all__ = ["MARKED", "CompareVariant", "write_compare_workbook"]

MARKED = 5
"""Per alternative, the workers with the largest |差额| (non-zero) are marked."""

TITLE = "激励对比（测算）"


@dataclass(frozen=True)
class CompareVariant:
    """One alternative as the workbook shows it: what it is, its result, what differs
    (key, label, clause, value now, value in the alternative)."""

    label: str
    result: MonthResult
    changed: tuple[tuple[str, str, str, str, str], ...] = ()


def _table_width(ws, ncols: int) -> float:
    """The first ``ncols`` columns' widths in character units (xlsxwriter keeps pixels:
    7 a character plus 5)."""
    return float(sum((ws.col_info[j].width - 5) / 7 for j in range(ncols)))


def _totals(result: MonthResult) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for line in result.lines:
        out[line.worker_id] = out.get(line.worker_id, ZERO) + line.amount
    return out


def _names(results: Sequence[MonthResult]) -> dict[str, str]:
    names: dict[str, str] = {}
    for result in results:
        for line in result.lines:
            names.setdefault(line.worker_id, line.name)
        for wid, info in result.workers.items():
            names[wid] = info.name
    return names


class _Book:
    def __init__(self, wb, current: MonthResult, variants: Sequence[CompareVariant], at: dt.datetime):
        self.wb, self.current, self.variants, self.at = wb, current, variants, at
        self.f = Formats(wb)
        self.what = "年度奖" if len(current.period) == 4 else "综合激励"
        self.stamp = (f"测算于 {cn_datetime(at)} · 现行 {current.scheme}（{current.rules_file}）· "
                      f"考核日 {current.assess_date} · kfbonus {kfbonus.__version__}")

    def lines(self) -> list[str]:
        """What is compared: the rules now, then one line per alternative."""
        now = self.current
        lines = [f"现行：{now.scheme}（{now.rules_file}），考核日 {now.assess_date}。"
                 "仅供测算，不作审批发放依据；本期结果和账本未改动。单位：元"]
        return lines + [f"方案{i}：{v.label}" for i, v in enumerate(self.variants, start=1)]

    def top(self) -> int:
        """The row of the table's header: under the title, the lines and a blank row."""
        return len(self.lines()) + 2

    def head(self, ws, title: str, ncols: int) -> None:
        """Title and the lines above the table, wrapped to the table's width (written
        after the table, whose columns set that width)."""
        f = self.f
        last = ncols - 1
        ws.merge_range(0, 0, 0, last, f"{title} {period_label(self.current.period)}", f.title)
        ws.set_row(0, 24)
        width = _table_width(ws, ncols)
        for r, text in enumerate(self.lines(), start=1):
            ws.merge_range(r, 0, r, last, text, f.note_wrap)
            ws.set_row(r, LINE_HEIGHT * wrapped_lines(text, width) + 3)

    def page(self, ws, header_row: int) -> None:
        print_setup(ws, f"{company_line()} {self.what}对比（测算）", header_row, landscape=True,
                    stamp=self.stamp, banner="测算 — 不作发放依据")

    def workers(self) -> None:
        ws = self.wb.add_worksheet("对比")
        f = self.f
        results = [self.current] + [v.result for v in self.variants]
        totals = [_totals(r) for r in results]
        names = _names(results)
        ids = sorted({w for t in totals for w, a in t.items() if a != 0}, key=worker_sort_key)
        cols = [Col("工号", min_width=8), Col("姓名", min_width=8),
                Col("现行合计", "money", min_width=13, total=True)]
        for i in range(1, len(self.variants) + 1):
            cols += [Col(f"方案{i}合计", "money", min_width=13, total=True),
                     Col(f"方案{i}差额", "money", min_width=13, total=True)]
        rows = []
        for w in ids:
            now = totals[0].get(w, ZERO)
            row: list[object] = [w, names.get(w, ""), now]
            for t in totals[1:]:
                alt = t.get(w, ZERO)
                row += [alt, alt - now]
            rows.append(row)
        top = self.top()
        end = write_table(ws, f, top, cols, rows, empty_note="（无人员）")
        self.head(ws, f"{self.what}对比（测算）", len(cols))
        for i in range(len(self.variants)):
            j = 4 + 2 * i
            moves = sorted(((abs(row[j]), worker_sort_key(str(row[0])), n) for n, row in enumerate(rows)
                            if row[j] != 0), key=lambda m: (-m[0], m[1]))[:MARKED]
            for _, _, n in moves:
                ws.write_number(top + 1 + n, j, rows[n][j], f.flag_money)
                ws.write_number(top + 1 + n, j - 1, rows[n][j - 1], f.flag_money)
        note = (f"标黄：每个方案差额绝对值最大的 {MARKED} 人（差额为 0 的不标）。"
                "差额 = 方案合计 − 现行合计。各奖项、各工程的合计见「按奖项」「按工程」，"
                "改动的参数见「参数差异」。")
        ws.merge_range(end + 1, 0, end + 1, len(cols) - 1, note, f.note_wrap)
        ws.set_row(end + 1, LINE_HEIGHT * wrapped_lines(note, _table_width(ws, len(cols))) + 3)
        self.page(ws, top)

    def _compare_rows(self, keys: Sequence[tuple], sums: list[dict]) -> list[list[object]]:
        rows = []
        for key in keys:
            now = sums[0].get(key[0], ZERO)
            row: list[object] = [*key, now]
            for s in sums[1:]:
                alt = s.get(key[0], ZERO)
                row += [alt, alt - now]
            rows.append(row)
        return rows

    def _variant_cols(self) -> list[Col]:
        cols = [Col("现行", "money", min_width=13, total=True)]
        for i in range(1, len(self.variants) + 1):
            cols += [Col(f"方案{i}", "money", min_width=13, total=True),
                     Col(f"方案{i}差额", "money", min_width=13, total=True)]
        return cols

    def awards(self) -> None:
        ws = self.wb.add_worksheet("按奖项")
        results = [self.current] + [v.result for v in self.variants]
        sums: list[dict[str, Decimal]] = []
        for r in results:
            s: dict[str, Decimal] = {}
            for line in r.lines:
                s[line.award] = s.get(line.award, ZERO) + line.amount
            sums.append(s)
        kinds = {str(a): a for r in results for a in r.awards}
        order = list(dict.fromkeys([*(str(a) for a in self.current.awards),
                                    *(str(line.award) for r in results for line in r.lines)]))
        awards = [kinds.get(a, a) for a in order if any(a in s for s in sums)]
        cols = [Col("奖项", min_width=12), *self._variant_cols()]
        rows = self._compare_rows([(a,) for a in awards], sums)
        for row in rows:
            row[0] = getattr(row[0], "label", str(row[0]))
        top = self.top()
        write_table(ws, self.f, top, cols, rows, autofilter=False, empty_note="（无发放）")
        self.head(ws, f"{self.what}对比（测算）· 按奖项", len(cols))
        self.page(ws, top)

    def projects(self) -> None:
        ws = self.wb.add_worksheet("按工程")
        results = [self.current] + [v.result for v in self.variants]
        sums: list[dict[str, Decimal]] = []
        titles: dict[str, str] = {}
        for r in results:
            s: dict[str, Decimal] = {}
            for p in r.projects:
                s.setdefault(p.project_id, ZERO)
                titles.setdefault(p.project_id, p.project_name or "")
            for line in r.lines:
                if line.project_id:
                    s[line.project_id] = s.get(line.project_id, ZERO) + line.amount
                    if line.project_name:
                        titles.setdefault(line.project_id, line.project_name)
            sums.append(s)
        ids = sorted({p for s in sums for p in s}, key=worker_sort_key)
        cols = [Col("工程编号", min_width=11), Col("工程名称", "wrap", max_width=44), *self._variant_cols()]
        rows = self._compare_rows([(p, titles.get(p, "")) for p in ids], sums)
        top = self.top()
        empty = "（年度奖不按工程计算）" if len(self.current.period) == 4 else "（本期无工程奖）"
        write_table(ws, self.f, top, cols, rows, empty_note=empty, total_label="合计" if rows else None)
        self.head(ws, f"{self.what}对比（测算）· 按工程（个人奖＋集体奖）", len(cols))
        self.page(ws, top)

    def parameters(self) -> None:
        ws = self.wb.add_worksheet("参数差异")
        cols = [Col("方案", "center", min_width=7), Col("参数", "wrap", min_width=12, max_width=30),
                Col("名称", "wrap", min_width=14, max_width=40),
                Col("条款", "wrap", min_width=14, max_width=26),
                Col("现行取值", "wrap", min_width=14, max_width=34),
                Col("方案取值", "wrap", min_width=14, max_width=34)]
        rows = []
        for i, v in enumerate(self.variants, start=1):
            rows += [[f"方案{i}", *change] for change in v.changed]
            if not v.changed:
                rows.append([f"方案{i}", "—", "与现行规则和输入相同", "", "", ""])
        top = self.top()
        write_table(ws, self.f, top, cols, rows, total_label=None, autofilter=False,
                    empty_note="（与现行规则和输入相同）")
        self.head(ws, f"{self.what}对比（测算）· 参数差异", len(cols))
        self.page(ws, top)


def write_compare_workbook(current: MonthResult, variants: Sequence[CompareVariant], path: Path,
                           generated_at: dt.datetime) -> Path:
    """Write the 对比 workbook of ``current`` against ``variants`` to ``path``."""
    wb = new_workbook(path, f"{TITLE} {current.period}", current.scheme, generated_at,
                      f"kfbonus {kfbonus.__version__}")
    book = _Book(wb, current, variants, generated_at)
    book.workers()
    book.awards()
    book.projects()
    book.parameters()
    wb.close()
    return path
