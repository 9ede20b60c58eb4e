"""Look inside an .xlsx/.xlsm archive before the fast reader opens it (issue 9 part 1, issue 8 part 3).

``inspect_workbook(name, data)`` does two jobs in one streamed pass over the
workbook's bytes:

1. **Guard.**  python-calamine trusts what the file says.  A 2 MB file whose
   sheet inflates to 2 GB, or one stray cell at ``XFD1048576`` (calamine
   allocates a dense grid from A1 to the furthest cell: 17 billion cells,
   a Rust allocation abort, exit 134) must be refused *before* calamine sees
   them, with a Chinese message naming the file, sheet and cell.
2. **Facts.**  What calamine's ``to_python`` does not show: merged ranges,
   hidden rows, percent number formats, Excel error values and formulas whose
   result was never saved.  calamine returns ``''`` for an error cell
   (``#DIV/0!`` and the others) and drops a formula cell with no cached value
   altogether (it reads like a blank), so the reader needs these facts to tell
   them from blanks.

Nothing here builds a tree or holds a whole part in memory: every part is
decompressed in 64 KiB chunks and fed to expat, whose handlers keep a few
counters per sheet plus the facts themselves (one entry per fact cell).

Limits (decided and measured 2026-11; a real department workbook is far below
every one of them — the bench month, 2,000 workers and 10,000 settlement
lines, has its largest part at 2.0 MB uncompressed, compression ratios of
6.5–11.7:1 per sheet part):

- ``MAX_PART_BYTES`` = 256 MiB uncompressed per part (declared *and* actual),
  ``MAX_TOTAL_BYTES`` = 512 MiB uncompressed for the whole archive
  (``archive-too-large``).  calamine holds a sheet's cells as Rust values
  while reading it, so these bound its memory to a small multiple of the
  largest plausible real content.
- ``MAX_RATIO`` = 100:1 for any part above ``RATIO_MIN_BYTES`` = 4 MiB
  (``zip-bomb``).  Real sheet XML deflates about 6–20:1 (measured: the bench
  sheets 6.5–11.7:1; 2 million bordered blank cells 12:1, a million zeros
  15:1, a million identical formulas 17:1); a run of zeros deflates 1000:1.
  Small parts may compress better (an empty sheet), so they are not held to
  the ratio.
- Far cells (``far-cell``): calamine's grid for a sheet is (last row + 1) ×
  (last column + 1) over the cells that hold a value, about 40 bytes per grid
  cell while reading (measured: a 1000 × 1000 grid holding two values costs
  39 MB).  A sheet is refused when its grid exceeds
  ``max(FAR_AREA_FLOOR, FAR_AREA_PER_CELL × cells present)`` =
  ``max(4,000,000, 10 × cells)``: every sheet up to 4 million grid cells
  (≈ 160 MB) is read whatever its shape, and a bigger grid must be at least
  one tenth full, so the empty part of the grid costs at most a few times the
  memory of the real cells (each real cell costs ~100 bytes once read).
  ``<dimension ref>`` is ignored, because calamine ignores it (tested: a
  forged ``A1:XFD1048576`` over one cell reads as a 1 × 1 grid in 14 MB).
- Sheets too big whatever their shape (``sheet-too-large``): a grid above
  ``SHEET_AREA_MAX`` = 25 million cells (≈ 1 GB while calamine reads it).
- Shared strings (``text-too-large``): calamine copies a shared string into
  every cell that refers to it, and Python copies it once more, so one
  10,000-character string referred to by 20,000 cells (a 150 KB file) costs
  400 MB.  A sheet whose cells add up to more than ``MAX_SHEET_TEXT`` = 32
  million characters (≈ 150 MB of Chinese text once read) is refused; it is
  counted precisely only when (string cells × longest string) exceeds it.
- Hostile XML (``xml-dtd``): any ``<!DOCTYPE`` (so any entity declaration,
  internal or external, and billion-laughs) in any XML part calamine may read
  is refused before it is expanded; Excel and WPS never write one.

Speed: the pass reads the bench month's eight workbooks in 0.16–0.25 s on a
shared 2-core machine (read_month itself 0.20 s before this pass existed).

Cells calamine keeps (and so what counts for the grid): a ``<c>`` with a
``<v>`` or inline ``<is>``.  A ``<c>`` with neither (a styled blank, an
uncached formula) is dropped by calamine and does not extend the grid.
"""

