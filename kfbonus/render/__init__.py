"""Render a month: the approval workbook, the slips and the strips (render stage).

:func:`render_month` reconciles first (:func:`~kfbonus.render.reconcile.reconcile`):
any failed check raises :class:`ReconciliationError` and nothing is written.

The approval workbook, the longest single file, is written in a second process where the
system can fork (:mod:`kfbonus.beside`: Linux, two cores or more) while this one writes the
slips, the strips and the payroll export and the run records its ledger rows; elsewhere
(Windows, macOS) everything is written here, one file after the other, to the same bytes.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kfbonus import timings
from kfbonus.beside import beside
from kfbonus.model import MonthResult
from kfbonus.render.payroll import payroll_name, write_payroll
from kfbonus.render.reconcile import Check, ReconciliationError, check_or_raise, reconcile
from kfbonus.render.slips import write_slips
from kfbonus.render.strips import write_strips
from kfbonus.render.view import worker_views
from kfbonus.render.xlsx import close_unfinished

__all__ = ["Check", "ReconciliationError", "approval_name", "payroll_name", "reconcile", "render_month",
           "strips_name"]


def approval_name(period: str) -> str:
    return f"审批汇总表_{period}.xlsx"


def strips_name(period: str) -> str:
    return f"工资条_{period}.xlsx"


def render_month(result: MonthResult, out_dir: Path, generated_at: dt.datetime,
                 progress: Callable[[int, int], None] | None = None,
                 slips_written: Callable[[list[Path]], None] | None = None,
                 meanwhile: Callable[[], None] | None = None) -> list[Path]:
    """Write 审批汇总表_<period>.xlsx, 工资条_<period>.xlsx, 工资导入_<period>.xlsx,
    slips/<工号>_<姓名>.html and slips/全部.html into ``out_dir``; return the paths written
    (workbooks first).

    ``progress(done, total)`` is called as slips are written (total = number of
    slip files, the combined 全部.html included).  ``slips_written(paths)`` is called once
    the slips are all written (they are not touched again), before the workbooks.
    ``meanwhile()`` is called once every file but the approval workbook is written, while
    that may still be under way in a second process (the run records its ledger rows then).
    """
    try:
        return _render_month(result, out_dir, generated_at, progress, slips_written, meanwhile)
    except BaseException:
        close_unfinished()   # so the caller can remove the folder, on Windows too
        raise


def _render_month(result: MonthResult, out_dir: Path, generated_at: dt.datetime,
                  progress: Callable[[int, int], None] | None,
                  slips_written: Callable[[list[Path]], None] | None,
                  meanwhile: Callable[[], None] | None) -> list[Path]:
    with _no_cycle_collection():
        with timings.stage("核对（对账）"):
            views = worker_views(result)
            checks = check_or_raise(reconcile(result, views))
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        book = out_dir / approval_name(result.period)

        def approval_workbook() -> Path:
            # a failure closes its spill files through render_month's; a forked child's, as it exits
            return result.presentation.write_workbook(result, views, checks, book, generated_at)

        # the approval workbook, the longest single file, in a second process where the system
        # allows (kfbonus.beside); meanwhile the slips (the progress bar moves from the start),
        # strips and payroll export here
        with beside(approval_workbook, "审批汇总表") as approval_job:
            slips = _timed_slips(result, views, out_dir / "slips", generated_at, progress)
            if slips_written is not None:
                slips_written(slips)
            with timings.stage("工资条"):
                strips = write_strips(result, views, out_dir / strips_name(result.period), generated_at)
            with timings.stage("工资导入"):
                payroll = write_payroll(result, views, out_dir / payroll_name(result.period), generated_at)
            if meanwhile is not None:
                meanwhile()
            if approval_job.forked:
                with timings.stage("等待审批汇总表（第二个进程）"):
                    approval = approval_job.result()
                timings.beside("审批汇总表（第二个进程）", approval_job.seconds)
            else:
                with timings.stage("审批汇总表"):
                    approval = approval_job.result()
    return [approval, strips, payroll, *slips]


def _timed_slips(result: MonthResult, views, folder: Path, generated_at: dt.datetime,
                 progress: Callable[[int, int], None] | None) -> list[Path]:
    """write_slips, timed for --timings as 明细单 HTML and 明细单 PDF: the HTML files
    (one per worker and 全部.html) are written first, then the PDFs, and ``progress``
    is called after each file, so the split is where ``len(views) + 1`` files are done."""
    if not timings.enabled():
        return write_slips(result, views, folder, generated_at, progress)
    t0 = time.perf_counter()
    split: list[float] = []

    def step(done: int, total: int) -> None:
        if done == len(views) + 1 and not split:
            split.append(time.perf_counter())
        if progress is not None:
            progress(done, total)

    slips = write_slips(result, views, folder, generated_at, step)
    end = time.perf_counter()
    html_end = split[0] if split else end
    timings.add("明细单 HTML", html_end - t0)
    if any(p.suffix == ".pdf" for p in slips):
        timings.add("明细单 PDF", end - html_end)
    return slips


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while rendering.

    Rendering allocates hundreds of thousands of small objects that live until the
    files are written (xlsxwriter's cell tuples); each allocation burst would
    trigger a full collection over everything alive — a quarter of the render
    time on a 2,000-worker month — and frees nothing.  Reference counting still
    frees all the rest; the collector resumes (as it was) afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
