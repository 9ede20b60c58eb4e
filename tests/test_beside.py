"""kfbonus.beside: a job in a second (forked) process, or in this one where there is none.

The forked path is tested where the system can fork (Linux, CI); the one-process path
everywhere, as Windows runs it.  A month rendered either way is the same bytes.
"""

from __future__ import annotations

import hashlib
import os
import signal
import time
from pathlib import Path

import pytest

import kfbonus.beside
from kfbonus.beside import ChildDied, beside

FORK = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system (Windows)")


@pytest.fixture
def forked(monkeypatch):
    monkeypatch.setattr(kfbonus.beside, "can_fork", lambda: True)


@pytest.fixture
def one_process(monkeypatch):
    monkeypatch.setattr(kfbonus.beside, "can_fork", lambda: False)


@pytest.fixture(params=["forked", "one_process"])
def either(request, monkeypatch):
    """Each way a job runs: in a forked child (where there is fork), and in this process."""
    forked = request.param == "forked"
    if forked and not hasattr(os, "fork"):
        pytest.skip("no fork on this system")
    monkeypatch.setattr(kfbonus.beside, "can_fork", lambda: forked)


def _write(path: Path, text: str) -> int:
    path.write_text(text, encoding="utf-8")
    return os.getpid()


@FORK
def test_the_job_runs_in_another_process_while_this_one_goes_on(forked, tmp_path):
    target = tmp_path / "book.txt"
    with beside(lambda: _write(target, "审批汇总表"), "审批汇总表") as job:
        assert job.forked
        mine = os.getpid()
        pid = job.result()
    assert pid != mine and target.read_text(encoding="utf-8") == "审批汇总表"
    assert job.seconds > 0


def test_without_a_second_process_the_job_runs_when_asked(one_process, tmp_path):
    target = tmp_path / "book.txt"
    with beside(lambda: _write(target, "工资条"), "审批汇总表") as job:
        assert not job.forked and not target.exists()   # not yet: it runs at result()
        assert job.result() == os.getpid()
    assert target.read_text(encoding="utf-8") == "工资条"


def test_a_block_that_does_not_ask_still_gets_the_job_done(either, tmp_path):
    target = tmp_path / "x.txt"
    with beside(lambda: _write(target, "x"), "审批汇总表"):
        pass
    assert target.read_text(encoding="utf-8") == "x"


def _fail():
    raise OSError(28, "磁盘已满（测试）")


def test_the_jobs_exception_is_raised_here(either):
    with pytest.raises(OSError, match="磁盘已满") as caught, beside(_fail, "审批汇总表") as job:
        job.result()
    assert caught.value.errno == 28


class _Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("cannot pickle")


def _fail_oddly():
    raise _Unpicklable("奇怪的错误")


@FORK
def test_an_exception_that_cannot_travel_arrives_as_its_type_and_text(forked):
    with pytest.raises(RuntimeError, match="_Unpicklable: 奇怪的错误"), \
            beside(_fail_oddly, "审批汇总表") as job:
        job.result()


def _die():
    os.kill(os.getpid(), signal.SIGKILL)


@FORK
def test_a_child_that_is_killed_is_an_error_that_says_so(forked):
    with pytest.raises(ChildDied, match="审批汇总表：第二个进程意外结束（信号 9）"), \
            beside(_die, "审批汇总表") as job:
        job.result()


@FORK
def test_leaving_early_stops_the_child_and_waits_for_it(forked, tmp_path):
    t0 = time.perf_counter()
    with pytest.raises(KeyboardInterrupt), beside(lambda: time.sleep(30), "审批汇总表") as job:
        pid = job._pid
        raise KeyboardInterrupt
    assert time.perf_counter() - t0 < 10
    with pytest.raises(ChildProcessError):   # reaped: no zombie left behind
        os.waitpid(pid, os.WNOHANG)


def test_one_core_or_the_variable_keeps_one_process(monkeypatch):
    monkeypatch.setenv("KFBONUS_PROCESSES", "1")
    assert not kfbonus.beside.can_fork()
    monkeypatch.delenv("KFBONUS_PROCESSES")
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert not kfbonus.beside.can_fork()


# --- a month rendered both ways -------------------------------------------------------------

def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@FORK
def test_a_month_is_the_same_bytes_from_one_process_or_two(monkeypatch, tmp_path, capsys):
    from kfbonus import cli
    from tests.test_run_month import write_month

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    folder = write_month(tmp_path / "in")
    outputs = {}
    for can in (True, False):
        monkeypatch.setattr(kfbonus.beside, "can_fork", lambda can=can: can)
        out = tmp_path / f"out-{can}"
        assert cli.main(["2026-11", "--input", str(folder), "--output", str(out)]) == 0, capsys.readouterr()
        outputs[can] = _digest(out / "2026-11")
    assert outputs[True] == outputs[False]
    assert "审批汇总表_2026-11.xlsx" in outputs[True] and len(outputs[True]) > 4


def test_the_job_runs_once_and_a_failure_is_raised_every_time_it_is_asked(either, tmp_path):
    runs = tmp_path / "runs.txt"

    def count_then_fail():
        with runs.open("a", encoding="utf-8") as f:
            f.write("x")
        raise OSError(28, "磁盘已满（测试）")

    with pytest.raises(OSError), beside(count_then_fail, "审批汇总表") as job:
        for _ in range(2):
            with pytest.raises(OSError, match="磁盘已满"):
                job.result()
        job.result()
    assert runs.read_text(encoding="utf-8") == "x"


def test_award_lines_travel_back_with_their_facts_or_the_shared_empty_ones(either):
    from decimal import Decimal

    from kfbonus.model import NO_FACTS, AwardLine

    bare = AwardLine("1001", "张三", "collective", Decimal("12.34"), "公式", "第三条")
    told = AwardLine("1002", "李四", "collective", Decimal("5.00"), "公式", "第三条",
                     facts={"days": Decimal(3)})
    with beside(lambda: [bare, told], "测试") as job:
        back = job.result()
    assert back == [bare, told]
    assert back[0].facts is NO_FACTS and dict(back[1].facts) == {"days": Decimal(3)}


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads resident memory from /proc (Linux)")
def test_free_heap_pages_go_back_to_the_system_before_forking():
    """What the month let go of is not resident when the second process is forked: glibc
    keeps freed blocks of a busy heap resident until asked (malloc_trim)."""
    import ctypes

    def resident() -> int:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    libc = ctypes.CDLL(None)
    if not hasattr(libc, "malloc_trim"):
        assert kfbonus.beside.give_back_free_memory() is False
        return
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    blocks = [libc.malloc(4000) for _ in range(20_000)]   # 80 MB of blocks below mmap's threshold
    for b in blocks:
        ctypes.memset(b, 1, 4000)
    for b in blocks[:-1]:   # the last one keeps the heap's top in use: nothing is trimmed by itself
        libc.free(b)
    before = resident()
    assert kfbonus.beside.give_back_free_memory() is True
    after = resident()
    libc.free(blocks[-1])
    assert before - after > 40 * 2**20
