"""kfbonus.validate: cross-table key checks, each problem named by file › sheet!cell."""

from __future__ import annotations

import datetime as dt

from kfbonus.problems import Severity
from kfbonus.reader import read_month
from kfbonus.schemes.kf13.checks import CHECKS as KF13_CHECKS
from kfbonus.validate import CHECKS
from kfbonus.validate import validate as validate_shared
from tests.helpers import write_xlsx


def validate(month):
    """The checks every scheme gets, then FS-MS-KF-13's own (as a run does for its folder)."""
    return validate_shared(month) + [p for check in KF13_CHECKS for p in check(month)]

# the columns the exclusions read are there (a roster without them is warned: roster-column-absent)
ROSTER = [["工号", "姓名", "入职日期", "用工类型", "离职日期"], ["1001", "张三", "2020-01-01"],
          ["1002", "李四", "2021-01-01"]]
SETTLE_HEAD = ["工程编号", "工程名称", "工号", "姓名", "个人工期天数", "计件工资", "工期总天数"]


def _month(tmp_path, roster=ROSTER, **sheets):
    # a folder holds its 工程激励申报 (its header at least: a settlement without one is an error
    # of its own, check_application_table_present)
    if not any(name.startswith("申报") for name in sheets):
        sheets["申报"] = [["工程编号", "重点工程"]]
    if roster is not None:
        write_xlsx(tmp_path / "人员名册.xlsx", {"花名册": roster})
    if sheets:
        write_xlsx(tmp_path / "其他.xlsx", sheets)
    month = read_month(tmp_path)
    assert month.problems == [], [str(p) for p in month.problems]
    return month


def _codes(problems):
    return sorted(p.code for p in problems)


def test_clean_month_has_no_problems(tmp_path):
    month = _month(tmp_path, 结算=[SETTLE_HEAD, ["GC-1", "甲", "1001", "张三", 3, 100, 30],
                                 ["GC-1", "甲", "1002", "李四", 3, 100, 30]],
                   申报=[["工程编号", "重点工程", "集体激励比例"], ["GC-1", "是", "15%"]])
    assert validate(month) == []


def test_every_check_is_listed_and_named():
    for checks in (CHECKS, KF13_CHECKS):
        assert all(c.__name__.startswith("check_") for c in checks)
        assert len(set(checks)) == len(checks)


def test_duplicate_worker_names_both_rows(tmp_path):
    month = _month(tmp_path, roster=[*ROSTER, ["1001", "张三丰", "2022-01-01"]])
    [p] = validate(month)
    assert (p.code, p.severity) == ("duplicate-worker", Severity.ERROR)
    assert str(p.source) == "人员名册.xlsx › 花名册!A4"
    assert "花名册 第2行" in p.message


def test_unknown_worker_in_settlement(tmp_path):
    month = _month(tmp_path, 结算=[SETTLE_HEAD, ["GC-1", "甲", "1001", "张三", 3, 100, 30],
                                 ["GC-1", "甲", "9999", None, 3, 100, 30]])
    [p] = validate(month)
    assert (p.code, p.severity) == ("unknown-worker", Severity.ERROR)
    assert (p.source.file, p.source.sheet, p.source.row, p.source.col) == ("其他.xlsx", "结算", 3, "C")
    assert "9999" in p.message


def test_unknown_worker_in_attendance_and_name_mismatch(tmp_path):
    month = _month(tmp_path, 考勤=[["工号", "姓名", "应出勤天数", "实出勤天数"], ["1002", "李　四", 22, 22],
                                 ["1001", "张山", 22, 22], ["1003", "王五", 22, 22]])
    problems = validate(month)
    assert _codes(problems) == ["name-mismatch", "unknown-worker"]
    mismatch = next(p for p in problems if p.code == "name-mismatch")
    assert mismatch.severity is Severity.WARNING
    assert (mismatch.source.row, mismatch.source.col) == (3, "B")
    assert "张山" in mismatch.message and "张三" in mismatch.message


