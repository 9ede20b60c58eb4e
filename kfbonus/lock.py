"""One run at a time on an output folder, on Windows, macOS and Linux.

:func:`output_lock` takes an exclusive operating-system lock on
``<folder>/.kfbonus.lock`` without waiting; a second run gets :class:`LockBusy` at
once.  The lock belongs to the open file: the operating system drops it when its
process ends, however it ends (a crash, a kill, a closed console window), so a stale
lock file never blocks the next run.  The file holds the holder's process id, only to
name it in the message.

Two platform calls sit behind :func:`_try_lock` / :func:`_unlock`: ``msvcrt.locking``
where :mod:`msvcrt` exists (Windows), ``fcntl.flock`` elsewhere.  Windows locks are
mandatory, so the lock covers one byte far past the process id (locking beyond the end
of a file is allowed); the id stays readable by the run that is refused.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import msvcrt
except ImportError:        # not Windows
    msvcrt = None  # type: ignore[assignment]
    import fcntl

__all__ = ["LOCK_NAME", "LockBusy", "output_lock"]

LOCK_NAME = ".kfbonus.lock"
_LOCK_OFFSET = 1 << 20
"""Where the locked byte is (Windows): well past the process id written at the start."""
_BUSY = {errno.EACCES, errno.EAGAIN, errno.EWOULDBLOCK, getattr(errno, "EDEADLOCK", errno.EDEADLK)}


class LockBusy(Exception):
    """Another run holds the output folder."""

    def __init__(self, folder: Path, pid: int | None):
        self.folder = folder
        self.pid = pid
        who = f"（进程 {pid}）" if pid else ""
        super().__init__(f"另一个运行正在处理该输出目录「{folder}」{who}；请等它结束后再运行。")


@contextmanager
def output_lock(folder: Path | str) -> Iterator[Path]:
    """Hold the output folder's lock for the ``with`` block (the folder is created if
    needed); raises :class:`LockBusy` when another process holds it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
    try:
        if not _try_lock(fd):
            raise LockBusy(folder, _read_pid(path))
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"{os.getpid()}\n".encode())
            yield path
        finally:
            os.ftruncate(fd, 0)
            _unlock(fd)
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool:
    """Lock ``fd``'s file without waiting; False when another process holds it."""
    try:
        if msvcrt is not None:
            os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in _BUSY:
            return False
        raise
    return True


def _unlock(fd: int) -> None:
    if msvcrt is not None:
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _read_pid(path: Path) -> int | None:
    try:
        text = path.read_bytes()[:32].decode("ascii", "replace").strip()
        return int(text) if text else None
    except (OSError, ValueError):
        return None
