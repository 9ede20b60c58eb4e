"""render_month writes the approval workbook in a forked child on big months: same bytes,
and a failure on either side is raised here, never lost or left running."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time

import pytest

import kfbonus.render as render
from tests.result_factory import make_result

AT = dt.datetime(2026, 12, 1, 9, 0)
pytestmark = pytest.mark.skipif("fork" not in render.mp.get_all_start_methods(), reason="no fork here")


def digest(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_parallel_and_sequential_write_the_same_bytes(tmp_path, monkeypatch):
    result = make_result()
    render.render_month(result, tmp_path / "seq", generated_at=AT)
    monkeypatch.setattr(render, "PARALLEL_MIN_LINES", 0)
    render.render_month(result, tmp_path / "par", generated_at=AT)
    assert digest(tmp_path / "seq") == digest(tmp_path / "par")
    assert (tmp_path / "par" / render.approval_name(result.period)).stat().st_size > 0


def test_a_failure_in_the_child_is_raised_here(tmp_path, monkeypatch):
    def broken(*args):
        raise ValueError("工作簿写入失败")

    monkeypatch.setattr(render, "PARALLEL_MIN_LINES", 0)
    monkeypatch.setattr(render, "write_approval_workbook", broken)
    with pytest.raises(ValueError, match="工作簿写入失败"):
        render.render_month(make_result(), tmp_path / "o", generated_at=AT)


def test_a_child_that_dies_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "PARALLEL_MIN_LINES", 0)
    monkeypatch.setattr(render, "write_approval_workbook", lambda *a: os._exit(7))
    with pytest.raises(render.RenderChildError, match="7"):
        render.render_month(make_result(), tmp_path / "o", generated_at=AT)


def test_a_failure_here_stops_the_child(tmp_path, monkeypatch):
    pid_file = tmp_path / "child.pid"

    def slow(*args):
        pid_file.write_text(str(os.getpid()))
        time.sleep(60)

    def broken(*args, **kwargs):
        while not pid_file.exists():
            time.sleep(0.01)
        raise RuntimeError("工资条写入失败")

    monkeypatch.setattr(render, "PARALLEL_MIN_LINES", 0)
    monkeypatch.setattr(render, "write_approval_workbook", slow)
    monkeypatch.setattr(render, "write_strips", broken)
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="工资条写入失败"):
        render.render_month(make_result(), tmp_path / "o", generated_at=AT)
    assert time.monotonic() - started < 30
    child = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)
