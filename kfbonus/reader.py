"""Read the month folder as it really is (INPUTS.md) → :class:`~kfbonus.model.MonthInput`.

``read_month(folder)`` never raises for bad input and never writes: each
workbook is read once into memory (``open(..., "rb")``), hashed, and parsed
with python-calamine from those bytes.  Every problem becomes a
:class:`~kfbonus.problems.Problem`.

How the folder is read (decisions where INPUTS.md is silent are marked *):

- Only the folder itself, not sub-folders* (a sub-folder gets a warning
  ``subfolder-not-read``, so nothing is ignored silently).  Entries are taken
  in name order, so the result does not depend on the file system.
- ``.xlsx``/``.xlsm``/``.xls``/``.xlsb`` are read; ``~$*`` lock files are
  skipped with a warning ``lock-file`` naming the workbook that is probably
  open in Excel; dot files are skipped silently; any other file gets a
  warning ``file-not-read``.  A workbook that cannot be opened gives one
  error ``unreadable-file``.
- Every sheet is searched for a header row in its first 20 rows.  A row is a
  table's header when all the table's required columns are there (or come
  from a form's label block); when several tables fit, the one with most
  matched columns wins (then the one with the larger share of its columns).
  A header spread over two rows (a merged group cell above its sub-headers)
  is recognised too*.  A row that clearly starts a table (≥ 2 of its
  headers, at least one found in no other table) but lacks a required
  column gives ``missing-column`` and the sheet is not read.  A non-empty
  sheet with no header gives ``unrecognised-sheet``.
- Hidden sheets* are read like the others (they are part of the workbook the
  accountant handed in), with a warning ``hidden-sheet`` when a table is
  found in one; hidden sheets holding no table (drop-down lists) are skipped
  silently.
- Rows: blank rows are skipped; ``小计`` rows are skipped; a ``合计``/``总计``
  row, or a signature/notes line (制表, 审核, 核准, 批准, 复核, 审批, 经办,
  签字, 备注, 注：, 说明：, or any ``label：`` line with no data, such as
  申报：… 工程主管：…) ends the table* (rows after it are not data).  A
  settlement's 合计 row is checked against the sum of that sheet's 计件工资
  and 个人工期天数 (``total-mismatch``).  A row with content but every
  required column blank is not data and gets a warning ``row-ignored``*
  (a weekday row under a day grid's header is skipped silently).
- Form-style sheets: cells above the header reading ``label：value`` (value in
  the same cell or the next non-empty cell to the right), or a cell holding
  exactly a header of the table followed by a value, fill the fields the
  table has no column for; their Source is the value's cell.
- Attendance day grid: 工号 plus ≥ 5 day columns (headers 1…31, ``1日``,
  ``1号`` or dates) and no 应出勤/实出勤 columns.  应出勤 = days with any mark
  but 休; 实出勤 = √ ✓ ✔ 1 出; 旷工 = 旷; 连续缺勤 = the longest run of days
  without √, as INPUTS.md says: blank and 休 days count (rest days inside a
  leave are absent calendar days).  Only this month's grid is seen: a run
  continuing from last month is not joined.
- Percent number formats are not consulted*: ratios use the range rule of
  kfbonus.values (exact for ratios ≤ 100% and 个人百分比 ≤ 500%).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from kfbonus.model import FoundTable, InputFile, MonthInput
from kfbonus.money import fmt_money
from kfbonus.problems import Problem, RowRef, SheetTable, Source, error, has_errors, warning
from kfbonus.schema import TABLE_BY_KIND, TABLES, Field, Table
from kfbonus.values import PARSERS, BadValue, display, is_blank
from kfbonus.xlsxfacts import inspect_workbook

__all__ = ["EXCEL_SUFFIXES", "HEADER_SCAN_ROWS", "col_letter", "normalize_header", "read_month",
           "read_workbook"]

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb"})
HEADER_SCAN_ROWS = 20
MIN_DAY_COLUMNS = 5

_UNIT_RE = re.compile(r"\([^()]*\)$")
_WS_RE = re.compile(r"\s+")
_LABEL_RE = re.compile(r"([^\s：:\d][^\s：:]*)\s*[：:]\s*")
_DAY_RE = re.compile(r"(\d{1,2})[日号]?")
_WEEKDAY_RE = re.compile(r"(星期|周|礼拜)?[一二三四五六日天]")
_TOTAL_WORDS = ("合计", "总计")
_SUBTOTAL_WORDS = ("小计",)
_SIGNATURE_WORDS = ("制表", "审核", "核准", "批准", "复核", "审批", "经办", "签字", "签名", "备注",
                    "注:", "说明:")
# a line of ``label：`` cells with no data (申报：  工程主管：  评分人签字：)
_SIGN_LINE_RE = re.compile(r"[^\d：:]{1,10}[：:]")
_PRESENT = frozenset({"√", "✓", "✔", "1", "出"})
_REST = "休"
_ABSENT = "旷"


def col_letter(index: int) -> str:
    """0 → ``A``, 25 → ``Z``, 26 → ``AA`` (Excel's column letters)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def normalize_header(text: object) -> str:
    """Header as compared: NFKC, no spaces or line breaks, no leading ``*``, no trailing unit."""
    t = unicodedata.normalize("NFKC", str(text))
    t = _WS_RE.sub("", t).lstrip("*")
    t = _UNIT_RE.sub("", t)
    return t


def _as_written(text: object) -> str:
    return _WS_RE.sub("", str(text)) if isinstance(text, str) else display(text)


# normalized header → [(table kind, field)]
_HEADER_INDEX: dict[str, list[tuple[str, Field]]] = {}
for _t in TABLES:
    for _f in _t.fields:
        for _h in _f.headers:
            _HEADER_INDEX.setdefault(normalize_header(_h), []).append((_t.kind, _f))
_DISTINCTIVE = {h for h, uses in _HEADER_INDEX.items() if len({k for k, _ in uses}) == 1}


def _cell_text(value: object) -> str | None:
    """Normalized text of a header-ish cell, or None for blank/non-text."""
    if isinstance(value, str):
        t = value.strip()
        return t or None
    return None


def _day_of(value: object) -> int | None:
    """The day a day-grid header stands for (1…31), else None."""
    if isinstance(value, dt.date):
        return value.day
    if isinstance(value, float | int) and not isinstance(value, bool):
        if float(value).is_integer() and 1 <= value <= 31:
            return int(value)
        return None
    if isinstance(value, str):
        m = _DAY_RE.fullmatch(unicodedata.normalize("NFKC", value).strip())
        if m and 1 <= int(m.group(1)) <= 31:
            return int(m.group(1))
    return None


@dataclass
class _Label:
    value: object
    source: Source


@dataclass
class _Header:
    table: Table
    row: int                               # 0-based index of the (first) header row
    data_start: int                        # 0-based index of the first row after the header
    columns: dict[str, int]                # field name → 0-based column
    written: dict[str, str]                # field name → header as written
    labels: dict[str, _Label] = field(default_factory=dict)
    days: list[tuple[int, int]] = field(default_factory=list)   # (day, column), attendance grid

    @property
    def grid(self) -> bool:
        return bool(self.days)


@dataclass
class _Partial:
    table: Table
    row: int
    missing: list[Field]
    score: tuple[int, int]


def _match_row(cells: Sequence[object]) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, str]]]:
    """Per table kind: field name → column, and → header as written (first occurrence wins)."""
    matched: dict[str, dict[str, int]] = {}
    written: dict[str, dict[str, str]] = {}
    for c, value in enumerate(cells):
        text = _cell_text(value)
        if text is None or "：" in text or ":" in text:
            continue
        uses = _HEADER_INDEX.get(normalize_header(text))
        if not uses:
            continue
        for kind, f in uses:
            cols = matched.setdefault(kind, {})
            if f.name not in cols:
                cols[f.name] = c
                written.setdefault(kind, {})[f.name] = _as_written(text)
    return matched, written


