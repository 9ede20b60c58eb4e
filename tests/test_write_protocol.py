"""How a month is written (kfbonus.outputs, issue 9 items 2–4, issue 10 item 2): whatever fails
or kills the run — rendering, recording, moving, a file open in Excel/WPS, an input saved
meanwhile — the ledger afterwards describes exactly the files on disk, leftovers are
cleaned by the next run, which says what happened, and the next --approve works.

Each test first runs the small month (tests.test_run_month.write_month), then reruns it
with changed inputs so that the new results differ from the draft on disk.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

import kfbonus.ledger
import kfbonus.outputs
import kfbonus.render
import kfbonus.schemes.kf13.workbook
from kfbonus import cli
from kfbonus.ledger import Ledger
from tests.test_lifecycle import edit_settlement
from tests.test_run_month import write_month

ROOT = Path(__file__).resolve().parents[1]
PERIOD = "2026-11"
KF = "FS-MS-KF-13"   # the scheme's id: its key in the ledger
BOOK = "审批汇总表_2026-11.xlsx"
NOT_A_RUN = {".kfbonus.lock", "ledger.sqlite", "logs", PERIOD}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def args(folder: Path, out: Path, *extra: str) -> list[str]:
    return [PERIOD, "--input", str(folder), "--output", str(out), *extra]


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def recorded(out: Path):
    with Ledger.open(out / "ledger.sqlite") as ledger:
        return ledger.month(KF, PERIOD), ledger.verify_outputs(KF, PERIOD, out / PERIOD)


def assert_agrees(out: Path, draft: dict[str, str] | None = None) -> None:
    """The ledger describes the folder on disk; nothing else (hidden or not) is left beside it."""
    record, mismatches = recorded(out)
    assert record is not None and not mismatches, mismatches
    assert {p.name for p in out.iterdir()} <= NOT_A_RUN, sorted(p.name for p in out.iterdir())
    assert not list((out / PERIOD).glob(".*"))
    if draft is not None:
        assert digest(out / PERIOD) == draft


def assert_approves(capsys, folder: Path, out: Path) -> str:
    code, stdout, err = run(capsys, *args(folder, out, "--approve", "--by", "王经理"))
    assert code == 0, stdout + err
    assert "修改过" not in stdout + err and "不一致" not in stdout + err
    return stdout


@pytest.fixture
def month(capsys, tmp_path):
    """(input folder, changed input folder, output folder, the draft's file digests)."""
    folder = write_month(tmp_path / "in")
    changed = edit_settlement(folder, tmp_path / "in-2", {"E2": 6, "E5": 20})
    out = tmp_path / "out"
    assert run(capsys, *args(folder, out))[0] == 0
    return folder, changed, out, digest(out / PERIOD)


# --- an input saved during the run (issue 9 item 2) --------------------------------------------

def test_an_input_changed_between_read_and_record_stops_the_run(capsys, monkeypatch, month):
    folder, changed, out, draft = month
    ledger_before = (out / "ledger.sqlite").read_bytes()
    real_render = kfbonus.render.render_month

    def render_then_colleague_saves(*a, **kw):
        written = real_render(*a, **kw)
        with open(changed / "结算.xlsx", "ab") as fh:    # a colleague saves the workbook
            fh.write(b"\0")
        return written

    monkeypatch.setattr(kfbonus.render, "render_month", render_then_colleague_saves)
    code, stdout, err = run(capsys, *args(changed, out))
    assert code == 1, stdout + err
    assert "结算.xlsx" in stdout and "在运行过程中被修改" in stdout and "本次结果未写入" in stdout
    assert (out / "ledger.sqlite").read_bytes() == ledger_before
    assert_agrees(out, draft)
    assert_approves(capsys, folder, out)


# --- a failure at every step (issue 9 item 3) ---------------------------------------------------

def _boom(*a, **kw):
    raise OSError("磁盘已满（测试）")


def _fail_render(monkeypatch):
    monkeypatch.setattr(kfbonus.schemes.kf13.workbook, "write_approval_workbook", _boom)


def _fail_hash(monkeypatch):
    monkeypatch.setattr(kfbonus.ledger, "hash_outputs", _boom)


def _fail_record(monkeypatch):
    monkeypatch.setattr(Ledger, "_insert_outputs", _boom)


def _fail_rename(which: int):
    def patch(monkeypatch):
        real = Path.rename
        calls = []

        def rename(self, dst):
            calls.append(self)
            if len(calls) == which:
                raise PermissionError(13, "另一个程序正在使用此文件，进程无法访问。", str(self))
            return real(self, dst)

        monkeypatch.setattr(Path, "rename", rename)
        monkeypatch.setattr(kfbonus.outputs, "RENAME_TRIES", 1)
    return patch


def _fail_commit(monkeypatch):
    real = Ledger.transaction

    @contextmanager
    def transaction(self):
        with real(self) as conn:
            yield conn
            raise OSError("磁盘已满（测试）")   # as if COMMIT failed: rolled back

    monkeypatch.setattr(Ledger, "transaction", transaction)


STEPS = {
    "render": (_fail_render, 3, "意外错误"),
    "hash": (_fail_hash, 3, "意外错误"),
    "record": (_fail_record, 3, "意外错误"),
    "move-old-aside": (_fail_rename(1), 1, "正在被 Excel 或 WPS 打开"),
    "move-new-in": (_fail_rename(2), 1, "正在被 Excel 或 WPS 打开"),
    "commit": (_fail_commit, 3, "意外错误"),
}


@pytest.mark.parametrize("step", list(STEPS))
def test_a_failure_at_any_step_keeps_the_draft_and_the_ledger(capsys, monkeypatch, month, step):
    folder, changed, out, draft = month
    ledger_before = (out / "ledger.sqlite").read_bytes()
    patch, exit_code, words = STEPS[step]
    patch(monkeypatch)
    code, stdout, err = run(capsys, *args(changed, out))
    assert code == exit_code, stdout + err
    assert words in stdout + err and "Traceback" not in stdout + err
    if exit_code == 1:   # the message names the workbook where the user sees it
        assert f"「{out / PERIOD / BOOK}」" in stdout
    monkeypatch.undo()
    assert (out / "ledger.sqlite").read_bytes() == ledger_before
    assert_agrees(out, draft)
    assert_approves(capsys, folder, out)


def test_a_backup_that_cannot_be_removed_is_cleaned_by_the_next_run(capsys, monkeypatch, month):
    _, changed, out, _ = month
    monkeypatch.setattr(kfbonus.outputs, "_remove", lambda folder: False)
    assert run(capsys, *args(changed, out))[0] == 0
    monkeypatch.undo()
    assert list(out.glob(f".{PERIOD}.old-*")), "the backup stayed (the step that could not remove it)"
    stdout = assert_approves(capsys, changed, out)
    assert "上次运行已完成并记入账本" in stdout
    assert_agrees(out)


# --- a file open in Excel / WPS (issue 10 item 2) -----------------------------------------------

def test_an_excel_lock_file_refuses_rerun_approve_and_correction(capsys, month):
    folder, changed, out, draft = month
    lock = out / PERIOD / f"~${BOOK}"
    lock.write_bytes(b"\0" * 165)
    ledger_before = (out / "ledger.sqlite").read_bytes()
    for extra in ((), ("--approve", "--by", "王经理")):
        code, stdout, err = run(capsys, *args(changed, out, *extra))
        assert code == 1, stdout + err
        assert BOOK in stdout and "Excel" in stdout and "WPS" in stdout and "关闭" in stdout
        assert (out / "ledger.sqlite").read_bytes() == ledger_before
    lock.unlink()
    assert_agrees(out, draft)
    assert_approves(capsys, folder, out)
    approved = digest(out / PERIOD)
    lock.write_bytes(b"\0" * 165)
    code, stdout, _ = run(capsys, *args(changed, out, "--correction", "补录"))
    assert code == 1 and BOOK in stdout and "关闭" in stdout
    lock.unlink()
    assert digest(out / PERIOD) == approved
    code, stdout, _ = run(capsys, *args(changed, out, "--correction", "补录"))
    assert code == 0 and (out / PERIOD / "更正_01").is_dir()


def test_a_correction_whose_move_is_refused_writes_nothing(capsys, monkeypatch, month):
    folder, changed, out, _ = month
    assert_approves(capsys, folder, out)
    approved, ledger_before = digest(out / PERIOD), (out / "ledger.sqlite").read_bytes()
    _fail_rename(1)(monkeypatch)
    code, stdout, _ = run(capsys, *args(changed, out, "--correction", "补录"))
    assert code == 1 and "正在被 Excel 或 WPS 打开" in stdout
    monkeypatch.undo()
    assert digest(out / PERIOD) == approved
    assert (out / "ledger.sqlite").read_bytes() == ledger_before


# --- a kill at each step, then the next command (issue 9 items 3–4) -----------------------------

def die_at(step: str, *argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KFBONUS_TEST_DIE_AT": step}
    return subprocess.run([sys.executable, "run_month.py", *argv], cwd=ROOT, env=env,
                          capture_output=True, timeout=120)


KILLS = {   # step → (the draft approved afterwards is the new run's, what the next run says)
    "rendered": (False, "已清除上次中断的运行留下的临时文件夹"),
    "recorded": (False, "已清除上次中断的运行留下的临时文件夹"),
    "moved-old": (False, "已恢复到上一次的结果"),
    "moved": (False, "已恢复到上一次的结果"),
    "committed": (True, "上次运行已完成并记入账本"),
}


@pytest.mark.parametrize("step", list(KILLS))
def test_a_rerun_killed_at_any_step_then_approve(capsys, month, step):
    folder, changed, out, draft = month
    proc = die_at(step, *args(changed, out))
    assert proc.returncode == 9, proc.stderr.decode(errors="replace")
    new_is_in, says = KILLS[step]
    stdout = assert_approves(capsys, folder, out)
    assert says in stdout
    assert_agrees(out)
    record, _ = recorded(out)
    assert record.approved
    if not new_is_in:
        assert digest(out / PERIOD) == draft


@pytest.mark.parametrize("step", ["recorded", "moved", "committed"])
def test_a_first_run_killed_at_any_step_leaves_no_result_the_ledger_lacks(capsys, tmp_path, step):
    folder, out = write_month(tmp_path / "in"), tmp_path / "out"
    assert die_at(step, *args(folder, out)).returncode == 9
    code, stdout, err = run(capsys, *args(folder, out))
    assert code == 0, stdout + err
    assert_agrees(out)
    if step == "moved":
        assert "此前没有结果" in stdout


@pytest.mark.parametrize("step", ["rendered", "moved", "committed"])
def test_a_correction_killed_at_any_step(capsys, month, step):
    folder, changed, out, _ = month
    assert_approves(capsys, folder, out)
    assert die_at(step, *args(changed, out, "--correction", "补录")).returncode == 9
    code, stdout, err = run(capsys, *args(changed, out, "--correction", "补录"))
    if step == "committed":     # correction 01 is in the ledger: 02 finds nothing new
        assert code == 0 and "无需更正" in stdout
    else:
        assert code == 0 and "更正第 01 号" in stdout, stdout + err
    with Ledger.open(out / "ledger.sqlite") as ledger:
        assert ledger.month(KF, PERIOD).revision == 1
        assert not ledger.verify_outputs(KF, PERIOD, out / PERIOD)
    assert sorted(p.name for p in (out / PERIOD).iterdir() if p.is_dir()) == ["slips", "更正_01"]


# --- a stale temporary folder -----------------------------------------------------------------

def test_a_stale_temporary_folder_is_removed_and_said(capsys, month):
    folder, _, out, draft = month
    stale = out / f".{PERIOD}.tmp-99999"
    stale.mkdir()
    (stale / BOOK).write_bytes(b"PK looks complete")
    (out / PERIOD / ".correction.tmp-99998").mkdir()
    stdout = assert_approves(capsys, folder, out)
    assert "已清除上次中断的运行留下的临时文件夹" in stdout and stale.name in stdout
    assert_agrees(out, draft)


def test_temporary_and_backup_folders_are_hidden_on_windows_and_results_never(capsys, monkeypatch, month):
    """Windows does not hide dot-names: the hidden attribute is set on the temporary and backup
    folders and cleared from the new folder before it becomes the month (recorded here)."""
    _, changed, out, _ = month
    calls: list[tuple[str, bool | None]] = []
    real_rename = Path.rename

    def set_hidden(folder, hidden):
        calls.append((folder.name, hidden))

    def rename(self, dst):
        calls.append((f"→{Path(dst).name}", None))
        return real_rename(self, dst)

    monkeypatch.setattr(kfbonus.outputs, "_set_hidden", set_hidden)
    monkeypatch.setattr(Path, "rename", rename)
    assert run(capsys, *args(changed, out))[0] == 0
    pid = os.getpid()
    assert calls == [(f".{PERIOD}.tmp-{pid}", True), (f"→.{PERIOD}.old-{pid}", None),
                     (f".{PERIOD}.old-{pid}", True), (f".{PERIOD}.tmp-{pid}", False), (f"→{PERIOD}", None)]


@pytest.mark.parametrize("committed", [False, True], ids=["before-ledger", "after-ledger"])
def test_a_discard_that_died_is_settled_by_the_ledger(capsys, month, committed):
    """--discard moves the folder to .<period>.discard-<pid>, deletes the ledger entry, then the
    folder: killed before the ledger, the folder comes back; after, the aside folder goes."""
    folder, _, out, draft = month
    aside = out / f".{PERIOD}.discard-99999"
    (out / PERIOD).rename(aside)
    if committed:
        with Ledger.open(out / "ledger.sqlite") as ledger:
            ledger.discard(KF, PERIOD)
        code, stdout, _ = run(capsys, *args(folder, out, "--approve", "--by", "王经理"))
        assert code == 1 and "已删除" in stdout and "没有 2026-11 的记录" in stdout
        assert not aside.exists() and not (out / PERIOD).exists()
    else:
        stdout = assert_approves(capsys, folder, out)
        assert "已恢复文件夹" in stdout
        assert_agrees(out, draft)
