"""A month's life through the command (issue 5): run → approve → rerun refused →
corrections; a run killed mid-way; two runs at once; reproducible bytes; the year-end run.

Small months are built in code (``tests.test_run_month.write_month``: one project, three
workers) so every 补发/扣回 can be worked out by hand; the sample month serves the
reproducibility check; input_samples/make_sample.py generates the year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import importlib.util
import re
import shutil
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

import kfbonus.render
from kfbonus import cli
from kfbonus.ledger import Ledger
from kfbonus.lock import output_lock
from tests.test_run_month import write_month

KF = "FS-MS-KF-13"   # the scheme's id: its key in the ledger

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "input_samples" / "2026-11"
PERIOD = "2026-11"
CENT = Decimal("0.01")
NOT_A_RUN = {".kfbonus.lock", "ledger.sqlite", "logs"}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def month_args(folder: Path, out: Path, *extra: str) -> list[str]:
    return [PERIOD, "--input", str(folder), "--output", str(out), *extra]


def hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (hidden files and the ledger included)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def ledger_month(out: Path, period: str = PERIOD):
    if not (out / "ledger.sqlite").exists():
        return None
    with Ledger.open(out / "ledger.sqlite") as ledger:
        return ledger.month(KF, period)


def epoch(*args: int) -> str:
    return str(calendar.timegm(dt.datetime(*args).timetuple()))


def money(value) -> Decimal:
    return Decimal(str(value if value is not None else 0)).quantize(CENT)


def edit_settlement(src: Path, dst: Path, cells: dict[str, object]) -> Path:
    """Copy the month folder ``src`` to ``dst`` and change cells of 结算.xlsx › 结算单."""
    shutil.copytree(src, dst)
    wb = load_workbook(dst / "结算.xlsx")
    for ref, value in cells.items():
        wb["结算单"][ref] = value
    wb.save(dst / "结算.xlsx")
    return dst


@pytest.fixture
def small(tmp_path):
    """A fresh small month (1001 张三 10 days 3,000.00; 1002 李四 8 days 2,400.00; 1003 王五
    6 days 1,800.00 on GC-2611-01; 合计 row on row 5) and an output folder."""
    return write_month(tmp_path / "in"), tmp_path / "out"


# --- approval and the locked month ---------------------------------------------------------

def test_approve_then_rerun_is_refused_and_touches_nothing(capsys, monkeypatch, small):
    folder, out = small
    assert run(capsys, *month_args(folder, out))[0] == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(2026, 12, 5, 9, 30))
    code, stdout, _ = run(capsys, *month_args(folder, out, "--approve", "--by", "王经理"))
    assert code == 0
    assert "2026-11 已于 2026-12-05 09:30 由 王经理 批准" in stdout
    record = ledger_month(out)
    assert record.approved and record.approved_by == "王经理"
    book = out / PERIOD / "审批汇总表_2026-11.xlsx"
    assert record.approval_sha == hashlib.sha256(book.read_bytes()).hexdigest()

    before = hashes(out)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(2026, 12, 9, 8, 0))
    code, stdout, err = run(capsys, *month_args(folder, out))
    assert code == 1
    assert "2026-12-05 09:30" in stdout and "王经理" in stdout and "已锁定" in stdout
    assert "--correction" in stdout
    assert "Traceback" not in stdout + err
    assert hashes(out) == before, "a refused rerun changes no byte (outputs, ledger)"


def test_approve_names_the_run_it_approves(capsys, small):
    """The signed paper says 第 n 次运行 in its footer; approval says which run it locked."""
    folder, out = small
    assert run(capsys, *month_args(folder, out))[0] == 0
    assert run(capsys, *month_args(folder, out))[0] == 0     # a rerun replaces the draft: run 2
    code, stdout, _ = run(capsys, *month_args(folder, out, "--approve", "--by", "王经理"))
    assert code == 0 and "批准的是第 2 次运行的结果" in stdout
    footer = load_workbook(out / PERIOD / "审批汇总表_2026-11.xlsx")["汇总"].oddFooter.left.text
    assert "第 2 次运行" in footer


def test_approve_refused_when_an_output_was_changed(capsys, small):
    folder, out = small
    assert run(capsys, *month_args(folder, out))[0] == 0
    slip = out / PERIOD / "slips" / "1002_李四.html"
    slip.write_text(slip.read_text(encoding="utf-8").replace("李四", "李四四"), encoding="utf-8")
    code, stdout, _ = run(capsys, *month_args(folder, out, "--approve", "--by", "王经理"))
    assert code == 1
    assert "slips/1002_李四.html" in stdout and "不能批准" in stdout
    assert not ledger_month(out).approved


def test_approve_without_a_run_is_refused(capsys, small):
    folder, out = small
    code, stdout, _ = run(capsys, *month_args(folder, out, "--approve", "--by", "王经理"))
    assert code == 1 and "没有 2026-11 的记录" in stdout
    assert not (out / PERIOD).exists()


def test_correction_of_a_draft_is_refused(capsys, small):
    folder, out = small
    assert run(capsys, *month_args(folder, out))[0] == 0
    before = hashes(out)
    code, stdout, _ = run(capsys, *month_args(folder, out, "--correction", "补录"))
    assert code == 1 and "尚未批准" in stdout
    assert hashes(out) == before


# --- corrections ------------------------------------------------------------------------------

def correction_rows(path: Path) -> tuple[dict, dict]:
    """更正汇总 {工号: (补发, 扣回, 净额)} with its 合计, and 更正明细 {(工号, 奖项): (原, 后, 差, 类型)}."""
    wb = load_workbook(path, data_only=True)
    summary: dict = {}
    for r in wb["更正汇总"].iter_rows(values_only=True):
        if r[0] and (re.fullmatch(r"\d+", str(r[0])) or r[0] == "合计"):
            summary[str(r[0])] = tuple(money(v) for v in r[2:5])
    rows = list(wb["更正明细"].iter_rows(values_only=True))
    h = next(i for i, r in enumerate(rows) if r[0] == "工号")
    col = {name: i for i, name in enumerate(rows[h])}
    detail = {(str(r[0]), r[col["奖项"]]): (money(r[col["原批准金额"]]), money(r[col["更正后金额"]]),
                                           money(r[col["差额"]]), r[col["类型"]])
              for r in rows[h + 1:] if r[0] and r[0] != "合计"}
    return summary, detail


def test_corrections_after_approval(capsys, small, tmp_path):
    folder, out = small
    assert run(capsys, *month_args(folder, out))[0] == 0
    assert run(capsys, *month_args(folder, out, "--approve", "--by", "王经理"))[0] == 0
    approved = hashes(out / PERIOD)

    # Correction 01: 1001's 个人工期天数 10 → 6 (B2 is 工号, E2 the days; the 合计 row 24 → 20).
    # As approved: 总分 (95 + 90 + 88 + 91) ÷ 4 = 91; pool 0.91 × 7,200.00 × 15% = 982.80;
    #   Σdays 24 → 982.80 ÷ 24 = 40.95 a day: 1001 409.50, 1002 327.60, 1003 245.70.
    # Corrected: the pool is unchanged (wages unchanged), Σdays 20 → 49.14 a day:
    #   1001 6 × 49.14 = 294.84 (−114.66 扣回), 1002 8 × 49.14 = 393.12 (+65.52 补发),
    #   1003 6 × 49.14 = 294.84 (+49.14 补发); net 0.00.  The individual award (5% × 7,200.00
    #   = 360.00) and everything else do not change.
    fixed = edit_settlement(folder, tmp_path / "in-01", {"E2": 6, "E5": 20})
    code, stdout, err = run(capsys, *month_args(fixed, out, "--correction", "补录"))
    assert code == 0, stdout + err
    assert "更正第 01 号" in stdout
    book = out / PERIOD / "更正_01" / "更正单_2026-11_01.xlsx"
    summary, detail = correction_rows(book)
    D = Decimal
    assert summary == {
        "1001": (D("0.00"), D("-114.66"), D("-114.66")),
        "1002": (D("65.52"), D("0.00"), D("65.52")),
        "1003": (D("49.14"), D("0.00"), D("49.14")),
        "合计": (D("114.66"), D("-114.66"), D("0.00")),
    }
    assert detail == {
        ("1001", "集体奖"): (D("409.50"), D("294.84"), D("-114.66"), "扣回"),
        ("1002", "集体奖"): (D("327.60"), D("393.12"), D("65.52"), "补发"),
        ("1003", "集体奖"): (D("245.70"), D("294.84"), D("49.14"), "补发"),
    }
    assert {p.name for p in (out / PERIOD / "更正_01" / "slips").iterdir()} == {
        "1001_张三.html", "1002_李四.html", "1003_王五.html"}
    after = hashes(out / PERIOD)
    assert {k: v for k, v in after.items() if not k.startswith("更正_01/")} == approved
    assert ledger_month(out).revision == 1

    # Correction 02, relative to 01: also 1003's 计件工资 1,800.00 → 2,400.00 (F4; 合计 F5 7,800).
    #   Pool 0.91 × 7,800.00 × 15% = 1,064.70; Σdays 20 → 53.235 a day: 1001 6 × = 319.41
    #   (+24.57 on 294.84), 1002 8 × = 425.88 (+32.76 on 393.12), 1003 6 × = 319.41 (+24.57).
    #   Individual: 5% × 7,800.00 = 390.00, one nominee (1001): +30.00 on 360.00.
    #   补发 24.57 + 30.00 + 32.76 + 24.57 = 111.90, nothing 扣回.
    fixed2 = edit_settlement(fixed, tmp_path / "in-02", {"F4": 2400, "F5": 7800})
    code, stdout, err = run(capsys, *month_args(fixed2, out, "--correction", "结算单更正"))
    assert code == 0, stdout + err
    summary, detail = correction_rows(out / PERIOD / "更正_02" / "更正单_2026-11_02.xlsx")
    assert summary == {
        "1001": (D("54.57"), D("0.00"), D("54.57")),
        "1002": (D("32.76"), D("0.00"), D("32.76")),
        "1003": (D("24.57"), D("0.00"), D("24.57")),
        "合计": (D("111.90"), D("0.00"), D("111.90")),
    }
    assert detail == {
        ("1001", "集体奖"): (D("294.84"), D("319.41"), D("24.57"), "补发"),
        ("1001", "个人奖"): (D("360.00"), D("390.00"), D("30.00"), "补发"),
        ("1002", "集体奖"): (D("393.12"), D("425.88"), D("32.76"), "补发"),
        ("1003", "集体奖"): (D("294.84"), D("319.41"), D("24.57"), "补发"),
    }
    final = hashes(out / PERIOD)
    assert {k: v for k, v in final.items() if not k.startswith("更正_02/")} == after
    assert ledger_month(out).revision == 2
    # still locked: a plain rerun is refused
    assert run(capsys, *month_args(fixed2, out))[0] == 1


# --- a run that fails mid-way -----------------------------------------------------------------

def _boom(*args, **kwargs):
    raise OSError("磁盘已满（测试）")


def _assert_failed_cleanly(code: int, stdout: str, err: str) -> None:
    assert code == 3
    assert "Traceback" not in stdout + err
    assert len(err.strip().splitlines()) == 1, err
    log = Path(re.search(r"记录在 (\S+)", err).group(1))
    assert "磁盘已满（测试）" in log.read_text(encoding="utf-8")


@pytest.mark.parametrize("stage", ["write_slips", "write_strips"])
def test_a_run_killed_mid_way_leaves_nothing(capsys, monkeypatch, small, stage):
    folder, out = small
    monkeypatch.setattr(kfbonus.render, stage, _boom)
    code, stdout, err = run(capsys, *month_args(folder, out))
    _assert_failed_cleanly(code, stdout, err)
    assert not (out / PERIOD).exists()
    assert {p.name for p in out.iterdir()} <= NOT_A_RUN, "no temporary folder left, hidden or not"
    assert ledger_month(out) is None

    monkeypatch.undo()
    assert run(capsys, *month_args(folder, out))[0] == 0
    assert (out / PERIOD / "slips" / "全部.html").is_file()
    assert ledger_month(out) is not None


def test_a_failed_rerun_keeps_the_previous_draft(capsys, monkeypatch, small, tmp_path):
    folder, out = small
    assert run(capsys, *month_args(folder, out))[0] == 0
    draft = hashes(out / PERIOD)
    ledger_before = (out / "ledger.sqlite").read_bytes()
    changed = edit_settlement(folder, tmp_path / "in-2", {"E2": 6, "E5": 20})
    monkeypatch.setattr(kfbonus.render, "write_slips", _boom)
    code, stdout, err = run(capsys, *month_args(changed, out))
    _assert_failed_cleanly(code, stdout, err)
    assert hashes(out / PERIOD) == draft
    assert (out / "ledger.sqlite").read_bytes() == ledger_before
    assert {p.name for p in out.iterdir()} <= NOT_A_RUN | {PERIOD}


# --- two runs at once -------------------------------------------------------------------------

def test_a_second_run_on_the_same_output_is_refused(capsys, small):
    folder, out = small
    with output_lock(out):
        code, stdout, err = run(capsys, *month_args(folder, out))
    assert code == 1
    assert "另一个运行正在处理该输出目录" in stdout
    assert "Traceback" not in stdout + err
    assert not (out / PERIOD).exists()
    assert run(capsys, *month_args(folder, out))[0] == 0   # the lock is gone with its holder


# --- reproducibility --------------------------------------------------------------------------

def test_two_runs_give_identical_bytes(capsys, monkeypatch, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(SAMPLE, folder)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(2026, 12, 1, 8, 0))
    outs = [tmp_path / "out1", tmp_path / "out2"]
    for i, out in enumerate(outs):
        if i:
            time.sleep(1.05)   # a different wall-clock second: only SOURCE_DATE_EPOCH may show
        assert run(capsys, *month_args(folder, out))[0] == 0
    first, second = hashes(outs[0]), hashes(outs[1])
    assert "ledger.sqlite" in first and "2026-11/审批汇总表_2026-11.xlsx" in first
    assert len(first) > 30
    assert first == second       # every output, and the ledger too


# --- the year-end run -------------------------------------------------------------------------

YEAR_MONTHS = [f"2026-{m:02d}" for m in range(3, 9)]     # six months: annual.min_months
INCIDENTS = {
    "2026-03": [{"date": dt.date(2026, 3, 12), "type": "安全事故", "project": 1, "worker": None,
                 "note": "高处坠落轻伤"}],
    "2026-08": [{"date": dt.date(2026, 8, 20), "type": "质量投诉", "project": 4, "worker": None,
                 "note": "用户投诉漏水"}],
}


@pytest.fixture(scope="module")
def make_sample():
    """input_samples/make_sample.py, loaded from its file (input_samples is not a package)."""
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "input_samples" / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_sample", module)   # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def year(tmp_path_factory, make_sample):
    """March–August 2026 generated and run (a 安全事故 on GC-2603-01, a 质量投诉 on
    GC-2608-04), and a December folder for the year-end run's roster; timed."""
    base = tmp_path_factory.mktemp("year")
    started = time.perf_counter()
    for period in YEAR_MONTHS:
        make_sample.make_month(base / "in" / period, period, incidents=INCIDENTS.get(period, []))
        assert cli.main([period, "--input", str(base / "in" / period), "--output", str(base / "out")]) == 0
        # the year-end run counts approved months only (SCHEME.md §5)
        assert cli.main([period, "--approve", "--by", "王经理", "--output", str(base / "out")]) == 0
    make_sample.make_month(base / "in" / "2026", "2026-12", incidents=[])
    return {"base": base, "out": base / "out", "annual_in": base / "in" / "2026",
            "seconds": time.perf_counter() - started}


