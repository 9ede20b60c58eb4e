"""Read the month folder as it really is (INPUTS.md) → :class:`~kfbonus.model.MonthInput`.

``read_month(folder, period)`` never raises for bad input and never writes: each
workbook is read once into memory (``open(..., "rb")``), hashed, looked at
(:mod:`kfbonus.xlsxfacts`: archive limits, hostile XML, far cells, and what the fast
reader does not show) and parsed with python-calamine from those bytes.  Every
problem becomes a :class:`~kfbonus.problems.Problem`.

How the folder is read (decisions where INPUTS.md is silent are marked *):

- Only the folder itself, not sub-folders* (a sub-folder gets a warning
  ``subfolder-not-read``, so nothing is ignored silently).  Entries are taken
  in name order, so the result does not depend on the file system.
- ``.xlsx``/``.xlsm``/``.xls``/``.xlsb`` are read; ``~$*`` lock files are
  skipped with a warning ``lock-file`` naming the workbook that is probably
  open in Excel; dot files are skipped silently; any other file gets a
  warning ``file-not-read``.  A workbook that cannot be opened gives one
  error ``unreadable-file``.
- Headers.  A sheet's first table has its header in the first 20 rows.  A row
  is a table's header when all the table's required columns are there (or come
  from a form's label block).  A header may span two rows (a merged group cell
  above its sub-headers, the other headers merged down): the upper row alone,
  and the two rows read as one, are both tried, and the kind whose columns the
  whole header matches best wins, so a score table under 检查得分 is never taken
  for an application table that its upper row (工程编号) alone satisfies.  An
  alias belongs to the column: every alias of 工程编号 or 工号 is accepted in
  every table that has the column.  A header that matches one column twice is
  an error ``duplicate-column`` naming both column letters (the first is read).
  A row that clearly starts a table (≥ 2 of its headers, at least one found in
  no other table) but lacks a required column gives ``missing-column`` and the
  sheet is not read.  A non-empty sheet with no header gives
  ``unrecognised-sheet``.
- Several tables on one sheet: a table ends at a signature line (制表, 审核,
  核准, 批准, 复核, 审批, 经办, 签字, 备注, 注：, 说明：, or any ``label：`` line with
  no data), at the header row of the next table (its title lines above it
  belong to it), or at the sheet's end; every table is read.  After a signature
  line, a row holding numbers that starts no table gets ``row-after-table``*.
- Rows: blank rows are skipped.  A row whose first text cell is 合计/小计/总计
  (spaced too, or ending in one: 奖励小计, 本页合计*) is a total: it is not data
  and ends nothing.  Every total row is checked: each of its number and money
  cells must equal the sum of its section (the rows since the previous total
  row) or of the whole table (``total-mismatch``, an error naming the cell).  A
  row with content but every required column blank is not data and gets a
  warning ``row-ignored`` (a weekday row under a day grid's header and the
  title lines of the next table are skipped silently).
- Cells the fast reader does not show (:mod:`kfbonus.xlsxfacts`, .xlsx/.xlsm
  only): an Excel error value (``#DIV/0!`` …) is an error ``cell-error``, a
  formula whose result was never saved is an error ``formula-not-calculated``,
  in any cell read (data, totals, label block); rows hidden in Excel that hold
  data are read, with one warning ``hidden-row`` per table naming them; a
  percent-formatted number means what Excel shows (0.15 in a ``0%`` cell is
  15%, 5.5 is 550%), and in a money or day column it is an error
  ``percent-format``*.  A cell merged down over data rows gives its value to
  every row it covers.
- Money has at most two decimals (``money-decimals``, kfbonus.values).
- The month.  A table says which month it holds by a year-month in its file
  name, its sheet name or its title lines (``2026年11月``, ``2026-11``; a full
  date such as 制表日期 2026-12-02 is not a month), by a 结算月份/月份 label,
  or, for an attendance grid, by its date headers or its number of day
  columns.  One that disagrees with the month being run is an error
  ``wrong-month`` naming where it says so; in a year-end run only the year is
  compared*.  Project start/finish dates are not month markers.
- Hidden sheets* are read like the others (they are part of the workbook the
  accountant handed in), with a warning ``hidden-sheet`` when a table is
  found in one; hidden sheets holding no table (drop-down lists) are skipped
  silently.
- Form-style sheets: cells above the header reading ``label：value`` (value in
  the same cell or the next non-empty cell to the right), or a cell holding
  exactly a header of the table followed by a value, fill the fields the
  table has no column for; their Source is the value's cell.
- Attendance day grid: 工号 plus ≥ 5 day columns (headers 1…31, ``1日``,
  ``1号``, dates, or dates typed as text: ``2026-11-01``, ``11月1日``, ``11/1``)
  and no 应出勤/实出勤 columns.  应出勤 = days with any mark
  but 休; 实出勤 = √ ✓ ✔ 1 出; 旷工 = 旷; 连续缺勤 = the longest run of days
  without √, as INPUTS.md says: blank and 休 days count (rest days inside a
  leave are absent calendar days).  Only this month's grid is seen: a run
  continuing from last month is not joined.  A grid kept by its attendance
  cycle (26…31, 1…25, or dates from last month into this one) is this month's,
  counted in column order, with a warning ``attendance-cycle``.
- A header cell none of the table's headers that shares a telling pair of
  characters with a header of a column the table lacks (分配系数 / 个人百分比)
  is a warning ``header-not-recognised`` when its column holds data.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import hashlib
import io
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from python_calamine import CalamineWorkbook

from kfbonus.model import Columns, FoundTable, InputFile, MonthInput
from kfbonus.money import fmt_money
from kfbonus.problems import Problem, RowRef, SheetTable, Source, error, has_errors, warning
from kfbonus.schema import COMMON, Field, Kind, Table
from kfbonus.values import (
    INVISIBLE,
    PARSERS,
    BadValue,
    Percentage,
    display,
    excel_error,
    is_blank,
    parse_date,
    parse_number,
)
from kfbonus.xlsxfacts import cell_ref, inspect_workbook

__all__ = ["EXCEL_SUFFIXES", "HEADER_SCAN_ROWS", "col_letter", "normalize_header", "read_month",
           "read_workbook"]

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb"})
HEADER_SCAN_ROWS = 20
MIN_DAY_COLUMNS = 5

_UNIT_RE = re.compile(r"[(（][^()（）]*[)）]$")
_WS_RE = re.compile(r"\s+")
_LABEL_RE = re.compile(r"([^\s：:\d][^\s：:]*)\s*[：:]\s*")
_DAY_RE = re.compile(r"(\d{1,2})[日号]?")
# a day header typed as text with its month: 11月1日, 11/1, 11-01, 11.1 (the year from the run)
_MONTH_DAY_RE = re.compile(r"(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*[日号]?")
_WEEKDAY_RE = re.compile(r"(星期|周|礼拜)?[一二三四五六日天]")
_TOTAL_WORDS = ("合计", "小计", "总计")
_SUM_WORDS = ("汇总", "共计")   # totals too, on a row with a number (_is_total)
_SIGNATURE_WORDS = ("制表", "审核", "核准", "批准", "复核", "审批", "经办", "签字", "签名", "备注",
                    "注:", "说明:")
# a line of ``label：`` cells with no data (申报：  工程主管：  评分人签字：)
_SIGN_LINE_RE = re.compile(r"[^\d：:]{1,10}[：:]")
# day marks of an attendance grid (INPUTS.md, 考勤): present; rest; absent without leave (旷工);
# leave of a kind (事假, 病假, 工伤 …): due but not present, as any other mark, which is also said
_PRESENT = frozenset({"√", "✓", "✔", "1", "出", "出勤"})
_REST = frozenset({"", "休", "休息", "公休", "例休"})
_ABSENT = frozenset({"旷", "旷工"})
_LEAVE = frozenset({"事", "病", "伤", "假", "年", "婚", "丧", "产", "探", "事假", "病假", "工伤", "伤假",
                    "年假", "婚假", "丧假", "产假", "陪产假", "探亲假"})
_CHECKED_KINDS = (Kind.MONEY, Kind.NUMBER, Kind.MONEY_OR_PERCENT)   # the cells of a total row checked
_SHARE_KINDS = (Kind.RATIO, Kind.PERCENT, Kind.DISCOUNT)
# a year-month that is not part of a longer date or code (GC-2611-01, 2026-11-30 are not months)
_YM_RES = (re.compile(r"(?<![\w\-./])(20\d{2})\s*年\s*(\d{1,2})\s*月(?!\s*\d)"),
           re.compile(r"(?<![\w\-./])(20\d{2})\s*[-./]\s*(\d{1,2})(?![\d\-./])"))
_MONTH_ONLY_RE = re.compile(r"^\s*(\d{1,2})\s*月?\s*份?\s*$")
_MONTH_LABELS = ("结算月份", "月份", "考勤月份", "所属月份", "核算月份", "统计月份", "工资月份")


def col_letter(index: int) -> str:
    """0 → ``A``, 25 → ``Z``, 26 → ``AA`` (Excel's column letters)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@functools.lru_cache(maxsize=1 << 16)
def normalize_header(text: str) -> str:
    """Header as compared: NFKC, no spaces, line breaks or invisible characters, no leading ``*``,
    no trailing unit."""
    t = unicodedata.normalize("NFKC", str(text)).translate(INVISIBLE)
    t = _WS_RE.sub("", t).lstrip("*")
    t = _UNIT_RE.sub("", t)
    return t


def _as_written(text: object) -> str:
    return _WS_RE.sub("", str(text)) if isinstance(text, str) else display(text)


def _build_header_index(tables: Sequence[Table]) -> dict[str, list[tuple[str, Field]]]:
    """normalized header → [(table kind, field)]; an alias belongs to the column (INPUTS.md):
    the aliases of every field with the same canonical header are pooled."""
    pooled: dict[str, set[str]] = {}
    for t in tables:
        for f in t.fields:
            pooled.setdefault(f.header, set()).update(f.headers)
    index: dict[str, list[tuple[str, Field]]] = {}
    for t in tables:
        for f in t.fields:
            for h in sorted(pooled[f.header]):
                uses = index.setdefault(normalize_header(h), [])
                if (t.kind, f) not in uses:
                    uses.append((t.kind, f))
    return index


_TABLES: tuple[Table, ...] = ()
_TABLE_BY_KIND: dict[str, Table] = {}
_HEADER_INDEX: dict[str, list[tuple[str, Field]]] = {}
_DISTINCTIVE: set[str] = set()
_FIELD_HEADERS: dict[int, list[str]] = {}


@functools.lru_cache(maxsize=1 << 16)
def _is_header(text: str) -> bool:
    return normalize_header(text) in _HEADER_INDEX


def use_tables(tables: Sequence[Table]) -> None:
    """The tables the reader recognises (every scheme's that runs, the shared ones
    included): the header index is rebuilt only when the set changes."""
    global _TABLES, _TABLE_BY_KIND, _HEADER_INDEX, _DISTINCTIVE, _FIELD_HEADERS
    tables = tuple(dict.fromkeys(tables))
    if tables == _TABLES:
        return
    index = _build_header_index(tables)
    headers: dict[int, list[str]] = {}
    for h, uses in index.items():
        for _k, f in uses:
            headers.setdefault(id(f), []).append(h)
    _TABLES, _TABLE_BY_KIND, _HEADER_INDEX = tables, {t.kind: t for t in tables}, index
    _is_header.cache_clear()
    _DISTINCTIVE = {h for h, uses in index.items() if len({k for k, _ in uses}) == 1}
    _FIELD_HEADERS = headers
    # each field's telling pairs of characters (分配, 系数 of 个人百分比's 分配比例, 个人系数):
    # those of its headers that no more than two fields' headers share (日期, 比例 are everybody's)
    owners: dict[str, set[str]] = {}
    for h, uses in index.items():
        for _k, f in uses:
            for pair in _pairs(h):
                owners.setdefault(pair, set()).add(f.name)
    _FIELD_PAIRS.clear()
    for h, uses in index.items():
        for _k, f in uses:
            _FIELD_PAIRS.setdefault(id(f), set()).update(p for p in _pairs(h) if len(owners[p]) <= 2)


_FIELD_PAIRS: dict[int, set[str]] = {}


def _pairs(text: str) -> set[str]:
    """The pairs of adjacent characters of a header that are not both ASCII (1日 and 系数, not ID)."""
    return {text[i:i + 2] for i in range(len(text) - 1) if not text[i:i + 2].isascii()}


use_tables(COMMON)


def _headers_of(f: Field) -> list[str]:
    """Every header text (normalized) that names ``f``'s column, aliases pooled."""
    return _FIELD_HEADERS.get(id(f), [])


def _cell_text(value: object) -> str | None:
    """Trimmed text of a header-ish cell, or None for blank/non-text."""
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
        text = unicodedata.normalize("NFKC", value).strip()
        m = _DAY_RE.fullmatch(text)
        if m and 1 <= int(m.group(1)) <= 31:
            return int(m.group(1))
        day = _text_day(text, None)
        if day is not None:
            return day.day if isinstance(day, dt.date) else day[1]
    return None


def _text_day(text: str, period: _Period | None) -> dt.date | tuple[int, int] | None:
    """A day header typed as a date: ``2026-11-01`` (any form of values.parse_date) is that
    date; ``11月1日``, ``11/1``, ``11-01`` is (month, day), or with ``period`` the date in the
    run's year (in the year before for December in a January run)."""
    if any(c.isdigit() for c in text[:4]) and len(text) >= 8:
        try:
            return parse_date(text)
        except BadValue:
            pass
    m = _MONTH_DAY_RE.fullmatch(text)
    if not m:
        return None
    month, day = int(m.group(1)), int(m.group(2))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if period is None or period.month is None:
        return month, day
    year = period.year - 1 if month == 12 and period.month == 1 else period.year
    try:
        return dt.date(year, month, day)  # type: ignore[arg-type]
    except ValueError:   # 11月31日
        return None


def _dated(days: list[tuple[int, int, object]], period: _Period) -> list[tuple[int, int, object]]:
    """A grid's day columns with the headers typed as dates (text) made dates, for the month checks."""
    out = []
    for d, c, h in days:
        if isinstance(h, str):
            day = _text_day(unicodedata.normalize("NFKC", h).strip(), period)
            if isinstance(day, dt.date):
                h = day
        out.append((d, c, h))
    return out


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
    days: list[tuple[int, int, object]] = field(default_factory=list)   # (day, column, header), grid
    duplicates: dict[str, list[int]] = field(default_factory=dict)      # field → every column naming it
    shadowed: dict[str, _Label] = field(default_factory=dict)   # an id's label above, with its column too

    @property
    def grid(self) -> bool:
        return bool(self.days)


@dataclass
class _Partial:
    table: Table
    row: int
    missing: list[Field]
    score: tuple[int, int]


@dataclass
class _Candidate:
    score: tuple[int, int]
    table: Table
    columns: dict[str, int]
    written: dict[str, str]
    labels: dict[str, _Label]
    days: list[tuple[int, int, object]]
    duplicates: dict[str, list[int]]


def _match_row(cells: Sequence[object]):
    """Per table kind: field name → column, → header as written, → every column naming it."""
    matched: dict[str, dict[str, int]] = {}
    written: dict[str, dict[str, str]] = {}
    every: dict[str, dict[str, list[int]]] = {}
    for c, value in enumerate(cells):
        text = _cell_text(value)
        if text is None or "：" in text or ":" in text:
            continue
        uses = _HEADER_INDEX.get(normalize_header(text))
        if not uses:
            continue
        for kind, f in uses:
            cols = matched.setdefault(kind, {})
            every.setdefault(kind, {}).setdefault(f.name, []).append(c)
            if f.name not in cols:
                cols[f.name] = c
                written.setdefault(kind, {})[f.name] = _as_written(text)
    return matched, written, every


def _header_cells(cells: Sequence[object]) -> int:
    """How many cells of a row read as a known header (a cheap test before matching: it
    runs on every data row, whose texts repeat — names, 工程编号, 班组)."""
    n = 0
    for value in cells:
        if value.__class__ is str and value and _is_header(value):
            n += 1
    return n



def _labels_in_row(cells: Sequence[object], r: int, where: Source, into: dict[str, _Label]) -> None:
    """``label：value`` cells (value here or in the next non-empty cell), and bare ``header | value``.

    A label left empty (``工程编号：`` with nothing after it) is kept with an empty value and
    the label's own cell, so that a table needing it is read and its empty value reported
    there (``missing-value`` at the label), not the whole sheet refused for a missing
    column; a filled label of the same name found later takes its place."""
    n = len(cells)

    def put(label: str, lab: _Label) -> None:
        old = into.get(label)
        if old is None or (old.value == "" and lab.value != ""):
            into[label] = lab

    def next_value(c: int) -> tuple[object, int] | None:
        """The next non-empty cell, unless it is a label or a header itself (``工程编号：`` left
        empty beside ``工程名称：顺德酒店`` has no value; it does not take its neighbour's)."""
        for j in range(c + 1, n):
            v = cells[j]
            if not is_blank(v) and v != "":
                if isinstance(v, str) and (_LABEL_RE.match(unicodedata.normalize("NFKC", v).strip())
                                           or normalize_header(v) in _HEADER_INDEX):
                    return None
                return v, j
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
                nxt = None if val or i + 1 < len(pieces) else next_value(c)
                if val or nxt is None:
                    put(label, _Label(val, Source(where.file, where.sheet, r + 1, col_letter(c), m.group(1))))
                else:
                    put(label, _Label(nxt[0], Source(where.file, where.sheet, r + 1, col_letter(nxt[1]),
                                                     m.group(1))))
        elif normalize_header(text) in _HEADER_INDEX:
            nxt = next_value(c)
            if nxt is not None:
                src = Source(where.file, where.sheet, r + 1, col_letter(nxt[1]), text)
                put(normalize_header(text), _Label(nxt[0], src))


def _label_fields(table: Table, labels: dict[str, _Label], columns: dict[str, int]) -> dict[str, _Label]:
    out: dict[str, _Label] = {}
    for f in table.fields:
        if f.name in columns:
            continue
        for h in _headers_of(f):
            lab = labels.get(h)
            if lab is not None:
                out[f.name] = lab
                break
    return out


def _candidates(cells: Sequence[object], labels: dict[str, _Label]):
    """Complete tables for one header row, and every kind's matched columns."""
    matched, written, every = _match_row(cells)
    out: list[_Candidate] = []
    for kind, cols in matched.items():
        table = _TABLE_BY_KIND[kind]
        labs = _label_fields(table, labels, cols)
        have = set(cols) | set(labs)
        days: list[tuple[int, int, object]] = []
        counted = {"due_days", "present_days"} <= have   # the day counts have columns of their own
        if kind == "attendance":
            # day columns: the counts come from them, or (with count columns too) are checked
            days = [(d, c, v) for c, v in enumerate(cells) if (d := _day_of(v)) is not None]
            if len(days) < MIN_DAY_COLUMNS:
                days = []
            elif not counted:
                have |= {"due_days", "present_days", "absent_days", "longest_absence"}
        if all(f.name in have for f in table.required) and (
                not table.any_of or any(n in have for n in table.any_of)):
            score = (len(cols) + (1 if days and not counted else 0), len(cols) * 1000 // len(table.fields))
            dups = {name: cs for name, cs in every[kind].items() if len(cs) > 1}
            out.append(_Candidate(score, table, cols, written[kind], labs, days, dups))
    return out, matched


def _combined(upper: Sequence[object], lower: Sequence[object]) -> list[object]:
    """Two header rows read as one: a sub-header below wins, else the cell above
    (a header merged down over both rows, or a group cell's own column)."""
    width = max(len(upper), len(lower))
    out = []
    for c in range(width):
        a = upper[c] if c < len(upper) else ""
        b = lower[c] if c < len(lower) else ""
        out.append(b if (isinstance(b, str) and b.strip()) or _day_of(b) is not None else a)
    return out


def _best_header(rows: list[list[object]], r: int, labels: dict[str, _Label]):
    """The best complete header starting at row ``r`` (one row, or two read as one), and the
    kinds row ``r`` alone matched; (None, matched) when no table is complete there."""
    found, matched = _candidates(rows[r], labels)
    best = max(found, key=lambda c: c.score) if found else None
    data_start = r + 1
    if matched and r + 1 < len(rows) and _header_cells(rows[r + 1]):
        combo = _combined(rows[r], rows[r + 1])
        both, _ = _candidates(combo, labels)
        below, _ = _candidates(rows[r + 1], labels)
        if both:
            cand = max(both, key=lambda c: c.score)
            alone = max((c.score for c in below), default=None)
            if (best is None or cand.score > best.score) and (alone is None or cand.score > alone):
                best, data_start = cand, r + 2
    if best is None:
        return None, matched
    # an identifier (工程编号) said above a table that has its column too, to be compared
    shadowed = {f.name: lab for f in best.table.fields if f.name in best.columns and f.kind is Kind.ID
                for lab in [next((labels[h] for h in _headers_of(f) if h in labels), None)]
                if lab is not None}
    return _Header(best.table, r, data_start, best.columns, best.written, best.labels, best.days,
                   best.duplicates, shadowed), matched


def _partial_at(matched: dict[str, dict[str, int]], r: int, labels: dict[str, _Label]) -> _Partial | None:
    """A row that clearly starts a table but lacks a required column."""
    out: _Partial | None = None
    for kind, cols in matched.items():
        if len(cols) < 2:
            continue
        table = _TABLE_BY_KIND[kind]
        distinctive = sum(1 for name in cols
                          if any(h in _DISTINCTIVE for h in _headers_of(table.field(name))))
        if not distinctive:
            continue
        labs = _label_fields(table, labels, cols)
        missing = [f for f in table.required if f.name not in cols and f.name not in labs]
        if not missing:
            continue
        score = (distinctive, len(cols))
        if out is None or score > out.score:
            out = _Partial(table, r, missing, score)
    return out


def _find_header(rows: list[list[object]], start: int, stop: int, where: Source,
                 labels: dict[str, _Label]) -> _Header | _Partial | None:
    """The first table's header in rows ``start``…``stop`` (labels above it are collected
    into ``labels``)."""
    partial: _Partial | None = None
    for r in range(start, min(stop, len(rows))):
        head, matched = _best_header(rows, r, labels)
        row_partial = _partial_at(matched, r, labels)
        if head is not None:
            # a header that matches more columns of a table it is incomplete for is that
            # table missing a column (工程编号 alone fits 工程激励申报, but 工程编号+工号+
            # 个人工期天数 is a settlement without 计件工资); a day grid's day columns stand
            # for its missing day counts
            if head.days or row_partial is None or row_partial.score[1] <= len(head.columns):
                return head
            return row_partial
        if row_partial is not None and (partial is None or row_partial.score > partial.score):
            partial = row_partial
        _labels_in_row(rows[r], r, where, labels)
    return partial


def _first_text(row: Sequence[object]) -> str | None:
    for v in row:
        if isinstance(v, str):
            t = v.strip()
            if t:
                return unicodedata.normalize("NFKC", _WS_RE.sub("", t))
    return None


def _is_total(first: str, row: Sequence[object]) -> bool:
    """合计 / 小计 / 总计 (spaced, with a colon or unit), or a short label ending in one (奖励小计);
    also 汇总 and 共计 on a row holding a number: Excel's 分类汇总 writes 「GC-2611-01 汇总」
    rows, and a title such as 「11月奖惩汇总」 (no number) stays the next table's title."""
    t = first.rstrip(":：")
    if t.startswith(_TOTAL_WORDS) or (len(t) <= 16 and t.endswith(_TOTAL_WORDS)):
        return True
    return ((t.startswith(_SUM_WORDS) or (len(t) <= 24 and t.endswith(_SUM_WORDS)))
            and _has_number(row))


def _is_blank_row(row: Sequence[object]) -> bool:
    return all(v == "" or v is None or (v.__class__ is str and not v.strip()) for v in row)


def _has_number(row: Sequence[object]) -> bool:
    return any(isinstance(v, int | float) and not isinstance(v, bool) for v in row)


def _text_only(row: Sequence[object]) -> bool:
    """A title or label line: text cells only, no numbers or dates."""
    return all(v.__class__ is str or v is None for v in row)


@dataclass
class _Acc:
    """Rows accumulated for one table kind across sheets and files."""

    columns: dict[str, list[object]]
    src: list[RowRef] = field(default_factory=list)


def _attendance_from_grid(row: Sequence[object], days: list[tuple[int, int, object]],
                          unknown: dict[str, list[int]], r: int) -> tuple[int, int, int, int]:
    """(应出勤, 实出勤, 旷工, 连续缺勤) from one row ``r`` of day marks (INPUTS.md, 考勤).

    连续缺勤 is, as INPUTS.md says, the longest run of consecutive days without √:
    rest days (休) and blank days inside or around a leave count, so a whole
    month of sick leave is 30 days however its Sundays were marked.  A mark that is none
    of the known ones (迟, 半, ü from a Wingdings ✓) counts as due and not present, and is
    added to ``unknown`` (mark → [cells, first row, first column]) to be said.
    """
    due = present = absent = 0
    run = best = 0
    for _day, c, _h in days:
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
        if mark not in _REST:
            due += 1
            if mark in _ABSENT:
                absent += 1
            elif mark not in _LEAVE:
                seen = unknown.get(mark)
                if seen is None:
                    unknown[mark] = [1, r, c]
                else:
                    seen[0] += 1
        run += 1
        best = max(best, run)
    return due, present, absent, best


def _runs_text(rows: Iterable[int]) -> str:
    """Excel rows compactly: ``12–15、20``."""
    out: list[str] = []
    items = sorted(rows)
    i = 0
    while i < len(items):
        j = i
        while j + 1 < len(items) and items[j + 1] == items[j] + 1:
            j += 1
        out.append(str(items[i]) if i == j else f"{items[i]}–{items[j]}")
        i = j + 1
    return "、".join(out)


class _Period:
    """The month (or year) being run, for month markers."""

    def __init__(self, period: str | None):
        self.year = self.month = None
        if period:
            parts = period.split("-")
            self.year = int(parts[0])
            self.month = int(parts[1]) if len(parts) > 1 else None

    @property
    def known(self) -> bool:
        return self.year is not None

    def label(self) -> str:
        return f"{self.year}年{self.month}月" if self.month else f"{self.year}年"

    def days(self) -> int | None:
        if self.month is None:
            return None
        return calendar.monthrange(self.year, self.month)[1]  # type: ignore[arg-type]

    def disagrees(self, year: int | None, month: int | None) -> bool:
        if year is not None and year != self.year:
            return True
        return self.month is not None and month is not None and month != self.month


def _cycle_of(days: list[tuple[int, int, object]], period: _Period) -> str | None:
    """The attendance cycle a day grid's columns run over, when it runs from a day of the
    month before the one being run to a day of that month (上月26日至本月25日, a common 考勤周期),
    said as text; None for a grid within one month or any other shape.

    Dates in the headers must run forwards from the month before into this month, 31 days
    at most.  Day numbers (26 … 31, 1 … 25) must rise, wrap once to a lower day and rise
    again, the first part within the month before's days and above the second part's last
    day.  (A cycle ending in the next month is not this month's: the month check reports it.)"""
    if period.month is None or not days:
        return None
    year, month = period.year, period.month
    before = (year - 1, 12) if month == 1 else (year, month - 1)
    before_days = calendar.monthrange(*before)[1]  # type: ignore[arg-type]
    heads = [h for _d, _c, h in days]
    if all(isinstance(h, dt.date) for h in heads):
        ds = [h.date() if isinstance(h, dt.datetime) else h for h in heads]
        first, last = ds[0], ds[-1]
        if ((first.year, first.month) != before or (last.year, last.month) != (year, month)
                or any(b <= a for a, b in itertools.pairwise(ds)) or (last - first).days >= 31):
            return None
        return f"{first.isoformat()} 至 {last.isoformat()}"
    if any(isinstance(h, dt.date) for h in heads):
        return None
    ns = [d for d, _c, _h in days]
    wraps = [i for i in range(1, len(ns)) if ns[i] <= ns[i - 1]]
    if len(wraps) != 1:
        return None
    head_part, tail_part = ns[:wraps[0]], ns[wraps[0]:]
    if head_part[-1] > before_days or tail_part[-1] >= head_part[0]:
        return None
    if tail_part[-1] > calendar.monthrange(year, month)[1]:  # type: ignore[arg-type]
        return None
    return f"{before[1]}月{head_part[0]}日至{month}月{tail_part[-1]}日"


def _year_months(text: str) -> list[tuple[int, int]]:
    """Year-months a text names (``2026年11月``, ``2026-11``), not full dates or codes."""
    t = unicodedata.normalize("NFKC", text)
    out = []
    for regex in _YM_RES:
        for m in regex.finditer(t):
            year, month = int(m.group(1)), int(m.group(2))
            if 1 <= month <= 12:
                out.append((year, month))
    return out


def _label_month(value: object) -> tuple[int | None, int] | None:
    """A 结算月份/月份 label's value: a date, ``2026-11``, ``2026年11月`` or ``11月``."""
    if isinstance(value, dt.date):
        return value.year, value.month
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        n = int(value)
        return (None, n) if 1 <= n <= 12 else None
    if isinstance(value, str):
        found = _year_months(value)
        if found:
            return found[0]
        m = _MONTH_ONLY_RE.match(unicodedata.normalize("NFKC", value))
        if m and 1 <= int(m.group(1)) <= 12:
            return None, int(m.group(1))
    return None


def _month_labels(row: Sequence[object]) -> Iterable[tuple[str, object, int]]:
    """(label, value, column of the value) of 结算月份/月份 labels in a row: ``月份：2026-11``
    in one cell, or the label with its value in the next non-empty cell."""
    for c, v in enumerate(row):
        if v.__class__ is not str:
            continue
        t = unicodedata.normalize("NFKC", _WS_RE.sub("", v))
        for name in _MONTH_LABELS:
            if not t.startswith(name):
                continue
            rest = t[len(name):].lstrip(":：")
            if rest and t[len(name):len(name) + 1] in (":", "："):
                yield name, rest, c
            elif not rest:
                nxt = next(((row[j], j) for j in range(c + 1, len(row)) if not is_blank(row[j])), None)
                if nxt is not None:
                    yield name, nxt[0], nxt[1]
            break


def _title_like(row: Sequence[object]) -> bool:
    """A title or note line: one text cell holding Chinese (「2026年11月其他奖惩」), not an id."""
    texts = [v for v in row if not (v == "" or v is None)]
    return (len(texts) == 1 and texts[0].__class__ is str
            and any("\u4e00" <= ch <= "\u9fff" for ch in texts[0]))


_UNPARSED = object()


class _SheetReader:
    """Reads one sheet: every table on it, one after another, into the accumulators."""

    def __init__(self, file: str, sheet: str, rows: list[list[object]], merges: Sequence, facts: object,
                 period: _Period, acc: dict[str, _Acc], found: list[FoundTable], problems: list[Problem],
                 memo: dict):
        self.file, self.sheet, self.rows = file, sheet, rows
        # parsed values by (parser, raw type) and raw value, shared by a workbook's sheets: a
        # value repeated down a column (工程编号, 班组, 姓名, days) is parsed once and kept once
        self.memo = memo
        self.where = Source(file, sheet)
        self.period, self.acc, self.found, self.problems = period, acc, found, problems
        self.errors: dict = dict(getattr(facts, "errors", None) or {})
        self.uncached: frozenset = frozenset(getattr(facts, "uncached", None) or ())
        self.percent: frozenset = frozenset(getattr(facts, "percent_cells", None) or ())
        self.hidden_rows: frozenset = frozenset(getattr(facts, "hidden_rows", None) or ())
        self.found_here = 0   # tables found on this sheet so far
        self.merges = merges
        # a cell merged down over data rows gives its value to every row it covers
        self.filled: dict[tuple[int, int], object] = {}
        for (r1, c1), (r2, _c2) in merges:
            if r2 > r1 and r1 < len(rows) and c1 < len(rows[r1]) and not is_blank(rows[r1][c1]):
                for r in range(r1 + 1, min(r2, len(rows) - 1) + 1):
                    self.filled[(r, c1)] = rows[r1][c1]

    def cell(self, r: int, c: int) -> object:
        row = self.rows[r]
        v = row[c] if c < len(row) else ""
        if (v == "" or v is None) and self.filled:
            return self.filled.get((r, c), v)
        return v

    # -- the tables of the sheet --------------------------------------------------------

    def read(self, hidden_sheet: bool) -> int:
        """Read every table of the sheet; returns how many were found."""
        rows = self.rows
        labels: dict[str, _Label] = {}
        head = _find_header(rows, 0, HEADER_SCAN_ROWS, self.where, labels)
        if isinstance(head, _Partial):
            headers = "」「".join(f.header for f in head.missing)
            self.problems.append(error(
                "missing-column",
                f"第{head.row + 1}行像是{head.table.title}的表头，但缺少必填列「{headers}」，此工作表未读取",
                Source(self.file, self.sheet, head.row + 1)))
            return 0
        if head is None:
            if not hidden_sheet and not all(is_blank(v) for row in rows for v in row):
                self.problems.append(warning(
                    "unrecognised-sheet",
                    f"前{HEADER_SCAN_ROWS}行中没有找到任何表格的表头（如「工号」「工程编号」），此工作表未读取",
                    self.where))
            return 0
        tables = 0
        preamble = list(range(0, head.row))
        self._check_rows_above(head, preamble)
        while head is not None:
            tables += 1
            n, next_head, preamble_next = self._read_table(head, preamble)
            if hidden_sheet:
                self.problems.append(warning(
                    "hidden-sheet",
                    f"此工作表是隐藏的，其中的{head.table.title}（{n} 行）已读取；如不应计入，请删除该工作表",
                    self.where))
            head, preamble = next_head, preamble_next
        return tables

    def _read_table(self, head: _Header, preamble: list[int]) -> tuple[int, _Header | None, list[int]]:
        """Read the table under ``head``; returns (rows read, the next table's header or None,
        the next table's title lines)."""
        rows, table = self.rows, head.table
        self.table = table
        self._check_duplicates(head)
        self._check_markers(head, preamble)
        required_cols = [head.columns[f.name] for f in table.required if f.name in head.columns]

        data_rows: list[int] = []
        totals: list[tuple[int, int, int]] = []   # (row, its section as data_rows[start:end])
        section = 0
        pending: list[int] = []                # rows with content but no required value, undecided
        next_head: _Header | None = None
        next_preamble: list[int] = []
        after_signature = False
        i = head.data_start
        while i < len(rows):
            row = rows[i]
            if _is_blank_row(row):
                i += 1
                continue
            first = _first_text(row)
            if not after_signature and first is not None:
                if _is_total(first, row):
                    totals.append((i, section, len(data_rows)))
                    section = len(data_rows)
                    i += 1
                    continue
                if first.startswith(_SIGNATURE_WORDS) or _SIGN_LINE_RE.match(first):
                    after_signature = True   # a signature line such as 制表：… 审核：… ends the table
                    i += 1
                    continue
            if _header_cells(row) >= 2:
                labels: dict[str, _Label] = {}
                titles = [p for p in pending if _text_only(rows[p])]
                for p in titles:
                    _labels_in_row(rows[p], p, self.where, labels)
                candidate, _ = _best_header(rows, i, labels)
                if candidate is not None and len(candidate.columns) >= 2:
                    next_head, next_preamble = candidate, titles
                    pending = [] if after_signature else [p for p in pending if p not in set(titles)]
                    break
            if after_signature:
                if _text_only(row):
                    pending.append(i)   # notes, or the title of a table further down
                elif _has_number(row):
                    self.problems.append(warning(
                        "row-after-table",
                        f"此行在{table.title}的签字行之后，含有数字但不属于任何表格，未读取；"
                        "如是数据，请移到签字行之上", Source(self.file, self.sheet, i + 1)))
                i += 1
                continue
            if required_cols and (all(is_blank(self.cell(i, c)) for c in required_cols)
                                  or (_title_like(row) and (len(required_cols) > 1
                                                            or self._header_follows(i)))):
                if head.grid and all(is_blank(v) or (isinstance(v, str) and _WEEKDAY_RE.fullmatch(v.strip()))
                                     for v in row):
                    i += 1
                    continue
                pending.append(i)
                i += 1
                continue
            self._ignore(pending, table, head)
            pending = []
            data_rows.append(i)
            i += 1
        if not after_signature:
            self._ignore(pending, table, head)

        n = self._parse(head, data_rows, totals)
        self._check_unheaded(head, data_rows)
        self._check_unread_headers(head, data_rows)
        self.found_here += 1
        self.found.append(FoundTable(self.file, self.sheet, table.kind, head.row + 1, n, bool(head.labels)))
        return n, next_head, next_preamble

    def _check_shadowed(self, head: _Header, data_rows: list[int], parsed: dict[str, list[object]]) -> None:
        """A form's identifier label (工程编号：GC-2611-03) over a table that has the column too:
        the rows' own values count; rows that say otherwise are a warning (which is right is not
        for the program to guess: a sheet copied for the next project often keeps one of them)."""
        for name, lab in head.shadowed.items():
            f = head.table.field(name)
            try:
                said = PARSERS[f.kind](lab.value)
            except BadValue:
                continue   # a label that does not read as the field's value is not compared
            if said is None:
                continue
            differ = [(i + 1, v) for i, v in zip(data_rows, parsed[name], strict=True)
                      if v is not None and v != said]
            if differ:
                col = col_letter(head.columns[name])
                self.problems.append(warning(
                    "label-column-mismatch",
                    f"第{_runs_text(r for r, _ in differ)}行的{f.header}（如「{display(differ[0][1])}」）"
                    f"与表格上方的「{lab.source.header}：{display(lab.value)}」（{lab.source.cell}）不同，"
                    f"按各行 {col} 列的值计算；请核对",
                    Source(self.file, self.sheet, differ[0][0], col)))

    def _check_rows_above(self, head: _Header, preamble: list[int]) -> None:
        """A row above the first table's header that looks like data (two cells or more, the
        first a number or a code of digits: 1009 | 3 | 补录) is not read: said.  Titles and
        label lines (工程编号：…, 制表日期 | 2026-12-02) start with text and pass."""
        for r in preamble:
            row = self.rows[r]
            filled = [v for v in row if not is_blank(v)]
            if len(filled) < 2:
                continue
            first = filled[0]
            if isinstance(first, str) and not unicodedata.normalize("NFKC", first).strip().isdigit():
                continue
            if isinstance(first, dt.date):   # a datetime too
                continue
            self.problems.append(warning(
                "row-before-table",
                f"此行在{head.table.title}的表头之上，看起来是数据（如「{display(first)}」），未读取；"
                "如是数据，请移到表头之下", Source(self.file, self.sheet, r + 1)))

    def _check_unheaded(self, head: _Header, data_rows: list[int]) -> None:
        """A data row's cells in a column with no header (none in the header rows, nor a merged
        header cell over it) are not read: one warning a column, naming its rows (a note or a
        corrected figure typed beside the table must not vanish without a word)."""
        rows = self.rows
        width = max((len(rows[i]) for i in data_rows), default=0)
        headed = {c for r in range(head.row, head.data_start)
                  for c, v in enumerate(rows[r]) if not is_blank(v)}
        if len(headed) >= width:
            return
        for (r1, c1), (_r2, c2) in self.merges:
            if head.row <= r1 < head.data_start and c2 > c1 and not is_blank(self.cell(r1, c1)):
                headed.update(range(c1, c2 + 1))
        for c in range(width):
            if c in headed:
                continue
            hits = [i for i in data_rows if c < len(rows[i]) and not is_blank(rows[i][c])]
            if not hits:
                continue
            col = col_letter(c)
            raw = rows[hits[0]][c]
            sample = (raw.strip() if isinstance(raw, str) else display(raw))[:20]
            self.problems.append(warning(
                "cell-without-header",
                f"{col} 列没有表头，第{_runs_text(i + 1 for i in hits)}行在此列的内容"
                f"（如「{sample}」）未读取；"
                f"如是{head.table.title}数据，请给此列加上表头或移到相应的列",
                Source(self.file, self.sheet, hits[0] + 1, col)))

    def _check_unread_headers(self, head: _Header, data_rows: list[int]) -> None:
        """A column whose header is none the table knows but looks like a column it lacks
        (分配系数 beside no 个人百分比: they share 分配 and 系数) is not read, and the field then
        takes its default (100%): one warning a column holding data, naming the headers that
        would be read.  Other unknown columns (备注, 所在地区) are left alone quietly."""
        table, rows = head.table, self.rows
        absent = [f for f in table.fields if f.name not in head.columns and f.name not in head.labels]
        if not absent:
            return
        used = set(head.columns.values()) | {c for _d, c, _h in head.days}
        for r in range(head.row, head.data_start):
            for c, value in enumerate(rows[r]):
                text = _cell_text(value)
                if c in used or text is None or normalize_header(text) in _HEADER_INDEX:
                    continue
                pairs = _pairs(normalize_header(text))
                like = [f for f in absent if pairs & _FIELD_PAIRS.get(id(f), set())]
                if not like or not any(c < len(rows[i]) and not is_blank(rows[i][c]) for i in data_rows):
                    continue
                used.add(c)
                f = like[0]
                names = "」「".join(dict.fromkeys((f.header, *f.aliases)))
                self.problems.append(warning(
                    "header-not-recognised",
                    f"{col_letter(c)} 列的表头「{text}」不是{table.title}认得的表头，此列未读取，"
                    f"{f.header}按未填写计；如此列是{f.header}，请把表头改为「{names}」之一",
                    Source(self.file, self.sheet, r + 1, col_letter(c), text)))

    def _check_counted(self, head: _Header, name: str, data_rows: list[int], typed: list[object],
                       marked: list[int]) -> None:
        """A 实出勤/旷工 count typed beside the day marks it should count: rows where the two
        differ get one warning (the typed count is used, as INPUTS.md's count columns are)."""
        differ = [(i + 1, t, m) for i, t, m in zip(data_rows, typed, marked, strict=True)
                  if t is not None and t != m]
        if differ:
            f = head.table.field(name)
            col = col_letter(head.columns[name])
            r, t, m = differ[0]
            self.problems.append(warning(
                "count-differs-from-marks",
                f"第{_runs_text(d[0] for d in differ)}行填写的{f.header}与当行的按日标记不一致"
                f"（如第{r}行：填写 {display(t)}，按标记数得 {m}），按填写的{f.header}计算；请核对",
                Source(self.file, self.sheet, r, col)))

    def _unknown_marks(self, unknown: dict[str, list[int]]) -> None:
        """One warning for the marks of a day grid that are none of the known ones."""
        marks = sorted(unknown.items(), key=lambda kv: (kv[1][1], kv[1][2]))
        listed = "、".join(f"「{m}」{n} 格（如 {col_letter(c)}{r + 1}）" for m, (n, r, c) in marks[:8])
        more = f"等 {len(marks)} 种" if len(marks) > 8 else ""
        _, r, c = marks[0][1]
        self.problems.append(warning(
            "unknown-attendance-mark",
            f"考勤中有不认识的标记：{listed}{more}，这些天按应出勤而未出勤计算（影响实出勤天数和连续缺勤）；"
            "认识的标记：√ ✓ 1 出（出勤）、休（休息）、旷（旷工）、事 病 伤 年 婚 丧 产 探（请假）。"
            "如这些天实为出勤，请改为 √",
            Source(self.file, self.sheet, r + 1, col_letter(c))))

    def _header_follows(self, i: int) -> bool:
        """The next non-blank row after ``i`` reads as a header: row ``i`` is that table's title
        (a one-column table such as 工程激励申报 would otherwise take it for a 工程编号)."""
        for j in range(i + 1, min(i + 4, len(self.rows))):
            if not _is_blank_row(self.rows[j]):
                return _header_cells(self.rows[j]) >= 2
        return False

    def _ignore(self, pending: list[int], table: Table, head: _Header) -> None:
        names = "、".join(f.header for f in table.required if f.name in head.columns)
        for p in pending:
            row = self.rows[p]
            if _title_like(row):
                text = next(v for v in row if v.__class__ is str and v.strip()).strip()
                why = f"此行只有一段文字「{text[:30]}」，不是完整的数据行"
            else:
                why = f"此行没有填写{names}等必填内容"
            self.problems.append(warning(
                "row-ignored", f"{why}，未作为{table.title}数据读取", Source(self.file, self.sheet, p + 1)))

    # -- checks on the header -------------------------------------------------------------

    def _check_duplicates(self, head: _Header) -> None:
        for name, cols in head.duplicates.items():
            f = head.table.field(name)
            named = "与".join(f"{col_letter(c)} 列「{_as_written(self.rows[head.row][c]) or f.header}」"
                             for c in cols)
            self.problems.append(error(
                "duplicate-column",
                f"表头中有 {len(cols)} 列都是「{f.header}」（{named}），无法确定用哪一列；"
                f"请删除或改名多余的列（本次读取的是 {col_letter(cols[0])} 列）",
                Source(self.file, self.sheet, head.row + 1, col_letter(cols[1]), f.header)))

    def _check_markers(self, head: _Header, preamble: list[int]) -> None:
        """The month the table says it holds must be the month being run (INPUTS.md)."""
        period = self.period
        if not period.known:
            return
        checks: list[tuple[int | None, int | None, str, Source]] = []
        if not self.found_here:
            for y, m in _year_months(self.sheet):
                checks.append((y, m, f"工作表名「{self.sheet}」", self.where))
        for r in preamble:
            for c, v in enumerate(self.rows[r]):
                if v.__class__ is not str or not v.strip():
                    continue
                src = Source(self.file, self.sheet, r + 1, col_letter(c))
                for y, m in _year_months(v):
                    checks.append((y, m, f"「{v.strip()}」", src))
        for r in preamble:
            for name, value, c in _month_labels(self.rows[r]):
                found = _label_month(value)
                if found:
                    checks.append((found[0], found[1], f"{name}「{display(value)}」",
                                   Source(self.file, self.sheet, r + 1, col_letter(c))))
        for y, m, what, src in checks:
            if period.disagrees(y, m):
                shown = f"{y}年{m}月" if y and m else f"{y}年" if y else f"{m}月"
                self._wrong_month(head.table, shown, what, src)
                return
        if head.grid:
            self._check_grid_month(head)

    def _check_grid_month(self, head: _Header) -> None:
        period = self.period
        days = _dated(head.days, period)
        cycle = _cycle_of(days, period)
        if cycle is not None:   # 上月26日至本月25日: a month's attendance kept by its own cycle
            self.problems.append(warning(
                "attendance-cycle",
                f"考勤表按跨月考勤周期记录（{cycle}），应出勤、实出勤、旷工和连续缺勤按此周期的标记计算；"
                f"如 {period.label()} 的考勤应按自然月计，请换成本月 1 日至月底的考勤表",
                Source(self.file, self.sheet, head.row + 1)))
            return
        dates = [(h, c, written) for (_d, c, h), (_, _, written) in zip(days, head.days, strict=True)
                 if isinstance(h, dt.date)]
        for h, c, written in dates:
            if period.disagrees(h.year, h.month):
                shown = written.strip() if isinstance(written, str) else h.isoformat()
                self._wrong_month(head.table, f"{h.year}年{h.month}月", f"日期列「{shown}」",
                                  Source(self.file, self.sheet, head.row + 1, col_letter(c)))
                return
        month_days = period.days()
        if dates or month_days is None:
            return
        ns = [d for d, _c, _h in head.days]
        turn = next((i for i in range(1, len(ns)) if ns[i] <= ns[i - 1]), None)
        if turn is not None:   # numbers that start again, and not as a cycle into this month
            self.problems.append(error(
                "wrong-month",
                f"考勤表的日期列到 {ns[turn - 1]} 日后又从 {ns[turn]} 日开始（{ns[0]}…{ns[turn - 1]}、"
                f"{ns[turn]}…{ns[-1]}），既不是 {period.label()} 的一个自然月，也不是上月至本月的考勤周期："
                f"这张考勤表可能不是 {period.label()} 的；请放入本月的考勤表，或检查运行的月份",
                Source(self.file, self.sheet, head.row + 1, col_letter(head.days[turn][1]))))
            return
        last = max(ns)
        if last != month_days:
            self.problems.append(error(
                "wrong-month",
                f"考勤表的日期列到 {last} 日为止，而 {period.label()} 有 {month_days} 天："
                f"这张考勤表可能不是 {period.label()} 的；请放入本月的考勤表，或检查运行的月份",
                Source(self.file, self.sheet, head.row + 1)))

    def _wrong_month(self, table: Table, shown: str, what: str, src: Source) -> None:
        self.problems.append(error(
            "wrong-month",
            f"此{table.title}标明的是 {shown}（{what}），而本次运行的是 {self.period.label()}："
            f"请放入 {self.period.label()} 的工作簿，或检查运行的月份；"
            "如工作簿中有多个月份的工作表，请只保留本月的", src))

    # -- the rows -------------------------------------------------------------------------

    def _parse(self, head: _Header, data_rows: list[int], totals: list[tuple[int, int, int]]) -> int:
        table = head.table
        columns = {name: (col_letter(c), head.written[name]) for name, c in head.columns.items()}
        labels = {name: lab.source for name, lab in head.labels.items()}
        st = SheetTable(self.file, self.sheet, table.kind, head.row + 1, columns, labels)
        n = len(data_rows)
        parsed: dict[str, list[object]] = {}
        bad_columns: set[str] = set()
        for f in table.fields:
            if f.name in head.columns:
                alt = head.columns.get(f.unless) if f.unless else None
                parsed[f.name] = self._parse_column(f, head.columns[f.name], data_rows, columns[f.name][1],
                                                    bad_columns, alt)
            elif f.name in head.labels:
                parsed[f.name] = [self._parse_label(f, head.labels[f.name])] * n
            else:
                parsed[f.name] = [None] * n

        if head.grid:
            unknown: dict[str, list[int]] = {}
            derived = [_attendance_from_grid(self.rows[i], head.days, unknown, i) for i in data_rows]
            if unknown:
                self._unknown_marks(unknown)
            for k, name in enumerate(("due_days", "present_days", "absent_days", "longest_absence")):
                if name not in head.columns:
                    parsed[name] = [Decimal(d[k]) for d in derived]
                elif name in ("present_days", "absent_days"):
                    self._check_counted(head, name, data_rows, parsed[name], [d[k] for d in derived])

        if head.shadowed:
            self._check_shadowed(head, data_rows, parsed)
        if totals:
            self._check_totals(head, totals, data_rows, parsed, bad_columns, columns)
        hidden = [i + 1 for i in data_rows if i in self.hidden_rows]
        if hidden:
            self.problems.append(warning(
                "hidden-row",
                f"第{_runs_text(hidden)}行在 Excel 中被隐藏，但含有{table.title}数据，已照常读取；"
                "如这些行不应计入，请删除后重新运行",
                Source(self.file, self.sheet, hidden[0])))

        acc = self.acc[table.kind]
        for name, values in parsed.items():
            acc.columns[name].extend(values)
        acc.src.extend(RowRef(st, i + 1) for i in data_rows)
        return n

    def _unreadable(self, r: int, c: int, raw: object, header: str) -> bool:
        """An error value or a formula without a saved result in a cell that is read: reported,
        never taken as blank."""
        value = self.errors.get((r, c)) if self.errors else None
        value = value or excel_error(raw)
        if value:
            self.problems.append(error(
                "cell-error",
                f"{header}为 Excel 错误值 {value}（公式出错），不能当作空白或标准金额；"
                "请在 Excel/WPS 中改正这个单元格后保存",
                Source(self.file, self.sheet, r + 1, col_letter(c), header)))
            return True
        if self.uncached and (r, c) in self.uncached:
            self.problems.append(error(
                "formula-not-calculated",
                f"{header}是公式，但文件中没有保存它的计算结果（文件可能由其他软件生成）；"
                "请用 Excel 或 WPS 打开此文件，保存后再运行",
                Source(self.file, self.sheet, r + 1, col_letter(c), header)))
            return True
        return False

    def _parse_column(self, f: Field, c: int, data_rows: list[int], header: str,
                      bad_columns: set[str], alt: int | None = None) -> list[object]:
        """One column's values; a required cell may be blank where column ``alt`` (the
        field's ``unless``, 班组 for 工号) is filled."""
        parser = PARSERS[f.kind]
        out: list[object] = []
        append = out.append
        letter = col_letter(c)
        special = bool(self.errors or self.uncached or self.percent)
        share = f.kind in _SHARE_KINDS
        memo = self.memo
        seen: dict[type, dict] = {}   # this column's memo by the raw value's type (1, 1.0 and True differ)
        for i in data_rows:
            raw = self.cell(i, c)
            if (special or raw.__class__ is str) and self._unreadable(i, c, raw, header):
                bad_columns.add(f.name)
                append(None)
                continue
            try:
                if special and (i, c) in self.percent and isinstance(raw, int | float) \
                        and not isinstance(raw, bool):
                    value = self._percent_cell(f, raw, share)
                else:
                    known = seen.get(raw.__class__)
                    if known is None:
                        known = seen[raw.__class__] = memo.setdefault((parser, raw.__class__), {})
                    value = known.get(raw, _UNPARSED)
                    if value is _UNPARSED:
                        value = known[raw] = parser(raw)   # a bad value raises: never kept
            except BadValue as e:
                bad_columns.add(f.name)
                self.problems.append(error(
                    e.code, f"{header}「{display(raw)}」{e.reason}",
                    Source(self.file, self.sheet, i + 1, letter, header)))
                append(None)
                continue
            if value is None and f.required and (alt is None or is_blank(self.cell(i, alt))):
                bad_columns.add(f.name)
                also = f"（或{self.table.field(f.unless).header}）" if f.unless else ""
                self.problems.append(error(
                    "missing-value", f"{header}为空，{self.table.title}的每一行都必须填写{header}{also}",
                    Source(self.file, self.sheet, i + 1, letter, header)))
            append(value)
        return out

    @staticmethod
    def _percent_cell(f: Field, raw: float | int, share: bool) -> object:
        """A number in a percent-formatted cell means what Excel shows: 0.15 is 15%."""
        if share:
            return parse_number(raw)
        if f.kind is Kind.MONEY_OR_PERCENT:
            return Percentage(parse_number(raw))
        if f.kind in _CHECKED_KINDS:
            shown = f"{parse_number(raw) * 100:f}".rstrip("0").rstrip(".")
            raise BadValue("percent-format",
                           f"所在单元格设为百分比格式（显示为 {shown}%），不能作为{f.header}；"
                           "请把单元格格式改为数字后重新填写")
        return PARSERS[f.kind](raw)

    def _parse_label(self, f: Field, lab: _Label) -> object:
        src = lab.source
        r, c = (src.row or 1) - 1, _col_index(src.col)
        label = src.header or f.header
        if c is not None and self._unreadable(r, c, lab.value, label):
            return None
        try:
            value = PARSERS[f.kind](lab.value)
        except BadValue as e:
            self.problems.append(error(e.code, f"{label}「{display(lab.value)}」{e.reason}", src))
            return None
        if value is None and f.required:
            self.problems.append(error(
                "missing-value", f"{f.header}为空，{self.table.title}必须填写{f.header}", src))
        return value

    def _check_totals(self, head: _Header, totals: list[tuple[int, int, int]], data_rows: list[int],
                      parsed: dict[str, list[object]], bad_columns: set[str],
                      columns: dict[str, tuple[str, str]]) -> None:
        """Each total row's number and money cells equal the sum of their section (rows since
        the previous total row) or of the whole table, as typed (INPUTS.md)."""
        table = head.table
        for name, c in head.columns.items():
            f = table.field(name)
            if f.kind not in _CHECKED_KINDS or any(isinstance(v, Percentage) for v in parsed[name]):
                continue   # a column holding percentages is not checked (INPUTS.md)
            values = [v if v is not None else Decimal(0) for v in parsed[name]]
            whole = sum(values, Decimal(0))
            letter, header = columns[name]
            fmt = fmt_money if f.kind is Kind.MONEY else (lambda d: f"{d.normalize():f}")
            for r, start, end in totals:
                raw = self.cell(r, c)
                where = Source(self.file, self.sheet, r + 1, letter, header)
                if self._unreadable(r, c, raw, f"合计行的{header}") or (r, c) in self.percent \
                        or name in bad_columns:
                    continue
                try:
                    stated = parse_number(raw)
                except BadValue as e:
                    self.problems.append(warning(
                        "invalid-total", f"合计行的{header}「{display(raw)}」{e.reason}，未能核对合计",
                        where))
                    continue
                section_sum = sum(values[start:end], Decimal(0))
                if stated is None or stated in (section_sum, whole):
                    continue
                if end > start and section_sum != whole:
                    what = (f"本段（第{data_rows[start] + 1}–{data_rows[end - 1] + 1}行）{header}之和为 "
                            f"{fmt(section_sum)}，全表之和为 {fmt(whole)}")
                else:
                    what = f"本表各行{header}之和为 {fmt(whole)}"
                self.problems.append(error(
                    "total-mismatch", f"合计行的{header}为 {fmt(stated)}，但{what}，两者不符", where))


def _col_index(letters: str | None) -> int | None:
    if not letters:
        return None
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _empty_acc() -> dict[str, _Acc]:
    return {t.kind: _Acc({f.name: [] for f in t.fields}) for t in _TABLES}


@dataclass
class _Book:
    """One workbook read on its own: its rows by table kind, tables found and problems, and
    the file as read (None when it could not be opened or read)."""

    acc: dict[str, _Acc]
    found: list[FoundTable]
    problems: list[Problem]
    file: InputFile | None


def _read_book(path: Path, period: str | None) -> _Book:
    book = _Book(_empty_acc(), [], [], None)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        book.problems.append(error("unreadable-file", f"无法打开文件：{e.strerror or type(e).__name__}",
                                   Source(path.name)))
        return book
    if read_workbook(path.name, data, book.acc, book.found, book.problems, period):
        book.file = InputFile(path.name, hashlib.sha256(data).hexdigest(), len(data))
    return book


def _read_books(paths: list[Path], period: str | None) -> dict[str, _Book]:
    """Every workbook read (by name).  With more than one, they are shared between this
    process and a second one (:mod:`kfbonus.beside`, where the system can fork) by size, the
    largest first, each taking the next to whichever has less to read; every workbook is
    read alone, so which process reads it changes nothing."""
    if len(paths) < 2:
        return {p.name: _read_book(p, period) for p in paths}
    from kfbonus.beside import beside

    sizes = {}
    for p in paths:
        try:
            sizes[p] = p.stat().st_size
        except OSError:
            sizes[p] = 0
    here: list[Path] = []
    there: list[Path] = []
    load = [0, 0]
    for p in sorted(paths, key=lambda p: -sizes[p]):
        side = 0 if load[0] <= load[1] else 1
        (here, there)[side].append(p)
        load[side] += sizes[p]
    with beside(lambda: [_read_book(p, period) for p in there], "读取输入") as job:
        books = {p.name: _read_book(p, period) for p in here}
        books.update(zip((p.name for p in there), job.result(), strict=True))
    return books


def read_workbook(name: str, data: bytes, acc: dict[str, _Acc], found: list[FoundTable],
                  problems: list[Problem], period: str | None = None) -> bool:
    """Read one workbook's bytes into ``acc``; False if it could not be opened."""
    facts, guard = inspect_workbook(name, data)   # before calamine: zip bombs, far cells, DTDs
    problems.extend(guard)
    if has_errors(guard):
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
    when = _Period(period)
    memo: dict = {}   # parsed values, shared by the workbook's sheets (_SheetReader.memo)
    before, first_problem = len(found), len(problems)
    sheets_facts = getattr(facts, "sheets", None) or {}
    for meta in metas:
        sheet = meta.name
        if "chart" in str(meta.typ).lower():
            continue
        hidden = "hidden" in str(meta.visible).lower()
        try:
            ws = wb.get_sheet_by_name(sheet)
            rows = ws.to_python(skip_empty_area=False)
            merges = ws.merged_cell_ranges or ()
        except Exception as e:
            errors = getattr(sheets_facts.get(sheet), "errors", None)
            if errors:   # calamine refuses newer error values (#SPILL!, #CALC! …): name the cells
                for (r, c), value in sorted(errors.items()):
                    problems.append(error(
                        "cell-error", f"单元格 {cell_ref(r, c)} 为 Excel 错误值 {value}（公式出错），"
                        "此工作表无法读取；请在 Excel/WPS 中改正后保存",
                        Source(name, sheet, r + 1, col_letter(c))))
            else:
                problems.append(error("unreadable-sheet", f"无法读取此工作表：{type(e).__name__}",
                                      Source(name, sheet)))
            continue
        _SheetReader(name, sheet, rows, merges, sheets_facts.get(sheet), when, acc, found,
                     problems, memo).read(hidden)
    if len(found) > before and when.known:
        for y, m in _year_months(Path(name).stem):
            if when.disagrees(y, m):
                problems.append(error(
                    "wrong-month",
                    f"此工作簿的文件名标明的是 {y}年{m}月，而本次运行的是 {when.label()}："
                    f"请放入 {when.label()} 的工作簿，或检查运行的月份", Source(name)))
                break
    _one_wrong_month(problems, first_problem)
    return True


def _one_wrong_month(problems: list[Problem], start: int) -> None:
    """A workbook of another month is said once (where it first says so), with how many other
    places in it say the same, rather than once per sheet."""
    wrong = [i for i in range(start, len(problems)) if problems[i].code == "wrong-month"]
    if len(wrong) < 2:
        return
    first = problems[wrong[0]]
    more = f"（本工作簿另有 {len(wrong) - 1} 处标明同样的月份）"
    problems[wrong[0]] = error(first.code, first.message + more, first.source)
    for i in reversed(wrong[1:]):
        del problems[i]


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


def read_month(folder: Path | str, period: str | None = None,
               tables: Sequence[Table] | None = None) -> MonthInput:
    """Read every workbook of the month folder (see the module docstring); ``period``
    (``2026-11``, or ``2026`` for the year end) is checked against the months the
    workbooks say they hold; ``tables`` the tables to recognise (every registered
    scheme's, :func:`kfbonus.schemes.all_tables`, by default)."""
    if tables is None:
        from kfbonus.schemes import all_tables

        tables = all_tables()
    use_tables(tables)
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
    plan: list[Problem | Path] = []   # in name order: a problem said of an entry, or a workbook to read
    for path in entries:
        name = path.name
        if name.startswith("."):
            continue
        if path.is_dir():
            plan.append(warning(
                "subfolder-not-read", "这是子文件夹，其中的文件未读取（只读取输入文件夹本身）", Source(name)))
        elif name.startswith("~$"):
            owner = _lock_owner(name, names)
            plan.append(warning(
                "lock-file",
                f"这是 Excel 的锁定文件，说明「{owner}」可能正在 Excel 中打开，已跳过；"
                "如该工作簿有未保存的修改，请保存并关闭后重新运行",
                Source(name)))
        elif path.suffix.lower() not in EXCEL_SUFFIXES:
            plan.append(warning("file-not-read", "不是 Excel 工作簿（.xlsx/.xlsm/.xls），未读取",
                                Source(name)))
        else:
            plan.append(path)
    books = _read_books([p for p in plan if isinstance(p, Path)], period)
    # both hold the data rows' texts (the header test sees every text cell), of no use once
    # read: 10 MiB at ten times the bench month, held into both processes after the fork
    _is_header.cache_clear()
    normalize_header.cache_clear()
    for item in plan:   # put together in name order, as if read one after the other
        if not isinstance(item, Path):
            problems.append(item)
            continue
        book = books[item.name]
        problems += book.problems
        found += book.found
        for kind, a in book.acc.items():
            for col, values in a.columns.items():
                acc[kind].columns[col] += values
            acc[kind].src += a.src
        if book.file is not None:
            files.append(book.file)
    tables = {}
    for t in _TABLES:
        a = acc[t.kind]
        cols = {f.name: a.columns[f.name] for f in t.fields}
        cols["src"] = a.src
        tables[t.kind] = Columns(cols)
    return MonthInput(str(folder), tables, files, found, problems, _TABLES)
