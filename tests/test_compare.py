"""What if (issue 13): ``--compare``, ``--compare-set``, ``--compare-input``.

The month of tests/test_run_month.py with the crew's days 10 / 7 / 6 (23 in all), so a
collective pool does not split evenly and the largest-remainder fen shows:

* GC-2611-01: 计件工资总额 7,200.00, 总分 (95 + 90 + 88 + 91) ÷ 4 = 91, ratio 15%:
  pool 0.91 × 7200 × 0.15 = 982.80; exact shares 427.3043 / 299.1130 / 256.3826,
  floored 427.30 + 299.11 + 256.38 = 982.79, the missing fen to 1001 (.43 the largest):
  427.31 / 299.11 / 256.38.  At 12%: pool 786.24; exact 341.8435 / 239.2904 / 205.1061,
  floored 786.23, the fen to 1003 (.61): 341.84 / 239.29 / 205.11.
  差额 −85.47 / −59.82 / −51.27 (= 786.24 − 982.80 = −196.56).
* 工龄奖 on 2026-11-30: 1001 hired 2018-03-01 (8 years, tier 150.00, 25/25 days),
  1002 hired 2022-05-10 (4 years, tier 80.00, 24/25 days: 76.80), 1003 hired 2025-01-15
  (1 year, 30.00).  Tiers [[1,30],[2,50],[3,100],[5,120],[8,200]] move two of them:
  1001 200.00 (+50.00), 1002 100 × 24 ÷ 25 = 96.00 (+19.20); 1003 stays 30.00.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kfbonus import cli
from kfbonus.schemes.kf13.params import RULES_DIR
from tests.helpers import folder_digest, write_xlsx
from tests.test_run_month import SETTLE_HEAD, write_month

PERIOD = "2026-11"
SETTLEMENT = [SETTLE_HEAD,
              ["GC-2611-01", "甲工程", "1001", "张三", 10, "3000.00"],
              ["GC-2611-01", "甲工程", "1002", "李四", 7, "2400.00"],
              ["GC-2611-01", "甲工程", "1003", "王五", 6, "1800.00"],
              ["合计", None, None, None, 23, 7200]]
TIERS = "[[1,30],[2,50],[3,100],[5,120],[8,200]]"
RATIO = "工程激励申报.GC-2611-01.集体激励比例=12%"
D = Decimal


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def month(folder: Path, ratio: str = "15%") -> Path:
    write_month(folder, settlement=SETTLEMENT)
    if ratio != "15%":
        book = load_workbook(folder / "申报.xlsx")
        book["激励申报"]["C2"] = ratio
        book.save(folder / "申报.xlsx")
    return folder


def tiers_rules(folder: Path) -> Path:
    """The package's rules with the seniority tiers raised (a rules file carrying the change)."""
    text = (RULES_DIR / "FS-MS-KF-13_A2.toml").read_text(encoding="utf-8")
    new = re.sub(r"(\[seniority\.tiers\]\nvalue = ).*", rf"\g<1>{TIERS}", text)
    assert new != text
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "工龄档提高.toml"
    path.write_text(new, encoding="utf-8")
    return path


def sheet_rows(path: Path, sheet: str) -> list[tuple]:
    wb = load_workbook(path, data_only=True)
    return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]


def table(path: Path, sheet: str = "对比") -> tuple[list[str], dict[str, tuple]]:
    """The sheet's table: its header and its rows by first cell (工号, 奖项, 工程编号 …)."""
    rows = sheet_rows(path, sheet)
    h = next(i for i, r in enumerate(rows) if r[0] in ("工号", "奖项", "工程编号", "方案"))
    header = [c for c in rows[h] if c is not None]
    body = [r for r in rows[h + 1:] if r[0] is not None and any(c is not None for c in r[1:])]
    return header, {str(r[0]): r for r in body}


def compare_files(out: Path) -> list[Path]:
    return sorted(out.glob("对比_*.xlsx"))