def _labels_in_row(cells: Sequence[object], r: int, where: Source, into: dict[str, _Label]) -> None:
    """``label：value`` cells (value here or in the next non-empty cell), and bare ``header | value``."""
    n = len(cells)

    def next_value(c: int) -> tuple[object, int] | None:
        for j in range(c + 1, n):
            if not is_blank(cells[j]) and cells[j] != "":
                return cells[j], j
        return None

    for c, value in enumerate(cells):
        text = _cell_text(value)
        if text is None:
            continue
        norm = unicodedata.normalize("NFKC", text)
        pieces = list(_LABEL_RE.finditer(norm))
        if pieces and pieces[0].start() == 0:
            for i, m in enumerate(pieces):
                label = normalize_header(m.group(1))
                end = pieces[i + 1].start() if i + 1 < len(pieces) else len(norm)
                val = norm[m.end():end].strip()
                if val:
                    src = Source(where.file, where.sheet, r + 1, col_letter(c), m.group(1))
                    into.setdefault(label, _Label(val, src))
                elif i + 1 == len(pieces):
                    nxt = next_value(c)
                    if nxt is not None:
                        src = Source(where.file, where.sheet, r + 1, col_letter(nxt[1]), m.group(1))
                        into.setdefault(label, _Label(nxt[0], src))
        elif normalize_header(text) in _HEADER_INDEX:
            nxt = next_value(c)
            if nxt is not None and not (isinstance(nxt[0], str)
                                        and normalize_header(nxt[0]) in _HEADER_INDEX):
                src = Source(where.file, where.sheet, r + 1, col_letter(nxt[1]), text)
                into.setdefault(normalize_header(text), _Label(nxt[0], src))


