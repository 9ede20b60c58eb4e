"""The reader on the shapes real departments keep (issue 8): each class read exactly or
refused with the cell named, nothing dropped without a message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import Workbook

from kfbonus.problems import Severity
from kfbonus.reader import read_month
from tests.helpers import write_xlsx


def _codes(month):
    return sorted(p.code for p in month.problems)


def _one(problems, code):
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, [str(p) for p in problems]
    return found[0]


def _amounts(df, name):
    return list(df[name])


def _rows(df):
    return [s.row for s in df["src"]]


# --- 1. totals end nothing ---------------------------------------------------------------

def test_adjustments_in_two_sections_each_with_its_total_and_a_grand_total(tmp_path):
    write_xlsx(tmp_path / "奖惩.xlsx", {"其他奖惩": [
        ["其他奖惩明细"],
        ["工号", "姓名", "类别", "金额", "说明"],
        ["1001", "张三", "优秀个人奖", 500, None],
        ["1002", "李四", "创新奖", 300, None],
        ["奖励小计", None, None, 800],
        ["1003", "王五", "扣款", 200, "违规"],
        ["1004", "赵六", "扣款", "50.50", None],
        ["扣款合计", None, None, "250.50"],
        ["总  计", None, None, 1050.5],
        ["制表：", None, "审核："],
    ]})
    month = read_month(tmp_path)
    assert month.problems == []
    df = month.tables["adjustment"]
    assert df["worker_id"] == ["1001", "1002", "1003", "1004"]
    assert _amounts(df, "amount") == [Decimal(500), Decimal(300), Decimal(200), Decimal("50.50")]
    assert _rows(df) == [3, 4, 6, 7]


def test_a_section_total_that_does_not_add_up_is_an_error_naming_the_cell(tmp_path):
    write_xlsx(tmp_path / "奖惩.xlsx", {"其他奖惩": [
        ["工号", "类别", "金额"],
        ["1001", "优秀个人奖", 500],
        ["1002", "创新奖", 300],
        ["小计", None, 700],
        ["1003", "扣款", 200],
        ["合计", None, 1000],
    ]})
    month = read_month(tmp_path)
    p = _one(month.problems, "total-mismatch")
    assert p.severity is Severity.ERROR
    assert str(p.source) == "奖惩.xlsx › 其他奖惩!C4"
    assert "700" in p.message and "800" in p.message
    # the rows after the wrong total are still data
    assert month.tables["adjustment"]["worker_id"] == ["1001", "1002", "1003"]


def test_training_with_its_total_right_under_the_header(tmp_path):
    write_xlsx(tmp_path / "培训.xlsx", {"带薪培训": [
        ["工号", "姓名", "培训天数", "培训类型"],
        ["合计", None, "3.5", None],
        ["1001", "张三", 2, "带薪培训"],
        ["1002", "李四", "1.5", "技能考证"],
    ]})
    month = read_month(tmp_path)
    assert month.problems == []
    assert month.tables["training"]["days"] == [Decimal(2), Decimal("1.5")]


def test_settlement_sections_per_project_with_spaced_subtotals(tmp_path):
    write_xlsx(tmp_path / "结算.xlsx", {"结算": [
        ["工程编号", "工号", "个人工期天数", "计件工资"],
        ["GC-1", "1001", 10, 1000],
        ["GC-1", "1002", 5, 500],
        [None, "小　计", 15, 1500],
        ["GC-2", "1003", 8, "800.20"],
        [None, "小　计", 8, "800.20"],
        ["合　计", None, 23, "2,300.20"],
    ]})
    month = read_month(tmp_path)
    assert month.problems == []
    df = month.tables["settlement"]
    assert df["piece_wage"] == [Decimal(1000), Decimal(500), Decimal("800.20")]


@pytest.mark.parametrize(("kind", "head", "rows", "col"), [
    ("attendance", ["工号", "应出勤天数", "实出勤天数"], [["1001", 22, 22], ["1002", 22, 20]], "B"),
    ("nomination", ["工程编号", "工号", "考评结果", "申报金额"],
     [["GC-1", "1001", "优秀", 200], ["GC-1", "1002", "优秀", 100]], "D"),
    ("roster", ["工号", "姓名", "入职日期"], [["1001", "张三", "2020-01-01"]], None),
])
def test_every_table_kind_checks_its_totals(tmp_path, kind, head, rows, col):
    total = ["合计"] + [None] * (len(head) - 1)
    if col is not None:
        total[ord(col) - 65] = 999
    write_xlsx(tmp_path / "t.xlsx", {"表": [head, *rows, total, *rows[-1:]]})
    month = read_month(tmp_path)
    assert len(month.tables[kind]) == len(rows) + 1   # rows after the total are data
    if col is None:
        assert "total-mismatch" not in _codes(month)
    else:
        p = _one(month.problems, "total-mismatch")
        assert (p.source.row, p.source.col) == (len(rows) + 2, col)


# --- 2. headers by the best match ----------------------------------------------------------

def test_scores_under_a_two_row_header_are_scores_not_an_application(tmp_path):
    write_xlsx(tmp_path / "评分.xlsx", {"评分": [
        ["工程评分汇总"],
        ["工程编号", "工程名称", "检查得分", None, None, None, "备注"],
        [None, None, "安全得分", "质量得分", "沟通和配合得分", "规章制度得分", None],
        ["GC-1", "酒店", 90, 92.5, 88, 95, None],
        ["GC-2", "医院", 85, 90, 90, 90, None],
    ]}, merges={"评分": ["A2:A3", "B2:B3", "C2:F2", "G2:G3"]})
    month = read_month(tmp_path)
    assert month.problems == []
    assert [f.kind for f in month.found] == ["scores"]
    s = month.tables["scores"]
    assert s["project_id"] == ["GC-1", "GC-2"]
    assert s["quality"] == [Decimal("92.5"), Decimal(90)]
    assert len(month.tables["application"]) == 0


@pytest.mark.parametrize(("kind", "upper", "lower", "row", "check"), [
    ("settlement", ["工程编号", "工号", "工期", None, "计件工资"],
     [None, None, "个人工期天数", "工期总天数", None],
     ["GC-1", "1001", 10, 30, 1000], ("days", Decimal(10))),
    ("application", ["工程编号", "激励比例", None, "重点工程"], [None, "集体激励比例", "个人激励比例", None],
     ["GC-1", "15%", "5%", "是"], ("individual_ratio", Decimal("0.05"))),
    ("nomination", ["工程编号", "人员", None, "考评结果"], [None, "工号", "姓名", None],
     ["GC-1", "1001", "张三", "优秀"], ("rating", "优秀")),
    ("incident", ["日期", "类型", "涉及", None], [None, None, "工程编号", "工号"],
     ["2026-11-03", "质量投诉", "GC-1", "1001"], ("project_id", "GC-1")),
])
def test_a_two_row_header_over_each_table_kind_with_a_project(tmp_path, kind, upper, lower, row, check):
    write_xlsx(tmp_path / "t.xlsx", {"表": [upper, lower, row]})
    month = read_month(tmp_path)
    assert month.problems == []
    assert [f.kind for f in month.found] == [kind]
    assert month.tables[kind][check[0]] == [check[1]]
    assert month.found[0].header_row == 1


@pytest.mark.parametrize(("kind", "head", "row", "field", "value"), [
    ("scores", ["工程号", "安全得分", "质量得分", "配合得分", "制度得分"], ["GC-1", 90, 90, 90, 90],
     "project_id", "GC-1"),
    ("nomination", ["项目编号", "员工编号", "评定结果"], ["GC-1", "1001", "优秀"], "worker_id", "1001"),
    ("application", ["工程号", "集体奖比例"], ["GC-1", "15%"], "collective_ratio", Decimal("0.15")),
    ("training", ["员工编号", "培训天数"], ["1001", 2], "worker_id", "1001"),
    ("attendance", ["编号", "应出勤天数", "出勤天数"], ["1001", 22, 21], "present_days", Decimal(21)),
    ("adjustment", ["员工编号", "类别", "金额"], ["1001", "创新奖", 300], "amount", Decimal(300)),
    ("incident", ["日期", "类型", "工程号", "员工编号"], ["2026-11-02", "安全事故", "GC-1", "1001"],
     "worker_id", "1001"),
])
def test_an_alias_belongs_to_the_column_in_every_table(tmp_path, kind, head, row, field, value):
    write_xlsx(tmp_path / "t.xlsx", {"表": [head, row]})
    month = read_month(tmp_path)
    assert month.problems == []
    assert [f.kind for f in month.found] == [kind]
    assert month.tables[kind][field] == [value]


def test_a_header_naming_one_column_twice_is_an_error_naming_both_letters(tmp_path):
    write_xlsx(tmp_path / "结算.xlsx", {"结算": [
        ["工程编号", "工号", "个人工期天数", "计件工资", "备注", "应发计件工资"],
        ["GC-1", "1001", 10, 1000, None, 1200],
    ]})
    month = read_month(tmp_path)
    p = _one(month.problems, "duplicate-column")
    assert p.severity is Severity.ERROR
    assert "D 列" in p.message and "F 列" in p.message
    assert (p.source.row, p.source.col) == (1, "F")


def test_stacked_tables_on_one_sheet_are_all_read(tmp_path):
    write_xlsx(tmp_path / "月度.xlsx", {"奖惩及培训": [
        ["2026年11月带薪培训"],
        ["工号", "姓名", "培训天数"],
        ["1001", "张三", 2],
        ["1002", "李四", 1],
        ["合计", None, 3],
        [],
        ["2026年11月其他奖惩"],
        ["工号", "姓名", "类别", "金额"],
        ["1001", "张三", "创新奖", None],
        ["1003", "王五", "扣款", 100],
        [],
        ["事故投诉登记"],
        ["日期", "类型", "工程编号", "说明"],
        ["2026-11-05", "质量投诉", "GC-1", "漏水"],
    ]})
    month = read_month(tmp_path, "2026-11")
    assert month.problems == []
    assert [(f.kind, f.header_row, f.rows) for f in month.found] == [
        ("training", 2, 2), ("adjustment", 8, 2), ("incident", 13, 1)]
    assert month.tables["adjustment"]["worker_id"] == ["1001", "1003"]
    assert month.tables["incident"]["project_id"] == ["GC-1"]


def test_a_table_after_a_signature_line_is_read_and_stray_numbers_are_reported(tmp_path):
    write_xlsx(tmp_path / "t.xlsx", {"表": [
        ["工号", "培训天数"],
        ["1001", 2],
        ["制表：张三", None, "审核："],
        [None, 5],
        ["工号", "类别", "金额"],
        ["1002", "创新奖", 300],
    ]})
    month = read_month(tmp_path)
    assert [(f.kind, f.rows) for f in month.found] == [("training", 1), ("adjustment", 1)]
    p = _one(month.problems, "row-after-table")
    assert p.severity is Severity.WARNING and p.source.row == 4


def test_cells_of_data_rows_in_a_column_without_a_header_are_reported_per_column(tmp_path):
    # a note and a corrected figure typed beside the table, a row number column without a
    # header; a merged header cell over two columns and a two-row header's group cell are
    # headers; a lone dash, a total row's and a signature line's cells are not data
    write_xlsx(tmp_path / "t.xlsx", {"培训": [
        [None, "工号", "培训天数", "备注", None, None],
        [1, "1001", 2, "补考", "见附件", None],
        [2, "1002", 1, None, None, "改为 3 天"],
        [3, "1003", 1, None, "-", None],
        [None, "合计", 4, None, None, "核对"],
        ["制表：张三", None, None, None, None, "审核："],
    ], "评分": [
        ["工程编号", "检查得分", None, None, None, None],
        [None, "安全得分", "质量得分", "沟通和配合得分", "规章制度得分", None],
        ["GC-1", 90, 80, 85, 95, 88],
    ]}, merges={"培训": ["D1:E1"], "评分": ["A1:A2", "B1:E1"]})
    month = read_month(tmp_path)
    found = sorted((p.source.sheet, p.source.col, p.source.row, p.message)
                   for p in month.problems if p.code == "cell-without-header")
    assert [(sheet, col, row) for sheet, col, row, _ in found] == [
        ("培训", "A", 2), ("培训", "F", 3), ("评分", "F", 3)]
    assert all(p.severity is Severity.WARNING for p in month.problems if p.code == "cell-without-header")
    msg = {(sheet, col): m for sheet, col, _, m in found}
    assert "A 列没有表头，第2–4行在此列的内容（如「1」）未读取" in msg["培训", "A"]
    assert "第3行在此列的内容（如「改为 3 天」）" in msg["培训", "F"]
    assert [p.code for p in month.problems if p.code != "cell-without-header"] == []
    assert month.tables["training"]["days"] == [Decimal(2), Decimal(1), Decimal(1)]


def test_a_data_like_row_above_the_header_is_reported_titles_and_labels_are_not(tmp_path):
    write_xlsx(tmp_path / "t.xlsx", {"培训": [
        ["2026年11月带薪培训"],
        ["制表日期", dt.date(2026, 11, 30)],
        ["单据编号：", "0012"],
        ["1009", 3, "补录"],
        [1010, "2"],
        ["工号", "培训天数"],
        ["1001", 2],
    ]})
    month = read_month(tmp_path)
    rows = sorted((p.code, p.severity, p.source.row) for p in month.problems)
    assert rows == [("row-before-table", Severity.WARNING, 4), ("row-before-table", Severity.WARNING, 5)]
    assert "看起来是数据（如「1009」）" in month.problems[0].message
    assert month.tables["training"]["worker_id"] == ["1001"]


def test_headers_and_ids_pasted_with_invisible_characters_are_read(tmp_path):
    write_xlsx(tmp_path / "t.xlsx", {"培训": [["\ufeff工号\u200b", "培训天数"], ["1001\u200b", 2]]})
    month = read_month(tmp_path)
    assert month.problems == []
    assert month.tables["training"]["worker_id"] == ["1001"]


def test_excel_subtotal_rows_are_checked_totals_and_a_title_ending_in_huizong_stays_a_title(tmp_path):
    # Excel's 分类汇总 writes 「GC-2611-01 汇总」 rows and a 总计; 共计 is a total too.  A title
    # 「2026年10月奖惩汇总」 (no number) is still the next table's title: its month is checked
    write_xlsx(tmp_path / "结算.xlsx", {"结算": [
        ["工程编号", "工号", "个人工期天数", "计件工资"],
        ["GC-2611-01", "1001", 10, 1000],
        ["GC-2611-01", "1002", 5, 500],
        ["GC-2611-01 汇总", None, 15, 1500],
        ["GC-2611-02", "1003", 4, 400],
        ["GC-2611-02 汇总", None, 4, 401],
        ["总计", None, 19, 1900],
        ["共计", None, 19, 1900],
    ], "培训": [
        ["工号", "培训天数"], ["1001", 2],
        [None],
        ["2026年10月奖惩汇总"],
        ["工号", "类别", "金额"], ["1002", "创新奖", 300],
    ]})
    month = read_month(tmp_path, "2026-11")
    assert month.tables["settlement"]["worker_id"] == ["1001", "1002", "1003"]
    assert sorted((p.code, p.source.sheet, p.source.row, p.source.col) for p in month.problems) == [
        ("total-mismatch", "结算", 6, "D"), ("wrong-month", "培训", 4, "A")]


def test_a_cell_merged_down_over_a_crew_gives_its_value_to_every_row(tmp_path):
    write_xlsx(tmp_path / "结算.xlsx", {"结算": [
        ["工程编号", "工程名称", "工号", "个人工期天数", "计件工资"],
        ["GC-1", "顺德酒店", "1001", 10, 1000],
        [None, None, "1002", 5, 500],
        [None, None, "1003", 4, 400],
        ["GC-2", "江门医院", "1004", 3, 300],
        ["合计", None, None, 22, 2200],
    ]}, merges={"结算": ["A2:A4", "B2:B4"]})
    month = read_month(tmp_path)
    assert month.problems == []
    df = month.tables["settlement"]
    assert df["project_id"] == ["GC-1", "GC-1", "GC-1", "GC-2"]
    assert df["project_name"] == ["顺德酒店"] * 3 + ["江门医院"]


# --- 3. what calamine does not show -------------------------------------------------------

def _xlsx(path, rows, *, formats=None, hidden_rows=(), errors=None):
    """An .xlsx written with openpyxl: ``errors`` maps a cell to an Excel error value
    (written as an error cell, t="e"); ``=…`` strings are formulas without a cached value."""
    wb = Workbook()
    ws = wb.active
    ws.title = "表"
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row, start=1):
            if v is not None:
                ws.cell(row=r, column=c, value=v)
    for ref, value in (errors or {}).items():
        ws[ref].value = value
        ws[ref].data_type = "e"
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    for r in hidden_rows:
        ws.row_dimensions[r].hidden = True
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


@pytest.mark.parametrize("value", ["#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?"])
@pytest.mark.parametrize(("ref", "required"), [("D2", True), ("C3", False)])
def test_an_excel_error_value_is_an_error_naming_the_cell_never_blank(tmp_path, value, ref, required):
    rows = [["工号", "类别", "金额", "培训"], ["1001", "创新奖", 300, None],
            ["1002", "优秀个人奖", None, None]]
    if required:   # 计件工资 of a settlement is required
        rows = [["工程编号", "工号", "个人工期天数", "计件工资"], ["GC-1", "1001", 10, None]]
    _xlsx(tmp_path / "t.xlsx", rows, errors={ref: value})
    month = read_month(tmp_path)
    p = _one(month.problems, "cell-error")
    assert p.severity is Severity.ERROR
    assert str(p.source).endswith(f"表!{ref}") and value in p.message
    assert "missing-value" not in _codes(month)


def test_a_formula_without_a_saved_result_asks_to_open_and_save(tmp_path):
    _xlsx(tmp_path / "t.xlsx", [["工号", "类别", "金额"], ["1001", "创新奖", "=100*3"],
                                ["合计", None, "=SUM(C2:C2)"]])
    month = read_month(tmp_path)
    found = [p for p in month.problems if p.code == "formula-not-calculated"]
    assert [(p.source.row, p.source.col) for p in found] == [(2, "C"), (3, "C")]
    assert all("打开" in p.message and "保存" in p.message for p in found)


def test_rows_hidden_in_excel_are_read_with_a_warning_naming_them(tmp_path):
    _xlsx(tmp_path / "t.xlsx", [["工号", "培训天数"], ["1001", 1], ["1002", 2], ["1003", 3], ["1004", 4]],
          hidden_rows=(3, 4))
    month = read_month(tmp_path)
    assert month.tables["training"]["worker_id"] == ["1001", "1002", "1003", "1004"]
    p = _one(month.problems, "hidden-row")
    assert p.severity is Severity.WARNING and "第3–4行" in p.message and p.source.row == 3


def test_percent_formatted_numbers_mean_what_excel_shows(tmp_path):
    _xlsx(tmp_path / "t.xlsx", [["工程编号", "集体激励比例", "个人激励比例", "重点工程"],
                                ["GC-1", 0.15, 0.05, "是"], ["GC-2", 15, 3, "是"]],
          formats={"B2": "0%", "C2": "0.0%"})
    month = read_month(tmp_path)
    assert month.problems == []
    a = month.tables["application"]
    assert a["collective_ratio"] == [Decimal("0.15"), Decimal("0.15")]
    assert a["individual_ratio"] == [Decimal("0.05"), Decimal("0.03")]


def test_a_percent_formatted_share_above_five_is_not_divided_again(tmp_path):
    _xlsx(tmp_path / "t.xlsx", [["工程编号", "工号", "个人工期天数", "计件工资", "个人百分比"],
                                ["GC-1", "1001", 10, 1000, 5.5], ["GC-1", "1002", 10, 1000, 1.05]],
          formats={"E2": "0%", "E3": "0%"})
    month = read_month(tmp_path)
    assert month.tables["settlement"]["percent"] == [Decimal("5.5"), Decimal("1.05")]


def test_a_money_cell_in_percent_format_is_refused(tmp_path):
    _xlsx(tmp_path / "t.xlsx", [["工程编号", "工号", "个人工期天数", "计件工资"], ["GC-1", "1001", 10, 0.05]],
          formats={"D2": "0%"})
    p = _one(read_month(tmp_path).problems, "percent-format")
    assert str(p.source).endswith("表!D2") and "5%" in p.message


# --- 4. money has two decimals -------------------------------------------------------------

def test_money_with_three_decimals_is_an_error_naming_the_cell(tmp_path):
    write_xlsx(tmp_path / "t.xlsx", {"表": [["工号", "类别", "金额"], ["1001", "创新奖", 12.345],
                                           ["1002", "创新奖", "300.10"],
                                           ["1003", "创新奖", 17.849999999999998]]})
    month = read_month(tmp_path)
    p = _one(month.problems, "money-decimals")
    assert str(p.source) == "t.xlsx › 表!C2" and "12.345" in p.message
    assert month.tables["adjustment"]["amount"][1:] == [Decimal("300.10"), Decimal("17.85")]


# --- 5. the month is the month ---------------------------------------------------------------

@pytest.mark.parametrize(("file", "sheet", "title", "where"), [
    ("计件工资（2026年10月）.xlsx", "结算", None, "计件工资（2026年10月）.xlsx"),
    ("结算.xlsx", "2026.10结算", None, "结算.xlsx › 2026.10结算"),
    ("结算.xlsx", "结算", ["2026年10月计件工资结算单"], "结算.xlsx › 结算!A1"),
    ("结算.xlsx", "结算", ["结算月份：2026-10"], "结算.xlsx › 结算!A1"),
    ("结算.xlsx", "结算", ["月份", "10月"], "结算.xlsx › 结算!B1"),
])
def test_a_workbook_of_another_month_is_refused_naming_the_file(tmp_path, file, sheet, title, where):
    rows = [["工程编号", "工号", "个人工期天数", "计件工资"], ["GC-1", "1001", 10, 1000]]
    write_xlsx(tmp_path / file, {sheet: [title, *rows] if title else rows})
    month = read_month(tmp_path, "2026-11")
    p = _one(month.problems, "wrong-month")
    assert p.severity is Severity.ERROR and str(p.source) == where
    assert "2026年10月" in p.message or "10月" in p.message
    assert "2026年11月" in p.message
    # the same workbook in its own month is fine
    assert "wrong-month" not in _codes(read_month(tmp_path, "2026-10"))


def test_dates_and_codes_are_not_month_markers(tmp_path):
    write_xlsx(tmp_path / "结算GC-2610-01.xlsx", {"GC-2610-01": [
        ["计件工资结算单", None, "制表日期：2026-12-02"],
        ["开工日期", dt.date(2026, 10, 20), "完工日期", "2026年11月3日"],
        ["工程编号", "工号", "个人工期天数", "计件工资"], ["GC-2610-01", "1001", 10, 1000]]})
    assert read_month(tmp_path, "2026-11").problems == []


def _grid(days, first=1):
    head = ["工号", "姓名", *days]
    return [head, ["1001", "张三", *(["√"] * len(days))]]


def test_an_attendance_grid_with_another_months_day_count_is_refused(tmp_path):
    write_xlsx(tmp_path / "考勤.xlsx", {"考勤": _grid(list(range(1, 32)))})
    p = _one(read_month(tmp_path, "2026-11").problems, "wrong-month")
    assert "31" in p.message and "30 天" in p.message
    assert read_month(tmp_path, "2026-12").problems == []


def test_an_attendance_grid_dated_in_another_month_is_refused(tmp_path):
    days = [dt.date(2026, 10, d) for d in range(1, 32)]
    write_xlsx(tmp_path / "考勤.xlsx", {"考勤": _grid(days)})
    p = _one(read_month(tmp_path, "2026-11").problems, "wrong-month")
    assert "2026年10月" in p.message and p.source.col == "C"
    assert read_month(tmp_path, "2026-10").problems == []


def test_the_year_end_run_compares_the_year_only(tmp_path):
    write_xlsx(tmp_path / "2026年事故投诉.xlsx", {"2026年12月": [
        ["日期", "类型", "工程编号"], ["2026-03-02", "安全事故", "GC-2603-01"]]})
    assert read_month(tmp_path, "2026").problems == []
    assert _one(read_month(tmp_path, "2027").problems, "wrong-month")


def test_a_workbook_of_another_month_is_one_problem_not_one_per_sheet(tmp_path):
    rows = [["结算月份：2026年10月"], ["工程编号", "工号", "个人工期天数", "计件工资"],
            ["GC-1", "1001", 10, 1000]]
    write_xlsx(tmp_path / "结算.xlsx", {"GC-1": rows, "GC-2": rows, "GC-3": rows})
    p = _one(read_month(tmp_path, "2026-11").problems, "wrong-month")
    assert str(p.source) == "结算.xlsx › GC-1!A1" and "另有 2 处" in p.message


def test_adjustments_naming_a_team_or_a_percentage(tmp_path):
    from kfbonus.values import Percentage

    _xlsx(tmp_path / "t.xlsx", [["工号", "班组", "类别", "金额"],
                                [None, "安装一组", "优秀团队奖", None],
                                ["1001", None, "扣款", "5%"],
                                ["1002", None, "扣款", 0.03],
                                [None, None, "扣款", 100]], formats={"D4": "0%"})
    month = read_month(tmp_path)
    df = month.tables["adjustment"]
    assert df["team"][:1] == ["安装一组"]
    assert df["amount"] == [None, Percentage(Decimal("0.05")), Percentage(Decimal("0.03")),
                                     Decimal(100)]
    p = _one(month.problems, "missing-value")   # neither 工号 nor 班组
    assert str(p.source) == "t.xlsx › 表!A5" and "班组" in p.message


def test_the_title_of_a_table_under_a_one_column_table_is_not_a_project(tmp_path):
    write_xlsx(tmp_path / "t.xlsx", {"申报": [
        ["工程编号", "集体激励比例"], ["GC-1", "15%"], ["GC-2", "12%"], [],
        ["2026年11月工程评分"],
        ["工程编号", "安全得分", "质量得分", "沟通和配合得分", "规章制度得分"], ["GC-1", 90, 90, 90, 90]]})
    month = read_month(tmp_path, "2026-11")
    assert month.problems == []
    assert month.tables["application"]["project_id"] == ["GC-1", "GC-2"]
    assert month.tables["scores"]["project_id"] == ["GC-1"]


def test_values_repeated_down_columns_and_across_sheets_keep_each_its_own_spelling(tmp_path):
    # the reader parses a repeated value once (a memo per workbook, by the cell's type): 50.50
    # typed as text keeps its two places, a number 50.5 its one, TRUE is not 1, and a bad
    # value is reported on every row it is on, however often it repeats
    rows = [["工号", "姓名", "类别", "金额", "说明"],
            ["1001", "张三", "奖励", "50.50", 1],
            ["1002", "李四", "奖励", 50.5, True],
            ["1003", "王五", "奖励", "50.50", "1"],
            ["1004", "赵六", "奖励", "abc", 1.5],
            ["1005", "钱七", "奖励", "abc", 1]]
    write_xlsx(tmp_path / "奖惩.xlsx", {"其他奖惩": rows, "其他奖惩（续）": [rows[0], *rows[1:3]]})
    month = read_month(tmp_path)
    df = month.tables["adjustment"]
    assert [str(v) for v in df["amount"]] == ["50.50", "50.5", "50.50", "None", "None", "50.50", "50.5"]
    assert df["note"] == ["1", "TRUE", "1", "1.5", "1", "1", "TRUE"]
    bad = [p for p in month.problems if p.source.col == "D"]
    assert [(p.source.sheet, p.source.row) for p in bad] == [("其他奖惩", 5), ("其他奖惩", 6)]


def test_a_header_that_looks_like_a_column_the_table_lacks_is_said(tmp_path):
    """分配系数 is not one of 个人百分比's headers (个人百分比, 分配比例, 个人系数) but shares 分配 and
    系数 with them: its column is not read, so everyone would be at 100% — a warning naming the
    headers that would be read.  Other unknown columns (备注, 所在地区), and a look-alike column
    with nothing in it, are left alone; a known header is read as ever."""
    write_xlsx(tmp_path / "结算.xlsx", {"结算": [
        ["工程编号", "工号", "个人工期天数", "计件工资", "分配系数", "备注", "所在地区", "开工时间"],
        ["GC-1", "1001", 10, 1000, 1.2, "x", "佛山", None],
        ["GC-1", "1002", 10, 1000, 0.8, None, None, None]],
        "申报": [["工程编号", "重点工程", "集体奖励比例"], ["GC-1", "是", "15%"]],
        "申报2": [["工程编号", "重点工程", "申请比例"], ["GC-2", "是", "12%"]]})
    month = read_month(tmp_path, "2026-11")
    found = sorted((str(p.source), p.message) for p in month.problems if p.code == "header-not-recognised")
    assert [s for s, _ in found] == ["结算.xlsx › 申报!C1", "结算.xlsx › 结算!E1"]
    assert "「个人百分比」「分配比例」「个人系数」之一" in found[1][1]
    assert "「集体激励比例」「申请比例」「集体奖比例」之一" in found[0][1]
    assert month.tables["settlement"]["percent"] == [None, None]
    assert month.tables["application"]["collective_ratio"][-1] is not None   # 申请比例 is read