def payroll(out: Path, period: str = PERIOD) -> dict[str, Decimal]:
    """Per worker 合计 of a run, from its payroll export (header row 1: 工号 … 合计)."""
    rows = sheet_rows(out / period / f"工资导入_{period}.xlsx", load_workbook(
        out / period / f"工资导入_{period}.xlsx", read_only=True).sheetnames[0])
    col = rows[0].index("合计")
    return {str(r[0]): D(str(r[col])).quantize(D("0.01")) for r in rows[1:] if r[0]}


def money(v) -> Decimal:
    return D(str(v or 0)).quantize(D("0.01"))


@pytest.fixture()
def setup(tmp_path):
    folder = month(tmp_path / "in")
    return folder, tmp_path / "out", tiers_rules(tmp_path / "rules")


def test_hand_checked_differences(capsys, setup):
    folder, out, rules = setup
    code, stdout, err = run(capsys, PERIOD, "--input", str(folder), "--output", str(out),
                            "--compare", str(rules), "--compare-input", RATIO)
    assert code == 0, stdout + err
    [book] = compare_files(out)
    assert book.name == f"对比_{PERIOD}_工龄档提高_工程激励申报.GC-2611-01.集体激励比例=12%.xlsx"
    header, rows = table(book)
    assert header == ["工号", "姓名", "现行合计", "方案1合计", "方案1差额", "方案2合计", "方案2差额"]
    alt1 = {w: money(rows[w][4]) for w in ("1001", "1002", "1003")}
    alt2 = {w: money(rows[w][6]) for w in ("1001", "1002", "1003")}
    assert alt1 == {"1001": D("50.00"), "1002": D("19.20"), "1003": D("0.00")}
    assert alt2 == {"1001": D("-85.47"), "1002": D("-59.82"), "1003": D("-51.27")}
    for w in rows:
        if w != "合计":
            assert money(rows[w][3]) - money(rows[w][2]) == money(rows[w][4])
    total = rows["合计"]
    assert money(total[4]) == D("69.20") and money(total[6]) == D("-196.56")
    assert "差额" in stdout and "-196.56" in stdout

    _, awards = table(book, "按奖项")
    assert money(awards["工龄奖"][3]) == D("69.20") and money(awards["集体奖"][5]) == D("-196.56")
    assert money(awards["集体奖"][1]) == D("982.80") and money(awards["集体奖"][4]) == D("786.24")
    _, projects = table(book, "按工程")
    assert money(projects["GC-2611-01"][6]) == D("-196.56")
    changed = [r for r in sheet_rows(book, "参数差异") if r[0] in ("方案1", "方案2")]
    assert ("方案1", "seniority.tiers", "工龄档（满 N 年，每月金额）", "FS-MS-KF-13 §3",
            "满1年 30.00；满2年 50.00；满3年 80.00；满5年 120.00；满8年 150.00",
            "满1年 30.00；满2年 50.00；满3年 100.00；满5年 120.00；满8年 200.00") in changed
    assert ("方案2", "输入", "工程激励申报 GC-2611-01 集体激励比例", "（输入修改）", "15%", "12%") in changed


def test_differences_equal_two_separate_runs_to_the_fen(capsys, setup, tmp_path):
    folder, out, rules = setup
    folder12 = month(tmp_path / "in12", ratio="12%")
    assert run(capsys, PERIOD, "--input", str(folder), "--output", str(tmp_path / "now"))[0] == 0
    assert run(capsys, PERIOD, "--input", str(folder), "--output", str(tmp_path / "tiers"),
               "--rules", str(rules))[0] == 0
    assert run(capsys, PERIOD, "--input", str(folder12), "--output", str(tmp_path / "ratio"))[0] == 0
    now, tiers, ratio = (payroll(tmp_path / n) for n in ("now", "tiers", "ratio"))
    code, stdout, err = run(capsys, PERIOD, "--input", str(folder), "--output", str(out),
                            "--compare", str(rules), "--compare-input", RATIO)
    assert code == 0, stdout + err
    _, rows = table(compare_files(out)[0])
    workers = set(now) | set(tiers) | set(ratio)
    assert workers == set(rows) - {"合计"}
    for w in workers:
        assert money(rows[w][2]) == now.get(w, D("0.00"))
        assert money(rows[w][4]) == tiers.get(w, D("0.00")) - now.get(w, D("0.00")), w
        assert money(rows[w][6]) == ratio.get(w, D("0.00")) - now.get(w, D("0.00")), w


