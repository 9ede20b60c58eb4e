"""The sample month holds both schemes' tables (input_samples/2026-11): one command gives
both results, each in its own folder and ledger entry (COMMISSION.md, "Outputs").

FS-MS-KF-13's figures are checked to the fen in tests/test_sample_month.py on the same folder;
here: the commission scheme's 汇总 and 加盟商 sheets against the hand-worked figures of
tests/expected_commission.py, the two folders and ledger entries, the warnings, --scheme, and
approving both.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kfbonus import cli
from kfbonus.ledger import Ledger
from tests.expected_commission import DEALERS, SUMMARY, TOTAL

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "input_samples" / "2026-11"
PERIOD = "2026-11"
COMMISSION = f"{PERIOD}_业绩提成"
HEADER = ["工号", "姓名", "岗位", "底薪", "客服提成", "销售提成", "其他奖惩", "合计"]
CENT = Decimal("0.01")


def money(value) -> Decimal:
    return Decimal(str(value if value is not None else 0)).quantize(CENT)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("mixed")
    folder = base / "in"
    shutil.copytree(SAMPLE, folder)
    out = base / "out"
    proc = subprocess.run([sys.executable, str(ROOT / "run_month.py"), PERIOD, "--input", str(folder),
                           "--output", str(out)], capture_output=True, text=True, encoding="utf-8",
                          timeout=300, cwd=ROOT)
    return {"in": folder, "out": out, "code": proc.returncode, "stdout": proc.stdout + proc.stderr}


def _rows(path: Path, sheet: str) -> list[tuple]:
    return list(load_workbook(path, data_only=True)[sheet].iter_rows(values_only=True))


def test_one_command_writes_both_schemes_each_in_its_folder(run):
    assert run["code"] == 0, run["stdout"]
    for name in (PERIOD, COMMISSION):
        assert (run["out"] / name / f"审批汇总表_{PERIOD}.xlsx").is_file(), name
        assert list((run["out"] / name / "slips").glob("*.html"))
    assert "综合激励已计算" in run["stdout"] and "业绩提成已计算" in run["stdout"]


def test_the_commission_summary_is_the_hand_worked_one(run):
    rows = _rows(run["out"] / COMMISSION / f"审批汇总表_{PERIOD}.xlsx", "汇总")
    h = next(i for i, r in enumerate(rows) if r and r[0] == "工号")
    assert [str(v) for v in rows[h][:len(HEADER)]] == HEADER
    got, total = {}, None
    for r in rows[h + 1:]:
        if r[0] == "合计":
            total = money(r[7])
            break
        if r[0] is not None:
            got[str(r[0])] = (r[2], *(money(v) for v in r[3:8]))
    assert got == SUMMARY
    assert total == TOTAL == sum((v[-1] for v in SUMMARY.values()), Decimal(0))


def test_the_dealer_sheet_has_each_dealer_month_and_tier(run):
    rows = _rows(run["out"] / COMMISSION / f"审批汇总表_{PERIOD}.xlsx", "加盟商")
    h = next(i for i, r in enumerate(rows) if r and r[0] in ("加盟商编号", "编号"))
    header = [str(v) if v is not None else "" for v in rows[h]]
    col = {name: header.index(name) for name in ("月提货额", "客服提成", "云商城提货额")}
    tier = next(i for i, name in enumerate(header) if "档" in name)
    got = {str(r[0]): (money(r[col["月提货额"]]), r[tier], money(r[col["客服提成"]]),
                       money(r[col["云商城提货额"]]))
           for r in rows[h + 1:] if r and isinstance(r[0], str) and r[0].startswith("JM")}
    assert got == DEALERS


def test_the_commission_staff_have_no_installation_lines_or_warnings(run):
    rows = _rows(run["out"] / PERIOD / f"审批汇总表_{PERIOD}.xlsx", "汇总")
    ids = {str(r[0]) for r in rows if r and r[0] is not None}
    assert not ids & set(SUMMARY)
    problems = _rows(run["out"] / PERIOD / f"审批汇总表_{PERIOD}.xlsx", "问题清单")
    text = "\n".join(" ".join(str(c) for c in r if c is not None) for r in problems)
    for wid in SUMMARY:
        assert f"「{wid}」" not in text and f"工号 {wid}" not in text, wid


def test_the_october_purchase_is_left_out_with_one_warning(run):
    lines = [ln for ln in run["stdout"].splitlines() if "提货明细" in ln and "警告" in ln]
    assert len(lines) == 1 and "1" in lines[0], run["stdout"]


def test_the_second_summary_counts_the_folders_own_warnings_and_says_they_are_above(run):
    """The folder's own warnings (an unread sheet, a file not read) are printed once, under the
    first scheme; the second scheme's count includes them and says where they are."""
    out = run["stdout"]
    first, second = sorted(out.index(done) for done in ("综合激励已计算", "业绩提成已计算"))
    shown = out[first:second].count("  警告  ")   # the second scheme's own, printed before its summary
    summary = next(ln for ln in out[second:].splitlines() if "人有发放" in ln)
    m = re.search(r"警告 (\d+) 条（其中 (\d+) 条是整个文件夹的，已在上面列出）", summary)
    assert m, summary
    assert int(m.group(1)) == shown + int(m.group(2)) and int(m.group(2)) > 0


