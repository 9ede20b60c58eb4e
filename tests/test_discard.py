"""--discard (issue 8 item 6): a month computed by mistake is removed while a draft — its
output folder and its ledger entry — after the command says what it removes; an approved
month, a month not in the ledger and a folder held by another run are refused (exit 1)."""

from __future__ import annotations

import re

import pytest

from kfbonus import cli
from kfbonus.ledger import Ledger
from kfbonus.lock import output_lock
from tests.test_lifecycle import hashes
from tests.test_run_month import write_month

KF = "FS-MS-KF-13"   # the scheme's id: its key in the ledger


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def month(tmp_path):
    """A small month run as a draft into tmp/out (from tests.test_run_month)."""
    folder = write_month(tmp_path / "in")
    out = tmp_path / "out"
    assert cli.main(["2026-11", "--input", str(folder), "--output", str(out)]) == 0
    return folder, out


def periods(out) -> list[str]:
    with Ledger.open(out / "ledger.sqlite") as ledger:
        return ledger.periods(KF)


def test_discard_says_what_it_removes_then_removes_it(capsys, month):
    folder, out = month
    capsys.readouterr()
    with Ledger.open(out / "ledger.sqlite") as ledger:
        record = ledger.month(KF, "2026-11")
        lines = ledger.lines(KF, "2026-11")
    code, stdout, err = run(capsys, "2026-11", "--discard", "--output", str(out))
    assert code == 0 and err == ""
    assert stdout.startswith("撤销草稿 2026-11，将删除：\n")
    assert f"  输出文件夹 {out / '2026-11'}\n" in stdout
    assert (f"  账本记录：运行于 {record.run_at:%Y-%m-%d %H:%M}，"
            "规则 FS-MS-KF-13 A/2，考核日 2026-11-30\n") in stdout
    assert "  输入文件 5 个\n    人员名册.xlsx\n" in stdout
    total = sum(x.amount for x in lines)
    assert re.search(rf"  明细 {len(lines)} 行，合计 {total:,.2f}\n", stdout)
    assert stdout.endswith("已撤销 2026-11：输出文件夹和账本记录均已删除。\n")
    assert not (out / "2026-11").exists() and periods(out) == []
    assert not [p for p in out.iterdir() if p.name.startswith(".2026-11")]   # nothing left aside
    # the month can be run again
    assert run(capsys, "2026-11", "--input", str(folder), "--output", str(out))[0] == 0


def test_discard_of_an_approved_month_is_refused_untouched(capsys, month):
    _, out = month
    assert run(capsys, "2026-11", "--approve", "--by", "王经理", "--output", str(out))[0] == 0
    before = hashes(out)
    code, stdout, _ = run(capsys, "2026-11", "--discard", "--output", str(out))
    assert code == 1 and "由 王经理 批准，已锁定，不能撤销；本次未改动任何文件。" in stdout
    assert "如需更正，请运行：python run_month.py 2026-11 --correction 更正原因 --output" in stdout
    assert hashes(out) == before


def test_discard_of_a_month_not_in_the_ledger(capsys, month):
    _, out = month
    before = hashes(out)
    code, stdout, _ = run(capsys, "2026-10", "--discard", "--output", str(out))
    assert code == 1 and "没有 2026-10 的记录" in stdout
    assert hashes(out) == before


def test_discard_waits_for_no_one(capsys, month):
    _, out = month
    with output_lock(out):
        code, stdout, _ = run(capsys, "2026-11", "--discard", "--output", str(out))
    assert code == 1 and "另一个运行" in stdout
    assert (out / "2026-11").is_dir() and periods(out) == ["2026-11"]


def test_discard_when_the_folder_was_already_deleted(capsys, month):
    import shutil

    _, out = month
    shutil.rmtree(out / "2026-11")
    code, stdout, _ = run(capsys, "2026-11", "--discard", "--output", str(out))
    assert code == 0 and "（已不存在）" in stdout and periods(out) == []


def test_a_ledger_failure_puts_the_folder_back(capsys, month, monkeypatch):
    _, out = month
    before = hashes(out / "2026-11")

    def broken(self, period):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Ledger, "discard", broken)
    code, _, err = run(capsys, "2026-11", "--discard", "--output", str(out))
    assert code == 3 and "意外错误" in err
    assert hashes(out / "2026-11") == before and periods(out) == ["2026-11"]


def test_year_end_draft_is_discarded_too(capsys, month):
    folder, out = month
    assert run(capsys, "2026", "--annual", "--input", str(folder), "--output", str(out))[0] == 0
    code, stdout, _ = run(capsys, "2026", "--annual", "--discard", "--output", str(out))
    assert code == 0 and stdout.startswith("撤销草稿 2026 年度方案，将删除：")
    assert not (out / "2026").exists() and periods(out) == ["2026-11"]
    assert (out / "2026-11").is_dir()


def test_discard_without_a_ledger_creates_nothing(capsys, tmp_path):
    code, stdout, _ = run(capsys, "2026-11", "--discard", "--output", str(tmp_path / "out"))
    assert code == 1 and "无需撤销" in stdout
    assert not (tmp_path / "out").exists()


def test_version_exits_0(capsys):
    code, stdout, _ = run(capsys, "--version")
    assert code == 0 and stdout.startswith("kfbonus ")