def test_nothing_written_but_the_comparison_file_and_approved_months_compare(capsys, setup):
    folder, out, _ = setup
    assert run(capsys, PERIOD, "--input", str(folder), "--output", str(out))[0] == 0
    assert run(capsys, PERIOD, "--approve", "--by", "王经理", "--output", str(out))[0] == 0
    before_in, before_out = folder_digest(folder), folder_digest(out)
    ledger = (out / "ledger.sqlite").read_bytes()
    code, stdout, err = run(capsys, PERIOD, "--input", str(folder), "--output", str(out),
                            "--compare-set", f"seniority.tiers={TIERS}",
                            "--compare-set", "collective.ratio_max=0.25")
    assert code == 0, stdout + err
    assert folder_digest(folder) == before_in
    after = folder_digest(out)
    [book] = compare_files(out)
    assert book.name == f"对比_{PERIOD}_seniority.tiers+collective.ratio_max=0.25.xlsx"
    assert {k: v for k, v in after.items() if k != book.name} == before_out
    assert (out / "ledger.sqlite").read_bytes() == ledger
    assert not list((out / PERIOD).glob("对比*"))
    _, rows = table(book)
    assert money(rows["1001"][4]) == D("50.00") and money(rows["1002"][4]) == D("19.20")
    changed = [r[1:3] for r in sheet_rows(book, "参数差异") if r[0] == "方案1"]
    assert changed == [("collective.ratio_max", "集体激励比例上限"),
                       ("seniority.tiers", "工龄档（满 N 年，每月金额）")]


def test_a_project_not_yet_applied_for_gets_an_application_row(capsys, tmp_path):
    folder, out = month(tmp_path / "in"), tmp_path / "out"
    settle = [*SETTLEMENT[:-1], ["GC-2611-02", "乙工程", "1002", "李四", 5, "1000.00"],
              ["合计", None, None, None, 28, 8200]]
    write_xlsx(folder / "结算.xlsx", {"结算单": settle})
    write_xlsx(folder / "评分2.xlsx", {"工程评分": [
        ["工程编号", "安全得分", "质量得分", "沟通和配合得分", "规章制度得分"],
        ["GC-2611-02", 100, 100, 100, 100]]})
    code, stdout, err = run(capsys, PERIOD, "--input", str(folder), "--output", str(out),
                            "--compare-input", "工程激励申报.GC-2611-02.集体激励比例=10%")
    assert code == 0, stdout + err
    _, rows = table(compare_files(out)[0])
    assert money(rows["1002"][4]) == D("100.00")          # 1 × 1000.00 × 10%, all to the crew of one
    changed = [r for r in sheet_rows(compare_files(out)[0], "参数差异") if r[0] == "方案1"]
    assert changed[0][4:] == ("（无此行，新增）", "10%")


def test_an_alternative_that_breaks_the_scheme_exits_1_writing_nothing(capsys, setup):
    folder, out, _ = setup
    code, stdout, err = run(capsys, PERIOD, "--input", str(folder), "--output", str(out),
                            "--compare-input", "工程激励申报.GC-2611-01.集体激励比例=25%")
    assert code == 1, stdout + err
    assert "对比方案「改输入 工程激励申报.GC-2611-01.集体激励比例=25%」下有错误" in stdout
    assert not out.exists()


