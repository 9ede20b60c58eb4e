"""Slips (综合激励明细单): one HTML page per worker, and 全部.html to print them all.

In the year-end run the slip is the 年度安全、质量奖明细单: its heading is 本年度明细 and
it carries the worker's basis (年度评议依据: months worked, projects, incidents, quality
mean, year-end status) above the lines.

Jinja2 with autoescape and ``StrictUndefined``; templates live in the
top-level ``templates/`` folder.  A worker with any line — paid or not — gets
a slip, so a worker whose award was refused (excluded, not qualifying,
forfeited) sees why.  A slip shows only that worker's lines.

Each line is said in a plain sentence (:mod:`kfbonus.render.plain`) with the full
formula in small print below; the total is 本月激励合计（应发）; every slip has a number
(明细单编号 ``<period>-<工号>``, the same on every rerun of the month) and says whom to
ask and by when (the settings' ``contact`` and ``query_days`` after the period's end,
:mod:`kfbonus.settings`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

import kfbonus
from kfbonus.model import MonthResult
from kfbonus.money import fmt_money, to_capital
from kfbonus.render.plain import fine_print
from kfbonus.render.view import WorkerView, award_columns, is_annual, period_label, what_of
from kfbonus.resources import template_dir
from kfbonus.settings import Settings, load_settings, query_deadline

__all__ = ["ALL_SLIPS", "ANNUAL_SLIP_TITLE", "SLIP_TITLE", "TEMPLATE_DIR", "SlipMeta",
           "environment", "print_scale", "render_body", "render_page", "render_slip",
           "slip_filename", "slip_meta", "write_slips"]

TEMPLATE_DIR = template_dir()
ALL_SLIPS = "全部.html"
SLIP_TITLE = "工程施工安装人员综合激励明细单"
ANNUAL_SLIP_TITLE = "年度安全、质量奖明细单"

_UNSAFE = re.compile(r'[<>:"/\\|?*\s]+')
_MAX_STEM = 80


@dataclass(frozen=True)
class SlipMeta:
    """The month's header, the same on every slip."""

    company: str
    department: str
    title: str
    period_label: str
    scheme: str
    assess_date: str
    awards: tuple
    footer: str
    detail_heading: str = "本月明细"
    excluded_label: str = "本月不参加综合激励"
    period: str = ""
    total_label: str = "本月激励合计（应发）"
    ask: str = ""        # whom to ask, by when
    plain: Callable[[object], str] = field(default=fine_print, compare=False)   # a line in plain words
    item_heading: str = "工程"   # the heading of the column naming what a line is for (工程, 加盟商)

    def number(self, worker_id: str) -> str:
        """The slip's number (明细单编号): ``2026-11-1001``."""
        return f"{self.period}-{worker_id}" if self.period else worker_id


