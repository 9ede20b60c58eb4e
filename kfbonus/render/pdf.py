"""PDF slips: ``slips/全部.pdf`` (one A4 page per worker, to print in one go) and
``slips/<工号>_<姓名>.pdf`` (one per worker, to send by WeChat or e-mail).

Made with reportlab (README「Libraries」says why, with the figures), a Chinese font embedded
so that any phone shows the slips.  The font is one the accountant's PC already has
(Windows: 黑体 simhei.ttf, 微软雅黑 msyh.ttc, 宋体 simsun.ttc; Linux: Noto Sans CJK …),
found by :func:`find_font` from the settings' ``pdf.fonts`` list.  When none is found the
run writes the HTML slips only and says so in one Chinese line — it never fails.

Speed: the system font (up to 20 MB) is cut once per run to the characters the month's
slips use, and a PostScript-outline (CFF) font such as Noto Sans CJK is converted to
TrueType outlines (reportlab embeds TrueType only); the font is parsed once and each of the
2,000 one-page PDFs embeds its own small subset in a few milliseconds.  A slip is laid out
once and replayed into its own PDF and into 全部.pdf; from :data:`PARALLEL_FROM` workers the
workers' own PDFs are written by a child process meanwhile (spawned, as on Windows).

The content of a slip is the HTML slip's (the same plain sentences, small-print formula,
totals, slip number, whom to ask, 签收 line); a slip longer than a page continues on the
next one with the worker's 工号 and 姓名 repeated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from kfbonus.money import fmt_money, to_capital
from kfbonus.render.plain import fine_print
from kfbonus.render.view import WorkerView
from kfbonus.settings import Settings

__all__ = ["ALL_PDF", "PARALLEL_FROM", "ZOOMS", "find_font", "font_dirs", "lay_out", "month_font", "pdf_name",
           "write_pdf_slips"]

ALL_PDF = "全部.pdf"
_ASCII = "".join(chr(c) for c in range(32, 127))
_RUNS = itertools.count(1)
# every fixed text drawn below: the font is cut to the characters the slips use, and
# the surest list of this module's own texts is its source
_LITERALS = "".join({ch for ch in Path(__file__).read_text(encoding="utf-8") if ord(ch) > 127})
_EXTRA = "¥—–·…→≈×÷：；，。、（）「」《》【】％＋－＝　√"


def pdf_name(html_name: str) -> str:
    """``1001_陈国栋.html`` → ``1001_陈国栋.pdf``."""
    return html_name.removesuffix(".html") + ".pdf"


# --- finding a font ---------------------------------------------------------------------

def font_dirs() -> list[Path]:
    """Where fonts are installed on Windows, macOS and Linux (those that exist)."""
    dirs: list[Path] = []
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    home = Path.home()
    dirs += [Path("C:/Windows/Fonts"), Path("/System/Library/Fonts"), Path("/Library/Fonts"),
             home / "Library" / "Fonts", Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
             home / ".local" / "share" / "fonts", home / ".fonts"]
    seen: list[Path] = []
    for d in dirs:
        if d.is_dir() and d not in seen:
            seen.append(d)
    return seen


def find_font(names: Sequence[str], dirs: Sequence[Path] | None = None) -> Path | None:
    """The first of ``names`` found (an absolute path as is; a bare file name in the
    font folders and their subfolders, case-insensitively), or None."""
    index: dict[str, Path] | None = None
    for name in names:
        p = Path(name).expanduser()
        if p.is_absolute():
            if p.is_file():
                return p
            continue
        if index is None:
            index = {}
            for d in dirs if dirs is not None else font_dirs():
                for root, _subdirs, files in os.walk(d):
                    for f in files:
                        index.setdefault(f.lower(), Path(root) / f)
        hit = index.get(p.name.lower())
        if hit is not None:
            return hit
    return None


def _face_index(path: Path) -> int:
    """In a collection (.ttc), the Simplified Chinese face (Noto … SC), else the first."""
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    from fontTools.ttLib import TTCollection

    with TTCollection(str(path), lazy=True) as coll:
        for i, font in enumerate(coll.fonts):
            family = font["name"].getDebugName(1) or ""
            if family.endswith(" SC") or "SC" in family.split():
                return i
    return 0


def month_font(path: Path, chars: Iterable[str]) -> tuple[bytes, set[str]]:
    """The font at ``path`` cut to ``chars`` (TrueType outlines), and the characters it
    lacks."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=_face_index(path), lazy=True, recalcTimestamp=False)
    cmap = font.getBestCmap() or {}
    wanted = set(chars) | set(_ASCII)
    missing = {c for c in wanted if ord(c) not in cmap and not c.isspace()}
    options = subset.Options()
    options.notdef_outline = True
    options.layout_features = []
    options.hinting = False
    # nothing a PDF viewer needs from these: smaller font, faster per-file subsetting
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "vhea", "vmtx", "VORG",
                            "DSIG", "meta", "STAT"]
    sub = subset.Subsetter(options)
    sub.populate(unicodes=[ord(c) for c in wanted if ord(c) in cmap])
    sub.subset(font)
    if "CFF " in font:
        _to_truetype(font)
    # reportlab keeps one font per PostScript name for the whole process: a month font
    # named like the system font would be mixed up with an earlier month's (its glyphs
    # missing), so the name carries the characters' fingerprint
    tag = hashlib.sha256("".join(sorted(wanted)).encode("utf-8")).hexdigest()[:10]
    base = font["name"].getDebugName(6) or "CJK"
    font["name"].setName(f"{base}-{tag}", 6, 3, 1, 0x409)
    font["name"].setName(f"{base}-{tag}", 6, 1, 0, 0)
    font.recalcBBoxes = True
    out = io.BytesIO()
    font.save(out)
    return out.getvalue(), missing