def _label_fields(table: Table, labels: dict[str, _Label], columns: dict[str, int]) -> dict[str, _Label]:
    out: dict[str, _Label] = {}
    for f in table.fields:
        if f.name in columns:
            continue
        for h in f.headers:
            lab = labels.get(normalize_header(h))
            if lab is not None:
                out[f.name] = lab
                break
    return out


def _candidates(cells: Sequence[object], labels: dict[str, _Label]):
    """Complete tables for one header row: (score, table, columns, written, label fields, days)."""
    matched, written = _match_row(cells)
    out = []
    for kind, cols in matched.items():
        table = TABLE_BY_KIND[kind]
        labs = _label_fields(table, labels, cols)
        have = set(cols) | set(labs)
        days: list[tuple[int, int]] = []
        if kind == "attendance" and not {"due_days", "present_days"} <= have:
            days = [(d, c) for c, v in enumerate(cells) if (d := _day_of(v)) is not None]
            if len(days) >= MIN_DAY_COLUMNS:
                have |= {"due_days", "present_days", "absent_days", "longest_absence"}
            else:
                days = []
        if all(f.name in have for f in table.required):
            score = (len(cols) + (1 if days else 0), len(cols) * 1000 // len(table.fields))
            out.append((score, table, cols, written[kind], labs, days))
    return out, matched


def _find_header(rows: list[list[object]], where: Source) -> _Header | _Partial | None:
    labels: dict[str, _Label] = {}
    partial: _Partial | None = None
    limit = min(HEADER_SCAN_ROWS, len(rows))
    for r in range(limit):
        cells = rows[r]
        found, matched = _candidates(cells, labels)
        data_start = r + 1
        if not found and matched and r + 1 < len(rows):
            # a header over two rows: a merged group cell above its sub-headers
            below = rows[r + 1]
            combo = [b if (isinstance(b, str) and b.strip()) else a
                     for a, b in zip(cells, below, strict=False)]
            with_row = dict(labels)
            _labels_in_row(cells, r, where, with_row)
            if combo != list(cells) and not _candidates(below, with_row)[0]:
                found, _ = _candidates(combo, labels)
                data_start = r + 2
        row_partial: _Partial | None = None
        for kind, cols in matched.items():
            if len(cols) < 2:
                continue
            table = TABLE_BY_KIND[kind]
            distinctive = sum(1 for name, _c in cols.items()
                              if any(normalize_header(h) in _DISTINCTIVE for h in table.field(name).headers))
            if not distinctive:
                continue
            labs = _label_fields(table, labels, cols)
            missing = [f for f in table.required if f.name not in cols and f.name not in labs]
            if not missing:
                continue
            score = (distinctive, len(cols))
            if row_partial is None or score > row_partial.score:
                row_partial = _Partial(table, r, missing, score)
        if found:
            score, table, cols, written, labs, days = max(found, key=lambda x: x[0])
            # a header that matches more columns of a table it is incomplete for is that
            # table missing a column (工程编号 alone fits 工程激励申报, but 工程编号+工号+
            # 个人工期天数 is a settlement without 计件工资)
            # (a day grid's day columns stand for its missing day counts: 工号+姓名+班组+1…30
            # is attendance, not a roster without 入职日期)
            if days or row_partial is None or row_partial.score[1] <= len(cols):
                return _Header(table, r, data_start, cols, written, labs, days)
            return row_partial
        if row_partial is not None and (partial is None or row_partial.score > partial.score):
            partial = row_partial
        _labels_in_row(cells, r, where, labels)
    return partial


def _first_text(row: Sequence[object]) -> str | None:
    for v in row:
        if isinstance(v, str):
            t = v.strip()
            if t:
                return unicodedata.normalize("NFKC", _WS_RE.sub("", t))
    return None


@dataclass
class _Acc:
    """Rows accumulated for one table kind across sheets and files."""

    columns: dict[str, list[object]]
    src: list[RowRef] = field(default_factory=list)


def _attendance_from_grid(row: Sequence[object], days: list[tuple[int, int]]) -> tuple[int, int, int, int]:
    """(应出勤, 实出勤, 旷工, 连续缺勤) from one row of day marks (INPUTS.md, 考勤).

    连续缺勤 is, as INPUTS.md says, the longest run of consecutive days without √:
    rest days (休) and blank days inside or around a leave count, so a whole
    month of sick leave is 30 days however its Sundays were marked.
    """
    due = present = absent = 0
    run = best = 0
    for _day, c in days:
        v = row[c] if c < len(row) else ""
        if isinstance(v, str):
            mark = unicodedata.normalize("NFKC", v).strip()
        elif v is None:
            mark = ""
        else:
            mark = display(v)
        if mark in _PRESENT:
            due += 1
            present += 1
            run = 0
            continue
        if mark not in ("", _REST):
            due += 1
            if mark == _ABSENT:
                absent += 1
        run += 1
        best = max(best, run)
    return due, present, absent, best


class _SheetReader:
    """Reads one recognised sheet into the accumulators, collecting problems."""

    def __init__(self, file: str, sheet: str, rows: list[list[object]], head: _Header,
                 problems: list[Problem]):
        self.file, self.sheet, self.rows, self.head, self.problems = file, sheet, rows, head, problems
        self.table = head.table

    def read(self, acc: _Acc) -> int:
        head, table = self.head, self.table
        columns = {name: (col_letter(c), head.written[name]) for name, c in head.columns.items()}
        labels = {name: lab.source for name, lab in head.labels.items()}
        st = SheetTable(self.file, self.sheet, table.kind, head.row + 1, columns, labels)
        width = max((len(r) for r in self.rows), default=0)
        required_cols = [head.columns[f.name] for f in table.required if f.name in head.columns]

        data_rows: list[int] = []
        total_row: int | None = None
        for i in range(head.data_start, len(self.rows)):
            row = self.rows[i]
            if all(v == "" or v is None or (isinstance(v, str) and not v.strip()) for v in row):
                continue
            first = _first_text(row)
            if first is not None:
                if first.startswith(_TOTAL_WORDS):
                    total_row = i
                    break
                if first.startswith(_SUBTOTAL_WORDS):
                    continue
                if first.startswith(_SIGNATURE_WORDS) or _SIGN_LINE_RE.match(first):
                    break  # a signature line such as 制表：… 申报：… 工程主管：… ends the table
            if required_cols and all(is_blank(row[c]) if c < len(row) else True for c in required_cols):
                if head.grid and all(is_blank(v) or (isinstance(v, str) and _WEEKDAY_RE.fullmatch(v.strip()))
                                     for v in row):
                    continue
                self.problems.append(warning(
                    "row-ignored",
                    f"此行没有填写{'、'.join(f.header for f in table.required if f.name in head.columns)}"
                    f"等必填内容，未作为{table.title}数据读取",
                    Source(self.file, self.sheet, i + 1)))
                continue
            data_rows.append(i)

        rows = self.rows
        n = len(data_rows)
        parsed: dict[str, list[object]] = {}
        bad_columns: set[str] = set()
        for f in table.fields:
            if f.name in head.columns:
                c = head.columns[f.name]
                if c >= width:
                    parsed[f.name] = [None] * n
                    continue
                parsed[f.name] = self._parse_column(f, c, [rows[i][c] for i in data_rows], data_rows,
                                                    columns[f.name][1], bad_columns)
            elif f.name in head.labels:
                lab = head.labels[f.name]
                try:
                    value = PARSERS[f.kind](lab.value)
                except BadValue as e:
                    label = lab.source.header or f.header
                    self.problems.append(error(
                        e.code, f"{label}「{display(lab.value)}」{e.reason}", lab.source))
                    value = None
                if value is None and f.required:
                    self.problems.append(error(
                        "missing-value", f"{f.header}为空，{table.title}必须填写{f.header}", lab.source))
                parsed[f.name] = [value] * n
            else:
                parsed[f.name] = [None] * n

        if head.grid:
            derived = [_attendance_from_grid(rows[i], head.days) for i in data_rows]
            for k, name in enumerate(("due_days", "present_days", "absent_days", "longest_absence")):
                if name not in head.columns:
                    parsed[name] = [Decimal(d[k]) for d in derived]

        if total_row is not None and table.kind == "settlement":
            self._check_totals(total_row, data_rows, parsed, bad_columns, columns)

        for name, values in parsed.items():
            acc.columns[name].extend(values)
        acc.src.extend(RowRef(st, i + 1) for i in data_rows)
        return n

    def _parse_column(self, f: Field, c: int, raws: list[object], data_rows: list[int], header: str,
                      bad_columns: set[str]) -> list[object]:
        parser = PARSERS[f.kind]
        out: list[object] = []
        append = out.append
        letter = col_letter(c)
        for raw, i in zip(raws, data_rows, strict=True):
            try:
                value = parser(raw)
            except BadValue as e:
                bad_columns.add(f.name)
                self.problems.append(error(
                    e.code, f"{header}「{display(raw)}」{e.reason}",
                    Source(self.file, self.sheet, i + 1, letter, header)))
                append(None)
                continue
            if value is None and f.required:
                bad_columns.add(f.name)
                self.problems.append(error(
                    "missing-value", f"{header}为空，{self.table.title}的每一行都必须填写{header}",
                    Source(self.file, self.sheet, i + 1, letter, header)))
            append(value)
        return out

    def _check_totals(self, total_row: int, data_rows: list[int], parsed: dict[str, list[object]],
                      bad_columns: set[str], columns: dict[str, tuple[str, str]]) -> None:
        row = self.rows[total_row]
        for name, money in (("piece_wage", True), ("days", False)):
            if name not in self.head.columns or name in bad_columns:
                continue
            c = self.head.columns[name]
            raw = row[c] if c < len(row) else ""
            letter, header = columns[name]
            where = Source(self.file, self.sheet, total_row + 1, letter, header)
            try:
                stated = PARSERS[self.table.field(name).kind](raw)
            except BadValue as e:
                self.problems.append(warning(
                    "invalid-total", f"合计行的{header}「{display(raw)}」{e.reason}，未能核对合计", where))
                continue
            if stated is None:
                continue
            actual = sum((v for v in parsed[name] if v is not None), Decimal(0))
            if stated != actual:
                fmt = fmt_money if money else (lambda d: f"{d.normalize():f}")
                self.problems.append(error(
                    "total-mismatch",
                    f"合计行的{header}为 {fmt(stated)}，但本表各行{header}之和为 {fmt(actual)}，两者不符",
                    where))


def _empty_acc() -> dict[str, _Acc]:
    return {t.kind: _Acc({f.name: [] for f in t.fields}) for t in TABLES}


def _is_empty_sheet(rows: list[list[object]]) -> bool:
    return all(is_blank(v) for row in rows for v in row)


def read_workbook(name: str, data: bytes, acc: dict[str, _Acc], found: list[FoundTable],
                  problems: list[Problem]) -> bool:
    """Read one workbook's bytes into ``acc``; False if it could not be opened."""
    facts, guard = inspect_workbook(name, data)   # before calamine: zip bombs, far cells, DTDs
    if facts is None and has_errors(guard):
        problems.extend(guard)
        return False
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metas = list(wb.sheets_metadata)
    except Exception:  # calamine raises several types for broken files
        problems.append(error(
            "unreadable-file",
            "无法作为 Excel 工作簿读取：文件可能已损坏、设有密码，或并非 Excel 文件；"
            "请用 Excel 打开确认后另存为 .xlsx 再运行",
            Source(name)))
        return False
    for meta in metas:
        sheet = meta.name
        if "chart" in str(meta.typ).lower():
            continue
        hidden = "hidden" in str(meta.visible).lower()
        try:
            rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except Exception as e:
            problems.append(error("unreadable-sheet", f"无法读取此工作表：{type(e).__name__}",
                                  Source(name, sheet)))
            continue
        where = Source(name, sheet)
        head = _find_header(rows, where)
        if isinstance(head, _Header):
            n = _SheetReader(name, sheet, rows, head, problems).read(acc[head.table.kind])
            found.append(FoundTable(name, sheet, head.table.kind, head.row + 1, n, bool(head.labels)))
            if hidden:
                problems.append(warning(
                    "hidden-sheet",
                    f"此工作表是隐藏的，其中的{head.table.title}（{n} 行）已读取；如不应计入，请删除该工作表",
                    where))
        elif isinstance(head, _Partial):
            headers = "」「".join(f.header for f in head.missing)
            problems.append(error(
                "missing-column",
                f"第{head.row + 1}行像是{head.table.title}的表头，但缺少必填列「{headers}」，此工作表未读取",
                Source(name, sheet, head.row + 1)))
        elif not hidden and not _is_empty_sheet(rows):
            problems.append(warning(
                "unrecognised-sheet",
                f"前{HEADER_SCAN_ROWS}行中没有找到任何表格的表头（如「工号」「工程编号」），此工作表未读取",
                where))
    return True


def _lock_owner(lock: str, names: list[str]) -> str:
    """The workbook an Excel lock file ``~$name`` belongs to (Excel may drop the first 2 characters)."""
    rest = lock[2:]
    for n in names:
        if n == rest:
            return n
    for n in names:
        if not n.startswith("~$") and n.endswith(rest) and len(n) == len(rest) + 2:
            return n
    return rest


def read_month(folder: Path | str) -> MonthInput:
    """Read every workbook of the month folder (see the module docstring)."""
    folder = Path(folder)
    problems: list[Problem] = []
    files: list[InputFile] = []
    found: list[FoundTable] = []
    acc = _empty_acc()
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as e:
        problems.append(error("unreadable-folder", f"无法打开输入文件夹：{e.strerror or type(e).__name__}",
                              Source(str(folder))))
        entries = []
    names = [p.name for p in entries]
    for path in entries:
        name = path.name
        if name.startswith("."):
            continue
        if path.is_dir():
            problems.append(warning(
                "subfolder-not-read", "这是子文件夹，其中的文件未读取（只读取输入文件夹本身）", Source(name)))
            continue
        if name.startswith("~$"):
            owner = _lock_owner(name, names)
            problems.append(warning(
                "lock-file",
                f"这是 Excel 的锁定文件，说明「{owner}」可能正在 Excel 中打开，已跳过；"
                "如该工作簿有未保存的修改，请保存并关闭后重新运行",
                Source(name)))
            continue
        if path.suffix.lower() not in EXCEL_SUFFIXES:
            problems.append(warning(
                "file-not-read", "不是 Excel 工作簿（.xlsx/.xlsm/.xls），未读取", Source(name)))
            continue
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as e:
            problems.append(error("unreadable-file", f"无法打开文件：{e.strerror or type(e).__name__}",
                                  Source(name)))
            continue
        if read_workbook(name, data, acc, found, problems):
            files.append(InputFile(name, hashlib.sha256(data).hexdigest(), len(data)))
    tables = {}
    for t in TABLES:
        a = acc[t.kind]
        cols = {f.name: a.columns[f.name] for f in t.fields}
        cols["src"] = a.src
        tables[t.kind] = pd.DataFrame(cols, columns=[*cols], dtype=object)
    return MonthInput(str(folder), tables, files, found, problems)