def test_each_scheme_has_its_ledger_entry_and_both_are_approved_at_once(run):
    with Ledger.open(run["out"] / "ledger.sqlite") as ledger:
        assert ledger.month("FS-MS-KF-13", PERIOD) is not None
        assert ledger.month("SHKF-TC", PERIOD) is not None
        lines = ledger.lines("SHKF-TC", PERIOD)
    assert sum((x.amount for x in lines), Decimal(0)) == TOTAL
    code = cli.main([PERIOD, "--input", str(run["in"]), "--output", str(run["out"]),
                     "--approve", "--by", "王经理"])
    assert code == 0
    with Ledger.open(run["out"] / "ledger.sqlite") as ledger:
        assert ledger.month("FS-MS-KF-13", PERIOD).approved and ledger.month("SHKF-TC", PERIOD).approved


def test_scheme_restricts_a_run_to_one(tmp_path):
    out = tmp_path / "out"
    code = cli.main([PERIOD, "--input", str(SAMPLE), "--output", str(out), "--scheme", "SHKF-TC"])
    assert code == 0
    assert (out / COMMISSION).is_dir() and not (out / PERIOD).exists()
    assert cli.main([PERIOD, "--input", str(SAMPLE), "--output", str(out), "--scheme", "NOPE"]) == 2


def test_the_commission_workbook_has_its_reconciliation_all_passed(run):
    rows = _rows(run["out"] / COMMISSION / f"审批汇总表_{PERIOD}.xlsx", "核对")
    verdicts = [r[5] for r in rows[4:] if r and r[0]]
    assert verdicts and all(v in ("通过", "全部通过") for v in verdicts), verdicts


def test_a_correction_of_the_commission_scheme_beside_an_unchanged_installation_month(tmp_path):
    """Both approved; a dealer's purchase corrected: the commission scheme gets 更正第 01 号
    (补发 the tier's difference), FS-MS-KF-13 says nothing changed."""
    folder = tmp_path / "in"
    shutil.copytree(SAMPLE, folder)
    out = tmp_path / "out"
    assert cli.main([PERIOD, "--input", str(folder), "--output", str(out)]) == 0
    approve = [PERIOD, "--input", str(folder), "--output", str(out), "--approve", "--by", "王经理"]
    assert cli.main(approve) == 0
    book = folder / "提货明细_2026年11月.xlsx"
    wb = load_workbook(book)
    for row in wb["提货明细"].iter_rows(min_row=3):
        if row[0].value == "JM004":     # 9,999.99 → 10,000.00: 基础档, 0.5% = 50.00
            row[5].value = 10000
    wb.save(book)
    proc = subprocess.run([sys.executable, str(ROOT / "run_month.py"), PERIOD, "--input", str(folder),
                           "--output", str(out), "--correction", "JM004 提货额更正"], capture_output=True,
                          text=True, encoding="utf-8", timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "FS-MS-KF-13" in proc.stdout and "无需更正" in proc.stdout
    assert "SHKF-TC" in proc.stdout and "更正第 01 号" in proc.stdout and "补发 50.00" in proc.stdout
    assert (out / COMMISSION / "更正_01").is_dir() and not (out / PERIOD / "更正_01").exists()


def test_what_if_on_the_commission_scheme_found_by_its_parameter(tmp_path):
    out = tmp_path / "out"
    code = cli.main([PERIOD, "--input", str(SAMPLE), "--output", str(out),
                     "--compare-set", "sales.cloud_rate=0.02"])
    assert code == 0
    [book] = out.glob("对比_*.xlsx")
    rows = _rows(book, "按奖项")
    sales = next(r for r in rows if r and r[0] == "销售提成")
    # 云商城 65,000.00 + 37,499.99 + 9,999.99 = 112,499.98: 1% → 1,125.00 (per dealer, rounded), 2% → 2,250.00
    assert [money(v) for v in sales[1:4]] == [Decimal("1125.00"), Decimal("2250.00"), Decimal("1125.00")]
    assert not (out / PERIOD).exists() and not (out / COMMISSION).exists()


def test_the_commission_workbooks_are_what_their_generator_writes(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "input_samples" / "make_sample_commission.py"),
                           "--out", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    written = sorted(tmp_path.glob("*.xlsx"))
    assert len(written) == 3
    for path in written:
        assert path.read_bytes() == (SAMPLE / path.name).read_bytes(), path.name
