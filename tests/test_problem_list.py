"""问题清单_<period>.xlsx (issue 12.10): the problem list as a workbook beside where the
month's folder would go, when the month stops on errors and with --check; removed once
the month runs clean; never fails the run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from kfbonus import cli
from kfbonus.problems import Source, error, format_problems, warning
from kfbonus.render.problem_list import (
    HEADERS,
    problem_rows,
    split_message,
    update_problem_list,
    write_problem_list,
)
from tests.helpers import folder_digest
from tests.test_run_month import SETTLE_HEAD, SETTLE_LINES, write_month

PERIOD = "2026-11"
AT = dt.datetime(2026, 12, 1, 9, 0)
PROBLEMS = [
    warning("name-mismatch", "姓名为「黄智强」，人员名册中为「黄志强」，请核对",
            Source("b.xlsx", "结算", 9, "C")),
    error("invalid-date", "进厂日期「2026-13-01」不是有效日期，应为如 2026-11-03 的日期",
          Source("a.xlsx", "花名册", 5, "H")),
    error("unknown-worker", "工号「1099」不在人员名册中", Source("b.xlsx", "结算", 12)),
    warning("unrecognised-sheet", "没有表头，此工作表未读取", Source("b.xlsx", "填表说明")),
]


def test_split_message():
    assert split_message("进厂日期「x」不是有效日期，应为如 2026-11-03 的日期") == (
        "进厂日期「x」不是有效日期", "应为如 2026-11-03 的日期")
    assert split_message("工号「1」不在人员名册中；请核对工号") == ("工号「1」不在人员名册中", "请核对工号")
    assert split_message("没有表头") == ("没有表头", "")


def test_rows_are_in_the_printed_order_with_cell_and_split_message():
    rows = problem_rows(PROBLEMS)
    printed = [line.strip() for line in format_problems(PROBLEMS).splitlines() if line.startswith("  ")]
    assert [r[4] for r in rows] == [line.split("  ")[2] for line in printed]
    assert rows[0] == ["a.xlsx", "花名册", "H5", "错误", "invalid-date", "进厂日期「2026-13-01」不是有效日期",
                       "应为如 2026-11-03 的日期", ""]
    assert [r[2] for r in rows] == ["H5", "", "C9", "第12行"]   # b.xlsx: 填表说明 before 结算


def test_workbook_header_filter_freeze_print(tmp_path):
    path = write_problem_list(PROBLEMS, tmp_path / "问题清单_2026-11.xlsx", PERIOD, AT)
    ws = load_workbook(path).active
    assert ws.title == "问题清单"
    assert [c.value for c in ws[2]] == list(HEADERS)
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == "A2:H6"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.print_title_rows == "$2:$2"
    assert "共 2 个错误，2 个警告" in ws["A1"].value
    assert [ws.cell(r, 5).value for r in range(3, 7)] == [
        "invalid-date", "unrecognised-sheet", "name-mismatch", "unknown-worker"]
    for col in "FG":
        assert ws.column_dimensions[col].width >= 20


def test_cannot_write_is_one_chinese_line_not_a_failure(tmp_path, monkeypatch):
    def locked(*_a, **_k):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr("kfbonus.render.problem_list.os.replace", locked)
    note = update_problem_list(PROBLEMS, tmp_path, PERIOD, AT)
    assert note.startswith("未能更新问题清单") and "Excel" in note
    assert list(tmp_path.iterdir()) == []   # no temporary file left either


def run(capsys, *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    return code, capsys.readouterr().out


def test_written_on_errors_and_check_removed_when_the_month_runs_clean(capsys, tmp_path):
    folder = write_month(tmp_path / "in", settlement=[SETTLE_HEAD, *SETTLE_LINES,
                                                      ["GC-2611-01", "甲工程", "1099", "赵六", 1, 10]])
    before = folder_digest(folder)
    out = tmp_path / "out"
    listing = out / f"问题清单_{PERIOD}.xlsx"
    code, stdout = run(capsys, PERIOD, "--input", str(folder), "--output", str(out))
    assert code == 1 and listing.is_file() and f"问题清单已另存为 {listing}" in stdout
    ws = load_workbook(listing).active
    row = [c.value for c in ws[3]]
    assert row[:5] == ["结算.xlsx", "结算单", "C5", "错误", "unknown-worker"]
    assert folder_digest(folder) == before, "the input folder is never written to"

    code, _ = run(capsys, PERIOD, "--check", "--input", str(folder), "--output", str(out))
    assert code == 1 and listing.is_file()

    write_month(folder)   # fixed
    code, stdout = run(capsys, PERIOD, "--input", str(folder), "--output", str(out))
    assert code == 0 and not listing.exists(), "a stale list never misleads"


def test_never_written_into_the_input_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    note = update_problem_list(PROBLEMS, folder, PERIOD, AT, input_dir=folder)
    assert "未写入" in note and list(Path(folder).iterdir()) == []
