"""--template DIR (issue 12.8): blank workbooks for every table of INPUTS.md that the
reader reads back with no problem, with text 工号 columns, drop-down lists and a
填表说明 sheet; filled in with openpyxl they read back exactly."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kfbonus import cli
from kfbonus.input_templates import ATTENDANCE_MARKS, GRID_FILE, template_files, write_templates
from kfbonus.pipeline import read_inputs
from kfbonus.schemes import all_tables
from kfbonus.schemes.kf13.params import load_rules

TABLES = all_tables()

CATEGORIES = ["优秀个人奖", "创新奖", "目标达成奖", "创新团队奖", "先进个人奖", "扣款"]


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("templates")
    assert cli.main(["2026-11", "--template", str(folder)]) == 0
    return folder


def test_one_workbook_per_table_and_the_day_grid(blank):
    assert sorted(p.name for p in blank.iterdir()) == sorted(template_files("2026-11"))
    assert len(template_files()) == len(TABLES) and GRID_FILE not in template_files()


def test_blank_templates_read_back_with_no_problem(blank):
    month, problems = read_inputs(blank, "2026-11")
    assert problems == []
    kinds = sorted(f.kind for f in month.found)
    assert kinds == sorted([t.kind for t in TABLES] + ["attendance"])   # + the day grid
    assert all(f.rows == 0 and f.header_row == 1 for f in month.found)
    assert all(not len(df) for df in month.tables.values())


def test_headers_text_ids_dropdowns_and_instructions(blank):
    wb = load_workbook(blank / "人员名册.xlsx")
    assert wb.sheetnames == ["人员名册", "填表说明"]
    ws = wb["人员名册"]
    assert [c.value for c in ws[1]][:3] == ["*工号", "*姓名", "*入职日期"]
    assert ws.column_dimensions["A"].number_format == "@"
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation
             if dv.type == "list"}
    assert lists["E2"] == '"正式,试用,外包,临时"'
    assert "不合格" in next(dv.formula1 for dv in load_workbook(blank / "个人激励申报.xlsx")["个人激励申报"]
                           .data_validations.dataValidation if dv.type == "list")
    adj = load_workbook(blank / "其他奖惩.xlsx")["其他奖惩"]
    params = load_rules(None).in_force(dt.date(2026, 11, 30))
    rules_categories = [*params["adjustment.standard_amounts"], *params["adjustment.deduction_categories"]]
    listed = next(dv.formula1 for dv in adj.data_validations.dataValidation)
    assert listed == f'"{",".join(rules_categories)}"'
    inc = load_workbook(blank / "事故投诉.xlsx")["事故投诉"]
    assert any(dv.formula1 == '"安全事故,质量投诉"' for dv in inc.data_validations.dataValidation)
    app = load_workbook(blank / "工程激励申报.xlsx")["工程激励申报"]
    assert any(dv.formula1 == '"是,否"' for dv in app.data_validations.dataValidation)
    grid = load_workbook(blank / GRID_FILE)["考勤"]
    assert [c.value for c in grid[1]][-1] == "30"   # November
    marks = f'"{",".join(ATTENDANCE_MARKS)}"'
    assert any(dv.formula1 == marks for dv in grid.data_validations.dataValidation)
    # the instructions are in a text box: the 填表说明 sheet has no cell the reader could take for data
    notes = wb["填表说明"]
    assert all(c.value is None for row in notes.iter_rows() for c in row)
    with zipfile.ZipFile(blank / "人员名册.xlsx") as z:
        drawing = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/drawings/drawing"))
    assert "填表说明" in drawing and "示例" in drawing and "陈国栋" in drawing


def test_filled_in_templates_read_back_exactly(tmp_path):
    write_templates(tmp_path, CATEGORIES)
    rows = {
        "人员名册.xlsx": [["0012", "张三", dt.date(2018, 3, 1), None, "正式", "施工员", "安装一组",
                       "电工、焊工"]],
        "计件工资结算单.xlsx": [["GC-2611-01", "0012", 10, 3000.5, "张三", "甲工程", "110%"]],
        "工程激励申报.xlsx": [["GC-2611-01", "是", "15%", "5%"]],
        "工程评分.xlsx": [["GC-2611-01", 95, 90, 88, 91]],
        "个人激励申报.xlsx": [["GC-2611-01", "0012", "优秀", None, "张三"]],
        "考勤.xlsx": [["0012", 25, 24, 0, 1, "张三"]],
        "带薪培训.xlsx": [["0012", 2, "带薪培训", dt.date(2026, 11, 12), "张三"]],
        "其他奖惩.xlsx": [["0012", "扣款", 100, "迟到", "张三"]],
        "事故投诉.xlsx": [[dt.date(2026, 3, 18), "质量投诉", "GC-2603-02", None, "漏水"]],
    }
    for name, data in rows.items():
        wb = load_workbook(tmp_path / name)
        ws = wb.worksheets[0]
        for r, row in enumerate(data, start=2):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(r, c, value)
        wb.save(tmp_path / name)
    month, problems = read_inputs(tmp_path, "2026-11")
    assert [p for p in problems if p.code != "unknown-project"] == []
    def first(kind):
        return month.table(kind).records()[0]

    roster = first("roster")
    assert (roster["worker_id"], roster["name"], roster["hire_date"], roster["skills"]) == (
        "0012", "张三", dt.date(2018, 3, 1), ("电工", "焊工"))
    settle = first("settlement")
    assert (settle["project_id"], settle["worker_id"], settle["days"], settle["piece_wage"],
            settle["percent"]) == ("GC-2611-01", "0012", Decimal(10), Decimal("3000.50"), Decimal("1.1"))
    app = first("application")
    assert (app["key_project"], app["collective_ratio"], app["individual_ratio"]) == (
        True, Decimal("0.15"), Decimal("0.05"))
    assert first("nomination")["rating"] == "优秀"
    att = first("attendance")
    assert (att["due_days"], att["present_days"], att["longest_absence"]) == (25, 24, 1)
    assert first("training")["date"] == dt.date(2026, 11, 12)
    adj = first("adjustment")
    assert (adj["category"], adj["amount"], adj["note"]) == ("扣款", Decimal(100), "迟到")
    assert first("incident")["incident_type"] == "质量投诉"


def test_never_overwrites_a_filled_workbook(tmp_path, capsys):
    (tmp_path / "人员名册.xlsx").write_bytes(b"the accountant's")
    assert cli.main(["--template", str(tmp_path)]) == 2
    assert (tmp_path / "人员名册.xlsx").read_bytes() == b"the accountant's"
    assert "模板未写出" in capsys.readouterr().out
