"""Where a value came from, and what is wrong with it.

Every value the reader takes keeps a :class:`Source` (file, sheet, Excel row,
column letter, header) all the way to the award line and the problem list.
Problems are values (:class:`Problem`), collected and reported together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["Severity", "Source", "SheetTable", "RowRef", "Problem", "error", "warning", "sorted_problems",
           "has_errors", "format_problems"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Severity.ERROR else "警告"


@dataclass(frozen=True, order=True, slots=True)
class Source:
    """A place in the inputs: ``人员名册.xlsx › 花名册!C7``.

    ``row`` and ``col`` use Excel's own numbering (row 7, column C).  Any part
    may be missing: a whole file, a whole sheet, a whole row.

    Slotted: a month cites one per data row and cell it pays from (160,000 at ten times the
    bench month, a dict each before).
    """

    file: str
    sheet: str | None = None
    row: int | None = None
    col: str | None = None
    header: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        text = self.file
        if self.sheet is not None:
            text += f" › {self.place}"
        return text

    @property
    def place(self) -> str:
        """The sheet and where on it, one way everywhere (INPUTS.md): a cell ``花名册!C7``,
        a whole row ``花名册 第7行``, a whole column ``花名册!C列``, a sheet ``花名册``."""
        where = self.cell
        if not where:
            return self.sheet or ""
        return f"{self.sheet} {where}" if self.col is None else f"{self.sheet}!{where}"

    @property
    def cell(self) -> str:
        """``C7``; ``第7行`` for a whole row, ``C列`` for a whole column; empty when neither."""
        if self.col is None:
            return "" if self.row is None else f"第{self.row}行"
        return f"{self.col}{self.row}" if self.row is not None else f"{self.col}列"


@dataclass(frozen=True, eq=False)
class SheetTable:
    """One table found on one sheet: its kind, header row and column map.

    ``columns`` maps a field name to ``(column letter, header as written)``;
    ``labels`` maps a field taken from a form's label block
    (``工程编号：GC-2611-03``) to the label cell's :class:`Source`.
    """

    file: str
    sheet: str
    kind: str
    header_row: int
    columns: Mapping[str, tuple[str, str]]
    labels: Mapping[str, Source] = field(default_factory=dict)

    def cell(self, row: int, name: str) -> Source:
        if name in self.columns:
            letter, header = self.columns[name]
            return Source(self.file, self.sheet, row, letter, header)
        if name in self.labels:
            return self.labels[name]
        return Source(self.file, self.sheet, row)

    @property
    def where(self) -> Source:
        return Source(self.file, self.sheet)


@dataclass(frozen=True, eq=False, slots=True)
class RowRef:
    """One data row of a :class:`SheetTable`; ``str()`` gives ``file › sheet 第12行``.

    Slotted: a month has one per data row read (450,000 at ten times the bench month)."""

    table: SheetTable
    row: int
    _source: Source | None = field(default=None, init=False, repr=False)

    def cell(self, name: str) -> Source:
        return self.table.cell(self.row, name)

    @property
    def source(self) -> Source:
        """The whole row as a place (made once: a row's place is on every line it feeds)."""
        if self._source is None:
            object.__setattr__(self, "_source", Source(self.table.file, self.table.sheet, self.row))
        return self._source   # type: ignore[return-value]

    def __str__(self) -> str:
        return str(self.source)


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem found in the inputs (or the rules): stable kebab-case code,
    severity, Chinese message saying what was found and what was expected."""

    code: str
    severity: Severity
    message: str
    source: Source | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        where = str(self.source) if self.source else "（全局）"
        return f"{where}  {self.code}  {self.message}"


def _src(source: Source | RowRef | None) -> Source | None:
    return source.source if isinstance(source, RowRef) else source


def error(code: str, message: str, source: Source | RowRef | None = None) -> Problem:
    return Problem(code, Severity.ERROR, message, _src(source))


def warning(code: str, message: str, source: Source | RowRef | None = None) -> Problem:
    return Problem(code, Severity.WARNING, message, _src(source))


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.is_error for p in problems)


def _sort_key(p: Problem) -> tuple:
    s = p.source
    if s is None:
        return ("", "", 0, "", p.code)
    col = s.col or ""
    return (s.file, s.sheet or "", s.row or 0, (len(col), col), p.code)


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Errors first, then warnings; within each, by file, sheet, row, column."""
    return sorted(problems, key=lambda p: (not p.is_error, _sort_key(p)))


def format_problems(problems: Iterable[Problem], count_line: bool = True) -> str:
    """The problem list as printed: grouped by file, one line per problem::

        人员名册.xlsx
          错误  人员名册.xlsx › 花名册!C7  invalid-date  入职日期「2026-13-01」不是有效日期
    """
    items = sorted(problems, key=lambda p: (_sort_key(p), not p.is_error))
    lines: list[str] = []
    current: str | None = object()  # type: ignore[assignment]
    for p in items:
        group = p.source.file if p.source else "（全局）"
        if group != current:
            if lines:
                lines.append("")
            lines.append(f"{group}")
            current = group
        lines.append(f"  {p.severity.label}  {p}")
    if count_line:
        n_err = sum(p.is_error for p in items)
        if items:
            lines.append("")
        lines.append(f"共 {n_err} 个错误，{len(items) - n_err} 个警告。")
    return "\n".join(lines)
