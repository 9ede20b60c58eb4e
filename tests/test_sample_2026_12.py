"""The second sample month, input_samples/2026-12, end to end (issue 8, "Tests").

December is built from the shapes of issue 8: sectioned tables with 小计/总计, a 合计
right under the header, two-row headers, aliases outside their INPUTS.md table, stacked
tables, merged data cells, a hidden data row, percent-formatted numbers and a
day-count attendance table.  The expected amounts (tests/expected_2026_12.py) were
worked out with decimal from SCHEME.md, not by kfbonus.schemes.kf13.compute; input_samples/README.md
shows the arithmetic.  The command runs once for the module on a copy of the folder.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kfbonus import cli
from tests import expected_2026_12 as expected
from tests.helpers import folder_digest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "input_samples" / "2026-12"
PERIOD = "2026-12"
CENT = Decimal("0.01")


def money(value) -> Decimal:
    return Decimal(str(value if value is not None else 0)).quantize(CENT)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("sample_2026_12")
    folder = base / "in"
    shutil.copytree(SAMPLE, folder)
    before = folder_digest(folder)
    code = cli.main([PERIOD, "--input", str(folder), "--output", str(base / "out")])
    return {"code": code, "out": base / "out" / PERIOD, "unchanged": folder_digest(folder) == before}


def _table(path: Path, sheet: str, first: str) -> tuple[list[str], list[tuple]]:
    """(header, rows below it) of ``sheet``; the header row is the one whose first cell is ``first``."""
    rows = list(load_workbook(path, data_only=True)[sheet].iter_rows(values_only=True))
    h = next(i for i, r in enumerate(rows) if r and r[0] == first)
    return [str(v) if v is not None else "" for v in rows[h]], rows[h + 1:]


@pytest.fixture(scope="module")
def summary(run):
    """{工号: {column: Decimal}} and the 合计 row, from sheet 汇总."""
    assert run["code"] == 0
    header, rows = _table(run["out"] / f"审批汇总表_{PERIOD}.xlsx", "汇总", "工号")
    workers: dict[str, dict[str, Decimal]] = {}
    total = None
    for r in rows:
        if r[0] == "合计":
            total = {c: money(v) for c, v in zip(header, r, strict=True) if c in expected.COLUMNS.values()}
            break
        if r[0] is None or not str(r[0]).strip().isdigit():
            break
        assert str(r[0]) not in workers, f"two rows for {r[0]}"
        workers[str(r[0])] = {c: money(v) for c, v in zip(header, r, strict=True)
                              if c in expected.COLUMNS.values()}
    return header, workers, total


@pytest.fixture(scope="module")
def problems(run):
    assert run["code"] == 0
    header, rows = _table(run["out"] / f"审批汇总表_{PERIOD}.xlsx", "问题清单", "级别")
    return [dict(zip(header, r, strict=True)) for r in rows if r and r[0] is not None]


def test_the_december_sample_runs_clean_and_leaves_its_inputs_alone(run):
    assert run["code"] == 0
    assert run["unchanged"]


def test_summary_columns(summary):
    header, _, _ = summary
    assert header[:3] == ["工号", "姓名", "班组"]
    assert [c for c in header if c in expected.COLUMNS.values()] == list(expected.COLUMNS.values())


def test_every_worker_amount_matches_the_worked_figures(summary):
    _, workers, _ = summary
    assert set(workers) == set(expected.WORKERS)
    for wid, want in expected.WORKERS.items():
        got = {key: workers[wid][col] for key, col in expected.COLUMNS.items()}
        assert got == want, wid


def test_grand_totals_per_award(summary):
    _, _, total = summary
    assert total is not None
    assert {key: total[col] for key, col in expected.COLUMNS.items()} == expected.TOTALS


def test_problem_list_has_the_expected_warnings_and_no_error(problems):
    assert all(p["级别"] != "错误" for p in problems)
    codes = {p["代码"] for p in problems}
    assert expected.WARNING_CODES.issubset(codes)
    file, sheet, row = expected.HIDDEN_ROW
    hidden = [p for p in problems if p["代码"] == "hidden-row"]
    assert len(hidden) == 1
    assert hidden[0]["文件"] == file and hidden[0]["工作表"] == sheet
    assert str(row) in f"{hidden[0]['单元格']} {hidden[0]['说明']}"
    nominee = [p for p in problems if p["代码"] == "nominee-not-qualified"]
    assert len(nominee) == 1 and "1007" in nominee[0]["说明"]


def test_the_committed_folder_is_what_the_generator_writes(tmp_path):
    """input_samples/2026-12 is exactly what make_sample_2026_12.py writes (and it writes the
    same bytes twice), so the README and the expectations describe the files in the repo."""
    script = ROOT / "input_samples" / "make_sample_2026_12.py"
    for out in ("a", "b"):
        subprocess.run([sys.executable, str(script), "--out", str(tmp_path / out)], check=True,
                       capture_output=True)
    written = sorted((tmp_path / "a").glob("*.xlsx"))
    assert [p.name for p in written] == sorted(p.name for p in SAMPLE.glob("*.xlsx"))
    for path in written:
        assert path.read_bytes() == (SAMPLE / path.name).read_bytes(), path.name
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name