def test_duplicate_application(tmp_path):
    month = _month(tmp_path, 申报=[["工程编号", "集体激励比例"], ["GC-1", "15%"], ["GC-2", "10%"],
                                 ["GC-1", "12%"]])
    problems = [p for p in validate(month) if p.code == "duplicate-application"]
    assert len(problems) == 1
    assert (problems[0].severity, problems[0].source.row) == (Severity.ERROR, 4)


def test_worker_twice_on_a_project_and_inconsistent_project(tmp_path):
    month = _month(tmp_path, 结算=[SETTLE_HEAD, ["GC-1", "甲", "1001", "张三", 3, 100, 30],
                                 ["GC-1", "乙", "1001", "张三", 2, 50, 31]])
    problems = validate(month)
    assert _codes(problems) == ["duplicate-settlement-line", "project-mismatch", "project-mismatch"]
    assert all(p.severity is Severity.WARNING for p in problems)
    assert {p.source.col for p in problems if p.code == "project-mismatch"} == {"B", "G"}


def test_no_roster_is_an_error(tmp_path):
    month = _month(tmp_path, roster=None, 结算=[SETTLE_HEAD, ["GC-1", "甲", "1001", "张三", 3, 100, 30]])
    problems = validate(month)
    assert _codes(problems) == ["missing-roster"]
    assert problems[0].severity is Severity.ERROR


def test_unknown_project_in_scores(tmp_path):
    month = _month(tmp_path, 结算=[SETTLE_HEAD, ["GC-1", "甲", "1001", "张三", 3, 100, 30]],
                   评分=[["工程编号", "安全得分", "质量得分", "配合得分", "制度得分"],
                       ["GC-9", 30, 30, 20, 20]])
    [p] = validate(month)
    assert (p.code, p.severity, p.source.sheet, p.source.row) == (
        "unknown-project", Severity.WARNING, "评分", 2)


def test_several_score_rows_for_one_project_are_allowed(tmp_path):
    # SCHEME.md §2: several score rows for one project → the mean of each category
    head = ["工程编号", "安全得分", "质量得分", "沟通和配合得分", "规章制度得分"]
    month = _month(tmp_path, 结算=[SETTLE_HEAD, ["GC-1", "甲", "1001", "张三", 3, 100, 30]],
                   评分=[head, ["GC-1", 90, 90, 90, 90], ["GC-1", 80, 100, 90, 90]])
    assert validate(month) == []
    assert len(month.tables["scores"]) == 2


def test_two_attendance_rows_of_one_worker_are_one_error_on_the_second(tmp_path):
    month = _month(tmp_path, 考勤=[["工号", "应出勤天数", "实出勤天数"], ["1001", 22, 22], ["1002", 22, 21],
                                 ["1001", 22, 20]])
    [p] = validate(month)
    assert (p.code, p.severity) == ("attendance-duplicate", Severity.ERROR)
    assert (p.source.row, p.source.col) == (4, "A")
    assert "另见" in p.message and "第2行" in p.message


def test_two_application_rows_that_disagree_are_reported_once(tmp_path):
    """One invariant, one code: the compute stage no longer reports it a second time."""
    from kfbonus.schemes.kf13.compute import compute_month
    from kfbonus.schemes.kf13.params import load_rules

    month = _month(tmp_path, 申报=[["工程编号", "集体激励比例"], ["GC-1", "15%"], ["GC-1", "12%"]])
    found = validate(month)
    params = load_rules().in_force(dt.date(2026, 11, 30))
    computed = compute_month(month, params, dt.date(2026, 11, 30), "2026-11").problems
    codes = [p.code for p in found + computed if p.code.endswith("application") or "application-" in p.code]
    assert codes.count("duplicate-application") == 1 and "application-duplicate" not in codes