def _to_truetype(font) -> None:
    """Replace CFF outlines by quadratic TrueType outlines (fontTools' otf2ttf recipe)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    for tag in ("VORG",):
        if tag in font:
            del font[tag]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"


# --- what a slip shows --------------------------------------------------------------------

@dataclass(frozen=True)
class _Row:
    project: str
    award: str
    plain: str
    reason: str
    fine: str
    amount: Decimal
    refused: bool


@dataclass(frozen=True)
class _Slip:
    view: WorkerView
    number: str
    basis: str
    rows: tuple[_Row, ...]

    def texts(self) -> Iterable[str]:
        v = self.view
        yield from (self.number, self.basis, v.worker_id, v.name, v.team, v.position, v.excluded,
                    to_capital(v.total))
        for r in self.rows:
            yield from (r.project, r.award, r.plain, r.reason, r.fine)


def _slip(view: WorkerView, meta, basis: str) -> _Slip:
    rows = []
    for line in view.lines:
        refused = line.refused and line.amount == 0
        reason = ""
        if line.refused:
            tag = "未发放" if refused else "部分未发放"
            parts = [f"未发 {fmt_money(line.unpaid)}"] if line.unpaid else []
            if line.reason:
                parts.append(line.reason)
            reason = f"【{tag}】" + "：".join(parts)
        elif line.reason:
            reason = line.reason
        project = line.project_id or "—"
        if line.project_name:
            project += "\n" + line.project_name
        award = line.award.label + (f"\n{line.category}" if line.category else "")
        rows.append(_Row(project, award, meta.plain(line), reason,
                         f"算法：{fine_print(line)}　依据：{line.clause}", line.amount, refused))
    return _Slip(view, meta.number(view.worker_id), basis, tuple(rows))


# --- layout -------------------------------------------------------------------------------
# A slip is laid out here, once, with character widths measured once per character (in mm,
# top-left origin), into a list of drawing operations per page; the operations are then
# replayed into the worker's own PDF and into 全部.pdf (reportlab canvases).

_INK, _GREY, _LIGHT, _RED = (33, 33, 33), (84, 110, 122), (144, 164, 174), (198, 40, 40)
_DIM, _DARK = (117, 117, 117), (55, 71, 79)
_COLS = (36.0, 22.0, 92.0, 30.0)   # 工程, 奖项, 怎么算的, 金额 (mm; 180 mm in all)
_PAGE_W, _PAGE_H, _LEFT, _TOP, _BOTTOM = 210.0, 297.0, 15.0, 14.0, 283.0
_MM_PER_PT = 25.4 / 72
_WIDTH = _PAGE_W - 2 * _LEFT
_NO_LINE_START = set("，。、；：？！）」』】》,.;:?!)%")
ZOOMS = (1.0, 0.9, 0.8, 0.7, 0.6)
"""A slip too long for one page is laid out smaller, down to 60% (as the HTML slip's print
zoom); one too long even then continues on a second page at full size."""


class _Widths:
    """Character widths (mm at 1 pt), measured once per character with the month font."""

    def __init__(self, font_name: str):
        from reportlab.pdfbase.pdfmetrics import stringWidth

        self._width = stringWidth
        self._font = font_name
        self._cache: dict[str, float] = {}
        self._wrapped: dict[tuple, list[str]] = {}   # texts repeat: project names, labels

    def __call__(self, ch: str) -> float:
        w = self._cache.get(ch)
        if w is None:
            w = self._cache[ch] = self._width(ch, self._font, 1) * _MM_PER_PT
        return w

    def text(self, text: str, size: float) -> float:
        return sum(self(ch) for ch in text) * size

    def wrap(self, text: str, width: float, size: float) -> list[str]:
        """Lines of ``text`` no wider than ``width`` mm at ``size`` pt: CJK breaks anywhere,
        a Latin word or number is kept whole when it can be, closing punctuation never
        starts a line."""
        key = (text, width, size)
        lines = self._wrapped.get(key)
        if lines is None:
            lines = self._wrapped[key] = self._wrap(text, width, size)
        return lines

    def _wrap(self, text: str, width: float, size: float) -> list[str]:
        out: list[str] = []
        limit = width / size
        for para in text.split("\n"):
            line: list[str] = []
            used = 0.0
            for ch in para:
                w = self(ch)
                if used + w > limit and line and ch not in _NO_LINE_START:
                    cut = len(line)
                    if ch.isascii() and ch != " ":
                        space = max((i for i, c in enumerate(line) if not c.isascii() or c == " "),
                                    default=-1)
                        if 0 <= space < len(line) - 1 and len(line) - space < 16:
                            cut = space + 1
                    out.append("".join(line[:cut]).rstrip())
                    line = [c for c in line[cut:]]
                    while line and line[0] == " ":
                        line.pop(0)
                    used = sum(self(c) for c in line)
                line.append(ch)
                used += w
            out.append("".join(line).rstrip())
        return out


class _Page:
    """The drawing operations of one slip, page by page."""

    def __init__(self):
        self.pages: list[list[tuple]] = [[]]

    def new_page(self) -> None:
        self.pages.append([])

    def add(self, *op) -> None:
        self.pages[-1].append(op)


class _Layout:
    def __init__(self, widths: _Widths, meta, zoom: float):
        self.w, self.m, self.z = widths, meta, zoom
        self.ops = _Page()
        self.length = 0.0   # the slip's height as if on one endless page (mm)

    def lh(self, size: float) -> float:
        return size * 0.46 * self.z

    def para(self, x, y, width, size, text, color=_INK, align="L") -> float:
        """Wrapped text from top ``y``; returns its height."""
        if not text:
            return 0.0
        s = size * self.z
        lh = self.lh(size)
        lines = self.w.wrap(text, width, s)
        for i, line in enumerate(lines):
            lx = x
            if align != "L":
                free = width - self.w.text(line, s)
                lx = x + (free if align == "R" else free / 2)
            self.ops.add("t", lx, y + i * lh + s * 0.3528 * 0.92 + lh * 0.1, s, color, line)
        return lh * len(lines)

    def height(self, width, size, text) -> float:
        return self.lh(size) * len(self.w.wrap(text, width, size * self.z)) if text else 0.0

    def slip(self, s: _Slip) -> _Page:
        m, v, z = self.m, s.view, self.z
        y = _TOP
        self.para(_LEFT, y, _WIDTH / 2, 9.5, f"{m.company}　{m.department}", _GREY)
        self.para(_LEFT + _WIDTH / 2, y, _WIDTH / 2, 9.5, f"明细单编号 {s.number}", _GREY, "R")
        y += 6 * z
        self.ops.add("l", _LEFT, y, _LEFT + _WIDTH, y, _DARK, 0.5)
        y += 4 * z
        y += self.para(_LEFT, y, _WIDTH, 17, m.title, _INK, "C") + 1 * z
        y += self.para(_LEFT, y, _WIDTH, 9.5,
                       f"{m.period_label}　·　方案 {m.scheme}　·　考核实施日 {m.assess_date}　·　单位：元",
                       _GREY, "C") + 3 * z
        kw, vw = 20.0, _WIDTH / 2 - 20.0
        rh = 7 * z
        who = (("工号", v.worker_id, "姓名", v.name), ("班组", v.team or "—", "岗位", v.position or "—"))
        for row in who:
            x = _LEFT
            for i, text in enumerate(row):
                w = kw if i % 2 == 0 else vw
                self.ops.add("r", x, y, w, rh, "DF" if i % 2 == 0 else "D",
                             (236, 239, 241), _LIGHT, 0.2)
                self.para(x + 2, y + (rh - self.lh(10.5)) / 2, w - 3, 10.5,
                          self._fit(text, w - 3, 10.5), _GREY if i % 2 == 0 else _INK)
                x += w
            y += rh
        box = (f"评议依据：{s.basis}" if s.basis
               else f"{m.excluded_label}：{v.excluded}" if v.excluded else "")
        if box:
            y += 2 * z
            h = self.height(_WIDTH - 4, 9.5, box) + 3 * z
            self.ops.add("r", _LEFT, y, _WIDTH, h, "F", (255, 248, 225), None, 0)
            self.para(_LEFT + 2, y + 1.5 * z, _WIDTH - 4, 9.5, box)
            y += h
        y += 4 * z
        y += self.para(_LEFT, y, _WIDTH, 11, m.detail_heading, _DARK) + 1 * z
        y = self._header(y, v, continued=False)
        self.length = y - _TOP + 64 * z
        for r in s.rows:
            h = self._row_height(r)
            self.length += h
            if y + h > _BOTTOM:
                self.ops.new_page()
                y = self._header(_TOP, v, continued=True)
            y = self._row(y, r, h)
        if y + 64 * z > _BOTTOM:
            self.ops.new_page()
            y = self._header(_TOP, v, continued=True, table=False)
        self._closing(y + 4 * z, v)
        return self.ops

    def _fit(self, text: str, width: float, size: float) -> str:
        """One line: cut with … when too long (a very long name in the who-table)."""
        s = size * self.z
        if self.w.text(text, s) <= width:
            return text
        while text and self.w.text(text + "…", s) > width:
            text = text[:-1]
        return text + "…"

    def _header(self, y, v, continued: bool, table: bool = True) -> float:
        z = self.z
        if continued:
            self.para(_LEFT, y, _WIDTH, 8.5,
                      f"{v.worker_id}　{v.name}　·　{self.m.period_label}　{self.m.title}（续）", _GREY)
            y += 6 * z
        if not table:
            return y
        h = 6.5 * z
        self.ops.add("r", _LEFT, y, _WIDTH, h, "F", _DARK, None, 0)
        x = _LEFT
        for w, head in zip(_COLS, (self.m.item_heading, "奖项", "怎么算的", "金额"), strict=True):
            self.para(x + 1.5, y + (h - self.lh(9.5)) / 2, w - 3, 9.5, head, (255, 255, 255),
                      "R" if head == "金额" else "L")
            x += w
        return y + h

    def _row_height(self, r: _Row) -> float:
        c0, c1, c2, _ = (w - 3 for w in _COLS)
        text = (self.height(c2, 10, r.plain) + self.height(c2, 8.5, r.reason)
                + self.height(c2, 7.5, r.fine) + 0.8 * self.z)
        return max(self.height(c0, 9.5, r.project), self.height(c1, 9.5, r.award), text) + 3 * self.z

    def _row(self, y, r: _Row, h: float) -> float:
        pad = 1.5 * self.z
        ink = (158, 158, 158) if r.refused else _INK
        if r.refused:
            self.ops.add("r", _LEFT, y, _WIDTH, h, "F", (250, 250, 250), None, 0)
        x = _LEFT
        self.para(x + 1.5, y + pad, _COLS[0] - 3, 9.5, r.project, ink)
        x += _COLS[0]
        self.para(x + 1.5, y + pad, _COLS[1] - 3, 9.5, r.award, ink)
        x += _COLS[1]
        ty = y + pad
        ty += self.para(x + 1.5, ty, _COLS[2] - 3, 10, r.plain, ink)
        ty += self.para(x + 1.5, ty, _COLS[2] - 3, 8.5, r.reason, _DIM)
        self.para(x + 1.5, ty + 0.8 * self.z, _COLS[2] - 3, 7.5, r.fine, _LIGHT)
        x += _COLS[2]
        self.para(x, y + pad, _COLS[3] - 1.5, 10, fmt_money(r.amount), _RED if r.amount < 0 else ink, "R")
        self.ops.add("l", _LEFT, y + h, _LEFT + _WIDTH, y + h, (207, 216, 220), 0.2)
        return y + h

    def _closing(self, y, v: WorkerView) -> None:
        m, z = self.m, self.z
        h = 11 * z
        self.ops.add("r", _LEFT, y, _WIDTH, h, "D", None, _DARK, 0.4)
        self.ops.add("r", _LEFT, y, 46, h, "DF", (236, 239, 241), _DARK, 0.4)
        self.para(_LEFT + 2, y + (h - self.lh(11)) / 2, 43, 11, m.total_label)
        self.para(_LEFT + 48, y + (h - self.lh(14)) / 2, 44, 14, f"¥ {fmt_money(v.total)}",
                  _RED if v.total < 0 else _INK)
        self.para(_LEFT + 94, y + (h - self.lh(11)) / 2, _WIDTH - 96, 11, f"大写：{to_capital(v.total)}")
        y += h + 2 * z
        y += self.para(_LEFT, y, _WIDTH, 9,
                       "　".join(f"{a.label} {fmt_money(v.by_award[a])}" for a in m.awards), _GREY) + 1 * z
        if v.unpaid:
            y += self.para(_LEFT, y, _WIDTH, 9,
                           f"另有未发放金额 {fmt_money(v.unpaid)} 元，原因见上表标有「未发放」的各行。",
                           _DIM) + z
        y += 3 * z
        y += self.para(_LEFT, y, _WIDTH, 10.5, m.ask, _DARK) + 8 * z
        sign = "签收人：______________　　　日期：________年____月____日"
        self.para(_LEFT, y, _WIDTH, 11, sign, _INK, "R")
        y += 12 * z
        self.para(_LEFT, y, _WIDTH, 7.5, m.footer, (176, 190, 197), "R")


def _replay(c, ops: _Page, font: str) -> None:
    """Draw a slip's recorded operations on canvas ``c``, one PDF page per layout page.

    The text of a run of ``t`` operations goes into one text object (one BT … ET, each line
    placed by its own Tm) rather than one per line as ``drawString`` makes: the same glyphs
    at the same places, without reportlab measuring every line again (``drawString`` works
    out its width, unused here) and building a text object per line.  A rectangle or a rule
    closes the run first, so what is drawn later is still on top."""
    k = 1 / _MM_PER_PT                      # mm → pt
    top = _PAGE_H * k
    for page in ops.pages:
        size = color = text_obj = None
        for op in page:
            kind = op[0]
            if kind == "t":
                _, x, y, sz, col, text = op
                if text_obj is None:
                    text_obj = c.beginText()
                    size = None
                if sz != size:
                    text_obj.setFont(font, sz)
                    size = sz
                if col != color:
                    text_obj.setFillColorRGB(col[0] / 255, col[1] / 255, col[2] / 255)
                    color = col
                text_obj.setTextOrigin(x * k, top - y * k)
                text_obj.textOut(text)
                continue
            if text_obj is not None:
                c.drawText(text_obj)
                text_obj = None
            if kind == "r":
                _, x, y, w, h, style, fill, draw, lw = op
                if fill is not None:
                    c.setFillColorRGB(fill[0] / 255, fill[1] / 255, fill[2] / 255)
                    color = None
                if draw is not None:
                    c.setStrokeColorRGB(draw[0] / 255, draw[1] / 255, draw[2] / 255)
                    c.setLineWidth(lw * k)
                c.rect(x * k, top - (y + h) * k, w * k, h * k,
                       stroke=int("D" in style), fill=int("F" in style))
            else:
                _, x1, y1, x2, y2, col, lw = op
                c.setStrokeColorRGB(col[0] / 255, col[1] / 255, col[2] / 255)
                c.setLineWidth(lw * k)
                c.line(x1 * k, top - y1 * k, x2 * k, top - y2 * k)
        if text_obj is not None:
            c.drawText(text_obj)
        c.showPage()


def _canvas(path: Path, doc: tuple[str, str], font: str):
    """A reportlab canvas for one PDF file: A4, compressed, reproducible (``invariant``:
    no time stamp, fixed document id), so the same inputs give the same bytes.  ``doc`` is
    the document's (title, author)."""
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), pagesize=(_PAGE_W / _MM_PER_PT, _PAGE_H / _MM_PER_PT), invariant=True,
               pageCompression=1, initialFontName=font)
    c.setTitle(doc[0])
    c.setAuthor(doc[1])
    c.setCreator("kfbonus")
    return c