def test_input_errors_exit_1_writing_nothing(capsys, setup):
    folder, out, _ = setup
    write_xlsx(folder / "奖惩.xlsx", {"带薪培训": [["工号", "培训天数"], ["9999", 2]]})
    code, stdout, err = run(capsys, PERIOD, "--input", str(folder), "--output", str(out),
                            "--compare-set", "training.daily_rate=80")
    assert code == 1, stdout + err
    assert "9999" in stdout and "输入有错误，未生成对比表" in stdout
    assert not out.exists()


@pytest.mark.parametrize(("override", "moves"), [
    ("工程评分.GC-2611-01.质量得分=95", "13.50"),                # 总分 92.25: pool 996.30, +13.50
    ("人员名册.1003.入职日期=2021-03-01", "90.00"),              # 5 years: 120.00 instead of 30.00
    ("考勤.1002.旷工天数=1", "-76.80"),                          # 旷工 forfeits 76.80
    ("带薪培训.1002.培训天数=3", "60.00"),                       # one more day at 60.00
    ("计件工资结算单.GC-2611-01/1002.个人百分比=80%", "-59.82"),  # 299.11 → 239.29 (exact 239.2904)
    ("结算单．GC-2611-01／1003．分配比例＝50%", "-128.19"),       # full-width, alias; 256.38 → 128.19
    ("激励申报.GC-2611-01.申请比例=0.1", "-327.60"),             # pool 982.80 → 655.20
    ("其他奖惩.1003.金额=5%", "10.00"),                          # 扣款 5% × 1,800.00 = 90.00, not 100.00
])
def test_the_readme_input_overrides(capsys, setup, override, moves):
    folder, out, _ = setup
    code, stdout, err = run(capsys, PERIOD, "--input", str(folder), "--output", str(out),
                            "--compare-input", override)
    assert code == 0, stdout + err
    _, rows = table(compare_files(out)[0])
    assert money(rows["合计"][4]) == D(moves)


@pytest.mark.parametrize(("args", "says"), [
    (["--compare-set", "seniority.tier=[[1,30]]"], "seniority.tier：未知的参数键"),
    (["--compare-set", "collective.ratio_max=\"高\""], "collective.ratio_max：应为数值"),
    (["--compare-set", "collective.ratio_max=25%"], "collective.ratio_max：值「25%」无法识别"),
    (["--compare-set", "collective.ratio_max=1.5"], "collective.ratio_max：比例应在 0–1 之间"),
    (["--compare-set", "training.daily_rate=-1"], "training.daily_rate：金额不能为负"),
    (["--compare-set", "collective.ratio_min=0.3"], "collective.ratio_min：下限 30% 大于上限"),
    (["--compare-set", "seniority.tiers=[[3,80],[1,30]]"], "seniority.tiers：工龄档应按年数从小到大排列"),
    (["--compare-set", "annual.prorate=1"], "annual.prorate：应为 true 或 false"),
    (["--compare-set", "collective.ratio_max"], "格式应为 参数键=值"),
    (["--compare-set", "collective.ratio_max=0.2", "--compare-set", "collective.ratio_max=0.3"], "给了两次"),
    (["--compare-input", "工程申请.GC-2611-01.集体激励比例=12%"], "「工程申请」：没有这张表"),
    (["--compare-input", "工程激励申报.GC-2611-01.奖金=12%"], "「工程激励申报」没有「奖金」列"),
    (["--compare-input", "工程激励申报.GC-2611-09.集体激励比例=12%"], "中没有工程编号「GC-2611-09」的行"),
    (["--compare-input", "考勤.9999.实出勤天数=20"], "「考勤」中没有工号「9999」的行"),
    (["--compare-input", "工程激励申报.GC-2611-01.集体激励比例=很多"], "集体激励比例的值「很多」无法使用"),
    (["--compare-input", "考勤.1002.实出勤天数=二十"], "实出勤天数的值「二十」无法使用"),
    (["--compare-input", "工程激励申报.GC-2611-01.工程编号=GC-2611-02"], "用来选定行，不能修改"),
    (["--compare-input", "计件工资结算单.GC-2611-01.个人百分比=80%"], "按 工程编号/工号 选定"),
    (["--compare-input", "工程激励申报 GC-2611-01 集体激励比例=12%"],
     "格式应为 <表名>.<工程编号或工号>.<列名>=<值>"),
    (["--compare-input", "工程激励申报.GC-2611-01.集体激励比例"], "格式应为"),
    (["--compare", "nosuch.toml"], "规则文件 nosuch.toml 不存在"),
    (["--compare-set", "x=1", "--check"], "不能与 --check 同时使用"),
    (["--compare-input", RATIO, "--approve", "--by", "王"], "不能与 --approve 同时使用"),
])
def test_bad_overrides_exit_2_naming_them(capsys, setup, args, says):
    folder, out, _ = setup
    digest = folder_digest(folder)
    code, stdout, err = run(capsys, PERIOD, "--input", str(folder), "--output", str(out), *args)
    assert code == 2, stdout + err
    assert says in err, err
    assert not out.exists() and folder_digest(folder) == digest