def test_negative_days_and_piece_wages_are_errors_on_their_cells(tmp_path):
    month = _month(tmp_path, 结算=[[*SETTLE_HEAD, "个人百分比"],
                                 ["GC-1", "甲", "1001", "张三", -3, 100, 30, "100%"],
                                 ["GC-1", "甲", "1002", "李四", 3, -2000, 30, "-50%"]],
                   考勤=[["工号", "应出勤天数", "实出勤天数", "旷工天数"], ["1001", 22, 22, -1]],
                   培训=[["工号", "培训天数"], ["1002", -2]])
    problems = validate(month)
    assert _codes(problems) == ["negative-value"] * 5
    assert all(p.severity is Severity.ERROR for p in problems)
    assert sorted((p.source.sheet, p.source.row, p.source.col) for p in problems) == [
        ("培训", 2, "B"), ("结算", 2, "E"), ("结算", 3, "F"), ("结算", 3, "H"), ("考勤", 2, "D")]
    assert "个人百分比为 -50%，不能为负数" in next(p.message for p in problems if p.source.col == "H")
    wage = next(p for p in problems if p.source.col == "F")
    assert "计件工资为 -2,000.00，不能为负数" in wage.message and "扣款" in wage.message


def test_days_beyond_a_month_are_warned_training_summed_per_worker(tmp_path):
    month = _month(tmp_path, 考勤=[["工号", "应出勤天数", "实出勤天数"], ["1001", 40, 22], ["1002", 22, 22]],
                   培训=[["工号", "培训天数"], ["1001", 20], ["1001", 15], ["1002", 31]])
    problems = validate(month)
    assert _codes(problems) == ["days-over-month"] * 2
    assert all(p.severity is Severity.WARNING for p in problems)
    training = next(p for p in problems if p.source.sheet == "培训")
    assert training.source.row == 3 and "工号 1001 的培训天数为 35（2 行合计）" in training.message


def test_a_workbook_beside_its_copy_is_an_error_naming_both(tmp_path):
    training = [["工号", "培训天数"], ["1001", 2], ["1002", 1]]
    write_xlsx(tmp_path / "培训.xlsx", {"培训": training})
    write_xlsx(tmp_path / "培训 - 副本.xlsx", {"培训": training})
    month = _month(tmp_path)
    [p] = validate(month)
    assert (p.code, p.severity, str(p.source)) == ("copied-table", Severity.ERROR, "培训.xlsx › 培训")
    assert "（2 行）与 培训 - 副本.xlsx › 培训 的完全相同" in p.message
    # one-row tables alike are not called copies: the row is said on its own
    write_xlsx(tmp_path / "培训.xlsx", {"培训": training[:2]})
    write_xlsx(tmp_path / "培训 - 副本.xlsx", {"培训": training[:2]})
    assert [p.code for p in validate(_month(tmp_path))] == ["identical-row"]
    write_xlsx(tmp_path / "培训 - 副本.xlsx", {"培训": training})
    # one row changed: not a copy; the row that is the same in both is said on its own
    write_xlsx(tmp_path / "培训.xlsx", {"培训": [*training[:2], ["1002", 3]]})
    [p] = validate(_month(tmp_path))
    assert (p.code, p.severity) == ("identical-row", Severity.WARNING)
    assert str(p.source) == "培训.xlsx › 培训 第2行"


def test_a_paid_row_pasted_twice_is_warned_and_both_kept(tmp_path):
    month = _month(tmp_path, 培训=[["工号", "培训天数"], ["1001", 2], ["1002", 1], ["1001", 2]],
                   奖惩=[["工号", "类别", "金额"], ["1001", "创新奖", 300], ["1001", "创新奖", 300],
                         ["1001", "创新奖", 200]])
    problems = validate(month)
    assert _codes(problems) == ["identical-row", "identical-row"]
    assert all(p.severity is Severity.WARNING for p in problems)
    assert sorted((p.source.sheet, p.source.row) for p in problems) == [("培训", 4), ("奖惩", 3)]
    pasted = next(p for p in problems if p.source.sheet == "培训")
    assert "此行与 其他.xlsx › 培训 第2行 完全相同" in pasted.message
    assert len(month.tables["training"]) == 3