def _register(font_name: str, font_file: str) -> None:
    """Register the month font under ``font_name`` (once per process)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if font_name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(font_name, font_file))


def _write_one(path: Path, ops: _Page, doc: tuple[str, str], font_name: str) -> None:
    one = _canvas(path, doc, font_name)
    _replay(one, ops, font_name)
    one.save()


def _write_batch(font_file: str, font_name: str, doc: tuple[str, str],
                 jobs: list[tuple[str, _Page]]) -> int:
    """In a child process: write the workers' PDFs of ``jobs`` (path, laid-out slip)."""
    _register(font_name, font_file)
    for path, ops in jobs:
        _write_one(Path(path), ops, doc, font_name)
    return len(jobs)


PARALLEL_FROM = 1500
"""From this many workers the one-per-worker PDFs are written by a child process (one per
core but one) while this one lays the slips out and writes 全部.pdf.  Measured on a 2-core
machine (README「Speed」): 2,000 workers 12.4–12.9 s in one process, 8.7–9.0 s with one
child; a child's start (an interpreter, kfbonus's imports, the month font) is ≈ 1 s, and
with 200–1,000 workers, or with the other core busy, one process was as fast or faster.
The sample month of 35 workers starts none."""
_BATCH = 100   # slips a child is given at a time


def _processes(n_slips: int) -> int:
    """How many child processes write the workers' PDFs (0: none, all in this process):
    one per core but one, this process being busy with the layout and 全部.pdf."""
    cpus = os.cpu_count() or 1
    if n_slips < PARALLEL_FROM or cpus < 2:
        return 0
    return min(cpus - 1, 8, -(-n_slips // _BATCH))


def _stop(pool) -> None:
    """End a pool now (a failure, Ctrl+C): no task waits, no child outlives this run."""
    children = list((getattr(pool, "_processes", None) or {}).values())   # shutdown forgets them
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in children:
        if proc.is_alive():
            proc.terminate()
    for proc in children:
        proc.join(10)


def lay_out(widths: _Widths, meta, slip: _Slip) -> _Page:
    """The slip on one page at the largest zoom of :data:`ZOOMS` that fits; else at full
    size over several pages."""
    full = _Layout(widths, meta, 1.0)
    ops = full.slip(slip)
    if len(ops.pages) == 1:
        return ops
    # start from the zoom its height suggests, not from the top of the list
    guess = (_BOTTOM - _TOP) / max(full.length, 1.0)
    for zoom in ZOOMS[1:]:
        if zoom > guess + 0.1 and zoom != ZOOMS[-1]:
            continue
        small = _Layout(widths, meta, zoom).slip(slip)
        if len(small.pages) == 1:
            return small
    return ops


def write_pdf_slips(views: Sequence[WorkerView], html_names: Sequence[str], folder: Path, meta,
                    generated_at: dt.datetime, settings: Settings, bases: dict[str, str] | None = None,
                    say=None, step=None) -> list[Path]:
    """Write one PDF per worker (named like the worker's HTML slip) and 全部.pdf into
    ``folder``; returns the paths (全部.pdf last).  Without a usable Chinese font: writes
    nothing, says so through ``say`` (default: print) and returns []."""
    say = say or (lambda text: print(text, flush=True))
    font = find_font(settings.fonts)
    if font is None:
        say("未找到中文字体（如 C:\\Windows\\Fonts\\simhei.ttf），本次只生成 HTML 明细单，未生成 PDF；"
            "可在设置文件 pdf.fonts 中写明字体文件的完整路径。")
        return []
    bases = bases or {}
    slips = [_slip(v, meta, bases.get(v.worker_id, "")) for v in views]
    chars = {ch for text in (
        *(t for s in slips for t in s.texts()),
        meta.company, meta.department, meta.title, meta.period_label, meta.scheme, meta.assess_date,
        meta.footer, meta.ask, meta.total_label, meta.detail_heading, meta.excluded_label, meta.item_heading,
        *(a.label for a in meta.awards), _LITERALS,
    ) for ch in text}
    try:
        data, missing = month_font(font, chars)
    except Exception as exc:  # a font fontTools cannot read: HTML only, never a failure
        say(f"字体 {font} 无法使用（{type(exc).__name__}），本次只生成 HTML 明细单，未生成 PDF。")
        return []
    if missing:
        shown = "".join(sorted(missing))[:20]
        say(f"字体 {font.name} 缺少 {len(missing)} 个字（{shown}），PDF 中这些字显示为方框；"
            "可在设置文件 pdf.fonts 中换一种字体。")
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    # a new name for every run in this process: reportlab keeps subset state on the
    # registered font, and an earlier run's (one that failed half-way) must never leak into
    # this one; the name is not in the PDFs, so the bytes do not depend on it
    font_name = f"KfbonusCJK-{hashlib.sha256(data).hexdigest()[:12]}-{next(_RUNS)}"
    doc = (f"{meta.title} {meta.period_label}", meta.department)
    with tempfile.TemporaryDirectory(prefix="kfbonus-font-") as tmp:
        font_file = Path(tmp) / "month.ttf"
        font_file.write_bytes(data)
        _register(font_name, str(font_file))
        n = _processes(len(slips))
        if n:
            _write_parallel(slips, html_names, folder, meta, doc, str(font_file), font_name, n, written, step)
        else:
            widths = _Widths(font_name)
            everyone = _canvas(folder / ALL_PDF, doc, font_name)
            for s, html_name in zip(slips, html_names, strict=True):
                ops = lay_out(widths, meta, s)
                path = folder / pdf_name(html_name)
                _write_one(path, ops, doc, font_name)
                written.append(path)
                _replay(everyone, ops, font_name)
                if step is not None:
                    step(len(written))
            everyone.save()
    written.append(folder / ALL_PDF)
    if step is not None:
        step(len(written))
    return written


def _write_parallel(slips, html_names, folder: Path, meta, doc, font_file: str, font_name: str, n: int,
                    written: list[Path], step) -> None:
    """The workers' PDFs in ``n`` child processes (spawned, as Windows can only do), given
    the laid-out slips in batches; this process lays them out and writes 全部.pdf meanwhile.
    A child's error is raised here as itself; on any failure or Ctrl+C the children are
    ended before this returns.  The files are the same bytes as written in one process."""
    import multiprocessing
    from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait

    widths = _Widths(font_name)
    pool = ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn"))
    try:
        futures = []
        batch: list[tuple[str, _Page]] = []
        everyone = _canvas(folder / ALL_PDF, doc, font_name)
        for s, html_name in zip(slips, html_names, strict=True):
            ops = lay_out(widths, meta, s)
            path = folder / pdf_name(html_name)
            written.append(path)
            batch.append((str(path), ops))
            if len(batch) == _BATCH:
                futures.append(pool.submit(_write_batch, font_file, font_name, doc, batch))
                batch = []
            _replay(everyone, ops, font_name)
        if batch:
            futures.append(pool.submit(_write_batch, font_file, font_name, doc, batch))
        everyone.save()
        done = 0
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in finished:
                done += future.result()   # a child's exception, raised here
            if step is not None:
                step(done)
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)
