"""A simulated Windows for tests: put this folder first on PYTHONPATH and Python imports it
at start-up (``sitecustomize``), before kfbonus.

* ``fcntl`` cannot be imported; ``os.fork`` and other POSIX-only calls are gone;
  multiprocessing offers only the ``spawn`` start method — as on Windows.
* ``msvcrt`` exists with the one call kfbonus uses, ``locking`` (here built on the real
  flock, taken before fcntl is hidden), so the Windows branch of kfbonus.lock runs.
* ``KFBONUS_SIM_REFUSE=<folder>``: every rename or replace of a path inside that folder
  fails with PermissionError (WinError 32), as Windows refuses while Excel or WPS holds
  a file of the folder open.

stdout's encoding is set by the test (``PYTHONIOENCODING=gbk``: code page 936).
"""

import errno
import fcntl as _real_fcntl
import multiprocessing
import os
import pathlib
import subprocess  # noqa: F401  (imported before the stand-in msvcrt: it tells Windows by msvcrt)
import sys
import types

# --- msvcrt.locking, on the real flock ---------------------------------------------------------
msvcrt = types.ModuleType("msvcrt")
msvcrt.LK_UNLCK, msvcrt.LK_LOCK, msvcrt.LK_NBLCK, msvcrt.LK_RLCK, msvcrt.LK_NBRLCK = 0, 1, 2, 3, 4


def _locking(fd, mode, nbytes):
    if mode == msvcrt.LK_UNLCK:
        _real_fcntl.flock(fd, _real_fcntl.LOCK_UN)
        return
    try:
        _real_fcntl.flock(fd, _real_fcntl.LOCK_EX | _real_fcntl.LOCK_NB)
    except BlockingIOError:
        raise OSError(errno.EACCES, "Permission denied") from None


msvcrt.locking = _locking
sys.modules["msvcrt"] = msvcrt

# --- no POSIX-only modules and calls ----------------------------------------------------------
sys.modules["fcntl"] = None          # import fcntl → ImportError
for name in ("fork", "forkpty", "pread", "pwrite", "register_at_fork", "wait3", "wait4", "setsid",
             "killpg", "getpgid"):
    if hasattr(os, name):
        delattr(os, name)
multiprocessing.set_start_method("spawn", force=True)
multiprocessing.get_all_start_methods = lambda: ["spawn"]

# --- renames refused inside a folder (a file held open by Excel/WPS) ----------------------------
_REFUSE = os.environ.get("KFBONUS_SIM_REFUSE")
if _REFUSE:
    _refused = os.path.abspath(_REFUSE) + os.sep

    def _inside(path) -> bool:
        return os.path.abspath(os.fspath(path)).startswith(_refused)

    def _guard(fn):
        def guarded(src, dst, *args, **kwargs):
            if _inside(src) or _inside(dst):
                raise PermissionError(13, "另一个程序正在使用此文件，进程无法访问。", os.fspath(src))
            return fn(src, dst, *args, **kwargs)
        return guarded

    os.rename = _guard(os.rename)
    os.replace = _guard(os.replace)
    pathlib.Path.rename = _guard(pathlib.Path.rename)
    pathlib.Path.replace = _guard(pathlib.Path.replace)
