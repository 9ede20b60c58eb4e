"""Run one job in a second process while this one goes on: the second core of the PC.

``with beside(job) as pending: …; value = pending.result()`` — where the system can fork
(Linux), ``job`` starts at once in a forked child, which sees this process's memory as it
is (the month's result, its views: nothing is copied or pickled on the way in) and sends
back only the job's return value, or the exception it raised, through a pipe.  Elsewhere
(Windows has no fork; macOS's system libraries are not safe across one) ``job`` simply
runs when its result is asked for: the same files, one core.  Either way the outputs are
the same bytes.  One core, or the environment variable ``KFBONUS_PROCESSES=1``, keeps
everything in one process.

A job must only write its own files and return a small picklable value: it runs in a copy
of the process, so anything else it changes is lost with the child.  The child leaves with
``os._exit`` (no flushing of the parent's streams, no exit handlers), and a job that fails
there fails here with the same exception; a child that dies (killed, out of memory) is an
error saying so.  Leaving the ``with`` block early (an error, Ctrl+C) stops the child and
waits for it, so the files it had open are closed before the caller cleans up.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Generic, TypeVar

__all__ = ["ChildDied", "Pending", "beside", "can_fork", "give_back_free_memory"]

T = TypeVar("T")


class ChildDied(RuntimeError):
    """The second process ended without an answer (killed, out of memory)."""


def can_fork() -> bool:
    """True where :func:`beside` runs its job in a second process."""
    if not hasattr(os, "fork") or not sys.platform.startswith("linux"):
        return False
    if os.environ.get("KFBONUS_PROCESSES", "").strip() == "1":
        return False
    return (os.cpu_count() or 1) > 1


class Pending(Generic[T]):
    """A job under way (or, without a second process, waiting to run); ``seconds`` is how
    long the job itself took, once :meth:`result` has returned."""

    def __init__(self, job: Callable[[], T], label: str) -> None:
        self._job = job
        self.label = label
        self.seconds = 0.0
        self.forked = False
        self._pid = 0
        self._fd = -1
        self._done = False
        self._value: T | None = None
        self._error: BaseException | None = None

    def _start(self) -> None:
        read, write = os.pipe()
        give_back_free_memory()
        pid = os.fork()
        if pid == 0:   # the child: run the job, answer, leave without running anything of the parent's
            os.close(read)
            _answer(self._job, write)
        os.close(write)
        self._pid, self._fd, self.forked = pid, read, True

    def result(self) -> T:
        """The job's return value (waiting for the child), or its exception raised here
        (again on every later call: the job runs once)."""
        if self._done:
            if self._error is not None:
                raise self._error
            return self._value   # type: ignore[return-value]
        if not self.forked:
            t0 = time.perf_counter()
            try:
                self._value = self._job()
            except BaseException as exc:
                self._error = exc
                raise
            finally:
                self.seconds, self._done = time.perf_counter() - t0, True
            return self._value
        with os.fdopen(self._fd, "rb") as pipe:
            data = pipe.read()
        self._fd = -1
        status = _reap(self._pid)
        self._pid = 0
        if not data:
            raise ChildDied(f"{self.label}：第二个进程意外结束（{_how(status)}），未写完；请重新运行")
        try:
            ok, value, self.seconds = pickle.loads(data)
        except Exception as exc:   # an exception type that cannot be rebuilt here
            raise ChildDied(f"{self.label}：第二个进程出错，其回报无法读取（{exc}）") from None
        self._done = True
        if not ok:
            self._error = value
            raise value
        self._value = value
        return value

    def _abandon(self) -> None:
        """Stop the child (if still running) and wait for it."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        if self._pid:
            with suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGTERM)
            _reap(self._pid)
            self._pid = 0


@contextmanager
def beside(job: Callable[[], T], label: str) -> Iterator[Pending[T]]:
    """``job`` under way in a second process (where one can be forked) for the block's
    length; the block asks :meth:`Pending.result` for its value.  ``label`` names the job
    in an error (审批汇总表)."""
    pending = Pending(job, label)
    if can_fork():
        sys.stdout.flush()
        sys.stderr.flush()
        pending._start()
    try:
        yield pending
    except BaseException:
        pending._abandon()
        raise
    pending.result()   # a block that did not ask still waits (and hears of a failure)


def _answer(job: Callable[[], object], fd: int) -> None:
    """In the child: the job's (True, value, seconds) or (False, exception, seconds), pickled
    into ``fd``; then ``os._exit``."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl+C is the parent's to handle: it stops us
        _end_with_parent()
        t0 = time.perf_counter()
        try:
            answer = (True, job(), 0.0)
        except BaseException as exc:   # sent back as it is, when it pickles
            answer = (False, exc, 0.0)
            code = 1
        answer = (answer[0], answer[1], time.perf_counter() - t0)
        try:
            data = pickle.dumps(answer)
        except Exception:   # an exception that does not pickle: its type and text
            data = pickle.dumps((False, RuntimeError(f"{type(answer[1]).__name__}: {answer[1]}"), answer[2]))
            code = 1
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(data)
    except BaseException:
        code = 2
    finally:
        os._exit(code)


def give_back_free_memory() -> bool:
    """glibc: return the heap's free pages to the system before forking (``malloc_trim``).

    The month's input rows were just let go; pages of them left free but resident would be
    written by both processes' new objects after the fork, each side then holding its own
    copy (32 MiB of the peak at ten times the bench month; a millisecond).  False where
    the C library has no such call."""
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError, TypeError):   # (Windows: no CDLL(None); not called there)
        return False
    return True


def _end_with_parent() -> None:
    """Linux: this child gets SIGTERM when the parent dies (a killed run leaves no writer behind)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _reap(pid: int) -> int:
    while True:
        try:
            return os.waitpid(pid, 0)[1]
        except InterruptedError:
            continue
        except ChildProcessError:
            return 0


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"信号 {os.WTERMSIG(status)}"
    return f"退出码 {os.WEXITSTATUS(status)}" if os.WIFEXITED(status) else f"状态 {status}"