def test_a_roster_or_application_without_the_columns_that_decide_pay_is_warned(tmp_path):
    """Optional columns whose absence pays differently, said once a sheet: a roster without
    用工类型 (外包/临时/试用 cannot be excluded; 转正日期 named too when it is missing as well)
    or 离职日期; a 工程激励申报 without 集体激励比例 (no project gets a collective award)."""
    bare = [["工号", "姓名", "入职日期"], ["1001", "张三", "2020-01-01"]]
    month = _month(tmp_path / "a", roster=bare,
                   申报=[["工程编号", "重点工程", "个人激励比例"], ["GC-1", "是", "4%"]],
                   结算=[SETTLE_HEAD, ["GC-1", "甲", "1001", "张三", 3, 100, 30]])
    found = {p.code: p for p in validate(month)}
    roster, application = found["roster-column-absent"], found["application-column-absent"]
    assert (roster.severity, str(roster.source)) == (Severity.WARNING, "人员名册.xlsx › 花名册 第1行")
    assert "没有「用工类型」「转正日期」「离职日期」列" in roster.message
    assert "按用工类型排除外包、临时、试用人员" in roster.message
    assert "按离职日期排除已离职人员" in roster.message
    assert str(application.source) == "其他.xlsx › 申报 第1行"
    assert "其中的工程本月都没有集体奖" in application.message

    typed = [["工号", "姓名", "入职日期", "用工类型"], ["1001", "张三", "2020-01-01", "正式"]]
    [p] = [p for p in validate(_month(tmp_path / "b", roster=typed)) if p.code == "roster-column-absent"]
    assert "没有「离职日期」列" in p.message and "转正日期" not in p.message   # 试用 is said by the type
    full = [["工号", "姓名", "入职日期", "用工类型", "离职日期"], ["1001", "张三", "2020-01-01", "正式"]]
    assert "roster-column-absent" not in _codes(validate(_month(tmp_path / "c", roster=full)))


def test_an_incident_naming_nobody_is_warned_on_its_row(tmp_path):
    head = ["日期", "类型", "工程编号", "工号", "说明"]
    month = _month(tmp_path, 事故=[head, ["2026-11-03", "安全事故", "GC-1", None, "a"],
                                   ["2026-11-04", "质量投诉", None, "1001", "b"],
                                   ["2026-11-05", "质量投诉", None, None, "客户投诉漏水"]])
    [p] = [p for p in validate(month) if p.code == "incident-names-nobody"]
    assert (p.severity, str(p.source)) == (Severity.WARNING, "其他.xlsx › 事故 第4行")


def test_most_workers_unknown_is_one_error_for_a_roster_left_out(tmp_path):
    """Most of the month's 工号 missing from the roster is a roster left out (another
    department's roster in the folder), not that many typos: one error saying so, naming a
    few; a few unknown 工号 among known ones stay one error a row."""
    rows = [["GC-1", "甲", f"20{k:02d}", None, 3, 100, 30] for k in range(6)]
    month = _month(tmp_path / "a", 结算=[SETTLE_HEAD, *rows, ["GC-1", "甲", "1001", "张三", 3, 100, 30]])
    [p] = [p for p in validate(month) if p.severity is Severity.ERROR]
    assert p.code == "roster-mostly-unknown" and p.source is None
    assert "7 个工号中有 6 个不在人员名册（人员名册.xlsx）中" in p.message
    assert "（如 2000、2001、2002、2003、2004…，共 6 行）" in p.message
    few = _month(tmp_path / "b", 结算=[SETTLE_HEAD, *rows[:2], ["GC-1", "甲", "1001", "张三", 3, 100, 30]])
    assert _codes(p for p in validate(few) if p.severity is Severity.ERROR) == ["unknown-worker"] * 2
