"""Every value a person can type into a cell the schemes compute with ends in a result or in
a problem named on its cell: never an unexpected error (a negative 个人工期天数 once crashed
the collective allocation).  One small month of both schemes, one cell changed per case."""

from __future__ import annotations

import shutil

import pytest

from kfbonus import cli
from tests.helpers import write_xlsx

ROSTER = [["工号", "姓名", "入职日期", "用工类型", "岗位", "特殊技能", "离职日期"],
          ["1001", "张三", "2015-03-01", "正式", "施工组长", "电工"],
          ["1002", "李四", "2021-06-01", "正式", "施工员", None],
          ["2001", "王五", "2022-01-01", "正式", "售后客服", None],
          ["3001", "赵六", "2022-01-01", "正式", "销售", None]]

# file → sheet → rows; each case changes one cell of one of them
MONTH = {
    "结算.xlsx": {"结算": [["工程编号", "工号", "个人工期天数", "计件工资", "个人百分比", "工期总天数"],
                          ["GC-01", "1001", 10, 6000, "100%", 20],
                          ["GC-01", "1002", 10, 4000, "90%", 20]]},
    "申报.xlsx": {"申报": [["工程编号", "重点工程", "集体激励比例", "个人激励比例"],
                          ["GC-01", "是", "15%", "4%"]],
                "评分": [["工程编号", "安全得分", "质量得分", "沟通和配合得分", "规章制度得分"],
                          ["GC-01", 95, 90, 85, 100]],
                "提名": [["工程编号", "工号", "考评结果", "申报金额"], ["GC-01", "1001", "优秀", 300]]},
    "考勤.xlsx": {"考勤": [["工号", "应出勤天数", "实出勤天数", "旷工天数", "连续缺勤天数"],
                          ["1001", 22, 22, 0, 0], ["1002", 22, 20, 0, 2]]},
    "培训奖惩.xlsx": {"培训": [["工号", "培训天数"], ["1002", 2]],
                    "奖惩": [["工号", "类别", "金额"], ["1001", "创新奖", 300], ["1002", "扣款", "5%"]]},
    "加盟商.xlsx": {"加盟商": [["加盟商编号", "加盟商名称", "售后客服", "签约销售"],
                             ["D01", "甲", "2001", "3001"]],
                  "提货": [["加盟商编号", "日期", "渠道", "销售额", "折扣", "提货额"],
                         ["D01", "2026-11-05", "云商城", 100000, "85折", 85000]]},
}

# (file, sheet, Excel row, column index from 0, what the column is)
CELLS = [
    ("结算.xlsx", "结算", 2, 2, "个人工期天数"), ("结算.xlsx", "结算", 2, 3, "计件工资"),
    ("结算.xlsx", "结算", 3, 4, "个人百分比"), ("结算.xlsx", "结算", 2, 5, "工期总天数"),
    ("申报.xlsx", "申报", 2, 2, "集体激励比例"), ("申报.xlsx", "申报", 2, 3, "个人激励比例"),
    ("申报.xlsx", "评分", 2, 2, "质量得分"), ("申报.xlsx", "提名", 2, 3, "申报金额"),
    ("考勤.xlsx", "考勤", 2, 1, "应出勤天数"), ("考勤.xlsx", "考勤", 2, 2, "实出勤天数"),
    ("考勤.xlsx", "考勤", 3, 4, "连续缺勤天数"), ("培训奖惩.xlsx", "培训", 2, 1, "培训天数"),
    ("培训奖惩.xlsx", "奖惩", 2, 2, "奖励金额"), ("培训奖惩.xlsx", "奖惩", 3, 2, "扣款比例"),
    ("加盟商.xlsx", "提货", 2, 3, "销售额"), ("加盟商.xlsx", "提货", 2, 4, "折扣"),
    ("加盟商.xlsx", "提货", 2, 5, "提货额"),
]
# text that is no number is the reader's to refuse (tests/test_reader*.py); these reach the awards
VALUES = [-3, 0, None]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "2026-11"
    write_xlsx(folder / "人员名册.xlsx", {"花名册": ROSTER})
    for name, sheets in MONTH.items():
        write_xlsx(folder / name, sheets)
    return folder


def _run(folder, out, capsys) -> tuple[int, str]:
    code = cli.main(["2026-11", "--input", str(folder), "--output", str(out)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_the_base_month_runs_clean(base, tmp_path, capsys):
    code, text = _run(base, tmp_path / "out", capsys)
    assert code == 0, text
    assert not [line for line in text.splitlines() if line.lstrip().startswith(("警告", "错误"))], text
    assert "个人奖" in text and "集体奖" in text and "业绩提成" in text


@pytest.mark.parametrize("value", VALUES, ids=repr)
@pytest.mark.parametrize("file, sheet, row, col, what", CELLS, ids=[c[4] for c in CELLS])
def test_any_value_in_a_computed_cell_is_a_result_or_a_named_problem(
        base, tmp_path, capsys, file, sheet, row, col, what, value):
    folder = tmp_path / "2026-11"
    shutil.copytree(base, folder)
    sheets = {name: [list(r) for r in rows] for name, rows in MONTH[file].items()}
    sheets[sheet][row - 1][col] = value
    write_xlsx(folder / file, sheets)
    code, text = _run(folder, tmp_path / "out", capsys)
    assert code in (0, 1), text       # 3 is an unexpected error
    assert "意外错误" not in text
    if code == 1:   # refused: an error names its place (this cell, or one its value made wrong)
        errors = [line for line in text.splitlines() if line.lstrip().startswith("错误") and " › " in line]
        assert errors, text