from __future__ import annotations

import io
import posixpath
import re
import string
import zipfile
from array import array
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from xml.parsers import expat

from kfbonus.problems import Problem, Source, error

__all__ = ["CALAMINE_ERROR_VALUES", "FAR_AREA_FLOOR", "FAR_AREA_PER_CELL", "MAX_PART_BYTES", "MAX_RATIO",
           "MAX_SHEET_TEXT", "MAX_TOTAL_BYTES", "RATIO_MIN_BYTES", "SHEET_AREA_MAX", "SheetFacts",
           "WorkbookFacts", "cell_ref", "inspect_workbook", "is_percent_format"]

MAX_PART_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 100
RATIO_MIN_BYTES = 4 * 1024 * 1024
FAR_AREA_FLOOR = 4_000_000
FAR_AREA_PER_CELL = 10
SHEET_AREA_MAX = 25_000_000
MAX_SHEET_TEXT = 32_000_000
# the error values python-calamine 0.9 shows (as ''); any other (#SPILL!, #CALC!, #FIELD!,
# #BUSY!, #CONNECT!, #BLOCKED!, #UNKNOWN!, #PYTHON!, #GETTING_DATA) makes it refuse the whole
# sheet with CalamineError "Unsupported cell error value": ``SheetFacts.errors`` still names them
CALAMINE_ERROR_VALUES = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"})

_CHUNK = 64 * 1024
_MAX_ERROR_TEXT = 64
_PERCENT_BUILTIN = frozenset({9, 10})
_RESAVE = "请用 Excel/WPS 打开后另存为新的 .xlsx 再放入"


@dataclass(frozen=True)
class SheetFacts:
    """What calamine does not show about one worksheet.  All coordinates are
    0-based ``(row, col)`` from the cell reference (``C7`` → ``(6, 2)``), the
    same as ``to_python(skip_empty_area=False)[row][col]``.

    ``merged`` holds ``(first_row, first_col, last_row, last_col)``, clipped to
    the sheet's grid (the furthest cell holding a value): a merge reaching past
    it covers only cells calamine does not return.  ``hidden_rows`` are rows
    of the grid hidden in Excel (``hidden="1"``, or a custom height of 0),
    whether or not they hold anything.
    ``percent_cells`` are numeric cells whose number format shows a percent
    (builtin 9 ``0%``, 10 ``0.00%``, or a custom format with ``%`` outside
    quotes, brackets and escapes).  ``errors`` maps an error cell to Excel's
    text (``#DIV/0!``); ``uncached`` are formula cells with no saved result.
    ``rows``/``cols`` are the grid's size (0 for an empty sheet).
    """

    name: str
    merged: tuple[tuple[int, int, int, int], ...] = ()
    hidden_rows: frozenset[int] = frozenset()
    percent_cells: frozenset[tuple[int, int]] = frozenset()
    errors: Mapping[tuple[int, int], str] = field(default_factory=lambda: MappingProxyType({}))
    uncached: frozenset[tuple[int, int]] = frozenset()
    rows: int = 0
    cols: int = 0


@dataclass(frozen=True)
class WorkbookFacts:
    """Facts of every worksheet, by sheet name as in workbook.xml (chart sheets are absent)."""

    sheets: Mapping[str, SheetFacts]


def cell_ref(row: int, col: int) -> str:
    """0-based ``(6, 2)`` → ``C7``."""
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


