"""The year-end command and draft months (SCHEME.md §5): left out and listed unless
``--include-drafts``; the year-end folder's attendance is not the December check."""

from __future__ import annotations

from openpyxl import load_workbook

from kfbonus import cli
from tests.test_run_month import write_month


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def summary_notes(out) -> list[str]:
    wb = load_workbook(out / "2026" / "审批汇总表_2026.xlsx", read_only=True)
    firsts = [str(r[0] or "") for r in wb["汇总"].iter_rows(values_only=True) if r]
    return [text for text in firsts if text.startswith("注意")]


def test_draft_months_are_listed_and_left_out_unless_included(capsys, tmp_path):
    folder, out = write_month(tmp_path / "in"), tmp_path / "out"
    assert run(capsys, "2026-11", "--input", str(folder), "--output", str(out))[0] == 0
    code, stdout, _ = run(capsys, "2026", "--annual", "--input", str(folder), "--output", str(out))
    assert code == 0
    assert "2026-11 尚未批准（草稿）：未计入年度奖" in stdout
    assert "annual-attendance-ignored" in stdout      # the year-end folder holds a 考勤 table
    assert "注意：2026-11 尚未批准（草稿），未计入年度奖" in summary_notes(out)
    assert ("请运行 python run_month.py 2026 --annual --approve --by 批准人 --output "
            f"{out}") in stdout

    code, stdout, _ = run(capsys, "2026", "--annual", "--include-drafts", "--input", str(folder),
                          "--output", str(out))
    assert code == 0 and "2026-11 尚未批准（草稿）：按 --include-drafts 计入" in stdout
    assert "注意：2026-11 尚未批准（草稿），按要求已计入，年度奖含草稿数据" in summary_notes(out)
