"""Small xlsxwriter helpers shared by the approval workbook and the strips.

Text is always written with ``write_string`` (a name like ``=HYPERLINK("x")``
stays text), amounts with ``write_number`` and a number format.  Amounts are
handed to xlsxwriter as :class:`~decimal.Decimal`: it writes their exact
decimal text into the file, so no binary float ever touches money.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tempfile
import zipfile
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import NamedTuple

import xlsxwriter
from xlsxwriter.utility import _preserve_whitespace, xl_cell_to_rowcol, xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import (
    CellBlankTuple,
    CellNumberTuple,
    CellStringTuple,
    Worksheet,
)
from xlsxwriter.xmlwriter import XMLwriter

from kfbonus.settings import Settings, load_settings

__all__ = [
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "MONEY_FORMAT",
    "Band",
    "Col",
    "Formats",
    "cell_ref",
    "close_unfinished",
    "new_workbook",
    "no_number_text_flags",
    "print_setup",
    "text_width",
    "write_table",
]

MONEY_FORMAT = load_settings().money_format   # as the settings file says (kfbonus/settings.py)
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
DATETIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'
# not in_memory: xlsxwriter then writes each sheet's XML to a temporary file (in the output's
# own folder, see new_workbook) and zips from there, instead of holding every sheet's XML until
# the zip: at ten times the bench month that was 330 MiB of the run's peak, for no time measured
SAFE_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
                "in_memory": False}
FONT = "Microsoft YaHei"


def new_workbook(path, title: str, subject: str, generated_at: dt.datetime, comments: str = "") -> Workbook:
    """A workbook that writes every string as text, with reproducible properties.

    ``created`` is ``generated_at`` (naive, UTC when aware): two renders of the
    same result at the same time give the same bytes (xlsxwriter fixes the zip
    entries' timestamps itself).
    """
    created = generated_at
    if created.tzinfo is not None:
        created = created.astimezone(dt.UTC).replace(tzinfo=None)
    # its temporary files beside the workbook: the output's staging folder, which the run
    # can write and removes (the system's temporary folder may be full or locked down)
    wb = _FastZipWorkbook(str(path), {**SAFE_OPTIONS, "tmpdir": str(Path(path).parent)})
    wb.worksheet_class = FastWorksheet
    wb.set_properties({"title": title, "subject": subject, "author": "kfbonus",
                       "company": load_settings().company, "comments": comments, "created": created})
    return wb


ZIP_LEVEL = 1   # zlib's fastest deflate: see _FastZipWorkbook
_SUM_OF_A_RANGE = re.compile(r"=?(?:SUM\(|SUBTOTAL\(9,)\$?[A-Z]{1,3}\$?[0-9]+:\$?[A-Z]{1,3}\$?[0-9]+\)")


class _LevelZipFile(zipfile.ZipFile):
    """A ZipFile that deflates at :data:`ZIP_LEVEL`."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, compresslevel=ZIP_LEVEL, **kwargs)


class _FastZipWorkbook(Workbook):
    """xlsxwriter's workbook, its parts deflated at zlib's fastest level rather than its
    default (6): zipping the approval workbook of ten times the bench month took 1.7 s of
    its 15, now 0.7, for a file a third larger (18 → 24 MB; 1.8 → 2.4 MB at the bench
    month's size).  The parts inside are the same bytes; Excel, WPS and LibreOffice read
    any deflate level.  xlsxwriter makes its ZipFile by name in ``_store_workbook`` with no
    way to pass a level, so that name is pointed at :class:`_LevelZipFile` while it runs
    (one workbook is zipped at a time in a process)."""

    def _store_workbook(self) -> None:
        made_by = xlsxwriter.workbook.ZipFile
        xlsxwriter.workbook.ZipFile = _LevelZipFile
        try:
            super()._store_workbook()
        finally:
            xlsxwriter.workbook.ZipFile = made_by


class FastWorksheet(Worksheet):
    """xlsxwriter's worksheet with a faster, leaner way in and out for plain cells, same bytes.

    A month's approval workbook is a quarter of a million cells (two million at ten
    times the size) and xlsxwriter spends time and memory per cell: a dimension check,
    a tuple and a dict entry per write, a list of attributes, an escaping check and a
    ``write`` per cell on the way out.  :meth:`write_cells` keeps a table row as its
    cells' XML at once (one dimension check, the shared strings looked up in place),
    spelled exactly as xlsxwriter spells string, number and blank cells
    (``<c r="B7" s="5" t="s"><v>12</v></c>``, numbers as ``.16G``, blanks as
    ``<c r="B7" s="5"/>``), each format a marker until the file is written and the
    formats get their numbers in xlsxwriter's order; that XML waits in a temporary file
    beside the output (one a sheet, removed once the sheet is written), with only where it
    is held in memory, so rows may come in any order.  Any of xlsxwriter's own writers
    reaching such a row turns it back into xlsxwriter's cells first (:class:`_Table`),
    so writing over a table cell works as in xlsxwriter.  Tests compare the bytes with
    xlsxwriter's (tests/test_render_workbook.py); the row spans (:meth:`_calculate_spans`)
    come from each row's lowest and highest column.  In constant-memory mode, or with
    comments, it is xlsxwriter's own code throughout.

    A table's long texts (:data:`INLINE_FROM` characters or more: 计算过程, 来源, 原因, a
    problem's message — nearly all of them different) are written into their cells as
    inline strings, spelled as xlsxwriter's constant-memory mode spells them, rather than
    into the workbook's shared-strings table, which held every one of them in memory until
    the file was written (≈ 60 MiB at ten times the bench month, for texts that share
    nothing).  The values are the same: inline strings are the standard's other spelling,
    all that xlsxwriter's constant-memory mode writes; LibreOffice and calamine read every
    text back as the shared one (tested).
    """

    def __init__(self) -> None:
        super().__init__()
        # row → its first and last column, where its cells' XML starts in the spill file and
        # how long it is, and which formats it uses in order of first use (_KeptRows): a table
        # row kept as its XML (a marker for each format) in a temporary file, with two machine
        # words a row in memory instead of a tuple per cell
        self._prepared = _KeptRows()
        self._spill = None   # the temporary file (beside the output, see new_workbook), made on first use
        self._spilled = 0    # its length, with what waits to be written to it
        self._pending: list[bytes] = []   # rows' XML written to the file a chunk at a time
        self._pending_size = 0
        self._format_ids: dict[tuple, int] = {}   # formats in order of first use → their number
        self._format_sets: list[tuple] = []       # … and back
        self.table = _Table(self._prepared, self._kept_xml)   # a cell written into a kept row turns it back
        self._names: list[str] = []   # column letters, A, B, …
        self._row_props: dict[tuple, tuple] = {}   # set_row_pixels: rows' properties, shared

    def write_cells(self, row: int, first_col: int, cells: Sequence[tuple[int, object, object]]) -> None:
        """Store ``cells`` of ``row`` as (kind, value, format) from column ``first_col`` on:
        kind 0 blank, 1 number, 2 text (``str``).  As ``_write_blank``/``_write_number``/
        ``_write_string`` one by one, for values those accept without change (no NaN, no
        text over 16,383 characters: a row with one goes through xlsxwriter's own writers).

        The row is kept as its cells' XML right away (the shared strings counted as
        xlsxwriter counts them), each format a marker character until the file is written,
        when the formats get their numbers in the order xlsxwriter gives them.  The XML goes
        to the sheet's spill file; memory keeps only where it is (a few numbers a row, not
        a tuple per cell), and it is read back in row order when the sheet is written."""
        last_col = first_col + len(cells) - 1
        if (self.constant_memory or not cells or cells[0][2] is None or cells[-1][2] is None
                or row in self._prepared or row in self.table or not self._plain(cells)
                or self._check_dimensions(row, first_col) or self._check_dimensions(row, last_col)):
            # (a blank without a format is not written and does not count for the dimensions)
            self._write_each(row, first_col, cells)
            return
        names = self._names
        while len(names) <= last_col:
            names.append(xl_col_to_name(len(names)))
        strings = self.str_table
        index = strings.string_table
        marks: dict[object, str] = {}
        parts = []
        r = str(row + 1)
        col = first_col
        for kind, value, fmt in cells:
            if kind == 0 and fmt is None:
                col += 1
                continue
            m = marks.get(fmt)
            if m is None:
                m = marks[fmt] = _MARKS_CHARS[len(marks)]
            if kind == 2 and len(value) >= INLINE_FROM:   # type: ignore[arg-type]
                parts.append(f'<c r="{names[col]}{r}" s="{m}" t="inlineStr">{_inline_xml(value)}</c>')
            elif kind == 2:
                k = index.get(value)
                if k is None:
                    k = index[value] = strings.unique_count
                    strings.unique_count += 1
                strings.count += 1
                parts.append(f'<c r="{names[col]}{r}" s="{m}" t="s"><v>{k}</v></c>')
            elif kind == 1:
                parts.append(f'<c r="{names[col]}{r}" s="{m}"><v>{value:.16G}</v></c>')
            else:
                parts.append(f'<c r="{names[col]}{r}" s="{m}"/>')
            col += 1
        data = "".join(parts).encode()
        if self._spill is None:
            # removed when closed, on Windows too; closed once the sheet's XML is written
            self._spill = tempfile.TemporaryFile(dir=self.tmpdir)  # noqa: SIM115
            _OPEN_SPILLS.add(self._spill)
        self._pending.append(data)
        self._pending_size += len(data)
        if self._pending_size >= _CHUNK:
            self._flush_pending()
        formats = tuple(marks)
        fid = self._format_ids.get(formats)
        if fid is None:
            fid = self._format_ids[formats] = len(self._format_sets)
            self._format_sets.append(formats)
        self._prepared.keep(row, first_col, last_col, self._spilled, len(data), fid)
        self._spilled += len(data)

    def set_row_pixels(self, row: int, height=None, cell_format=None, options=None):
        """xlsxwriter's; then the row's properties are the same objects as every other row's
        with the same ones (a table sets a height on most rows: xlsxwriter keeps a RowInfo and
        a list a row until the file is written, ≈ 40 MiB at ten times the bench month)."""
        status = super().set_row_pixels(row, height, cell_format, options)
        if cell_format is None and not options and row in self.row_info:
            key = (self.row_info[row].height, *self.row_sizes[row])
            shared = self._row_props.get(key)
            if shared is None:
                self._row_props[key] = (self.row_info[row], self.row_sizes[row])
            else:
                self.row_info[row], self.row_sizes[row] = shared
        return status

    def _flush_pending(self) -> None:
        if self._pending:
            self._spill.write(b"".join(self._pending))
            self._pending.clear()
            self._pending_size = 0

    def _kept_xml(self, kept: tuple[int, int, int, int, int]) -> tuple[str, tuple]:
        """The XML of a kept row, read back from the spill file, and its formats."""
        _first, _last, offset, length, fid = kept
        self._flush_pending()
        spill = self._spill
        spill.seek(offset)
        data = spill.read(length)
        spill.seek(self._spilled)   # writing goes on at the end
        if len(data) != length:
            raise RuntimeError(f"{self.name}: a kept row's XML is missing from its temporary file")
        return data.decode(), self._format_sets[fid]

    def _plain(self, cells: Sequence[tuple[int, object, object]]) -> bool:
        """Every value is one the row's XML can spell as xlsxwriter does, with few formats."""
        if len(cells) > len(_MARKS_CHARS) and len({fmt for _k, _v, fmt in cells}) > len(_MARKS_CHARS):
            return False
        half = self.xls_strmax // 2
        for kind, value, _fmt in cells:
            if kind == 2:
                if len(value) > half:   # type: ignore[arg-type]
                    return False
            elif kind == 1 and not (value.__class__ is int
                                    or (value.__class__ is Decimal and value.is_finite())):  # type: ignore[union-attr]
                return False
        return True

    def _write_each(self, row: int, first_col: int, cells: Sequence[tuple[int, object, object]]) -> None:
        for k, (kind, value, fmt) in enumerate(cells):
            if (kind == 2 and fmt is not None and len(value) >= INLINE_FROM   # type: ignore[arg-type]
                    and not self.constant_memory and len(value) <= self.xls_strmax):   # type: ignore[arg-type]
                if not self._check_dimensions(row, first_col + k):
                    self.table[row][first_col + k] = InlineString(value, fmt)
            elif kind == 2:
                self._write_string(row, first_col + k, value, fmt)
            elif kind == 1:
                self._write_number(row, first_col + k, value, fmt)
            else:
                self._write_blank(row, first_col + k, None, fmt)

    def _write_cell(self, row: int, col: int, cell) -> None:
        """xlsxwriter's, and an :class:`InlineString` as its constant-memory mode writes a
        string (a table's long text, written through :meth:`_write_each`)."""
        if cell.__class__ is not InlineString:
            super()._write_cell(row, col, cell)
            return
        string = self._escape_control_characters(cell.string)
        self._xml_inline_string(string, _preserve_whitespace(string),
                                [("r", xl_rowcol_to_cell(row, col)), ("s", cell.format._get_xf_index())])

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        """xlsxwriter's, without its hundred or so regular-expression passes (each prefixing
        one of Excel's newer functions) for a sum of one range, ``SUM(F5:F90)`` or
        ``SUBTOTAL(9,F5:F90)``, which names none of them: write_table's subtotals and totals,
        19,000 a month at ten times the bench month."""
        if _SUM_OF_A_RANGE.fullmatch(formula):
            return formula[1:] if formula.startswith("=") else formula
        return super()._prepare_formula(formula, expand_future_functions)

    def _assemble_xml_file(self) -> None:
        if self._prepared and (self.constant_memory or self.comments):
            raise RuntimeError("FastWorksheet.write_cells rows cannot be written with comments")
        try:
            super()._assemble_xml_file()
        finally:
            # the sheet's XML is written: its cells are not read again — free them meanwhile
            self.table.clear()
            self._prepared.clear()
            self._format_ids.clear()
            self._format_sets.clear()
            self._row_props.clear()
            self._pending.clear()
            if self._spill is not None:
                self._spill.close()
                _OPEN_SPILLS.discard(self._spill)
                self._spill = None

    def _calculate_spans(self) -> None:
        # xlsxwriter's, from each row's lowest and highest column instead of trying every
        # column of the sheet on every row
        if self.comments or self.dim_rowmin is None:
            super()._calculate_spans()
            return
        spans: dict[int, str] = {}
        table, prepared, low, high, last = self.table, self._prepared, None, None, self.dim_rowmax
        for row_num in range(self.dim_rowmin, last + 1):
            cells = table.get(row_num)
            if cells:
                a, b = min(cells), max(cells)
                if low is None:
                    low, high = a, b
                else:
                    low, high = min(low, a), max(high, b)
            prep = prepared.get(row_num)
            if prep is not None:
                a, b = prep[0], prep[1]
                if low is None:
                    low, high = a, b
                else:
                    low, high = min(low, a), max(high, b)
            if ((row_num + 1) % 16 == 0 or row_num == last) and low is not None:
                spans[row_num // 16] = f"{low + 1}:{high + 1}"
                low = None
        self.row_spans = spans

    def _write_rows(self) -> None:
        if self.constant_memory or self.comments or self.dim_rowmin is None:
            super()._write_rows()
            return
        self._calculate_spans()
        table, prepared, row_info, spans = self.table, self._prepared, self.row_info, self.row_spans
        write = self.fh.write
        names = [xl_col_to_name(c) for c in range(self.dim_colmax + 1)]
        spill = self._spill
        if spill is not None:
            self._flush_pending()
            spill.flush()
        buf, buf_at = b"", 0   # a chunk of the spill file read at once, from where
        format_sets = self._format_sets
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = table.get(row_num)
            prep = prepared.get(row_num)
            if not cells and prep is None:
                if row_num in row_info:
                    self._write_empty_row(row_num, spans.get(row_num // 16), row_info[row_num])
                continue
            self._write_row(row_num, spans.get(row_num // 16), row_info.get(row_num))
            if prep is None:
                self._write_cells_xml(row_num, cells, sorted(cells), names)
            else:   # (a kept row has no cells in the table: writing one there unkeeps it)
                _first, _last, offset, length, fid = prep
                start = offset - buf_at
                if start < 0 or start + length > len(buf):
                    # rows written in order are read a chunk at a time; a row written after a
                    # later one (its XML before the chunk) is read alone
                    spill.seek(offset)
                    buf, buf_at, start = spill.read(length if start < 0 else max(length, _CHUNK)), offset, 0
                    if len(buf) < length:
                        raise RuntimeError(f"{self.name}: row {row_num + 1}'s XML is missing from its spill")
                xml = buf[start:start + length].decode()
                for i, f in enumerate(format_sets[fid]):   # the formats' numbers, in the order of first use
                    xml = xml.replace(_MARKS_CHARS[i], str(f._get_xf_index()))
                write(xml)
            write("</row>")

    def _write_cells_xml(self, row_num: int, cells: dict, cols: list[int], names: list[str]) -> None:
        """Cells of xlsxwriter's table, in column order, spelled as xlsxwriter spells them."""
        if not cols:
            return
        write = self.fh.write
        blank, number, string = CellBlankTuple, CellNumberTuple, CellStringTuple
        r = str(row_num + 1)
        out = []
        for col_num in cols:
            cell = cells[col_num]
            fmt = cell.format
            kind = cell.__class__
            if not fmt or kind not in (string, number, blank):
                if out:
                    write("".join(out))
                    out = []
                self._write_cell(row_num, col_num, cell)
                continue
            ref = f'<c r="{names[col_num]}{r}" s="{fmt._get_xf_index()}"'
            if kind is string:
                out.append(f'{ref} t="s"><v>{cell.string}</v></c>')
            elif kind is number:
                out.append(f"{ref}><v>{cell.number:.16G}</v></c>")
            else:
                out.append(f"{ref}/>")
        if out:
            write("".join(out))


# formats in a kept row's XML: control characters, never in it otherwise (an inline text's are
# written _xHHHH_, but for tab and line feed, which are not markers); a row with more formats
# than there are markers is not kept
_MARKS_CHARS = tuple(chr(c) for c in range(1, 32) if c not in (9, 10))
INLINE_FROM = 32   # characters: a table's text this long is an inline string (FastWorksheet)
_CHUNK = 1 << 20   # bytes of kept rows' XML written to, and read from, a spill file at once
_COL_BITS, _COL_MASK = 14, (1 << 14) - 1         # a column: 0–16,383
_LEN_BITS, _LEN_MASK = 24, (1 << 24) - 1         # its XML's length: 16,384 cells of under 1,000 bytes
_OFF_LIMIT = 1 << 40                              # where it starts in the spill file
_FID_LIMIT = 1 << 35                              # which formats it uses


class _KeptRows:
    """Where each kept row's XML is (:meth:`FastWorksheet.write_cells`): row → (first column,
    last column, offset, length, formats' number), as two unsigned 64-bit words a row in
    arrays indexed by row — a dict of packed ints was ≈ 80 bytes a row (250,000 rows at ten
    times the bench month, all sheets' held until the workbook is written).  Rows come from
    the top of a sheet, mostly in order; any order works (the arrays grow to the highest)."""

    __slots__ = ("_count", "_place", "_shape")

    def __init__(self) -> None:
        self._place = array("Q")   # offset << 24 | length
        self._shape = array("Q")   # (formats << 28 | first column << 14 | last column) + 1; 0: not kept
        self._count = 0

    def keep(self, row: int, first_col: int, last_col: int, offset: int, length: int, fid: int) -> None:
        if not (0 <= offset < _OFF_LIMIT and 0 <= length <= _LEN_MASK and 0 <= fid < _FID_LIMIT
                and 0 <= first_col <= last_col <= _COL_MASK):
            raise ValueError(f"a kept row out of range: {(first_col, last_col, offset, length, fid)}")
        shape = self._shape
        if row >= len(shape):
            grow = max(row + 1 - len(shape), len(shape) // 2, 1024)
            zeros = array("Q", bytes(8 * grow))
            shape.extend(zeros)
            self._place.extend(zeros)
        if not shape[row]:
            self._count += 1
        shape[row] = (fid << (2 * _COL_BITS) | first_col << _COL_BITS | last_col) + 1
        self._place[row] = offset << _LEN_BITS | length

    def get(self, row: int) -> tuple[int, int, int, int, int] | None:
        """(first column, last column, offset, length, formats' number), or None."""
        shape = self._shape
        if row >= len(shape) or not shape[row]:
            return None
        packed, place = shape[row] - 1, self._place[row]
        return ((packed >> _COL_BITS) & _COL_MASK, packed & _COL_MASK, place >> _LEN_BITS, place & _LEN_MASK,
                packed >> (2 * _COL_BITS))

    def pop(self, row: int, default: None = None) -> tuple[int, int, int, int, int] | None:
        kept = self.get(row)
        if kept is None:
            return default
        self._shape[row] = 0
        self._count -= 1
        return kept

    def __contains__(self, row: object) -> bool:
        return isinstance(row, int) and 0 <= row < len(self._shape) and self._shape[row] != 0

    def __len__(self) -> int:
        return self._count

    def clear(self) -> None:
        self._place, self._shape, self._count = array("Q"), array("Q"), 0


_CELL_XML = re.compile('<c r="([A-Z]+)[0-9]+" s="([\x01-\x1f])"(?:( t="s")?><v>([^<]*)</v></c>|/>'
                       '|( t="inlineStr")><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>)', re.DOTALL)


class InlineString(NamedTuple):
    """A table's long text in xlsxwriter's cell table: written as an inline string."""

    string: str
    format: object


_NEEDS_ESCAPE = re.compile("[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_ESCAPED = re.compile("_x005F(_x[0-9a-fA-F]{4}_)|_x([0-9a-fA-F]{4})_")


def _inline_xml(text: str) -> str:
    """``<is><t>…</t></is>`` of an inline string, as xlsxwriter's constant-memory mode
    spells it (control characters as ``_xHHHH_``, ``&<>`` escaped, ``xml:space`` for
    leading or trailing white space)."""
    if _NEEDS_ESCAPE.search(text) is not None:
        text = XMLwriter._escape_data(None, XMLwriter._escape_control_characters(text))  # type: ignore[arg-type]
    space = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
    return f"<is><t{space}>{text}</t></is>"


def _inline_text(xml: str) -> str:
    """The text of :func:`_inline_xml`'s ``<t>``, as it was."""
    text = xml.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return _ESCAPED.sub(lambda m: m.group(1) or chr(int(m.group(2), 16)), text)


class _Table(dict):
    """xlsxwriter's cell table (row → {column: cell}), where a row kept as XML by
    :meth:`FastWorksheet.write_cells` comes back as xlsxwriter's cells the moment one of
    xlsxwriter's writers reaches for it (``table[row][col] = …``): a formula written over a
    table's cell replaces that cell, as in xlsxwriter."""

    def __init__(self, prepared: _KeptRows, kept_xml) -> None:
        super().__init__()
        self.prepared = prepared
        self.kept_xml = kept_xml

    def __missing__(self, row: int) -> dict:
        cells = self[row] = {}
        kept = self.prepared.pop(row, None)
        if kept is not None:
            xml, formats = self.kept_xml(kept)
            for letters, mark, shared, value, inline, text in _CELL_XML.findall(xml):
                fmt = formats[_MARKS_CHARS.index(mark)]
                col = xl_cell_to_rowcol(f"{letters}1")[1]
                if inline:
                    cells[col] = InlineString(_inline_text(text), fmt)
                elif shared:
                    cells[col] = CellStringTuple(int(value), fmt)
                elif value:
                    cells[col] = CellNumberTuple(Decimal(value), fmt)
                else:
                    cells[col] = CellBlankTuple(fmt)
        return cells


_WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                   "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]")


_OPEN_SPILLS: set = set()   # the kept rows' temporary files not closed yet (a workbook being written)


def close_unfinished() -> None:
    """Close the temporary files of workbooks a failed run left unwritten.  They go when
    closed, and only then can the folder they are in be removed on Windows (an open file
    cannot be deleted there); the failed workbook object itself lives on in the traceback."""
    while _OPEN_SPILLS:
        _OPEN_SPILLS.pop().close()


def text_width(text: str) -> int:
    """Display width in Excel character units: CJK and full-width characters count 2
    (the East Asian Wide and Fullwidth ranges)."""
    if text.isascii():
        return len(text)
    return len(text) + len(_WIDE.findall(text))


def cell_ref(row: int, col: int) -> str:
    return xl_rowcol_to_cell(row, col)


class Formats:
    """The workbook's cell formats, made once."""

    def __init__(self, wb: Workbook, settings: Settings | None = None):
        self.settings = settings or load_settings()
        money = self.settings.money_format
        base = {"font_name": FONT, "font_size": 10, "valign": "vcenter"}
        border = {"border": 1, "border_color": "#9E9E9E"}

        def fmt(**kw):
            return wb.add_format({**base, **kw})

        self.title = fmt(bold=True, font_size=15, align="center")
        self.subtitle = fmt(font_color="#424242", align="center")
        self.note = fmt(font_color="#616161")
        self.note_wrap = fmt(font_color="#616161", text_wrap=True)
        self.label = fmt(bold=True)
        self.plain = fmt()
        self.header = fmt(bold=True, bg_color="#DCE6F1", align="center", text_wrap=True, **border)
        self.text = fmt(**border)
        self.wrap = fmt(text_wrap=True, **border)
        self.center = fmt(align="center", **border)
        self.money = fmt(num_format=money, **border)
        self.percent = fmt(num_format="0.00%", **border)
        # General: 92.375 shows as 92.375 and 92 as 92 — every digit needed to recompute a pool
        self.score = fmt(**border)
        self.integer = fmt(num_format="0", **border)
        self.total_label = fmt(bold=True, bg_color="#F2F2F2", **border)
        self.total_money = fmt(bold=True, bg_color="#F2F2F2", num_format=money, **border)
        self.total_score = fmt(bold=True, bg_color="#F2F2F2", **border)
        self.total_integer = fmt(bold=True, bg_color="#F2F2F2", num_format="0", **border)
        self.group = fmt(bold=True, bg_color="#EAF1DD", text_wrap=True, valign="vcenter", **border)
        self.subtotal_label = fmt(bold=True, bg_color="#F7F7F7", align="right", **border)
        self.subtotal_money = fmt(bold=True, bg_color="#F7F7F7", num_format=money, **border)
        self.subtotal_blank = fmt(bg_color="#F7F7F7", **border)
        self.flag = fmt(bold=True, font_color="#8A4B00", bg_color="#FFF4CE", align="center", **border)
        self.flag_money = fmt(bold=True, font_color="#8A4B00", bg_color="#FFF4CE", num_format=money, **border)
        self.dash = fmt(align="center", font_color="#757575", **border)
        self.date = fmt(num_format=DATE_FORMAT, align="left")
        self.datetime = fmt(num_format=DATETIME_FORMAT, align="left")
        self.stamp = fmt(bold=True, font_color="#B71C1C", align="center", text_wrap=True)
        self.stamp_ok = fmt(bold=True, font_color="#1B5E20", align="center", text_wrap=True)
        self.label_wrap = fmt(bold=True, text_wrap=True)
        self.small = fmt(font_size=9, font_color="#616161", text_wrap=True, valign="top", **border)
        self.total_blank = fmt(bg_color="#F2F2F2", **border)
        self.passed = fmt(bold=True, font_color="#1B5E20", bg_color="#E8F5E9", align="center", **border)
        self.failed = fmt(bold=True, font_color="#B71C1C", bg_color="#FFEBEE", align="center", **border)
        self.sign = fmt(font_size=11)
        self.warn = fmt(bold=True, font_color="#8A4B00", bg_color="#FFF4CE", text_wrap=True, valign="vcenter",
                        border=1, border_color="#E0B000")
        self.sign_label = fmt(font_size=11, bold=True)


@dataclass(frozen=True)
class Col:
    """One table column: header, kind (text, wrap, small, center, money, percent, score,
    integer), widths."""

    header: str
    kind: str = "text"
    min_width: int = 6
    max_width: int = 40
    total: bool = False   # money column summed on the totals row


_NUMERIC = ("money", "percent", "score", "integer")
_WRAPPING = ("wrap", "small")
LINE_HEIGHT = 13.5


def _shown(value: object, kind: str) -> str:
    """The text a cell shows (for widths and row heights)."""
    if value is None or value == "":
        return ""
    if kind in _NUMERIC:
        if not isinstance(value, Decimal | int):
            raise TypeError(f"column kind {kind} needs a number, got {value!r}")
        if kind == "money":
            return f"{value:,.2f}"
        if kind == "percent":
            return f"{value * 100:.2f}%"
        return _general(value) if kind == "score" else str(value)
    return str(value)


def _general(value: Decimal | int) -> str:
    """What Excel's General format shows of a decimal: no trailing zeros."""
    if isinstance(value, int):
        return str(value)
    text = f"{value.normalize():f}"
    return text


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapping cell ``width`` units wide (an estimate)."""
    usable = max(1.0, width - 1.5)
    if "\n" not in text:
        return max(1, math.ceil(text_width(text) / usable))
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in text.split("\n"))


def _header_width(header: str) -> int:
    """Headers wrap: a long one may take two lines."""
    w = text_width(header)
    return w + 2 if w <= 8 else math.ceil(w / 2) + 3


def _longest_line(text: str) -> int:
    return text_width(text) if "\n" not in text else max(text_width(p) for p in text.split("\n"))


def _widest(texts: list[str], cap: int, best: int = 0) -> int:
    """``max(best, *(_longest_line(t) for t in texts))``, but stops once ``cap`` is
    reached and skips every text that cannot beat the widest so far: a text of n
    characters is at least n and at most 2n units wide."""
    if best >= cap:
        return best
    texts = sorted(set(texts), key=len, reverse=True)
    for text in texts:
        if 2 * len(text) <= best or best >= cap:
            break
        best = max(best, _longest_line(text))
    return best


def _negative(value: Decimal | int) -> bool:
    """Shown with a minus sign (``Decimal('-0')`` too)."""
    return value.is_signed() if isinstance(value, Decimal) else value < 0


@dataclass(frozen=True)
class Band:
    """A row of a table that is not data: a group's heading (``group``: the text across
    the first ``span`` columns) or the group's subtotal (``subtotal``: the text, then the
    sum of every total column since the heading)."""

    text: str
    kind: str = "group"


def write_table(ws: Worksheet, f: Formats, first_row: int, cols: Sequence[Col],
                rows: Iterable[Sequence[object] | Band], total_label: str | None = "合计",
                autofilter: bool = True, freeze: bool = True, empty_note: str = "（无）",
                fixed_widths: Sequence[float] | None = None, span: int | None = None) -> int:
    """Header at ``first_row``, then ``rows``, then (if any column has ``total``) a 合计 row
    with ``SUM`` formulas carrying their computed value.  Sets widths, row heights of
    wrapped rows, freeze panes and the filter.  Returns the first row after the table.

    ``rows`` is read once, each row written as it comes (a generator keeps a big table
    from being held whole): what the widths and heights need is measured on the way
    (:class:`_Measure`) and set once the last row is in.  Column by column, widths come
    from the widest shown text (only the texts that can be widest are measured), row
    heights from the wrapping columns.  ``fixed_widths``, when given, fixes the column
    widths (two tables on one sheet share its columns).

    ``rows`` may hold :class:`Band` rows (group headings and subtotals, across the first
    ``span`` columns, default all); then every sum is ``SUBTOTAL(9, …)``, so the 合计 row
    does not count the subtotals twice.
    """
    ncols = len(cols)
    span = ncols if span is None else span
    totals: dict[int, Decimal] = {}
    if total_label is not None:
        totals = {j: Decimal("0.00") for j, c in enumerate(cols) if c.total and j > 0}
    measures = [_Measure(c, None if fixed_widths is None else fixed_widths[j])
                for j, c in enumerate(cols)]
    wrapping = [(j, m) for j, m in enumerate(measures) if m.wraps]
    measured = [(j, m) for j, m in enumerate(measures) if m.open]   # texts can widen it
    chunk: list[tuple[int, Sequence[object]]] = []   # data rows written, not yet measured
    heights: dict[int, int] = {}   # row → its lines, when over 1

    def measure(rows: list[tuple[int, Sequence[object]]]) -> None:
        # column by column, a chunk of rows at a time: as fast as measuring whole columns,
        # in the memory of a chunk
        for j, m in measured:
            m.see([values[j] for _, values in rows])
        for j, m in wrapping:
            m.see_wrapping([r for r, _ in rows], [values[j] for _, values in rows], heights)
        rows.clear()

    for j, c in enumerate(cols):
        ws.write_string(first_row, j, c.header, f.header)
    kinds = [(j, c.kind in _NUMERIC, getattr(f, c.kind)) for j, c in enumerate(cols)]
    # xlsxwriter's undecorated writers (the public ones only add A1-notation parsing)
    write_cells = ws.write_cells if isinstance(ws, FastWorksheet) else partial(FastWorksheet._write_each, ws)
    total_cols = sorted(totals)
    first_total = total_cols[0] if total_cols else span
    r = first_row + 1
    group_start = r
    group_sums = dict.fromkeys(total_cols, Decimal("0.00"))
    groups: list[tuple[int, str]] = []   # (row, text) of the group headings: heights once widths are known
    data = 0
    has_bands = False
    for values in rows:
        if isinstance(values, Band):
            has_bands = True
        elif len(values) != ncols:
            raise ValueError(f"row has {len(values)} values for {ncols} columns: {values!r}")
        if isinstance(values, Band) and values.kind == "group":
            if span > 1:
                ws.merge_range(r, 0, r, span - 1, values.text, f.group)
            else:
                ws.write_string(r, 0, values.text, f.group)
            groups.append((r, values.text))
            group_start = r + 1
            group_sums = dict.fromkeys(total_cols, Decimal("0.00"))
        elif isinstance(values, Band):
            last_label = max(0, min(first_total, span) - 1)
            if last_label > 0:
                ws.merge_range(r, 0, r, last_label, values.text, f.subtotal_label)
            else:
                ws.write_string(r, 0, values.text, f.subtotal_label)
            for j in range(last_label + 1, ncols):
                if j in group_sums and r > group_start:
                    formula = f"=SUBTOTAL(9,{cell_ref(group_start, j)}:{cell_ref(r - 1, j)})"
                    ws.write_formula(r, j, formula, f.subtotal_money, group_sums[j])
                else:
                    ws.write_blank(r, j, None, f.subtotal_blank)
        else:
            data += 1
            cells = []
            for j, numeric, fmt in kinds:
                v = values[j]
                if v is None or v == "":
                    cells.append((0, None, fmt))
                elif numeric:
                    cells.append((1, v, fmt))
                else:
                    cells.append((2, str(v), fmt))
            write_cells(r, 0, cells)
            for j in total_cols:
                v = values[j] or Decimal(0)
                group_sums[j] += v
                totals[j] += v
            chunk.append((r, values))
            if len(chunk) >= _MEASURED_AT_ONCE:
                measure(chunk)
        r += 1
    measure(chunk)
    if not data:
        ws.write_string(r, 0, empty_note, f.text)
        for j in range(1, len(cols)):
            ws.write_blank(r, j, None, f.text)
        r += 1
    last_data = r - 1
    if totals:
        ws.write_string(r, 0, total_label, f.total_label)
        sum_of = "SUBTOTAL(9," if has_bands else "SUM("
        for j in range(1, len(cols)):
            if j in totals and data:
                formula = f"={sum_of}{cell_ref(first_row + 1, j)}:{cell_ref(last_data, j)})"
                ws.write_formula(r, j, formula, f.total_money, totals[j])
            elif j in totals:
                ws.write_number(r, j, totals[j], f.total_money)
            else:
                ws.write_blank(r, j, None, f.total_blank)
        r += 1

    widths = [m.width(totals.get(j)) for j, m in enumerate(measures)]
    band_width = sum(widths[:span])
    for row, text in groups:
        heights[row] = wrapped_lines(text, band_width)
    header_lines = max(wrapped_lines(c.header, widths[j]) for j, c in enumerate(cols))
    ws.set_row(first_row, LINE_HEIGHT * header_lines + 4)
    for row in sorted(heights):
        if heights[row] > 1:
            ws.set_row(row, LINE_HEIGHT * heights[row] + 3)
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)
    if freeze:
        ws.freeze_panes(first_row + 1, 0)
    if autofilter and data and not has_bands:
        ws.autofilter(first_row, 0, last_data, len(cols) - 1)
    return r


_MEASURED_AT_ONCE = 512   # rows measured together (write_table)


class _Measure:
    """What one column's width and its rows' heights need, gathered a chunk of rows at a time.

    The width is the widest shown text (two units a CJK character), within the column's
    minimum (its header, ``min_width``) and ``max_width``; a number column's widest text
    is that of its largest value of each sign (money, percent, score) or of any value
    (integer).  A wrapping column raises the heights of the rows it needs more lines in.
    """

    def __init__(self, col: Col, fixed: float | None) -> None:
        self.col = col
        self.fixed = fixed
        self.wraps = col.kind in _WRAPPING
        self.floor = max(col.min_width, _header_width(col.header))
        self.open = self.floor < col.max_width   # texts can still widen it
        self.cap = col.max_width - 2
        self.best = 0   # the widest text seen that counts (once it reaches cap, the rest does not)
        self.signed: Decimal | int | None = None     # money, percent, score: the largest of each sign
        self.unsigned: Decimal | int | None = None

    def see(self, values: list[object]) -> None:
        """A chunk of the column's values (blank: None or "")."""
        kind = self.col.kind
        present = [v for v in values if v is not None and v != ""]
        if kind in _NUMERIC:
            for v in present:
                if not isinstance(v, Decimal | int):
                    raise TypeError(f"column kind {kind} needs a number, got {v!r}")
            if kind != "integer":
                # the largest of each sign stands for the rest (the first of equals, as max keeps)
                for v in present:
                    if _negative(v):
                        if self.signed is None or abs(v) > abs(self.signed):
                            self.signed = v
                    elif self.unsigned is None or abs(v) > abs(self.unsigned):
                        self.unsigned = v
                return
            texts = [_shown(v, kind) for v in present]
        else:
            texts = [str(v) for v in present]
        if self.open and texts:
            self.best = _widest(texts, self.cap, self.best)

    def see_wrapping(self, rows: list[int], values: list[object], heights: dict[int, int]) -> None:
        """Raise ``heights`` (row → lines, when over 1) to the lines each of ``rows`` takes in
        this wrapping column, whose values are ``values``, at the width it will have: fixed,
        or its floor when texts cannot widen it, else ``max_width`` — right also when it comes
        out narrower, since every text then fits on the lines of its own line breaks."""
        width = self.fixed if self.fixed is not None else self.floor if not self.open else self.col.max_width
        usable = max(1.0, width - 1.5)
        for row, value in zip(rows, values, strict=True):
            if value is None or value == "":
                continue
            text = str(value)
            if 2 * len(text) <= usable * heights.get(row, 1) and "\n" not in text:
                continue   # fits in the lines the row has anyway (a text is at most 2 units a character)
            lines = wrapped_lines(text, width)
            if lines > heights.get(row, 1):
                heights[row] = lines

    def width(self, total: Decimal | None) -> float:
        """The column's width once every row is seen (``total``: its 合计, when summed)."""
        if self.fixed is not None:
            return self.fixed
        c = self.col
        width = self.floor
        if self.open:
            best = self.best
            extremes = [v for v in (self.signed, self.unsigned) if v is not None]
            if extremes:
                best = _widest([_shown(v, c.kind) for v in extremes], self.cap, best)
            if best:
                width = max(width, min(c.max_width, best + 2))
        if total is not None:
            width = max(width, min(c.max_width, text_width(f"{total:,.2f}") + 2))
        return width


def no_number_text_flags(ws: Worksheet) -> None:
    """No "number stored as text" triangles: 工号 and other digit strings are text on purpose
    (Excel and WPS both honour the sheet's ``ignoredErrors``)."""
    ws.ignore_errors({"number_stored_as_text": "A1:XFD1048576"})


def _hf(text: str) -> str:
    return text.replace("&", "&&")


def print_setup(ws: Worksheet, header_text: str, repeat_row: int | None, landscape: bool, *,
                stamp: str = "", banner: str = "") -> None:
    """A4, one page wide, header rows repeated; header: ``header_text`` left, ``banner``
    (e.g. 草稿 — 未批准) centred in red, the sheet name right; footer: ``stamp`` (run,
    time, rules, input fingerprint) left and 第 &P 页 / 共 &N 页 right (centred without a
    stamp).  Also switches off
    the "number stored as text" flags of the sheet."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    if repeat_row is not None:
        ws.repeat_rows(repeat_row)
    center = f"&C&B&14&KB71C1C{_hf(banner)}" if banner else ""
    ws.set_header(f"&L&8{_hf(header_text)}{center}&R&8&A")
    if stamp:
        ws.set_footer(f"&L&8{_hf(stamp)}&R&9第 &P 页 / 共 &N 页")
    else:
        ws.set_footer("&C&9第 &P 页 / 共 &N 页")
    no_number_text_flags(ws)