def crews(make_sample, period: str) -> dict[str, set[int]]:
    """工程编号 → 工号 of the generator's plan for the month (independent of kfbonus)."""
    projects, _ = make_sample.plan_month(period, make_sample.DEFAULT_SEED)
    return {p.pid: {line.wid for line in p.lines} for p in projects}


def test_year_end_run(capsys, year, make_sample):
    started = time.perf_counter()
    code, stdout, err = run(capsys, "2026", "--annual", "--input", str(year["annual_in"]),
                            "--output", str(year["out"]))
    annual_seconds = time.perf_counter() - started
    assert code == 0, stdout + err
    print(f"year fixture {year['seconds']:.1f} s, annual run {annual_seconds:.2f} s")
    assert year["seconds"] + annual_seconds < 20

    # months not in the ledger are warned about
    for m in ("01", "02", "09", "10", "11", "12"):
        assert re.search(rf"annual-month-missing\s+账本中没有 2026-{m} ", stdout), m
    assert "annual-month-missing  账本中没有 2026-05" not in stdout

    wb = load_workbook(year["out"] / "2026" / "审批汇总表_2026.xlsx", data_only=True)
    rows = list(wb["汇总"].iter_rows(values_only=True))
    h = next(i for i, r in enumerate(rows) if r[0] == "工号")
    header = list(rows[h])
    assert {"年度安全奖", "年度质量奖", "合计"} <= set(header)
    summary = {str(r[0]): dict(zip(header, r, strict=True)) for r in rows[h + 1:]
               if r[0] and re.fullmatch(r"\d+", str(r[0]))}
    unpaid_rows = list(wb["未发放"].iter_rows(values_only=True))
    uh = next(i for i, r in enumerate(unpaid_rows) if r[0] == "工号")
    unpaid = [dict(zip(unpaid_rows[uh], r, strict=True)) for r in unpaid_rows[uh + 1:] if r[0] != "合计"]

    plans = {p: crews(make_sample, p) for p in YEAR_MONTHS}
    # 1001 陈国栋 was on GC-2603-01, the project of the March 安全事故: no safety award,
    # the reason names the incident.
    assert 1001 in plans["2026-03"]["GC-2603-01"]
    assert money(summary["1001"]["年度安全奖"]) == 0
    reason = next(r["原因"] for r in unpaid if str(r["工号"]) == "1001" and r["奖项"] == "年度安全奖")
    assert "安全事故" in reason and "GC-2603-01" in reason

    # 1029 马俊峰 is clean: in each of the six months he is on slots 05 and 09 only (never on
    # GC-2603-01 or GC-2608-04), so he worked 6 months ≥ annual.min_months; 05 is scored
    # 质量 95 and 91 (two inspectors → 93) every month and 09 is never scored, so his mean
    # 质量得分 is 93 ≥ 90 → 1,000.00 safety + 1,000.00 quality = 2,000.00.
    for period, crew in plans.items():
        on = sorted(pid[-2:] for pid, members in crew.items() if 1029 in members)
        assert on == ["05", "09"], (period, on)
    assert make_sample.SCORES[5] == (("质安员 何工", 94, 95, 90, 96), ("甲方质检员", 92, 91, 94, 90))
    assert 9 not in make_sample.SCORES
    assert tuple(money(summary["1029"][c]) for c in ("年度安全奖", "年度质量奖", "合计")) == (
        Decimal("1000.00"), Decimal("1000.00"), Decimal("2000.00"))

    # 1015 冯志刚 was on GC-2608-04, the project of the August 质量投诉: no quality award.
    assert 1015 in plans["2026-08"]["GC-2608-04"]
    assert money(summary["1015"]["年度质量奖"]) == 0
    reason = next(r["原因"] for r in unpaid if str(r["工号"]) == "1015" and r["奖项"] == "年度质量奖")
    assert "质量投诉" in reason and "GC-2608-04" in reason

    # 1008 郑家豪 is on slots 03 (质量 94) and 07 (质量 82) every month: mean 88 < 90.
    for crew in plans.values():
        assert sorted(pid[-2:] for pid, m in crew.items() if 1008 in m) == ["03", "07"]
    assert money(summary["1008"]["年度质量奖"]) == 0
    reason = next(r["原因"] for r in unpaid if str(r["工号"]) == "1008" and r["奖项"] == "年度质量奖")
    assert "88" in reason and "90" in reason


def test_year_end_plan_is_approved_and_then_locked(capsys, year):
    args = ("2026", "--annual", "--input", str(year["annual_in"]), "--output", str(year["out"]))
    assert run(capsys, *args)[0] == 0
    code, stdout, _ = run(capsys, "2026", "--annual", "--approve", "--by", "总经理",
                          "--output", str(year["out"]))
    assert code == 0 and "总经理" in stdout and "批准" in stdout
    before = hashes(year["out"])
    code, stdout, _ = run(capsys, *args)
    assert code == 1 and "已锁定" in stdout
    assert hashes(year["out"]) == before


def test_correction_without_any_change_writes_nothing(capsys, small):
    folder, out = small
    assert run(capsys, *month_args(folder, out))[0] == 0
    assert run(capsys, *month_args(folder, out, "--approve", "--by", "王经理"))[0] == 0
    before = hashes(out)
    code, stdout, _ = run(capsys, *month_args(folder, out, "--correction", "复核"))
    assert code == 0 and "无需更正" in stdout
    assert hashes(out) == before
    assert not list((out / PERIOD).glob("更正_*"))
