"""The command end to end on small months built in code: a clean month, and bad input
refused cleanly (issue 2) — exit 1, nothing written, the problem named to the cell,
the input folder untouched.

The command is called in-process through ``kfbonus.cli.main`` (fast); one test runs the
real entry point ``run_month.py`` in a subprocess.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kfbonus import cli
from kfbonus.ledger import Ledger
from tests.helpers import folder_digest, write_xlsx

ROOT = Path(__file__).resolve().parents[1]
PERIOD = "2026-11"
KF = "FS-MS-KF-13"   # the scheme's id: its key in the ledger

ROSTER = [
    ["工号", "姓名", "入职日期", "用工类型", "特殊技能", "离职日期"],
    ["1001", "张三", "2018-03-01", "正式", "电工"],
    ["1002", "李四", "2022-05-10", "正式", None],
    ["1003", "王五", "2025-01-15", "正式", None],
]
SETTLE_HEAD = ["工程编号", "工程名称", "工号", "姓名", "个人工期天数", "计件工资"]
SETTLE_LINES = [
    ["GC-2611-01", "甲工程", "1001", "张三", 10, "3000.00"],
    ["GC-2611-01", "甲工程", "1002", "李四", 8, "2400.00"],
    ["GC-2611-01", "甲工程", "1003", "王五", 6, "1800.00"],
]
SETTLE_TOTAL = ["合计", None, None, None, 24, 7200]


def write_month(folder: Path, roster=ROSTER, settlement=None) -> Path:
    """A small clean month: one project with a collective and an individual award,
    attendance, one training line, one deduction."""
    write_xlsx(folder / "人员名册.xlsx", {"花名册": roster})
    write_xlsx(folder / "结算.xlsx",
               {"结算单": settlement or [SETTLE_HEAD, *SETTLE_LINES, SETTLE_TOTAL]})
    write_xlsx(folder / "申报.xlsx", {
        "激励申报": [["工程编号", "重点工程", "集体激励比例", "个人激励比例"],
                 ["GC-2611-01", "是", "15%", "5%"]],
        "工程评分": [["工程编号", "安全得分", "质量得分", "沟通和配合得分", "规章制度得分"],
                 ["GC-2611-01", 95, 90, 88, 91]],
        "个人激励申报": [["工程编号", "工号", "考评结果", "申报金额"], ["GC-2611-01", "1001", "优秀", None]],
    })
    write_xlsx(folder / "考勤.xlsx", {"考勤": [
        ["工号", "姓名", "应出勤天数", "实出勤天数", "旷工天数"],
        ["1001", "张三", 25, 25, 0], ["1002", "李四", 25, 24, 0], ["1003", "王五", 25, 25, 0]]})
    write_xlsx(folder / "奖惩.xlsx", {
        "带薪培训": [["工号", "培训天数"], ["1002", 2]],
        "其他奖惩": [["工号", "类别", "金额", "说明"], ["1003", "扣款", 100, "迟到"]],
    })
    return folder


@pytest.fixture(scope="module")
def clean_month(tmp_path_factory) -> Path:
    return write_month(tmp_path_factory.mktemp("clean") / "in")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ledger_month(out: Path):
    path = out / "ledger.sqlite"
    if not path.exists():
        return None
    with Ledger.open(path) as ledger:
        return ledger.month(KF, PERIOD)


# --- a clean month ------------------------------------------------------------------------

def test_clean_month_writes_the_outputs_and_a_draft(capsys, tmp_path, clean_month):
    before = folder_digest(clean_month)
    out = tmp_path / "out"
    code, stdout, err = run(capsys, PERIOD, "--input", str(clean_month), "--output", str(out))
    assert (code, err) == (0, "")
    month_dir = out / PERIOD
    for name in ("审批汇总表_2026-11.xlsx", "工资条_2026-11.xlsx", "slips/全部.html"):
        assert (month_dir / name).is_file(), name
    assert {p.name for p in (month_dir / "slips").glob("*.html")} >= {
        "1001_张三.html", "1002_李四.html", "1003_王五.html", "全部.html"}
    # no temporary folder is left beside the month
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".kfbonus")) == [
        PERIOD, "ledger.sqlite"]
    record = ledger_month(out)
    assert record is not None and record.status_label == "草稿"
    assert "草稿" in stdout and str(month_dir) in stdout
    assert "Traceback" not in stdout + err
    assert folder_digest(clean_month) == before

    # The printed grand total is the workbook's 合计 row.  Hand figures for this month:
    #   collective: 总分 = (95+90+88+91)/4 = 91; pool = 91/100 × 7,200 × 15% = 982.80
    #   individual: r 5% × 7,200 = 360.00, one nominee → 360.00
    #   training: 1002 2 days × 60 = 120.00; deduction 1003 −100.00
    #   seniority (25 due days): 1001 8 years 150; 1002 4 years 80 × 24/25 = 76.80;
    #     1003 1 year 30 → 256.80
    #   total 982.80 + 360.00 + 120.00 + 256.80 − 100.00 = 1,619.60
    assert "1,619.60" in stdout
    ws = load_workbook(month_dir / "审批汇总表_2026-11.xlsx", data_only=True)["汇总"]
    header = next(r for r in ws.iter_rows(values_only=True) if r[0] == "工号")
    total_row = next(r for r in ws.iter_rows(values_only=True) if r[0] == "合计")
    assert f"{total_row[header.index('合计')]:.2f}" == "1619.60"


def test_real_entry_point_in_a_subprocess(tmp_path, clean_month):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-X", "importtime", "run_month.py", PERIOD, "--input",
                           str(clean_month), "--output", str(out)], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "结果已写入" in proc.stdout and "Traceback" not in proc.stdout + proc.stderr
    assert (out / PERIOD / "审批汇总表_2026-11.xlsx").is_file()
    # a month's run imports what it uses: not pandas or numpy (issue 14: 0.3 s and 55 MiB a run)
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    assert "xlsxwriter" in imported
    assert not {"pandas", "numpy"} & imported


# --- --check --------------------------------------------------------------------------------

def test_check_on_a_clean_folder_lists_every_table(capsys, tmp_path, clean_month):
    out = tmp_path / "out"
    code, stdout, _ = run(capsys, PERIOD, "--check", "--input", str(clean_month), "--output", str(out))
    assert code == 0
    for line in ("人员名册.xlsx › 花名册 → 人员名册", "结算.xlsx › 结算单 → 计件工资结算单",
                 "申报.xlsx › 激励申报 → 工程激励申报", "申报.xlsx › 工程评分 → 工程评分",
                 "申报.xlsx › 个人激励申报 → 个人激励申报", "考勤.xlsx › 考勤 → 考勤",
                 "奖惩.xlsx › 带薪培训 → 带薪培训", "奖惩.xlsx › 其他奖惩 → 其他奖惩"):
        assert line in stdout, line
    assert "结算.xlsx › 结算单 → 计件工资结算单，表头第 1 行，3 行数据" in stdout
    assert "未发现问题" in stdout
    assert not out.exists(), "--check writes nothing"


def test_check_with_errors_exits_1_and_writes_nothing(capsys, tmp_path):
    folder = write_month(tmp_path / "in", settlement=[SETTLE_HEAD, *SETTLE_LINES,
                                                      ["GC-2611-01", "甲工程", "1099", "赵六", 1, 10]])
    out = tmp_path / "out"
    code, stdout, _ = run(capsys, PERIOD, "--check", "--input", str(folder), "--output", str(out))
    assert code == 1
    assert "结算.xlsx › 结算单 → 计件工资结算单" in stdout
    assert "错误  结算.xlsx › 结算单!C5  unknown-worker" in stdout
    # nothing but the problem list to work through (issue 12.10)
    assert [p.name for p in out.iterdir()] == [f"问题清单_{PERIOD}.xlsx"]


# --- bad input: exit 1, nothing written, the problem named to the cell ----------------------

def _settle(lines, total=SETTLE_TOTAL, head=SETTLE_HEAD):
    return [head, *lines, *([total] if total else [])]


def missing_column(folder: Path) -> None:
    drop = SETTLE_HEAD.index("个人工期天数")
    rows = [[v for i, v in enumerate(r) if i != drop] for r in [SETTLE_HEAD, *SETTLE_LINES]]
    write_month(folder, settlement=rows)


def non_numeric_amount(folder: Path) -> None:
    lines = [list(r) for r in SETTLE_LINES]
    lines[1][5] = "两千四"
    write_month(folder, settlement=_settle(lines, total=None))


def impossible_date(folder: Path) -> None:
    roster = [list(r) for r in ROSTER]
    roster[2][2] = "2026-13-01"
    write_month(folder, roster=roster)


def total_mismatch(folder: Path) -> None:
    write_month(folder, settlement=_settle(SETTLE_LINES, total=["合计", None, None, None, 24, 7300]))


def duplicate_roster_id(folder: Path) -> None:
    write_month(folder, roster=[*ROSTER, ["1002", "李四海", "2023-01-01", "正式", None]])


def unknown_worker(folder: Path) -> None:
    write_month(folder, settlement=_settle([*SETTLE_LINES, ["GC-2611-01", "甲工程", "1099", "赵六", 1, 10]],
                                           total=None))


def corrupt_file(folder: Path) -> None:
    write_month(folder)
    (folder / "坏文件.xlsx").write_bytes(bytes(range(256)) * 40)


# (case, builder, expected location as printed, code, words the message must hold)
BAD = [
    ("missing-column", missing_column, "结算.xlsx › 结算单 第1行", "missing-column", ["个人工期天数"]),
    ("non-numeric", non_numeric_amount, "结算.xlsx › 结算单!F3", "invalid-number", ["两千四", "计件工资"]),
    ("impossible-date", impossible_date, "人员名册.xlsx › 花名册!C3", "invalid-date", ["2026-13-01"]),
    ("total-mismatch", total_mismatch, "结算.xlsx › 结算单!F5", "total-mismatch", ["7,300.00", "7,200.00"]),
    ("duplicate-roster", duplicate_roster_id, "人员名册.xlsx › 花名册!A5", "duplicate-worker", ["1002"]),
    ("unknown-worker", unknown_worker, "结算.xlsx › 结算单!C5", "unknown-worker", ["1099"]),
    ("corrupt-file", corrupt_file, "坏文件.xlsx", "unreadable-file", []),
]


@pytest.mark.parametrize(("build", "where", "code", "words"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_is_refused_cleanly(capsys, tmp_path, build: Callable[[Path], None], where, code, words):
    folder = tmp_path / "in"
    build(folder)
    before = folder_digest(folder)
    out = tmp_path / "out"
    exit_code, stdout, err = run(capsys, PERIOD, "--input", str(folder), "--output", str(out))
    assert exit_code == 1, stdout + err
    assert not (out / PERIOD).exists()
    assert [p.name for p in out.iterdir() if p.name not in (".kfbonus.lock", "ledger.sqlite")] == [
        f"问题清单_{PERIOD}.xlsx"]   # only the problem list to work through (issue 12.10)
    assert ledger_month(out) is None
    assert "Traceback" not in stdout + err
    # printed as `错误  文件 › 工作表!C12  code  message`
    line = next((ln for ln in stdout.splitlines() if f"  {code}  " in ln), None)
    assert line is not None, stdout
    assert line.strip().startswith(f"错误  {where}  {code}  "), line
    for word in words:
        assert word in line, (word, line)
    assert "本月结果未写入" in stdout
    # nothing in the input folder was written, moved, added or deleted
    assert folder_digest(folder) == before


def test_bad_input_after_a_good_run_keeps_the_previous_draft(capsys, tmp_path):
    folder = write_month(tmp_path / "in")
    out = tmp_path / "out"
    assert run(capsys, PERIOD, "--input", str(folder), "--output", str(out))[0] == 0
    draft = folder_digest(out / PERIOD)
    run_at = ledger_month(out).run_at
    unknown_worker(folder)
    code, stdout, _ = run(capsys, PERIOD, "--input", str(folder), "--output", str(out))
    assert code == 1 and "unknown-worker" in stdout
    assert folder_digest(out / PERIOD) == draft
    assert ledger_month(out).run_at == run_at


# --- a broken rules file ----------------------------------------------------------------------

def test_rules_file_with_an_unknown_key_is_a_configuration_error(capsys, tmp_path, clean_month):
    rules = tmp_path / "我的规则.toml"
    text = (ROOT / "kfbonus/schemes/kf13/rules/FS-MS-KF-13_A2.toml").read_text(encoding="utf-8")
    rules.write_text(text + '\n[training.bonus_rate]\nvalue = 1\nclause = "无"\n', encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, err = run(capsys, PERIOD, "--input", str(clean_month), "--output", str(out),
                            "--rules", str(rules))
    assert code == 2
    assert "我的规则.toml" in err and "training.bonus_rate" in err
    assert "Traceback" not in stdout + err
    assert not (out / PERIOD).exists()
    assert ledger_month(out) is None


def test_every_problem_is_reported_in_one_pass(capsys, tmp_path):
    # a cell that fails to read does not hide the key checks: both come in one list
    roster = [list(r) for r in ROSTER]
    roster[2][2] = "2026-13-01"
    lines = [*SETTLE_LINES, ["GC-2611-01", "甲工程", "1099", "赵六", 1, 10]]
    write_month(tmp_path / "in", roster=roster, settlement=_settle(lines, total=None))
    code, stdout, _ = run(capsys, PERIOD, "--input", str(tmp_path / "in"), "--output", str(tmp_path / "out"))
    assert code == 1
    assert "人员名册.xlsx › 花名册!C3  invalid-date" in stdout
    assert "结算.xlsx › 结算单!C5  unknown-worker" in stdout
    assert "共 2 个错误" in stdout
