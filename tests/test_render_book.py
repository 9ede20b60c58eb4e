"""The approval workbook as the manager signs it and the accountant prints it, and the
payroll export: number formats, text-number flags, the run stamp on every page, month
over month, and the export's figures against 汇总."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import importlib.util
import re
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from kfbonus import cli
from kfbonus.model import AwardLine, PreviousMonth, RunStamp
from kfbonus.render import approval_name, payroll_name, render_month, strips_name
from kfbonus.render.xlsx import text_width, wrapped_lines
from kfbonus.schemes.kf13.model import Award
from kfbonus.settings import Settings, load_settings
from tests.render_tools import pdf_pages, require, soffice_convert
from tests.result_factory import EXPECTED_TOTALS, make_result

ROOT = Path(__file__).resolve().parents[1]
GENERATED = dt.datetime(2026, 11, 30, 14, 5)
MONEY = '#,##0.00;[Red]-#,##0.00;"-"'


def _line(worker_id: str, award: Award, amount: str, name: str = "某人") -> AwardLine:
    return AwardLine(worker_id, name, award, Decimal(amount), "", "")


# last month: K001 1,345.00 → same; K002 100.00 → 1,214.59 (变动大); K004 absent (新增);
# K009 paid 300.00 last month and nothing now (本月无)
PREVIOUS = (
    _line("K001", Award.COLLECTIVE, "1045.00"), _line("K001", Award.INDIVIDUAL, "300.00"),
    _line("K002", Award.SENIORITY, "100.00"), _line("K005", Award.COLLECTIVE, "380.00"),
    _line("K006", Award.COLLECTIVE, "1120.00"), _line("K007", Award.ADJUSTMENT, "-100.00"),
    _line("K009", Award.TRAINING, "300.00", "赵九"),
)


def _stamped(previous: bool = True):
    result = make_result()
    prev = PreviousMonth("2026-10", "已批准", PREVIOUS) if previous else None
    result.stamp = RunStamp(3, previous_period="2026-10", previous=prev)
    return result


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("book")
    render_month(_stamped(), folder, GENERATED)
    return folder


@pytest.fixture(scope="module")
def book(out):
    return openpyxl.load_workbook(out / approval_name("2026-11"))


@pytest.fixture(scope="module")
def values(out):
    return openpyxl.load_workbook(out / approval_name("2026-11"), data_only=True)


def _fingerprint() -> str:
    files = make_result().inputs.files
    return hashlib.sha256("\n".join(sorted(f.sha256 for f in files)).encode()).hexdigest()[:8]


def _rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


# --- numbers as accountants show them ------------------------------------------------------

def test_amounts_are_numbers_in_the_accounting_format(book):
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, int | float) and "#,##0.00" in cell.number_format:
                    assert cell.number_format == MONEY, (ws.title, cell.coordinate)
    row = next(r for r in book["汇总"].iter_rows() if r[0].value == "K001")
    assert row[5].value == 0 and row[5].data_type == "n"   # 培训补贴 0 → shown as "-"


def test_the_negative_style_is_a_setting(tmp_path):
    def settings(text):
        path = tmp_path / "settings.toml"
        path.write_text(text, encoding="utf-8")
        return load_settings(path)

    assert load_settings().money_format == MONEY
    assert settings('[workbook]\nnegative = "括号"').money_format == '#,##0.00;[Red](#,##0.00);"-"'
    assert settings('[workbook]\nnegative = "别的"').money_format == MONEY   # unknown → default
    s = settings('[workbook]\nchange_yuan = 50\nchange_pct = "x"')
    assert (s.change_yuan, s.change_pct) == (Decimal(50), Decimal(30))


def test_large_change_needs_both_thresholds():
    s = Settings()
    assert s.large_change(Decimal(100), Decimal("1114.59"))
    assert not s.large_change(Decimal(3000), Decimal(250))      # 250 元 but 8%
    assert not s.large_change(Decimal(10), Decimal(20))         # 200% but 20 元


@pytest.mark.parametrize("name", [approval_name("2026-11"), strips_name("2026-11"), payroll_name("2026-11")])
def test_every_sheet_ignores_number_stored_as_text(out, name):
    with zipfile.ZipFile(out / name) as z:
        sheets = [n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
        assert sheets
        for n in sheets:
            xml = z.read(n).decode()
            assert '<ignoredError sqref="A1:XFD1048576" numberStoredAsText="1"/>' in xml, n


def test_no_feature_wps_lacks(out):
    with zipfile.ZipFile(out / approval_name("2026-11")) as z:
        names = z.namelist()
        assert not [n for n in names if n.startswith("xl/tables/")]
        text = "".join(z.read(n).decode() for n in names if n.endswith(".xml"))
    assert "_xlfn." not in text and "conditionalFormatting" not in text


def test_dates_are_real_dates_in_chinese(book):
    ws = book["规则与来源"]
    cells = {r[0].value: r[1] for r in ws.iter_rows() if r[0].value in ("考核实施日", "生成时间")}
    assert cells["考核实施日"].value == dt.datetime(2026, 11, 30)
    assert cells["考核实施日"].number_format == 'yyyy"年"m"月"d"日"'
    assert cells["生成时间"].value == GENERATED and "年" in cells["生成时间"].number_format


# --- tied to its run -----------------------------------------------------------------------

def test_summary_says_status_run_time_rules_and_fingerprint(values):
    stamp = values["汇总"]["A3"].value
    assert stamp.startswith("草稿（未批准）")
    for part in ("第 3 次运行", "生成于 2026年11月30日 14:05", "规则 FS-MS-KF-13 A/2",
                 f"输入指纹 {_fingerprint()}"):
        assert part in stamp


def test_every_printed_page_carries_the_draft_banner_and_the_stamp(book):
    for ws in book.worksheets:
        assert "草稿 — 未批准" in ws.oddHeader.center.text, ws.title
        footer = ws.oddFooter.left.text
        assert "第 3 次运行" in footer and _fingerprint() in footer and "FS-MS-KF-13 A/2" in footer, ws.title
        assert ws.page_setup.paperSize == 9 and ws.sheet_properties.pageSetUpPr.fitToPage


# --- month over month ----------------------------------------------------------------------

def _summary(values):
    rows = _rows(values["汇总"])
    h = next(i for i, r in enumerate(rows) if r[0] == "工号")
    header = rows[h]
    data = {}
    for r in rows[h + 1:]:
        if r[0] == "合计":
            return header, data, dict(zip(header, r, strict=True)), rows
        data[r[0]] = dict(zip(header, r, strict=True))
    raise AssertionError("no 合计 row")


def test_summary_compares_with_last_month(values):
    header, data, total, rows = _summary(values)
    assert header[-3:] == ["上月合计", "变动", "备注"]
    assert (data["K001"]["上月合计"], data["K001"]["变动"], data["K001"]["备注"]) == (1345, 0, None)
    assert data["K002"]["变动"] == pytest.approx(1114.59) and data["K002"]["备注"] == "变动大"
    assert data["K004"]["上月合计"] == 0 and data["K004"]["备注"] == "新增"
    assert total["上月合计"] == pytest.approx(2845.00)          # workers shown this month
    absent = next(i for i, r in enumerate(rows) if r[0] == "上月有发放、本月无发放的人员")
    k009 = rows[absent + 2]
    assert (k009[0], k009[-3], k009[-2], k009[-1]) == ("K009", 300, -300, "本月无")
    texts = [c for r in rows for c in r if isinstance(c, str)]
    assert any(t.startswith("注：上月（2026-10，已批准）合计 3,145.00 元") for t in texts)


def test_team_subtotals_add_up_to_the_total(values, book):
    header, data, total, rows = _summary(values)
    start = next(i for i, r in enumerate(rows) if r[0] == "班组小计")
    teams = []
    for r in rows[start + 2:]:
        if r[0] is None:
            break
        teams.append(r)
    total_col = header.index("合计")
    assert sum(r[total_col] for r in teams) == pytest.approx(total["合计"])
    assert sum(r[2] for r in teams) == len(data)
    formulas = _rows(book["汇总"])
    assert str(formulas[start + 2][3]).startswith("=SUMIF(")


def test_comparison_sheet_by_award(values):
    rows = _rows(values["对比"])
    h = next(i for i, r in enumerate(rows) if r[0] == "奖项")
    assert rows[h] == ["奖项", "本月人数", "本月金额", "上月人数", "上月金额", "变动", "变动率"]
    by = {r[0]: r for r in rows[h + 1:] if r[0]}
    assert by["个人奖"][2] == 800 and by["个人奖"][4] == 300 and by["个人奖"][5] == 500
    assert by["个人奖"][6] == "+166.7%"
    assert by["培训补贴"][3] == 1 and by["培训补贴"][4] == 300
    assert by["合计"][2] == pytest.approx(5039.59) and by["合计"][4] == pytest.approx(3145.00)


def test_without_last_month_the_columns_say_so(tmp_path):
    render_month(_stamped(previous=False), tmp_path, GENERATED)
    values = openpyxl.load_workbook(tmp_path / approval_name("2026-11"), data_only=True)
    _, data, _, rows = _summary(values)
    assert {data[w]["上月合计"] for w in data} == {"—"} and {data[w]["变动"] for w in data} == {"—"}
    texts = [c for r in rows for c in r if isinstance(c, str)]
    assert "注：账本中没有上月（2026-10）的运行记录，「上月合计」「变动」显示为「—」。" in texts
    assert "无法对比" in values["对比"]["A2"].value


# --- payroll export ------------------------------------------------------------------------

def test_payroll_export_is_flat_and_equals_the_summary(out, values):
    wb = openpyxl.load_workbook(out / payroll_name("2026-11"))
    assert wb.sheetnames == ["工资导入"]
    rows = _rows(wb["工资导入"])
    assert rows[0] == ["工号", "姓名", "个人奖", "集体奖", "培训补贴", "工龄奖", "其他奖惩", "合计"]
    ids = [r[0] for r in rows[1:]]
    assert ids == ["K001", "K002", "K004", "K005", "K006", "K007"]   # 汇总's workers, no 合计 row
    _, data, _, _ = _summary(values)
    for r in rows[1:]:
        assert Decimal(str(r[-1])).quantize(Decimal("0.01")) == EXPECTED_TOTALS[r[0]]
        for j, col in enumerate(rows[0][2:], start=2):
            assert r[j] == pytest.approx(data[r[0]][col])
    cell = wb["工资导入"]["A2"]
    assert cell.data_type == "s" and cell.number_format == "@"
    assert all(isinstance(c.value, int | float) for c in wb["工资导入"][2][2:])


def test_payroll_export_keeps_long_texts_as_shared_strings(tmp_path):
    """The payroll systems' import file keeps xlsxwriter's shared strings for every text,
    long ones included (only the approval workbook's tables write long texts inline)."""
    from kfbonus.render.payroll import write_payroll
    from kfbonus.render.view import worker_views

    result = make_result()
    long_name = "一个很长很长的名字" * 4
    views = [dataclasses.replace(v, name=long_name) for v in worker_views(result)]
    path = write_payroll(result, views, tmp_path / payroll_name("2026-11"), dt.datetime(2026, 12, 1, 9, 30))
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        shared = z.read("xl/sharedStrings.xml").decode()
    assert len(long_name) >= 32 and "inlineStr" not in sheet and long_name in shared


# --- layout ----------------------------------------------------------------------------------

def test_rules_sheet_rows_are_tall_enough_for_their_clause(book):
    ws = book["规则与来源"]
    widths = {c: ws.column_dimensions[c].width for c in "ABCD"}
    rows = list(ws.iter_rows())
    h = next(i for i, r in enumerate(rows) if r[0].value == "参数")
    h = next(i for i in range(h + 1, len(rows)) if rows[i][0].value == "参数")
    for r in rows[h + 1:]:
        if r[0].value is None:
            break
        height = ws.row_dimensions[r[0].row].height or 15
        for c in "ABCD":
            text = str(r["ABCD".index(c)].value or "")
            assert height >= 13.5 * wrapped_lines(text, widths[c]), (r[0].value, c, text)


def test_libreoffice_prints_fewer_pages_with_the_banner_on_each(out, tmp_path):
    pdf = soffice_convert(out / approval_name("2026-11"), "pdf", tmp_path, tmp_path / "home")
    pages = pdf_pages(pdf)
    assert pages <= 14
    import subprocess
    text = subprocess.run([require("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert text.count("草稿 — 未批准") == pages
    assert text.count(f"输入指纹 {_fingerprint()}") >= pages
    # 规则与来源: a clause that fits its column prints on one line, intact (it was once
    # laid out for the narrower column of the file table below and broke over the rows)
    rules = text[text.index("规则与来源 2026年11月"):]
    for row in make_result().parameters:
        clause = row[2]
        if text_width(clause) <= 20:
            assert clause in rules, clause


# --- two months through the command ----------------------------------------------------------

@pytest.fixture(scope="module")
def two_months(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "input_samples" / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_sample", module)
    spec.loader.exec_module(module)
    base = tmp_path_factory.mktemp("two")
    for period in ("2026-10", "2026-11"):
        module.make_month(base / "in" / period, period)
    out = base / "out"
    assert cli.main(["2026-11", "--input", str(base / "in" / "2026-11"), "--output", str(out)]) == 0
    first = openpyxl.load_workbook(out / "2026-11" / approval_name("2026-11"), data_only=True)
    assert cli.main(["2026-10", "--input", str(base / "in" / "2026-10"), "--output", str(out)]) == 0
    assert cli.main(["2026-11", "--input", str(base / "in" / "2026-11"), "--output", str(out)]) == 0
    return out, first


def test_a_second_month_compares_with_the_first_and_counts_its_runs(two_months):
    out, first = two_months
    assert first["汇总"]["A3"].value.count("第 1 次运行") == 1
    _, data, _, _ = _summary(first)
    assert {data[w]["上月合计"] for w in data} == {"—"}
    book = openpyxl.load_workbook(out / "2026-11" / approval_name("2026-11"), data_only=True)
    assert "第 2 次运行" in book["汇总"]["A3"].value
    assert "第 2 次运行" in book["工程"].oddFooter.left.text
    _, data, _, rows = _summary(book)
    october = openpyxl.load_workbook(out / "2026-10" / approval_name("2026-10"), data_only=True)
    _, oct_data, oct_total, _ = _summary(october)
    for wid, row in data.items():
        before = oct_data.get(wid, {}).get("合计", 0)
        assert row["上月合计"] == pytest.approx(before), wid
        assert row["变动"] == pytest.approx(row["合计"] - before), wid
    texts = [c for r in rows for c in r if isinstance(c, str)]
    assert any(t.startswith(f"注：上月（2026-10，草稿）合计 {oct_total['合计']:,.2f} 元") for t in texts)
    # the payroll export is an output like the others: hashed into the ledger
    from kfbonus.ledger import Ledger
    with Ledger.open(out / "ledger.sqlite") as ledger:
        assert payroll_name("2026-11") in ledger.month("FS-MS-KF-13", "2026-11").outputs


def test_stamp_is_a_dataclass_the_pipeline_fills():
    assert {f.name for f in dataclasses.fields(RunStamp)} == {"run_number", "status", "previous_period",
                                                              "previous"}



def test_workbooks_need_no_system_temp_folder(tmp_path, monkeypatch):
    """A workbook's sheets go through temporary files (not held in memory until the zip):
    they are made beside the workbook, so a full or locked-down system temp folder (as on
    some office PCs) does not stop a run, and none is left behind."""
    import tempfile

    from kfbonus.render.xlsx import new_workbook

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-temp-folder"))
    path = tmp_path / "out" / "x.xlsx"
    path.parent.mkdir()
    wb = new_workbook(path, "标题", "主题", GENERATED)
    ws = wb.add_worksheet("汇总")
    for r in range(2000):
        ws.write_string(r, 0, f"工号{r}")
        ws.write_number(r, 1, r)
    wb.close()
    assert [p.name for p in path.parent.iterdir()] == ["x.xlsx"]
    back = openpyxl.load_workbook(path)["汇总"]
    assert (back["A2000"].value, back["B2000"].value) == ("工号1999", 1999)


@pytest.mark.parametrize("forked", [False, True], ids=["one process", "forked"])
def test_a_failed_render_leaves_no_temporary_file_open(tmp_path, monkeypatch, forked):
    """A run that fails while a workbook is half written closes its kept rows' temporary
    files before the error goes on, so the staging folder can be removed (on Windows an open
    file cannot be deleted, and the half-written workbook lives on in the traceback)."""
    import os
    import shutil

    import kfbonus.beside
    from kfbonus.render import xlsx
    from kfbonus.schemes.kf13 import workbook

    if forked and not hasattr(os, "fork"):
        pytest.skip("no fork on this system")
    monkeypatch.setattr(kfbonus.beside, "can_fork", lambda: forked)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(workbook, "sign_off_block", fail)
    folder = tmp_path / "out"
    with pytest.raises(RuntimeError, match="disk full"):
        render_month(_stamped(), folder, GENERATED)
    assert not xlsx._OPEN_SPILLS
    shutil.rmtree(folder)   # nothing held open inside it
    assert not folder.exists()
