"""Render a month: the approval workbook, the slips and the strips (render stage).

:func:`render_month` reconciles first (:func:`~kfbonus.render.reconcile.reconcile`):
any failed check raises :class:`ReconciliationError` and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing as mp
import pickle
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kfbonus.model import MonthResult
from kfbonus.render.payroll import payroll_name, write_payroll
from kfbonus.render.reconcile import Check, ReconciliationError, check_or_raise, reconcile
from kfbonus.render.slips import write_slips
from kfbonus.render.strips import write_strips
from kfbonus.render.view import worker_views
from kfbonus.render.workbook import write_approval_workbook

__all__ = ["Check", "ReconciliationError", "approval_name", "payroll_name", "reconcile", "render_month",
           "strips_name"]


def approval_name(period: str) -> str:
    return f"审批汇总表_{period}.xlsx"


def strips_name(period: str) -> str:
    return f"工资条_{period}.xlsx"


def render_month(result: MonthResult, out_dir: Path, generated_at: dt.datetime,
                 progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Write 审批汇总表_<period>.xlsx, 工资条_<period>.xlsx, 工资导入_<period>.xlsx,
    slips/<工号>_<姓名>.html and slips/全部.html into ``out_dir``; return the paths written
    (workbooks first).

    ``progress(done, total)`` is called as slips are written (total = number of
    slip files, the combined 全部.html included).
    """
    with _no_cycle_collection():
        views = worker_views(result)
        checks = check_or_raise(reconcile(result, views))
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        approval = out_dir / approval_name(result.period)
        with _beside(len(result.lines) >= PARALLEL_MIN_LINES, write_approval_workbook,
                     result, views, checks, approval, generated_at) as finished:
            strips = write_strips(result, views, out_dir / strips_name(result.period), generated_at)
            slips = write_slips(result, views, out_dir / "slips", generated_at, progress)
            written = [finished(), strips, *slips]
        # the payroll export (工资导入) beside the approval workbook
        written.insert(2, write_payroll(result, views, out_dir / payroll_name(result.period), generated_at))
    return written


PARALLEL_MIN_LINES = 2000
"""From this many award lines on, the approval workbook is written in a forked child
process while this one writes the strips and slips (two cores, about half the time)."""


class RenderChildError(RuntimeError):
    """The child process writing the approval workbook failed or died."""


@contextmanager
def _beside(parallel: bool, fn: Callable[..., Path], *args: object) -> Iterator[Callable[[], Path]]:
    """Run ``fn(*args)`` beside the body: in a forked child process when ``parallel``
    and the platform forks, else right away.  Yields ``finished()``, which waits for
    the child and returns ``fn``'s value or raises its exception here.

    A fork shares the result and views as they are (nothing is pickled on the way
    in); only the returned path, or the exception, comes back through a pipe.
    """
    if not parallel or "fork" not in mp.get_all_start_methods():
        value = fn(*args)
        yield lambda: value
        return
    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(send, fn, args), daemon=True)
    child.start()
    send.close()
    outcome: list[tuple[bool, object]] = []

    def finished() -> Path:
        if not outcome:
            try:
                outcome.append(receive.recv())
            except EOFError:
                child.join()
                died = RenderChildError(f"写审批汇总表的子进程异常退出（退出码 {child.exitcode}）")
                outcome.append((False, died))
            child.join()
        ok, value = outcome[0]
        if not ok:
            raise value  # type: ignore[misc]
        return value  # type: ignore[return-value]

    try:
        yield finished
    finally:
        if not outcome:   # the body failed: do not leave the child behind
            child.terminate()
            child.join()
        receive.close()


def _child(send, fn: Callable[..., Path], args: tuple) -> None:
    try:
        value = fn(*args)
        reply: tuple[bool, object] = (True, value)
    except BaseException as exc:  # any failure goes back to the parent
        try:
            pickle.dumps(exc)
            reply = (False, exc)
        except Exception:  # one that does not pickle goes back as text
            reply = (False, RenderChildError("".join(traceback.format_exception(exc))))
    send.send(reply)
    send.close()


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
