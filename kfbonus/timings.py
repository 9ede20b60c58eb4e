"""Per-stage wall times of one run, for ``--timings`` (a module-level recorder).

Off unless :func:`enable` was called: :func:`stage` is then a no-op context manager
and :func:`mark` does nothing, so the pipeline carries the calls at no cost.  With
``--timings`` the CLI enables it and prints :func:`report` after the run, so a user
who finds a month slow can see where the time went.

The clock starts when the process started where the system says so (Linux: /proc,
to 1/100 s), else when this module is first imported (the CLI imports it first; the
interpreter's own start is then not counted).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager


def _process_age() -> float:
    """Seconds since this process started (Linux), 0 where that cannot be known."""
    try:
        with open("/proc/self/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")   # field 22: starttime, in ticks
        return max(0.0, time.clock_gettime(time.CLOCK_BOOTTIME) - started)
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0


_STARTED = time.perf_counter() - _process_age()
_stages: dict[str, float] | None = None
_beside: dict[str, float] = {}   # stages run in a second process meanwhile (kfbonus.beside)


def enable() -> None:
    """Start recording (the clock still counts from this module's import)."""
    global _stages
    _stages = {}
    _beside.clear()


def enabled() -> bool:
    return _stages is not None


def add(label: str, seconds: float) -> None:
    if _stages is not None:
        _stages[label] = _stages.get(label, 0.0) + seconds


@contextmanager
def stage(label: str) -> Iterator[None]:
    """Time the block under ``label`` (added up when a label repeats)."""
    if _stages is None:
        yield
        return
    t0 = time.perf_counter()
    try:
        yield
    finally:
        add(label, time.perf_counter() - t0)


def beside(label: str, seconds: float) -> None:
    """Record a stage that ran in a second process while this one went on: reported apart,
    not added to this process's time."""
    if _stages is not None:
        _beside[label] = _beside.get(label, 0.0) + seconds


def mark(label: str) -> None:
    """Record the time from the start up to now under ``label`` (the start-up stage)."""
    add(label, time.perf_counter() - _STARTED)


def report() -> str:
    """The stages in the order they ran, 其他 (time not in any stage) and 合计; recording
    stops (a later run in the same process records only when enabled again)."""
    global _stages
    stages, _stages = dict(_stages or {}), None
    total = time.perf_counter() - _STARTED
    stages["其他（打印、问题清单等）"] = max(0.0, total - sum(stages.values()))
    stages["合计"] = total
    width = max(_columns(label) for label in stages)
    lines = ["各阶段用时（秒）："]
    for label, seconds in stages.items():
        pad = " " * (width - _columns(label))
        share = "" if label == "合计" or total <= 0 else f"  {seconds / total:6.1%}"
        lines.append(f"  {label}{pad}  {seconds:8.3f}{share}")
    if _beside:
        lines.append("同时在第二个进程中（不计入上面的合计）：")
        for label, seconds in _beside.items():
            lines.append(f"  {label}{' ' * (width - _columns(label))}  {seconds:8.3f}")
        _beside.clear()
    return "\n".join(lines)


def _columns(text: str) -> int:
    return sum(2 if ord(c) > 0x2e7f else 1 for c in text)