def test_the_annual_comparison_on_a_two_month_approved_ledger(capsys, tmp_path):
    """Two approved months (October, November), the base rules with annual.min_months = 2
    so that the three workers qualify; the alternative raises the safety award to 1,500.00:
    each moves by exactly 500.00 and nothing else changes."""
    out = tmp_path / "out"
    rules = tmp_path / "rules" / "两个月.toml"
    rules.parent.mkdir()
    text = (RULES_DIR / "FS-MS-KF-13_A2.toml").read_text(encoding="utf-8")
    rules.write_text(re.sub(r"(\[annual\.min_months\]\nvalue = )6", r"\g<1>2", text), encoding="utf-8")
    for period in ("2026-10", "2026-11"):
        folder = month(tmp_path / period)
        base = ["--input", str(folder), "--output", str(out), "--rules", str(rules)]
        assert run(capsys, period, *base)[0] == 0
        assert run(capsys, period, "--approve", "--by", "王经理", "--output", str(out))[0] == 0
    year_in = tmp_path / "2026-11"
    before, ledger = folder_digest(out), (out / "ledger.sqlite").read_bytes()
    code, stdout, err = run(capsys, "2026", "--annual", "--input", str(year_in), "--output", str(out),
                            "--rules", str(rules), "--compare-set", "annual.safety_amount=1500")
    assert code == 0, stdout + err
    [book] = compare_files(out)
    assert book.name == "对比_2026_annual.safety_amount=1500.xlsx"
    assert (out / "ledger.sqlite").read_bytes() == ledger and not (out / "2026").exists()
    assert {k: v for k, v in folder_digest(out).items() if k != book.name} == before
    header, rows = table(book)
    assert header == ["工号", "姓名", "现行合计", "方案1合计", "方案1差额"]
    assert sorted(k for k in rows if k != "合计") == ["1001", "1002", "1003"]
    for w in ("1001", "1002", "1003"):
        assert money(rows[w][2]) == D("2000.00") and money(rows[w][4]) == D("500.00")
    _, awards = table(book, "按奖项")
    assert money(awards["年度安全奖"][3]) == D("1500.00") and money(awards["年度质量奖"][3]) == D("0.00")
    changed = [r for r in sheet_rows(book, "参数差异") if r[0] == "方案1"]
    assert changed == [("方案1", "annual.safety_amount", "年度安全奖", "FS-MS-KF-13 §3",
                        "1,000.00", "1,500.00")]

    code, _, err = run(capsys, "2026", "--annual", "--input", str(year_in), "--output", str(out),
                       "--compare-input", RATIO)
    assert code == 2 and "--compare-input 只用于月度对比" in err


