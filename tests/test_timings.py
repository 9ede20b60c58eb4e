"""--timings: the per-stage times printed after a run (issue 14.1).

The labels are asserted, never the times (no timed tests).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import kfbonus.beside
from kfbonus import cli, timings

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "input_samples" / "2026-11"

STAGES = ("启动与导入", "读取输入", "校验输入", "载入规则", "计算", "核对（对账）", "明细单 HTML",
          "工资条", "工资导入", "账本记录", "审批汇总表", "校验和（回读输出文件）", "复核输入、移动到位",
          "其他（打印、问题清单等）", "合计")
# with a second process (kfbonus.beside) the approval workbook is written there meanwhile:
# this process reports its wait, and the workbook's own time is listed apart, after 合计
FORKED = (*("等待审批汇总表（第二个进程）" if s == "审批汇总表" else s for s in STAGES),
          "同时在第二个进程中（不计入上面的合计）：", "审批汇总表（第二个进程）")


@pytest.mark.parametrize("forked", [False, True], ids=["one-process", "two-processes"])
def test_timings_prints_every_stage_of_the_sample_month(capsys, monkeypatch, tmp_path, forked):
    if forked and not hasattr(os, "fork"):
        pytest.skip("no fork on this system")
    monkeypatch.setattr(kfbonus.beside, "can_fork", lambda: forked)
    out = tmp_path / "out"
    code = cli.main(["2026-11", "--input", str(SAMPLE), "--output", str(out), "--timings"])
    stdout, err = capsys.readouterr()
    assert (code, err) == (0, "")
    table = stdout[stdout.index("各阶段用时（秒）："):]
    labels = [line.split()[0] if not line.startswith("  明细单") else " ".join(line.split()[:2])
              for line in table.splitlines()[1:]]
    pdfs = any((out / "2026-11" / "slips").glob("*.pdf"))
    expected = list(FORKED if forked else STAGES)
    if pdfs:   # written only where a Chinese font is found
        expected.insert(expected.index("明细单 HTML") + 1, "明细单 PDF")
    assert labels == expected
    assert not timings.enabled()   # recording ends with the report


def test_without_timings_no_table_is_printed(capsys, tmp_path):
    code = cli.main(["2026-11", "--input", str(SAMPLE), "--output", str(tmp_path / "out")])
    stdout, _ = capsys.readouterr()
    assert code == 0 and "各阶段用时" not in stdout and not timings.enabled()