def environment(template_dir: Path = TEMPLATE_DIR) -> Environment:
    """The slip templates: autoescape on, a missing variable is an error (a new
    environment: its templates are compiled again when first used)."""
    if not (template_dir / "page.html").is_file():
        raise FileNotFoundError(f"找不到明细单模板：{template_dir / 'page.html'}")
    env = Environment(loader=FileSystemLoader(str(template_dir)), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["money"] = fmt_money
    env.filters["capital"] = to_capital
    return env


@cache
def _run_environment(template_dir: Path) -> Environment:
    """:func:`environment`, made once per process: compiling the templates is most of the
    time a small month's slips take, and a run writes slips for every scheme it finds.
    The templates are not looked at again (they do not change during a run)."""
    env = environment(template_dir)
    env.auto_reload = False
    return env


def date_text(day: dt.date) -> str:
    """``2026年12月10日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def ask_text(period: str, settings: Settings) -> str:
    """「如有疑问，请于 2026年12月10日 前向客户服务部核算员提出。」"""
    return f"如有疑问，请于 {date_text(query_deadline(period, settings))} 前向{settings.contact}提出。"


def slip_filename(worker_id: str, name: str) -> str:
    """``<工号>_<姓名>.html`` made safe for every file system.

    Path separators, ``<>:"|?*``, whitespace and control characters become
    ``_``; leading dots are dropped; the stem is at most 80 characters.
    """
    raw = f"{worker_id}_{name}"
    # a printable text has no character of category C (str.isprintable says so at C speed)
    cleaned = raw if raw.isprintable() else "".join(
        "_" if unicodedata.category(ch).startswith("C") else ch for ch in raw)
    cleaned = _UNSAFE.sub("_", cleaned)
    cleaned = re.sub(r"_+", "_", cleaned).strip("._ ")[:_MAX_STEM].rstrip("._ ")
    if not cleaned or cleaned == ALL_SLIPS.removesuffix(".html"):
        cleaned = f"slip_{cleaned or 'worker'}"
    return f"{cleaned}.html"


def slip_meta(result: MonthResult, generated_at: dt.datetime, settings: Settings | None = None) -> SlipMeta:
    annual = is_annual(result)
    settings = settings or load_settings()
    shown = result.presentation
    what = what_of(result)
    title = (getattr(shown, "year_end_slip_title", "") or ANNUAL_SLIP_TITLE) if annual else \
        (getattr(shown, "slip_title", "") or f"{what}明细单")
    return SlipMeta(
        company=settings.company,
        department=settings.department,
        title=title,
        period_label=period_label(result.period),
        scheme=result.scheme,
        assess_date=result.assess_date.isoformat(),
        awards=award_columns(result),
        footer=f"kfbonus {kfbonus.__version__} 生成于 {generated_at.strftime('%Y-%m-%d %H:%M')}",
        detail_heading="本年度明细" if annual else "本月明细",
        excluded_label="年末人员状态" if annual else f"本月不参加{what}",
        period=result.period,
        total_label="本年度激励合计（应发）" if annual else "本月激励合计（应发）",
        ask=ask_text(result.period, settings),
        plain=getattr(shown, "plain_text", None) or fine_print,
        item_heading=getattr(shown, "item_heading", "") or "工程",
    )


# --- fitting a slip on one printed page -----------------------------------------------------
# A4 portrait less the @page margins (14 mm top and bottom) leaves 269 mm.  The slip's
# height is estimated from its text (in mm, from the sizes in slip.css, with a margin);
# a slip estimated taller than the page is printed scaled down (CSS zoom, print only),
# so a worker's slip stays on one page; only a slip that would need a zoom below
# MIN_ZOOM (unreadable) continues on a second page.
_PAGE_MM = 258.0        # 269 mm, less a margin (the estimate runs 2–5% high)
_FIXED_MM = 128.0       # header, who-table, headings, totals, whom to ask, signature, footer
_ROW_MM, _SMALL_MM, _PAD_MM = 4.9, 4.4, 3.4
_FORMULA_UNITS, _PROJECT_UNITS, _BOX_UNITS = 27.0, 10.0, 52.0  # CJK characters per text row


def _units(text: str) -> float:
    """Width of ``text`` in CJK characters (ASCII letters and digits are about half)."""
    ascii_chars = len(text.encode("ascii", "ignore"))
    return len(text) - ascii_chars + 0.55 * ascii_chars


def _rows(units: float, per_row: float) -> int:
    """Text rows for a text ``units`` wide in a column ``per_row`` wide (0 for no text)."""
    return max(1, -int(-units // per_row)) if units else 0


def _line_units(line, plain: str, fine: str) -> tuple[float, ...]:
    """(project id, project name, formula, reason, clause) widths of one slip line whose
    plain wording is ``plain`` and small print ``fine``."""
    reason = f"未发放 未发 {line.unpaid}：{line.reason}" if line.refused or line.reason else ""
    small = f"算法：{fine}　依据：{line.clause}"
    return (_units(line.project_id or "—"), _units(line.project_name or ""), _units(plain),
            _units(reason), _units(small))


def _height(box: float, lines: list[tuple[float, ...]], zoom: float) -> float:
    """Estimated printed height of a slip in mm at ``zoom`` (zooming out widens the
    columns, so the text wraps into fewer rows); ``box`` is the width of the
    评议依据/exclusion note (0 when none), ``lines`` the widths of :func:`_line_units`.

    The loop spells :func:`_rows` out (the same figures): it runs for every line at every
    zoom tried, and the calls were most of its time.  For a width above 0 the rounded-up
    quotient is at least 1 already, and a whole float times a float is what the int
    times it gives, so neither ``max(1, …)`` nor ``int`` is needed there."""
    height = _FIXED_MM
    if box:
        height += 4.0 + _rows(box, _BOX_UNITS / zoom) * _SMALL_MM
    formula_units, project_units = _FORMULA_UNITS / zoom, _PROJECT_UNITS / zoom
    clause_units = formula_units * 1.2
    for pid, pname, formula, reason, clause in lines:
        project = (-(-pid // project_units) if pid else 0) + (-(-pname // project_units) if pname else 0)
        text = ((-(-formula // formula_units) if formula else 0) * _ROW_MM
                + (-(-reason // formula_units) if reason else 0) * _SMALL_MM)
        text += (-(-clause // clause_units) if clause else 0) * _SMALL_MM
        height += max(project * _ROW_MM, text) + _PAD_MM
    return height * zoom


MIN_ZOOM = 0.6
"""Below this a printed slip gets hard to read: a slip that does not fit at this zoom
continues on a second page instead (table rows never split, the header repeats)."""


def print_scale(view: WorkerView, basis: str = "", plain: Callable[[object], str] = fine_print,
                fine: Callable[[object], str] = fine_print) -> str:
    """The CSS zoom that fits ``view``'s slip on one A4 page: "1", or e.g. "0.85" (in
    steps of 0.05 down to :data:`MIN_ZOOM`); "long" for a slip too long even then."""
    return _fit(view, basis, [(line, plain(line), fine(line)) for line in view.lines])


def _fit(view: WorkerView, basis: str, rows: list[tuple[object, str, str]]) -> str:
    """:func:`print_scale` of ``view`` whose lines' texts are ``rows``: (line, plain
    wording, small print)."""
    box = _units(basis or view.excluded or "")
    lines = [_line_units(line, plain, fine) for line, plain, fine in rows]
    for step in range(20, int(MIN_ZOOM * 20) - 1, -1):
        zoom = step / 20
        if _height(box, lines, zoom) <= _PAGE_MM:
            return "1" if step == 20 else f"{zoom:.2f}"
    return "long"


def render_body(env: Environment, view: WorkerView, meta: SlipMeta, basis: str = "") -> Markup:
    """One worker's slip (the ``<section>``), already escaped; ``basis`` the year-end
    run's 评议依据 sentence (empty in a monthly run).  A line's plain wording and small
    print are each worked out once, for the page-fit estimate and the template."""
    plain = meta.plain
    rows = [(line, plain(line), fine_print(line)) for line in view.lines]
    return env.get_template("_slip.html").module.slip(view, meta, basis, _fit(view, basis, rows), rows)


def render_page(env: Environment, page_title: str, bodies: Sequence[Markup]) -> str:
    """A complete HTML page holding ``bodies`` (one slip, or all of them)."""
    return env.get_template("page.html").render(page_title=page_title, slips=bodies)


def render_slip(env: Environment, view: WorkerView, meta: SlipMeta, basis: str = "") -> str:
    return render_page(env, _title(meta, f"{view.worker_id} {view.name}"),
                       [render_body(env, view, meta, basis)])


def _title(meta: SlipMeta, who: str) -> str:
    return f"{meta.title} {meta.period_label} {who}"


class _PageFrame:
    """page.html cut around its slips, so that a page is put together without rendering
    the template (and its stylesheet) again: ``head`` (up to the first slip, the title to
    fill in), ``sep`` (between two slips) and ``tail``.  ``ok`` is false when the template
    does not cut so (then pages are rendered whole)."""

    _TITLE, _A, _B = "\x00title\x00", "\x00first\x00", "\x00second\x00"

    def __init__(self, env: Environment):
        page = env.get_template("page.html")
        two = page.render(page_title=self._TITLE, slips=[Markup(self._A), Markup(self._B)])
        one = page.render(page_title=self._TITLE, slips=[Markup(self._A)])
        i, j = two.find(self._A), two.find(self._B)
        self.head, self.sep, self.tail = two[:i], two[i + len(self._A):j], two[j + len(self._B):]
        self.ok = (0 <= i < j and two.count(self._TITLE) == 1 and self._TITLE in self.head
                   and one == self.head + self._A + self.tail)
        # the same pieces as the files' bytes: the head either side of its title
        before, _, after = self.head.partition(self._TITLE)
        self._before, self._after = _encoded(before), _encoded(after)
        self.sep_bytes, self.tail_bytes = _encoded(self.sep), _encoded(self.tail)

    def head_bytes(self, title: str) -> bytes:
        """The page's head with ``title`` (escaped) in it, as the file's bytes."""
        return self._before + _encoded(str(escape(title))) + self._after


_NEWLINE = os.linesep.encode("ascii")


def _encoded(text: str) -> bytes:
    """``text`` as a slip file holds it: UTF-8, each newline as the system writes a text
    file's (what ``Path.write_text`` would write: \\r\\n on Windows)."""
    data = text.encode("utf-8")
    return data if _NEWLINE == b"\n" else data.replace(b"\n", _NEWLINE)


