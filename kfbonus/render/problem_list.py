"""问题清单_<period>.xlsx: the problem list as a workbook to work through row by row.

When a month stops on errors (and on every ``--check``) the list printed on the
terminal is also written beside where the month's folder would go
(``<output>/问题清单_2026-11.xlsx``): one row per problem, in the printed order, columns
文件, 工作表, 单元格, 级别, 代码, 发现的问题, 应当如何, 处理情况 (blank, for the accountant's
ticks), header row with autofilter, frozen, A4 landscape.  It is not an approval workbook.

Each run replaces it; a run that finds no problem (a month written, a clean ``--check``)
removes it, so a stale list never misleads.  Writing it never fails a run: when it cannot
be written (open in Excel, a read-only folder) :func:`update_problem_list` says so in one
Chinese line and the run goes on.  It is never written into the input folder.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from pathlib import Path

from kfbonus.problems import Problem, _sort_key
from kfbonus.render.xlsx import new_workbook, text_width

__all__ = ["HEADERS", "problem_list_name", "problem_rows", "split_message", "update_problem_list",
           "write_problem_list"]

HEADERS = ("文件", "工作表", "单元格", "级别", "代码", "发现的问题", "应当如何", "处理情况")
_WIDTHS = {"文件": (14, 26), "工作表": (10, 18), "单元格": (7, 9), "级别": (6, 6), "代码": (12, 22),
           "发现的问题": (30, 52), "应当如何": (20, 32), "处理情况": (9, 9)}
_LINE_HEIGHT = 14.5   # points per wrapped text line at 10 pt
# where a message turns from what was found to what is expected
_EXPECTED = re.compile(r"[，；。,;]\s*(?=(?:请|应当|应为|应在|应是|应|须|需要|需|必须|可用|改为)\S)")


def problem_list_name(period: str) -> str:
    return f"问题清单_{period}.xlsx"


def split_message(message: str) -> tuple[str, str]:
    """(what was found, what is expected): the message split before its first clause that
    says what to do (请…, 应…, 须…); (message, "") when it has none."""
    m = _EXPECTED.search(message)
    if not m or m.start() == 0:
        return message, ""
    return message[:m.start()], message[m.end():]


def _printed_order(problems: Iterable[Problem]) -> list[Problem]:
    """The order of :func:`kfbonus.problems.format_problems`: by file, sheet, row, column."""
    return sorted(problems, key=lambda p: (_sort_key(p), not p.is_error))


def problem_rows(problems: Iterable[Problem]) -> list[list[str]]:
    """One row per problem, in the printed order (the workbook's rows below its header)."""
    rows = []
    for p in _printed_order(problems):
        s = p.source
        if s is None:
            file = sheet = cell = ""
        else:
            file, sheet = s.file, s.sheet or ""
            cell = s.cell if s.col else (f"第{s.row}行" if s.row is not None else "")
        found, expected = split_message(p.message)
        rows.append([file or "（全局）", sheet, cell, p.severity.label, p.code, found, expected, ""])
    return rows


def write_problem_list(problems: Iterable[Problem], path: Path, period: str,
                       generated_at: dt.datetime) -> Path:
    """Write the workbook at ``path`` (see the module docstring)."""
    rows = problem_rows(problems)
    n_err = sum(r[3] == "错误" for r in rows)
    title = f"输入问题清单 {period}"
    wb = new_workbook(path, title=title, subject=f"{period} 问题清单", generated_at=generated_at)
    base = {"font_name": "Microsoft YaHei", "font_size": 10, "valign": "top", "border": 1,
            "border_color": "#B0BEC5"}
    head = wb.add_format({**base, "bold": True, "bg_color": "#37474F", "font_color": "#FFFFFF",
                          "text_wrap": True, "valign": "vcenter"})
    text = wb.add_format({**base, "text_wrap": True})
    error = wb.add_format({**base, "bold": True, "font_color": "#C62828", "align": "center"})
    warn = wb.add_format({**base, "font_color": "#EF6C00", "align": "center"})
    note = wb.add_format({"font_name": "Microsoft YaHei", "font_size": 10, "font_color": "#546E7A"})
    ws = wb.add_worksheet("问题清单")
    ws.write_string(0, 0, f"{title}　共 {n_err} 个错误，{len(rows) - n_err} 个警告　"
                          f"生成于 {generated_at:%Y-%m-%d %H:%M}　改好工作簿后重新运行，本表会随之更新", note)
    header_row = 1
    for c, h in enumerate(HEADERS):
        ws.write_string(header_row, c, h, head)
    for r, row in enumerate(rows, start=header_row + 1):
        for c, value in enumerate(row):
            fmt = (error if value == "错误" else warn) if HEADERS[c] == "级别" else text
            ws.write_string(r, c, value, fmt)
    widths = []
    for c, h in enumerate(HEADERS):
        low, high = _WIDTHS[h]
        width = max([text_width(h), *(text_width(row[c]) for row in rows)]) + 2
        widths.append(min(max(width, low), high))
        ws.set_column(c, c, widths[-1])
    for r, row in enumerate(rows, start=header_row + 1):   # rows tall enough for their wrapped text
        lines = max(-(-text_width(v) // max(w - 1, 1)) for v, w in zip(row, widths, strict=True))
        if lines > 1:
            ws.set_row(r, _LINE_HEIGHT * lines + 3)
    last = header_row + max(len(rows), 1)
    ws.autofilter(header_row, 0, last, len(HEADERS) - 1)
    ws.freeze_panes(header_row + 1, 0)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")
    wb.close()
    return path


def update_problem_list(problems: list[Problem], output_dir: Path, period: str, generated_at: dt.datetime,
                        input_dir: Path | None = None) -> str | None:
    """Write (problems) or remove (none) ``<output_dir>/问题清单_<period>.xlsx``; returns the
    line to print, or None.  Never raises for a file that cannot be written or removed."""
    path = Path(output_dir) / problem_list_name(period)
    try:
        if input_dir is not None and path.parent.resolve() == Path(input_dir).resolve():
            return "输出文件夹就是输入文件夹，问题清单工作簿未写入（输入文件夹从不写入）。"
        if not problems:
            if path.exists():
                path.unlink()
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        try:
            write_problem_list(problems, tmp, period, generated_at)
            os.replace(tmp, path)
        finally:
            if tmp.exists():
                tmp.unlink()
    except OSError as exc:
        why = "文件可能正在 Excel 或 WPS 中打开，请关闭后重新运行" if isinstance(exc, PermissionError) \
            else (exc.strerror or type(exc).__name__)
        action = "删除旧的" if not problems else "更新"
        return f"未能{action}问题清单 {path}：{why}。"
    return f"问题清单已另存为 {path}，可在 Excel 中按行逐条修改。"
