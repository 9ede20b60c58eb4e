"""One run at a time per output folder: a second process is refused, a crash releases."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kfbonus.lock import LockBusy, output_lock

ROOT = Path(__file__).resolve().parents[1]

HOLDER = textwrap.dedent("""
    import sys
    from kfbonus.lock import output_lock
    with output_lock(sys.argv[1]):
        print("locked", flush=True)
        sys.stdin.readline()      # hold until the parent says so (or kills us)
    print("released", flush=True)
""")


SIMULATED_WINDOWS = ROOT / "tests" / "winsim"   # msvcrt.locking instead of fcntl (tests/winsim)


def start_holder(folder: Path, windows: bool = False) -> subprocess.Popen:
    path = [str(SIMULATED_WINDOWS)] * windows + [str(ROOT)]
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder)], cwd=ROOT, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(path)})
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_second_process_is_refused_until_the_first_ends(tmp_path):
    holder = start_holder(tmp_path / "out")
    try:
        busy = pytest.raises(LockBusy, match="另一个运行正在处理该输出目录")
        with busy as info, output_lock(tmp_path / "out"):
            pytest.fail("two runs held the lock at once")
        assert info.value.pid == holder.pid
        assert str(holder.pid) in str(info.value)
    finally:
        out, _ = holder.communicate("\n", timeout=10)
    assert out.strip() == "released" and holder.returncode == 0
    with output_lock(tmp_path / "out") as path:
        assert path.read_text().strip() == str(os.getpid())


@pytest.mark.parametrize("windows", [False, True], ids=["here", "simulated-windows"])
def test_a_killed_run_does_not_leave_the_folder_locked(tmp_path, windows):
    holder = start_holder(tmp_path / "out", windows)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    holder.stdin.close()
    holder.stdout.close()
    with output_lock(tmp_path / "out"):
        pass


def test_other_folders_are_independent_and_lock_is_reusable(tmp_path):
    with output_lock(tmp_path / "a"), output_lock(tmp_path / "b"):
        pass
    with output_lock(tmp_path / "a"):
        pass