def test_the_workbook_prints_as_the_approval_workbook_does(capsys, setup):
    folder, out, rules = setup
    assert run(capsys, PERIOD, "--input", str(folder), "--output", str(out), "--compare", str(rules),
               "--compare-set", "collective.ratio_max=0.25")[0] == 0
    path = compare_files(out)[0]
    wb = load_workbook(path)
    assert wb.sheetnames == ["对比", "按奖项", "按工程", "参数差异"]
    ws = wb["对比"]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows and "测算" in ws.oddHeader.center.text
    h = next(r for r in ws.iter_rows() if r[0].value == "工号")[0].row
    first = ws.cell(h + 1, 1)
    assert first.data_type == "s" and first.value == "1001"
    assert "ignoredErrors" in _sheet_xml(path, 1)
    money_fmt = ws.cell(h + 1, 3).number_format
    assert '"-"' in money_fmt or '-"' in money_fmt            # zero shown as "-"
    total_row = next(r for r in ws.iter_rows(min_row=h + 1) if r[0].value == "合计")
    assert str(total_row[2].value).startswith("=SUM(")
    marked = [c for r in ws.iter_rows(min_row=h + 1) for c in r if c.font and c.font.b
              and c.fill.fgColor.rgb not in (None, "00000000", "FFF2F2F2") and r[0].value != "合计"]
    assert marked                                             # the largest moves are marked
    assert not any("签" in str(c.value or "") for r in ws.iter_rows() for c in r)


def _sheet_xml(path: Path, n: int) -> str:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read(f"xl/worksheets/sheet{n}.xml").decode()


def test_text_values_in_single_quotes_as_cmd_exe_leaves_them(capsys, setup):
    """cmd.exe strips double quotes from an argument; TOML's literal strings take single ones.
    Only 电工 counts as a special skill now: 1001 (电工) still qualifies, nothing moves."""
    folder, out, _ = setup
    code, stdout, err = run(capsys, PERIOD, "--input", str(folder), "--output", str(out),
                            "--compare-set", "individual.special_skills=['电工']")
    assert code == 0, stdout + err
    changed = [r for r in sheet_rows(compare_files(out)[0], "参数差异") if r[0] == "方案1"]
    assert changed == [("方案1", "individual.special_skills", "特殊技能", "FS-MS-KF-13 §壹(一)1(1)",
                        "电工、焊工、管道工", "电工")]


def test_compare_file_name_is_safe_and_short():
    from kfbonus.whatif import slug

    name = slug('seniority.tiers=[[1,40],[2,60]]+a<b>c:"d"/e\\f|g?h*' * 3, limit=60)
    assert len(name) <= 60 and not set('<>:"/\\|?*[], ') & set(name)
    assert shutil.os.sep not in name


@pytest.mark.parametrize(("key", "value"), [
    ("collective.ratio_min", "0.3"),                     # above ratio_max 0.20: the pair check
    ("collective.ratio_max", "1.5"),                     # out of range
    ("seniority.tiers", "[[3, 80], [1, 30]]"),           # out of order
    ("annual.min_months", "13"),
])
def test_an_override_and_a_rules_file_are_refused_alike(capsys, setup, tmp_path, key, value):
    """One check (kfbonus.rules.check_value / check_pairs) for both: the same reason."""
    folder, out, _ = setup
    section, name = key.split(".")
    text = (RULES_DIR / "FS-MS-KF-13_A2.toml").read_text(encoding="utf-8")
    broken = re.sub(rf"(\[{section}\.{name}\]\nvalue = ).*", rf"\g<1>{value}", text)
    path = tmp_path / "broken" / "坏规则.toml"
    path.parent.mkdir()
    path.write_text(broken, encoding="utf-8")
    code, _, from_file = run(capsys, PERIOD, "--input", str(folder), "--output", str(out),
                             "--rules", str(path))
    assert code == 2
    code, _, from_set = run(capsys, PERIOD, "--input", str(folder), "--output", str(out),
                            "--compare-set", f"{key}={value}")
    assert code == 2
    reason = from_file.strip().split("坏规则.toml：", 1)[1]
    assert reason.startswith(f"{key}：")
    assert reason in from_set, (reason, from_set)