class _Refused(Exception):
    """Stops the pass with one problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _Doctype(Exception):
    pass


def inspect_workbook(name: str, data: bytes) -> tuple[WorkbookFacts | None, list[Problem]]:
    """Check the archive and stream each worksheet's XML.  Returns ``(facts, problems)``.

    ``facts`` is None when the workbook must not be given to the fast reader
    (``problems`` then holds the error).  For a file that is not an Office
    Open XML workbook (``.xls``, ``.xlsb``: not a zip, or no
    ``xl/workbook.xml``) and passes the archive checks, returns
    ``(None, [])``: no facts, go ahead.  Never raises for bad input.
    """
    try:
        return _inspect(name, data), []
    except _NotXlsx:
        return None, []
    except _Refused as r:
        return None, [r.problem]
    except (RecursionError, ValueError, KeyError, IndexError, OverflowError, zipfile.BadZipFile) as e:
        # whatever a crafted file trips on in here, the reader gets a problem, not a crash
        return None, [_corrupt(name, f"无法检查其内容：{type(e).__name__}").problem]


class _NotXlsx(Exception):
    pass


# -- the archive ---------------------------------------------------------------------------------

def _mb(n: int) -> str:
    if n >= 1024 ** 3:
        return f"{n / 1024 ** 3:.1f} GB"
    return f"{n / 1024 ** 2:.1f} MB"


def _corrupt(name: str, why: str, sheet: str | None = None) -> _Refused:
    return _Refused(error("corrupt-file", f"文件已损坏（{why}）：" + _RESAVE, Source(name, sheet)))


def _check_archive(name: str, zf: zipfile.ZipFile) -> None:
    total = 0
    for info in zf.infolist():
        size, packed = info.file_size, max(info.compress_size, 1)
        total += size
        if size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES:
            raise _Refused(error(
                "archive-too-large",
                f"此文件解压后异常巨大（其中「{info.filename}」声明 {_mb(size)}，全部已达 {_mb(total)}；"
                f"允许每部分 {_mb(MAX_PART_BYTES)}、合计 {_mb(MAX_TOTAL_BYTES)}），"
                "可能是损坏或恶意构造的文件；" + _RESAVE, Source(name)))
        if size > RATIO_MIN_BYTES and size / packed > MAX_RATIO:
            raise _Refused(error(
                "zip-bomb",
                f"此文件解压后异常巨大（「{info.filename}」声明 {_mb(size)}，压缩比 {size // packed}:1），"
                f"可能是损坏或恶意构造的文件；" + _RESAVE, Source(name)))


def _chunks(name: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo,
            sheet: str | None = None) -> Iterator[bytes]:
    """The part's bytes in chunks; zipfile checks the CRC at the end.  Stops at the
    declared size (zipfile never returns more), and refuses a part whose
    compressed stream holds more than it declares."""
    got = 0
    try:
        with zf.open(info) as f:
            while chunk := f.read(_CHUNK):
                got += len(chunk)
                yield chunk
            if got != info.file_size:
                raise _corrupt(name, f"{_part_label(info.filename, sheet)}实际大小与声明不符", sheet)
            dec = getattr(f, "_decompressor", None)
            deflated = info.compress_type == zipfile.ZIP_DEFLATED
            if deflated and dec is not None and not getattr(dec, "eof", True):
                raise _corrupt(name, f"{_part_label(info.filename, sheet)}实际内容比声明的大小更多", sheet)
    except _Refused:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as e:
        raise _corrupt(name, f"{_part_label(info.filename, sheet)}{_zip_reason(e)}", sheet) from None


def _zip_reason(e: Exception) -> str:
    text = str(e)
    if "CRC" in text:
        return "校验码不符"
    if isinstance(e, EOFError):
        return "内容不完整"
    if isinstance(e, NotImplementedError):
        return "使用了不支持的压缩方式"
    if isinstance(e, RuntimeError):
        return "已加密"
    return "无法解压"


def _parse(name: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo,
           setup: Callable[[expat.XMLParserType], None] | None = None, sheet: str | None = None) -> None:
    """Stream one part through expat; refuse a DTD; ``setup`` installs the fact handlers."""
    p = expat.ParserCreate()
    p.buffer_text = True
    p.buffer_size = _CHUNK

    def doctype(*_: object) -> None:
        raise _Doctype

    p.StartDoctypeDeclHandler = doctype
    p.EntityDeclHandler = doctype
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    if setup is not None:
        setup(p)
    try:
        for chunk in _chunks(name, zf, info, sheet):
            p.Parse(chunk, False)
        p.Parse(b"", True)
    except _Doctype:
        raise _Refused(error(
            "xml-dtd",
            f"文件中的{_part_label(info.filename, sheet)}含有 XML 文档类型声明/外部实体（<!DOCTYPE>），"
            "Excel 保存的工作簿不会有这种内容，可能是其他软件导出或被篡改的文件；" + _RESAVE,
            Source(name, sheet))) from None
    except expat.ExpatError as e:
        raise _corrupt(name, f"{_part_label(info.filename, sheet)}第{e.lineno}行不是有效的 XML",
                       sheet) from None


def _part_label(path: str, sheet: str | None) -> str:
    return f"工作表「{sheet}」（{path}）" if sheet is not None else f"「{path}」"


def _local(tag: str) -> str:
    return tag.rpartition(":")[2]


# -- workbook, relationships, styles -------------------------------------------------------------

def _resolve(target: str, members: Mapping[str, zipfile.ZipInfo]) -> str:
    """A relationship's target as a member name: relative to ``xl/`` or absolute; a
    target written loosely (``xl/…``, backslashes) is taken as the member it names."""
    target = target.replace("\\", "/")
    first = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
    for path in (first, target.lstrip("/"), posixpath.normpath(target)):
        if path in members:
            return path
    return first


def _sheet_parts(name: str, zf: zipfile.ZipFile,
                 members: Mapping[str, zipfile.ZipInfo]) -> tuple[list[tuple[str, str]], str]:
    """(sheet name, part path) of every worksheet, in workbook order; the shared strings' path."""
    sheets: list[tuple[str, str]] = []
    targets: dict[str, str] = {}
    shared = ["xl/sharedStrings.xml"]

    def on_sheet(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "sheet":
            rid = next((v for k, v in attrs.items() if ":" in k and _local(k) == "id"), None)
            sheets.append((attrs.get("name", ""), rid or ""))

    def on_rel(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "Relationship" and attrs.get("TargetMode") != "External":
            path = _resolve(attrs.get("Target", ""), members)
            kind = attrs.get("Type", "")
            if kind.endswith("/worksheet"):
                targets[attrs.get("Id", "")] = path
            elif kind.endswith("/sharedStrings"):
                shared[0] = path

    _parse(name, zf, members["xl/workbook.xml"], lambda p: setattr(p, "StartElementHandler", on_sheet))
    rels = members.get("xl/_rels/workbook.xml.rels")
    if rels is not None:
        _parse(name, zf, rels, lambda p: setattr(p, "StartElementHandler", on_rel))
    found = [(sheet, targets[rid]) for sheet, rid in sheets if rid in targets and targets[rid] in members]
    return found, shared[0]


_SKIP_FORMAT_RE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


def is_percent_format(code: str) -> bool:
    """True when a custom number format shows a percent: ``%`` outside quotes,
    ``[...]`` (colours, conditions, locales), ``\\`` escapes and ``_``/``*`` fillers."""
    return "%" in _SKIP_FORMAT_RE.sub("", code)


def _percent_styles(name: str, zf: zipfile.ZipFile, members: Mapping[str, zipfile.ZipInfo]) -> frozenset[str]:
    """Indices (the ``s`` of a cell, as written) of the cellXfs whose number format is a percent."""
    info = members.get("xl/styles.xml")
    if info is None:
        return frozenset()
    custom: dict[int, str] = {}
    xfs: list[int] = []
    where = [""]

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "numFmt":
            fmt_id = attrs.get("numFmtId", "")
            if fmt_id.isdigit():
                custom[int(fmt_id)] = attrs.get("formatCode", "")
        elif local in ("cellXfs", "cellStyleXfs", "dxfs"):
            where[0] = local
        elif local == "xf" and where[0] == "cellXfs":
            try:
                xfs.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                xfs.append(0)

    def end(tag: str) -> None:
        if _local(tag) in ("cellXfs", "cellStyleXfs", "dxfs"):
            where[0] = ""

    def setup(p: expat.XMLParserType) -> None:
        p.StartElementHandler = start
        p.EndElementHandler = end

    _parse(name, zf, info, setup)
    return frozenset(str(i) for i, fmt in enumerate(xfs)
                     if fmt in _PERCENT_BUILTIN or (fmt in custom and is_percent_format(custom[fmt])))


# -- worksheets ----------------------------------------------------------------------------------

_REF_RE = re.compile(r"([A-Za-z]{1,10})(\d{1,12})")


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


class _SheetScan:
    """expat handlers for one worksheet: a few counters, plus one entry per fact.

    The hot path is one start-element call per ``<c>`` and per ``<v>`` doing a
    few look-ups on closure variables (measurably faster than attributes):
    the references of cells holding a value are batched and their largest row
    and column found with C-level regexes.  Character data is collected only
    inside the ``<v>`` of an error cell or a formula cell.  A cell ends at the
    next ``<c>``/``<row>`` or at the end of the part.
    """

    def __init__(self, percent_styles: frozenset[str]) -> None:
        self.percent_styles = percent_styles
        self.refs: list[str] = []     # references of cells with a value, not yet counted
        self.cells = 0                # cells with a value (what calamine keeps)
        self.max_row = -1
        self.max_col = -1
        self.merged: list[tuple[int, int, int, int]] = []
        self.hidden: set[int] = set()
        self.percent: set[tuple[int, int]] = set()
        self.errors: dict[tuple[int, int], str] = {}
        self.uncached: set[tuple[int, int]] = set()
        self.shared_cells = 0
        self.close: Callable[[], None] = lambda: None

    def setup(self, p: expat.XMLParserType) -> None:
        refs = self.refs
        add_ref = refs.append
        pct = self.percent_styles
        ref = ""                      # the current cell's reference
        t: str | None = None          # its type
        formula = False               # it has an <f>
        formula_v = False             # ... and a saved result
        percent = False               # it is numeric with a percent format
        shared = 0                    # cells holding a shared string
        text: list[str] | None = None
        row = -1                      # the current <row> (0-based), for cells without a reference

        def stop_text() -> None:
            nonlocal text, formula_v
            value = "".join(text or ()).strip()
            text = None
            p.CharacterDataHandler = None
            if t == "e":
                self.errors[_pos(ref, row)] = value[:_MAX_ERROR_TEXT] or "#N/A"
                formula_v = True
            elif value or t in ("str", "inlineStr"):
                formula_v = True      # an empty <v/> of a numeric formula: no saved result

        def on_text(data: str) -> None:
            if text is not None and len(text) < 8:   # an error text is a few characters
                text.append(data[:_MAX_ERROR_TEXT])

        def end_formula() -> None:
            nonlocal formula, formula_v
            if not formula_v:
                self.uncached.add(_pos(ref, row))
            formula = formula_v = False

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal ref, t, formula, formula_v, text, row, percent, shared
            if text is not None:
                stop_text()
            if tag == "c":
                if formula:
                    end_formula()
                r = attrs.get("r")
                ref = r if r is not None else _next_ref(ref, row)
                t = attrs.get("t")
                if t == "s":
                    shared += 1
                percent = bool(pct) and (t is None or t == "n") and attrs.get("s") in pct
            elif tag == "v":
                add_ref(ref)
                if percent:
                    self.percent.add(_pos(ref, row))
                if t == "e" or formula:
                    text = []
                    p.CharacterDataHandler = on_text
            elif tag == "f":
                formula, formula_v = True, False
            elif tag == "is":
                add_ref(ref)
                formula_v = True      # only read when the cell has a formula
            elif tag == "row":
                if formula:
                    end_formula()
                if len(refs) >= 4096:
                    self._count()
                r = attrs.get("r")
                row = int(r) - 1 if r is not None and r.isdigit() else row + 1
                ref = ""
                if attrs.get("hidden") in ("1", "true") or (
                        attrs.get("customHeight") in ("1", "true") and _is_zero(attrs.get("ht"))):
                    self.hidden.add(row)
            elif tag == "mergeCell":
                rng = _parse_range(attrs.get("ref", ""))
                if rng is not None:
                    self.merged.append(rng)

        def first(tag: str, attrs: dict[str, str]) -> None:
            """The root: a prefixed one (``<x:worksheet>``) gets local names for every element."""
            p.StartElementHandler = (lambda tg, at: start(_local(tg), at)) if ":" in tag else start

        def close() -> None:
            if text is not None:
                stop_text()
            if formula:
                end_formula()
            self._count()
            self.shared_cells = shared

        p.StartElementHandler = first
        self.close = close

    def _count(self) -> None:
        """Fold the batched references into the cell count and the furthest row and column."""
        refs = self.refs
        if not refs:
            return
        self.cells += len(refs)
        joined = " ".join(refs)
        refs.clear()
        # str.translate + split is twice as fast as findall; a malformed reference
        # (``$E$5``, which calamine refuses anyway) falls back to the regexes
        letters = set(joined.translate(_DIGITS_TO_SPACE).split())
        try:
            rows = list(map(int, joined.translate(_LETTERS_TO_SPACE).split()))
            if not all(map(_ASCII_LETTERS.issuperset, letters)):
                raise ValueError
        except ValueError:
            rows = list(map(int, _DIGITS_RE.findall(joined)))
            letters = set(_LETTERS_RE.findall(joined))
        if rows:
            self.max_row = max(self.max_row, max(rows) - 1)
        if letters:
            self.max_col = max(self.max_col, max(map(_col_index, letters)))

    @property
    def area(self) -> int:
        return (self.max_row + 1) * (self.max_col + 1)

    def facts(self, name: str) -> SheetFacts:
        rows, cols = self.max_row + 1, self.max_col + 1
        merged = tuple((r0, c0, min(r1, rows - 1), min(c1, cols - 1))
                       for r0, c0, r1, c1 in self.merged if r0 < rows and c0 < cols)
        hidden = frozenset(r for r in self.hidden if r < rows)   # rows past the grid hold nothing
        return SheetFacts(name, merged, hidden, frozenset(self.percent),
                          MappingProxyType(dict(self.errors)), frozenset(self.uncached), rows, cols)


def _pos(ref: str, row: int) -> tuple[int, int]:
    pos = _parse_ref(ref)
    return pos if pos is not None else (max(row, 0), 0)


def _next_ref(prev: str, row: int) -> str:
    """A ``<c>`` without ``r``: the column after the previous cell of its row (as calamine does)."""
    pos = _parse_ref(prev) if prev else None
    if pos is None or pos[0] != row:
        return cell_ref(max(row, 0), 0)
    return cell_ref(row, pos[1] + 1)


class _ExtentScan:
    """Second pass over a sheet about to be refused, for the message: where the
    bulk of the data ends and which cells lie far outside it."""

    def __init__(self) -> None:
        self.row_counts: dict[int, int] = {}
        self.col_counts: dict[int, int] = {}
        self.far_row: tuple[int, int] = (-1, -1)
        self.far_col: tuple[int, int] = (-1, -1)
        self.ref = ""
        self.absurd = ""

    def setup(self, p: expat.XMLParserType) -> None:
        p.StartElementHandler = self.start

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "c":
            self.ref = attrs.get("r", "")
        elif local in ("v", "is"):
            pos = _parse_ref(self.ref)
            if pos is None:   # beyond any real sheet (a 50-letter column, a 20-digit row)
                self.absurd = self.absurd or self.ref
                return
            r, c = pos
            self.row_counts[r] = self.row_counts.get(r, 0) + 1
            self.col_counts[c] = self.col_counts.get(c, 0) + 1
            if r > self.far_row[0]:
                self.far_row = pos
            if c > self.far_col[1]:
                self.far_col = pos


_DIGITS_RE = re.compile(r"[0-9]{1,15}")   # a 5,000-digit "row" still reads as huge, never as an error
_DIGITS_TO_SPACE = str.maketrans("0123456789", " " * 10)
_ASCII_LETTERS = frozenset(string.ascii_letters)
_LETTERS_TO_SPACE = str.maketrans(string.ascii_letters, " " * 52)
_LETTERS_RE = re.compile(r"[A-Za-z]+")


def _is_zero(text: str | None) -> bool:
    try:
        return text is not None and float(text) == 0
    except ValueError:
        return False


def _parse_ref(ref: str) -> tuple[int, int] | None:
    m = _REF_RE.fullmatch(ref.replace("$", ""))
    if m is None:
        return None
    return int(m.group(2)) - 1, _col_index(m.group(1))


def _parse_range(ref: str) -> tuple[int, int, int, int] | None:
    """``B2:D5`` → ``(1, 1, 4, 3)`` (corners in either order); None if unreadable."""
    a, _, b = ref.partition(":")
    first, last = _parse_ref(a), _parse_ref(b or a)
    if first is None or last is None:
        return None
    return (min(first[0], last[0]), min(first[1], last[1]), max(first[0], last[0]), max(first[1], last[1]))


def _data_extent(counts: Mapping[int, int]) -> int:
    """The last row (or column) of the bulk of the data: the sorted indices up to the
    first gap larger than both 100 and the index reached so far."""
    keys = sorted(counts)
    last = keys[0]
    for k in keys[1:]:
        if k - last > max(100, last):
            break
        last = k
    return last


def _check_far(name: str, sheet: str, scan: _SheetScan, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a sheet whose grid is far larger than its content (see the module docstring)."""
    limit = min(SHEET_AREA_MAX, max(FAR_AREA_FLOOR, FAR_AREA_PER_CELL * scan.cells))
    if scan.cells == 0 or scan.area <= limit:
        return
    ext = _ExtentScan()
    _parse(name, zf, info, ext.setup, sheet)
    data_row, data_col = _data_extent(ext.row_counts), _data_extent(ext.col_counts)
    far = [ext.far_row] if ext.far_row[0] > data_row else []
    if ext.far_col[1] > data_col and ext.far_col not in far:
        far.append(ext.far_col)
    if ext.absurd:
        cell = ext.absurd if len(ext.absurd) <= 24 else ext.absurd[:20] + "…"
        raise _Refused(error(
            "far-cell",
            f"工作表「{sheet}」的单元格 {cell} 远在数据区之外（数据约到 {cell_ref(data_row, data_col)}），"
            "超出了 Excel 的最大范围，可能是损坏或恶意构造的文件；" + _RESAVE,
            Source(name, sheet)))
    need = (f"读取它需要约{_cn_count(scan.area)}个单元格的内存"
            f"（本表只有{_cn_count(scan.cells)}个有内容的单元格）")
    if not far:   # no outlier: the data itself is this big
        raise _Refused(error(
            "sheet-too-large",
            f"工作表「{sheet}」的数据区太大（到 {cell_ref(scan.max_row, scan.max_col)}），{need}，"
            f"超过了本程序的上限（{_cn_count(SHEET_AREA_MAX)}个单元格）；请把数据分到几个工作表或文件中",
            Source(name, sheet)))
    cells = "、".join(cell_ref(r, c) for r, c in far)
    raise _Refused(error(
        "far-cell",
        f"工作表「{sheet}」的单元格 {cells} 远在数据区之外（数据约到 {cell_ref(data_row, data_col)}），"
        f"{need}；请删除该单元格（或整行整列）后保存再运行",
        Source(name, sheet, far[0][0] + 1, _col_letters(far[0][1]))))


def _cn_count(n: int) -> str:
    """17179869184 → ``171.8 亿``; 120000 → ``12 万``; 35 → ``35``."""
    if n >= 100_000_000:
        return f" {n / 100_000_000:.1f} 亿 "
    if n >= 10_000:
        return f" {n / 10_000:.0f} 万 "
    return f" {n} "


def _col_letters(col: int) -> str:
    return cell_ref(0, col)[:-1]


# -- the whole workbook --------------------------------------------------------------------------

def _inspect(name: str, data: bytes) -> WorkbookFacts:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        if data[:4] == b"PK\x03\x04":
            raise _corrupt(name, "压缩包结构不完整") from None
        raise _NotXlsx from None
    except (OSError, ValueError, EOFError):
        raise _corrupt(name, "压缩包结构不完整") from None
    with zf:
        _check_archive(name, zf)
        members = {i.filename: i for i in zf.infolist()}
        if len(members) != len(zf.infolist()):   # which one would calamine read?
            raise _corrupt(name, "压缩包中有重名的部分")
        if "xl/workbook.xml" not in members:
            raise _NotXlsx
        sheets, shared_part = _sheet_parts(name, zf, members)
        percent = _percent_styles(name, zf, members)
        shared = _shared_lengths(name, zf, members.get(shared_part))
        longest = max(shared, default=0)
        facts: dict[str, SheetFacts] = {}
        read = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", shared_part}
        # a worksheet part the relationships do not lead to is checked all the same
        # (calamine might resolve a loosely written target where this module does not)
        mapped = {part for _, part in sheets}
        orphans = [(path, path) for path in members
                   if path.startswith("xl/worksheets/") and path.endswith(".xml") and path not in mapped]
        for sheet, part in sheets + orphans:
            scan = _SheetScan(percent)
            _parse(name, zf, members[part], scan.setup, sheet)
            scan.close()
            _check_far(name, sheet, scan, zf, members[part])
            if scan.shared_cells * longest > MAX_SHEET_TEXT:
                _check_text(name, sheet, scan.shared_cells, shared, zf, members[part])
            if part in mapped:
                facts[sheet] = scan.facts(sheet)
            read.add(part)
        # every other XML part calamine may read (shared strings, relationships, tables):
        # checked for a DTD, its size and CRC, without handlers
        for info in members.values():
            if info.filename not in read and _is_xml_part(info.filename):
                _parse(name, zf, info)
    return WorkbookFacts(MappingProxyType(facts))


def _shared_lengths(name: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo | None) -> array[int]:
    """The length (characters, phonetic runs included) of every shared string, in order."""
    lengths: array[int] = array("Q")
    if info is None:
        return lengths
    add = lengths.append

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == "si" or _local(tag) == "si":
            add(0)

    def text(data: str) -> None:
        if lengths:
            lengths[-1] += len(data)

    def setup(p: expat.XMLParserType) -> None:
        p.StartElementHandler = start
        p.CharacterDataHandler = text

    _parse(name, zf, info, setup)
    return lengths


def _check_text(name: str, sheet: str, cells: int, lengths: array[int], zf: zipfile.ZipFile,
                info: zipfile.ZipInfo) -> None:
    """calamine copies a shared string into every cell that refers to it (and Python once
    more): refuse a sheet whose cells add up to more than ``MAX_SHEET_TEXT`` characters."""
    total = 0
    t: list[str | None] = [None]
    index: list[str] | None = None

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal index
        local = _local(tag)
        if local == "c":
            t[0] = attrs.get("t")
        elif local == "v" and t[0] == "s":
            index = []

    def data(chunk: str) -> None:
        if index is not None and len(index) < 4:
            index.append(chunk[:20])

    def end(tag: str) -> None:
        nonlocal index, total
        if index is not None and _local(tag) == "v":
            i = "".join(index).strip()
            index = None
            if i.isdigit() and int(i) < len(lengths):
                total += lengths[int(i)]

    def setup(p: expat.XMLParserType) -> None:
        p.StartElementHandler = start
        p.CharacterDataHandler = data
        p.EndElementHandler = end

    _parse(name, zf, info, setup, sheet)
    if total > MAX_SHEET_TEXT:
        raise _Refused(error(
            "text-too-large",
            f"工作表「{sheet}」的{_cn_count(cells)}个文字单元格合计约{_cn_count(total)}个字"
            f"（同样的长文字被大量单元格重复引用），读取需要的内存过大（上限{_cn_count(MAX_SHEET_TEXT)}个字），"
            "可能是损坏或恶意构造的文件；" + _RESAVE,
            Source(name, sheet)))


def _is_xml_part(path: str) -> bool:
    return path.endswith((".xml", ".rels")) and not path.startswith("customXml/")