def write_slips(result: MonthResult, views: Sequence[WorkerView], folder: Path, generated_at: dt.datetime,
                progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Write one slip per worker with any line, then 全部.html, then the same as PDF
    (<工号>_<姓名>.pdf and 全部.pdf, :mod:`kfbonus.render.pdf`, when the settings' ``pdf.enabled``
    and a Chinese font is found); returns the paths.

    ``progress(done, total)`` after each file (total counts 全部.html too, and the PDFs
    when they are written).
    """
    env = _run_environment(TEMPLATE_DIR)
    settings = load_settings()
    meta = slip_meta(result, generated_at, settings)
    return _write_slips(result, views, folder, generated_at, progress, env, settings, meta)


def _write_slips(result: MonthResult, views: Sequence[WorkerView], folder: Path, generated_at: dt.datetime,
                 progress: Callable[[int, int], None] | None, env: Environment, settings, meta: SlipMeta
                 ) -> list[Path]:
    basis = getattr(result.presentation, "basis", None)   # the year-end run's 评议依据, per worker
    bases = basis(result) if basis is not None else {}
    folder.mkdir(parents=True, exist_ok=True)
    pdfs = bool(settings.pdf and views)
    if pdfs:
        from kfbonus.render.pdf import find_font, write_pdf_slips

        pdfs = find_font(settings.fonts) is not None
    total = (len(views) + 1) * (2 if pdfs else 1)
    written: list[Path] = []
    used: set[str] = {ALL_SLIPS}
    bodies: list[Markup] = []
    frame = _PageFrame(env)
    everyone = folder / ALL_SLIPS
    # 全部.html is written as the slips are made, not held whole (hundreds of MB at 20,000
    # workers); a slip's text is encoded once, for its own file and for 全部.html
    with everyone.open("wb") as all_file:
        if frame.ok and views:
            all_file.write(frame.head_bytes(_title(meta, f"（全部 {len(views)} 人）")))
        for k, view in enumerate(views):
            filename = base = slip_filename(view.worker_id, view.name)
            n = 2
            while filename in used:   # two 工号 made equal by sanitising
                filename = f"{base.removesuffix('.html')}_{n}.html"
                n += 1
            used.add(filename)
            body = render_body(env, view, meta, bases.get(view.worker_id, ""))
            path = folder / filename
            title = _title(meta, f"{view.worker_id} {view.name}")
            if frame.ok:
                data = _encoded(str(body))   # plain text from here: str + Markup would escape the str
                path.write_bytes(b"".join((frame.head_bytes(title), data, frame.tail_bytes)))
                if k:
                    all_file.write(frame.sep_bytes)
                all_file.write(data)
            else:
                path.write_bytes(_encoded(render_page(env, title, [body])))
                bodies.append(body)
            written.append(path)
            if progress is not None:
                progress(len(written), total)
        if frame.ok and views:
            all_file.write(frame.tail_bytes)
        else:
            all_file.write(_encoded(render_page(env, _title(meta, f"（全部 {len(views)} 人）"), bodies)))
    written.append(everyone)
    if progress is not None:
        progress(len(written), total)
    if settings.pdf and views:   # without a font: one Chinese line, HTML only
        from kfbonus.render.pdf import write_pdf_slips

        names = [p.name for p in written[:-1]]
        done = len(written)
        step = None if progress is None or not pdfs else (lambda i: progress(done + i, total))
        written += write_pdf_slips(views, names, folder, meta, generated_at, settings, bases, step=step)
    return written
