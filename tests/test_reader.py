"""kfbonus.reader: every table, every shape, and bad input named by file › sheet!cell."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kfbonus.problems import Severity
from kfbonus.reader import read_month
from kfbonus.schemes import all_tables
from tests.helpers import folder_digest, write_xlsx

TABLES = all_tables()

ROSTER_HEAD = ["工号", "姓名", "入职日期", "用工类型", "岗位", "特殊技能"]


def _one(problems, code):
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, [str(p) for p in problems]
    return found[0]


def test_empty_folder_has_every_table_with_its_columns(tmp_path):
    month = read_month(tmp_path)
    for t in TABLES:
        df = month.tables[t.kind]
        assert list(df.columns) == [f.name for f in t.fields] + ["src"]
        assert len(df) == 0
    assert month.problems == []


def test_the_header_tests_caches_are_empty_once_the_folder_is_read(tmp_path):
    """The header test sees every text cell: its caches would keep the data rows' texts for
    the rest of the run (and in both processes once the workbook's is forked)."""
    from kfbonus.reader import _is_header, normalize_header

    write_xlsx(tmp_path / "名册.xlsx", {"花名册": [
        ["工号", "姓名", "入职日期"],
        *[[f"K{i:03}", f"员工{i}", dt.date(2020, 1, 2)] for i in range(30)],
    ]})
    month = read_month(tmp_path)
    assert len(month.tables["roster"]) == 30
    assert _is_header.cache_info().currsize == 0 and normalize_header.cache_info().currsize == 0


def test_roster_flat_with_title_units_and_value_forms(tmp_path):
    write_xlsx(tmp_path / "名册.xlsx", {"花名册": [
        ["2026年11月 人员名册"], [],
        ["序号", "*工号", "姓 名", "入职\n日期", "用工性质", "职务", "技能"],
        [1, 1001.0, " 张三 ", dt.date(2020, 1, 2), "正式", "施工员", "电工、焊工"],
        [2, "１００２", "李四", "2021年3月5日", "试用", "施工组长", None],
    ]}, merges={"花名册": ["A1:G1"]})
    month = read_month(tmp_path)
    assert month.problems == []
    df = month.tables["roster"]
    assert df["worker_id"] == ["1001", "1002"]
    assert df["name"] == ["张三", "李四"]
    assert df["hire_date"] == [dt.date(2020, 1, 2), dt.date(2021, 3, 5)]
    assert df["skills"] == [("电工", "焊工"), None]
    assert df["regular_date"] == [None, None]
    src = df["src"][1].cell("hire_date")
    assert (src.file, src.sheet, src.row, src.col, src.header) == ("名册.xlsx", "花名册", 5, "D", "入职日期")
    assert month.found[0].header_row == 3 and month.found[0].rows == 2
    assert month.files[0].name == "名册.xlsx" and len(month.files[0].sha256) == 64


def test_settlement_flat_over_two_sheets_and_files(tmp_path):
    head = ["工程编号", "工号", "个人工期天数(天)", "计件工资（元）", "个人百分比(%)", "工期总天数"]
    write_xlsx(tmp_path / "a.xlsx", {"一": [head, ["GC-01", "1001", 10, "1,234.50", 110, 30]],
                                     "二": [head, ["GC-02", "1002", 5, "¥88", 0.9, 20]]})
    write_xlsx(tmp_path / "b.xlsx", {"x": [head, [" GC-03 ", 1003, "７", "１２３４．５０", "95%", None]]})
    month = read_month(tmp_path)
    assert month.problems == []
    df = month.tables["settlement"]
    assert df["project_id"] == ["GC-01", "GC-02", "GC-03"]
    assert df["piece_wage"] == [Decimal("1234.50"), Decimal("88"), Decimal("1234.50")]
    assert df["percent"] == [Decimal("1.1"), Decimal("0.9"), Decimal("0.95")]
    assert df["days"] == [Decimal(10), Decimal(5), Decimal(7)]
    assert [(f.file, f.sheet, f.kind) for f in month.found] == [
        ("a.xlsx", "一", "settlement"), ("a.xlsx", "二", "settlement"), ("b.xlsx", "x", "settlement")]


def _form_sheet(pid="GC-2611-03", wage_total=1334.5, days_total=15):
    return [
        ["计件工资结算单", None, None, None, "单据编号：JS-01"],
        [f"工程编号：{pid}", None, "工程名称：", None, "阳光小区"],
        ["开工日期", "2026/11/3", "工期总天数", 30],
        ["工号", "姓名", "个人工期天数", "计件工资"],
        ["1001", "张三", 10, 1234.5],
        [None],
        ["1002", "李四", 5, "100.00"],
        ["合  计", None, days_total, wage_total],
        [],
        ["制表：王五", None, "审核：", None, "核准："],
    ]


def test_settlement_form_style_takes_project_fields_from_labels(tmp_path):
    write_xlsx(tmp_path / "结算.xlsx", {"GC-2611-03": _form_sheet()}, merges={"GC-2611-03": ["A1:D1"]})
    month = read_month(tmp_path)
    assert month.problems == []
    df = month.tables["settlement"]
    assert df["project_id"] == ["GC-2611-03", "GC-2611-03"]
    assert df["project_name"] == ["阳光小区"] * 2
    assert df["start_date"] == [dt.date(2026, 11, 3)] * 2
    assert df["total_days"] == [Decimal(30)] * 2
    assert [s.row for s in df["src"]] == [5, 7]
    # the Source of a label value is the value's cell
    assert (df["src"][0].cell("project_name").row, df["src"][0].cell("project_name").col) == (2, "E")
    assert df["src"][0].cell("project_id").col == "A"
    assert month.found[0].form_style is True


def test_an_empty_label_does_not_take_the_next_labels_text(tmp_path):
    # 工程编号： left empty beside 工程名称：顺德酒店 is no 工程编号 (it was read as
    # "工程名称:顺德酒店"): the table is read and the empty label is the error, at its own
    # cell (not the whole sheet refused for a missing column); a label's value in the next
    # cell is still read, and an empty label a filled one of the same name comes after
    write_xlsx(tmp_path / "结算.xlsx", {"空": [
        ["计件工资结算单"],
        ["工程编号：", None, "工程名称：顺德酒店"],
        ["工号", "个人工期天数", "计件工资"],
        ["1001", 10, 1000],
    ], "值在右": [
        ["计件工资结算单"],
        ["工程编号：", "GC-2611-06", "工期总天数：", 30],
        ["工号", "个人工期天数", "计件工资"],
        ["1001", 10, 1000],
    ], "后填": [
        ["计件工资结算单"],
        ["工程编号：", None, "工程名称：顺德酒店"],
        ["工程编号：GC-2611-07"],
        ["工号", "个人工期天数", "计件工资"],
        ["1002", 5, 500],
    ]})
    month = read_month(tmp_path)
    p = _one(month.problems, "missing-value")
    assert p.severity is Severity.ERROR and (p.source.sheet, p.source.cell) == ("空", "A2")
    assert "工程编号为空" in p.message
    assert not [q for q in month.problems if q.code == "missing-column"]
    df = month.tables["settlement"]
    assert [s.table.sheet for s in df["src"]] == ["空", "值在右", "后填"]
    assert df["project_id"] == [None, "GC-2611-06", "GC-2611-07"]
    assert df["project_name"][0] == "顺德酒店" and df["total_days"][1] == Decimal(30)


def test_a_form_label_that_rows_contradict_is_warned_and_the_rows_count(tmp_path):
    # a form copied for the next project: the label still says GC-2611-03, the rows GC-2611-04
    write_xlsx(tmp_path / "结算.xlsx", {"GC-2611-03": [
        ["计件工资结算单"],
        ["工程编号：GC-2611-03", None, "开工日期：2026-11-01"],
        ["工程编号", "工号", "个人工期天数", "计件工资", "开工日期"],
        ["GC-2611-03", "1001", 10, 1000, "2026-11-02"],
        ["GC-2611-04", "1002", 5, 500, "2026-11-03"],
        ["GC-2611-04", "1003", 5, 500, "2026-11-04"],
    ]})
    month = read_month(tmp_path)
    p = _one(month.problems, "label-column-mismatch")   # 开工日期 is not compared: not an id
    assert (p.severity, p.source.row, p.source.col) == (Severity.WARNING, 5, "A")
    assert "第5–6行的工程编号（如「GC-2611-04」）与表格上方的「工程编号：GC-2611-03」（A2）不同" in p.message
    assert month.tables["settlement"]["project_id"] == ["GC-2611-03", "GC-2611-04", "GC-2611-04"]


def test_settlement_total_mismatch(tmp_path):
    write_xlsx(tmp_path / "结算.xlsx", {"GC-1": _form_sheet(wage_total=1334.6)})
    p = _one(read_month(tmp_path).problems, "total-mismatch")
    assert p.severity is Severity.ERROR
    assert (p.source.file, p.source.sheet, p.source.row, p.source.col) == ("结算.xlsx", "GC-1", 8, "D")
    assert "1,334.60" in p.message and "1,334.50" in p.message


def test_settlement_days_total_mismatch(tmp_path):
    write_xlsx(tmp_path / "结算.xlsx", {"GC-1": _form_sheet(days_total=16)})
    p = _one(read_month(tmp_path).problems, "total-mismatch")
    assert (p.source.row, p.source.col) == (8, "C")


def test_scores_form_style_and_application(tmp_path):
    write_xlsx(tmp_path / "评分.xlsx", {
        "评分GC1": [["工程评分表"], ["工程编号：", None, "GC-1"],
                  ["安全得分", "质量得分", "沟通配合得分", "制度得分"], [28, 27.5, 18, 19]],
        "申报": [["工程编号", "是否重点工程", "申请比例", "个人奖比例"],
               ["GC-1", "是", 15, "5%"], ["GC-2", "×", 0.12, 0.05]],
    })
    month = read_month(tmp_path)
    assert month.problems == []
    s = month.tables["scores"]
    assert s["project_id"] == ["GC-1"]
    assert s["quality"] == [Decimal("27.5")]
    a = month.tables["application"]
    assert a["key_project"] == [True, False]
    assert a["collective_ratio"] == [Decimal("0.15"), Decimal("0.12")]
    assert a["individual_ratio"] == [Decimal("0.05"), Decimal("0.05")]


def test_nomination_is_not_confused_with_settlement(tmp_path):
    write_xlsx(tmp_path / "n.xlsx", {"s": [["工程编号", "工号", "姓名", "综合评定", "申报金额"],
                                           ["GC-1", "1001", "张三", "优秀", "200"]]})
    month = read_month(tmp_path)
    assert [f.kind for f in month.found] == ["nomination"]
    assert month.tables["nomination"]["declared_amount"] == [Decimal(200)]


def test_attendance_training_adjustment_incident_flat(tmp_path):
    write_xlsx(tmp_path / "杂.xlsx", {
        "考勤": [["工号", "姓名", "应出勤天数", "出勤天数", "旷工天数", "连续缺勤天数"],
                 ["1001", "张三", 22, 20, 1, 2]],
        "培训": [["工号", "培训天数", "培训类型", "日期"], ["1001", 2, "技能考证", "2026.11.5"]],
        "奖惩": [["工号", "类别", "金额", "说明"], ["1001", "好人好事", "-50", "迟到"]],
        "事故": [["日期", "类型", "工程编号", "工号"], [dt.date(2026, 11, 9), "质量投诉", "GC-1", None]],
    })
    month = read_month(tmp_path)
    assert month.problems == []
    assert month.tables["attendance"]["present_days"] == [Decimal(20)]
    assert month.tables["training"]["date"] == [dt.date(2026, 11, 5)]
    assert month.tables["adjustment"]["amount"] == [Decimal(-50)]
    assert month.tables["incident"]["worker_id"] == [None]


def test_attendance_day_grid(tmp_path):
    days = list(range(1, 11))
    write_xlsx(tmp_path / "考勤.xlsx", {"11月": [
        ["2026年11月考勤表"],
        ["工号", "姓名", *[f"{d}日" for d in days]],
        [None, None, *"一二三四五六日一二三"],
        ["1001", "张三", "√", "√", "旷", "休", "休", "旷", "√", "✓", None, "1"],
        ["1002", "李四", "病", "病", "休", "病", "√", "√", "√", "√", "√", "出"],
        ["1003", "王五", "休", "旷", "√", "√", "√", "√", "√", "√", "√", "休"],
        ["说明：√出勤 休休息 旷旷工"],
    ]})
    month = read_month(tmp_path)
    assert month.problems == []
    df = month.tables["attendance"]
    assert df["worker_id"] == ["1001", "1002", "1003"]
    assert df["due_days"] == [Decimal(7), Decimal(9), Decimal(8)]
    assert df["present_days"] == [Decimal(5), Decimal(6), Decimal(7)]
    assert df["absent_days"] == [Decimal(2), Decimal(0), Decimal(1)]
    # the longest run of days without √ (INPUTS.md): 旷 休 休 旷 = 4; 病 病 休 病 = 4; 休 旷 = 2
    assert df["longest_absence"] == [Decimal(4), Decimal(4), Decimal(2)]


def test_attendance_marks_as_written_and_unknown_marks_said(tmp_path):
    # 旷工 is 旷, 休息 is 休, 出勤 is √, 病假 a leave; 迟 (late) and ü (a ✓ typed in Wingdings)
    # are not known: counted due and not present, as before, and said once for the sheet
    days = list(range(1, 8))
    write_xlsx(tmp_path / "考勤.xlsx", {"11月": [
        ["工号", *[f"{d}日" for d in days]],
        ["1001", "√", "旷工", "休息", "出勤", "病假", "迟", "√"],
        ["1002", "ü", "ü", "√", "迟", "休", "√", "√"],
    ]})
    month = read_month(tmp_path)
    df = month.tables["attendance"]
    assert df["due_days"] == [Decimal(6), Decimal(6)]
    assert df["present_days"] == [Decimal(3), Decimal(3)]
    assert df["absent_days"] == [Decimal(1), Decimal(0)]
    assert df["longest_absence"] == [Decimal(2), Decimal(2)]
    [p] = month.problems
    assert (p.code, p.severity.name, p.source.sheet, p.source.row, p.source.col) == (
        "unknown-attendance-mark", "WARNING", "11月", 2, "G")
    assert "「迟」2 格（如 G2）、「ü」2 格（如 B3）" in p.message and "请改为 √" in p.message


def test_counts_typed_beside_day_marks_are_used_and_checked_against_them(tmp_path):
    # 实出勤 typed 22 where the marks count 21 (one 迟 is no √), 旷工 typed 0 where one 旷 is marked
    head = ["工号", "应出勤天数", "实出勤天数", "旷工天数", *range(1, 31)]
    marks_1 = ["√"] * 21 + ["迟"] + ["休"] * 8
    marks_2 = ["√"] * 20 + ["旷"] + ["休"] * 9
    write_xlsx(tmp_path / "考勤.xlsx", {"11月": [head, ["1001", 22, 22, 0, *marks_1],
                                                 ["1002", 21, 20, 0, *marks_2]]})
    month = read_month(tmp_path, "2026-11")
    df = month.tables["attendance"]
    assert (df["present_days"], df["absent_days"]) == ([Decimal(22), Decimal(20)], [Decimal(0), Decimal(0)])
    by_col = {p.source.col: p for p in month.problems if p.code == "count-differs-from-marks"}
    assert sorted(by_col) == ["C", "D"]
    assert (by_col["C"].source.row, by_col["D"].source.row) == (2, 3)
    assert "第2行填写的实出勤天数与当行的按日标记不一致（如第2行：填写 22，按标记数得 21）" in \
        by_col["C"].message
    assert [p.code for p in month.problems if p.code != "count-differs-from-marks"] == [
        "unknown-attendance-mark"]


def test_attendance_grid_with_real_dates(tmp_path):
    head = ["工号", *[dt.date(2026, 11, d) for d in range(1, 8)]]
    write_xlsx(tmp_path / "k.xlsx", {"k": [head, ["1001", "√", "旷", "旷", "旷", "√", "√", "√"]]})
    df = read_month(tmp_path).tables["attendance"]
    assert df["longest_absence"] == [Decimal(3)]


def test_a_grid_kept_by_its_attendance_cycle_is_read_over_the_cycle_with_a_warning(tmp_path):
    """上月26日至本月25日: day numbers that wrap once (26…31, 1…25) or dates that run from the
    month before into this one are a 考勤周期 ending in the month run: read in column order
    (a run of absences across the wrap is one run), said once; a cycle ending in the next
    month, numbers past the month before's days, or two halves of a month are not."""
    wrap = [*range(26, 32), *range(1, 26)]   # October has 31 days
    marks = ["√"] * 4 + ["旷"] * 4 + ["√"] * 23   # 旷 on 30, 31, 1, 2
    numbers = tmp_path / "numbers"
    write_xlsx(numbers / "k.xlsx", {"k": [["工号", *wrap], ["1001", *marks]]})
    month = read_month(numbers, "2026-11")
    p = _one(month.problems, "attendance-cycle")
    assert p.severity is Severity.WARNING and (p.source.sheet, p.source.row) == ("k", 1)
    assert "10月26日至11月25日" in p.message
    df = month.tables["attendance"]
    assert (df["due_days"], df["present_days"], df["absent_days"], df["longest_absence"]) == (
        [Decimal(31)], [Decimal(27)], [Decimal(4)], [Decimal(4)])

    dates = tmp_path / "dates"
    cycle = [dt.date(2026, 10, 26) + dt.timedelta(days=i) for i in range(31)]
    write_xlsx(dates / "k.xlsx", {"k": [["工号", *cycle], ["1001", *["√"] * 31]]})
    p = _one(read_month(dates, "2026-11").problems, "attendance-cycle")
    assert "2026-10-26 至 2026-11-25" in p.message
    assert _one(read_month(dates, "2026-10").problems, "wrong-month")   # ends in November: not October's
    assert _one(read_month(dates, "2026-12").problems, "wrong-month")

    # November has 30 days: 26…31 cannot be its days before a December cycle
    assert _one(read_month(numbers, "2026-12").problems, "wrong-month")
    halves = tmp_path / "halves"
    write_xlsx(halves / "k.xlsx", {"k": [["工号", *range(1, 16), *range(1, 16)], ["1001", *["√"] * 30]]})
    month = read_month(halves, "2026-11")
    assert "attendance-cycle" not in [q.code for q in month.problems]
    assert _one(month.problems, "wrong-month")


def test_day_headers_typed_as_dates_are_day_columns_of_their_month(tmp_path):
    """A grid's day headers typed as text dates (2026-11-01, 2026年11月1日) or month and day
    (11月1日, 11/1, 11-01) are day columns like 1…30; their month is checked (named as typed),
    and a month and day in December before a January run is last year's."""
    days = range(1, 31)
    forms = {"iso": [f"2026-11-{d:02d}" for d in days], "cn": [f"2026年11月{d}日" for d in days],
             "md": [f"11月{d}日" for d in days], "slash": [f"11/{d}" for d in days],
             "dash": [f"11-{d:02d}" for d in days]}
    for name, heads in forms.items():
        folder = tmp_path / name
        write_xlsx(folder / "k.xlsx", {"k": [["工号", *heads], ["1001", "旷", *["√"] * 28, "休"]]})
        month = read_month(folder, "2026-11")
        assert month.problems == [], name
        df = month.tables["attendance"]
        assert (df["due_days"], df["present_days"], df["absent_days"]) == (
            [Decimal(29)], [Decimal(28)], [Decimal(1)]), name
    october = tmp_path / "october"
    heads = [f"10月{d}日" for d in range(1, 32)]
    write_xlsx(october / "k.xlsx", {"k": [["工号", *heads], ["1001", *["√"] * 31]]})
    p = _one(read_month(october, "2026-12").problems, "wrong-month")   # 31 days like December's
    assert "2026年10月" in p.message and "「10月1日」" in p.message and p.source.cell == "B1"
    new_year = tmp_path / "new_year"
    heads = [*(f"12月{d}日" for d in range(26, 32)), *(f"1月{d}日" for d in range(1, 26))]
    write_xlsx(new_year / "k.xlsx", {"k": [["工号", *heads], ["1001", *["√"] * 31]]})
    p = _one(read_month(new_year, "2027-01").problems, "attendance-cycle")
    assert "2026-12-26 至 2027-01-25" in p.message


def test_whole_month_of_leave_counts_its_rest_days(tmp_path):
    head = ["工号", *range(1, 31)]
    marks = ["休", *["病"] * 5, *(["休"] + ["病"] * 6) * 3, "病", "休"]
    write_xlsx(tmp_path / "k.xlsx", {"k": [head, ["1001", *marks]]})
    df = read_month(tmp_path).tables["attendance"]
    assert df["longest_absence"] == [Decimal(30)]
    assert df["present_days"] == [Decimal(0)]


def test_signature_lines_end_the_table_quietly(tmp_path):
    write_xlsx(tmp_path / "n.xlsx", {"个人激励申报": [
        ["工程编号", "工号", "考评结果"], ["GC-1", "1001", "优秀"],
        [None, "申报：王工", None, "工程主管：李四"], ["评分人签字："]]})
    month = read_month(tmp_path)
    assert month.problems == []
    assert len(month.tables["nomination"]) == 1


def test_day_grid_with_roster_like_columns_is_attendance(tmp_path):
    # 工号+姓名+班组 also fit a roster missing 入职日期; the day columns make it attendance
    head = ["工号", "姓名", "班组", *range(1, 11), "备注"]
    row = ["1001", "张三", "安装一组", *"√" * 9, "旷", None]
    write_xlsx(tmp_path / "考勤.xlsx", {"11月考勤": [head, row]})
    month = read_month(tmp_path)
    assert month.problems == []
    assert month.found[0].kind == "attendance"
    assert month.tables["attendance"]["absent_days"] == [Decimal(1)]


def test_missing_required_column(tmp_path):
    write_xlsx(tmp_path / "结算.xlsx", {"S": [["标题"], ["工程编号", "工号", "个人工期天数", "姓名"],
                                              ["GC-1", "1001", 3, "张三"]]})
    month = read_month(tmp_path)
    p = _one(month.problems, "missing-column")
    assert p.severity is Severity.ERROR
    assert (p.source.file, p.source.sheet, p.source.row) == ("结算.xlsx", "S", 2)
    assert "计件工资" in p.message
    assert len(month.tables["settlement"]) == 0


def test_non_numeric_amount(tmp_path):
    write_xlsx(tmp_path / "结算.xlsx", {"S": [["工程编号", "工号", "个人工期天数", "计件工资"],
                                              ["GC-1", "1001", 3, "一千"]]})
    month = read_month(tmp_path)
    p = _one(month.problems, "invalid-number")
    assert p.severity is Severity.ERROR
    assert (p.source.file, p.source.sheet, p.source.row, p.source.col, p.source.header) == (
        "结算.xlsx", "S", 2, "D", "计件工资")
    assert "一千" in p.message
    assert month.tables["settlement"]["piece_wage"] == [None]


def test_impossible_date(tmp_path):
    write_xlsx(tmp_path / "人员名册.xlsx", {"花名册": [ROSTER_HEAD, ["1001", "张三", "2026-13-01"]]})
    p = _one(read_month(tmp_path).problems, "invalid-date")
    assert p.severity is Severity.ERROR
    assert str(p.source) == "人员名册.xlsx › 花名册!C2"
    assert p.message == "入职日期「2026-13-01」不是有效日期，应为如 2026-11-03 的日期"


def test_missing_required_value(tmp_path):
    write_xlsx(tmp_path / "r.xlsx", {"r": [ROSTER_HEAD, ["1001", None, "2020-01-01"]]})
    p = _one(read_month(tmp_path).problems, "missing-value")
    assert (p.severity, p.source.row, p.source.col) == (Severity.ERROR, 2, "B")


def test_corrupt_file_is_one_error(tmp_path):
    (tmp_path / "坏文件.xlsx").write_bytes(b"this is not a zip at all")
    write_xlsx(tmp_path / "好.xlsx", {"r": [ROSTER_HEAD, ["1001", "张三", "2020-01-01"]]})
    month = read_month(tmp_path)
    p = _one(month.problems, "unreadable-file")
    assert (p.severity, p.source.file, p.source.sheet) == (Severity.ERROR, "坏文件.xlsx", None)
    assert len(month.problems) == 1
    assert len(month.tables["roster"]) == 1
    assert [f.name for f in month.files] == ["好.xlsx"]


def test_lock_hidden_and_other_files(tmp_path):
    write_xlsx(tmp_path / "人员名册.xlsx", {"r": [ROSTER_HEAD, ["1001", "张三", "2020-01-01"]]})
    (tmp_path / "~$人员名册.xlsx").write_bytes(b"\x00lock")
    (tmp_path / ".DS_Store").write_bytes(b"\x00")
    (tmp_path / "说明.txt").write_text("hi")
    month = read_month(tmp_path)
    lock = _one(month.problems, "lock-file")
    assert lock.severity is Severity.WARNING
    assert lock.source.file == "~$人员名册.xlsx" and "人员名册.xlsx" in lock.message
    other = _one(month.problems, "file-not-read")
    assert (other.severity, other.source.file) == (Severity.WARNING, "说明.txt")
    assert len(month.problems) == 2


def test_unrecognised_and_hidden_sheets(tmp_path):
    write_xlsx(tmp_path / "w.xlsx", {
        "备忘": [["本月注意事项"], ["无"]],
        "旧名册": [ROSTER_HEAD, ["1001", "张三", "2020-01-01"]],
        "下拉": [["正式"], ["试用"]],
        "空": [],
    }, hidden=["旧名册", "下拉"])
    month = read_month(tmp_path)
    un = _one(month.problems, "unrecognised-sheet")
    assert (un.severity, un.source.sheet) == (Severity.WARNING, "备忘")
    hid = _one(month.problems, "hidden-sheet")
    assert (hid.severity, hid.source.sheet) == (Severity.WARNING, "旧名册")
    assert len(month.tables["roster"]) == 1
    assert len(month.problems) == 2


def test_two_row_header(tmp_path):
    write_xlsx(tmp_path / "k.xlsx", {"k": [
        ["工号", "姓名", "出勤情况", None],
        [None, None, "应出勤天数", "实出勤天数"],
        ["1001", "张三", 22, 21],
    ]}, merges={"k": ["A1:A2", "B1:B2", "C1:D1"]})
    month = read_month(tmp_path)
    assert month.problems == []
    assert month.tables["attendance"]["due_days"] == [Decimal(22)]
    assert month.tables["attendance"]["src"][0].row == 3


def test_row_without_required_values_is_a_warning_not_data(tmp_path):
    write_xlsx(tmp_path / "r.xlsx", {"r": [ROSTER_HEAD, ["1001", "张三", "2020-01-01"],
                                           [None, None, None, "正式"], ["小计", None]]})
    month = read_month(tmp_path)
    p = _one(month.problems, "row-ignored")
    assert (p.severity, p.source.row) == (Severity.WARNING, 3)
    assert len(month.tables["roster"]) == 1


@pytest.mark.parametrize("with_problems", [False, True])
def test_folder_is_never_written(tmp_path, with_problems):
    write_xlsx(tmp_path / "人员名册.xlsx", {"r": [ROSTER_HEAD, ["1001", "张三", "2020-13-01"]]})
    write_xlsx(tmp_path / "结算.xlsx", {"GC-1": _form_sheet(wage_total=1 if with_problems else 1334.5)})
    if with_problems:
        (tmp_path / "坏.xlsx").write_bytes(b"PK\x03\x04broken")
        (tmp_path / "~$结算.xlsx").write_bytes(b"lock")
    before = folder_digest(tmp_path)
    read_month(tmp_path)
    assert folder_digest(tmp_path) == before


def test_reading_is_deterministic(tmp_path):
    write_xlsx(tmp_path / "b.xlsx", {"r": [ROSTER_HEAD, ["1002", "李四", "2020-01-01"]]})
    write_xlsx(tmp_path / "a.xlsx", {"r": [ROSTER_HEAD, ["1001", "张三", "2020-01-01"]]})
    month = read_month(tmp_path)
    assert month.tables["roster"]["worker_id"] == ["1001", "1002"]


def test_old_xls_workbooks_are_read(tmp_path):
    """An Excel 97–2003 .xls (made here by LibreOffice from an .xlsx) reads like any workbook."""
    from tests.render_tools import soffice_convert

    src = tmp_path / "src"
    rows = [["工号", "姓名", "入职日期"], ["1001", "张三", "2020-01-01"]]
    write_xlsx(src / "人员名册.xlsx", {"花名册": rows})
    xls = soffice_convert(src / "人员名册.xlsx", "xls", tmp_path / "month", tmp_path / "home")
    assert xls.suffix == ".xls"
    month = read_month(tmp_path / "month")
    assert month.problems == []
    assert [(f.file, f.kind) for f in month.found] == [("人员名册.xls", "roster")]
    assert month.tables["roster"]["name"] == ["张三"]


# --- the workbooks shared between two processes (kfbonus.beside) ------------------------------

def _as_read(month) -> dict:
    tables = {kind: ({n: df[n] for n in df.columns if n != "src"},
                     [(s.table.file, s.table.sheet, s.row) for s in df["src"]])
              for kind, df in month.tables.items()}
    return {"tables": tables, "problems": [(p.code, str(p)) for p in month.problems],
            "found": month.found, "files": month.files}


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="no fork on this system")
def test_reading_in_two_processes_gives_what_one_reads(tmp_path, monkeypatch):
    import shutil
    from pathlib import Path

    import kfbonus.beside

    sample = Path(__file__).resolve().parents[1] / "input_samples" / "2026-11"
    folder = tmp_path / "2026-11"
    shutil.copytree(sample, folder)
    (folder / "~$人员名册.xlsx").write_bytes(b"lock")
    (folder / "说明.txt").write_text("x", encoding="utf-8")
    (folder / "坏文件.xlsx").write_bytes(b"not a zip")
    (folder / "旧的").mkdir()
    seen = {}
    for forked in (False, True):
        monkeypatch.setattr(kfbonus.beside, "can_fork", lambda forked=forked: forked)
        seen[forked] = _as_read(read_month(folder, "2026-11"))
    assert seen[True] == seen[False]
    assert len(seen[True]["files"]) == 9 and sum(len(src) for _, src in seen[True]["tables"].values()) > 100
    codes = [code for code, _ in seen[True]["problems"]]
    assert {"lock-file", "file-not-read", "unreadable-file", "subfolder-not-read"} <= set(codes)


def test_a_month_without_its_rows_keeps_what_the_outputs_say_of_it():
    """Once computed, the run keeps the input without its rows (its memory is the largest
    part of a big month's): every table kind is still there with its columns and no rows;
    the folder, files, tables found and problems are the same objects."""
    from pathlib import Path

    sample = Path(__file__).resolve().parents[1] / "input_samples" / "2026-11"
    month = read_month(sample, "2026-11")
    slim = month.without_rows()
    assert slim is not month and sum(len(t) for t in month.tables.values()) > 100
    assert set(slim.tables) == set(month.tables)
    assert all(len(slim.table(k)) == 0 and slim.table(k).columns == month.table(k).columns
               for k in month.tables)
    assert (slim.folder, slim.files, slim.found, slim.problems, slim.read) == (
        month.folder, month.files, month.found, month.problems, month.read)
    assert slim.title("settlement") == month.title("settlement") == "计件工资结算单"
    assert len(month.table("settlement")) > 0   # the month read is not changed
