"""One run at a time on an output folder.

:func:`output_lock` takes an exclusive ``fcntl.flock`` on ``<folder>/.kfbonus.lock``
without waiting; a second run gets :class:`LockBusy` at once.  The operating system
drops a flock when its process ends, however it ends (crash, kill -9), so a stale
lock file never blocks the next run.  The file holds the holder's process id, only
to name it in the message.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["LOCK_NAME", "LockBusy", "output_lock"]

LOCK_NAME = ".kfbonus.lock"


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
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            raise LockBusy(folder, _read_pid(fd)) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        return int(text) if text else None
    except (OSError, ValueError):
        return None
