"""The approval workbook read back as a user (and a checking script) would."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from kfbonus.render import approval_name, render_month, strips_name
from tests.render_tools import pdf_pages, soffice_convert
from tests.result_factory import (
    EXPECTED_TOTALS,
    FORMULA_NAME,
    GRAND_TOTAL,
    SCRIPT_NAME,
    make_annual_result,
    make_result,
)

GENERATED = dt.datetime(2026, 12, 1, 9, 30)
SHEETS = ["汇总", "对比", "工程", "集体奖明细", "个人奖明细", "工龄奖明细", "培训补贴", "其他奖惩", "未发放",
          "问题清单", "核对", "规则与来源"]
SUMMARY_HEADER = ["工号", "姓名", "班组", "个人奖", "集体奖", "培训补贴", "工龄奖", "其他奖惩", "合计",
                  "上月合计", "变动", "备注"]
MONEY = '#,##0.00;[Red]-#,##0.00;"-"'



@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("month")
    render_month(make_result(), folder, GENERATED)
    return folder


@pytest.fixture(scope="module")
def values(out):
    return openpyxl.load_workbook(out / approval_name("2026-11"), data_only=True)


@pytest.fixture(scope="module")
def formulas(out):
    return openpyxl.load_workbook(out / approval_name("2026-11"))


def _table(ws, first: str = "工号"):
    """(header, data rows, total row) of the table whose header starts with ``first``."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    h = next(i for i, r in enumerate(rows) if r[0] == first)
    header = [c for c in rows[h] if c is not None]
    data, total = [], None
    for r in rows[h + 1:]:
        if r[0] == "合计":
            total = r
            break
        if r[0] is None:
            break
        data.append(r)
    return header, data, total


def _dec(x) -> Decimal:
    return Decimal(str(x)).quantize(Decimal("0.01"))


def test_sheet_order(values):
    assert values.sheetnames == SHEETS


def test_summary_header_rows_and_totals(values):
    ws = values["汇总"]
    assert "综合激励审批汇总表" in ws["A1"].value and "2026年11月" in ws["A1"].value
    assert "FS-MS-KF-13 A/2" in ws["A2"].value and "2026年11月30日" in ws["A2"].value
    header, data, total = _table(ws)
    assert header == SUMMARY_HEADER
    ids = [r[0] for r in data]
    assert ids == sorted(ids) == ["K001", "K002", "K004", "K005", "K006", "K007"]
    for r in data:
        assert _dec(r[8]) == EXPECTED_TOTALS[r[0]]
        assert sum(_dec(x) for x in r[3:8]) == _dec(r[8])
    for j in range(3, 9):
        assert _dec(total[j]) == sum(_dec(r[j]) for r in data)
    assert _dec(total[8]) == GRAND_TOTAL
    # the hand-checked column totals of the factory
    assert [_dec(x) for x in total[3:8]] == [Decimal(v) for v in ("800.00", "3100.50", "180.00", "459.09",
                                                                  "500.00")]


def test_summary_cells_are_numbers_with_money_format_and_formulas_carry_values(formulas, values):
    ws = formulas["汇总"]
    row = next(r for r in ws.iter_rows() if r[0].value == "K002")
    assert row[4].data_type == "n" and row[4].number_format == MONEY
    assert row[8].data_type == "f" and str(row[8].value).startswith("=SUM(")
    vrow = next(r for r in values["汇总"].iter_rows() if r[0].value == "K002")
    assert _dec(vrow[8].value) == Decimal("1214.59")
    assert ws.freeze_panes == "A6"


def test_sign_off_block_has_the_three_roles(values):
    texts = [str(c) for r in values["汇总"].iter_rows(values_only=True) for c in r if c]
    joined = "\n".join(texts)
    for role in ("客户服务部核算员", "客户服务部经理", "光热事业部总经理"):
        assert role in texts
    assert joined.count("签字：") == 3 and joined.count("日期：") == 3
    assert "伍仟零叁拾玖元伍角玖分" in joined


def test_hostile_names_are_text(formulas):
    ws = formulas["汇总"]
    cells = {r[0].value: r[1] for r in ws.iter_rows() if r[0].value in ("K004", "K005")}
    assert cells["K005"].value == FORMULA_NAME and cells["K005"].data_type == "s"
    assert cells["K004"].value == SCRIPT_NAME and cells["K004"].data_type == "s"
    detail = formulas["集体奖明细"]
    names = [r[1] for r in detail.iter_rows() if r[0].value == "K005"]
    assert names and all(c.data_type == "s" and c.value == FORMULA_NAME for c in names)


def test_checks_one_row_per_kind_with_counts(values):
    header, data, _ = _table(values["核对"], "核对项")
    assert header == ["核对项", "项数", "左方合计", "关系", "右方合计", "结果"]
    kinds = {r[0]: r for r in data}
    pools = kinds["集体奖 各工程：已分配 + 未发 + 未分配 = 奖池"]
    assert pools[1] == 2 and pools[5] == "全部通过"
    assert _dec(pools[2]) == _dec(pools[4]) == Decimal("3757.50")
    assert kinds["明细单合计 = 汇总表总计"][5] == "通过"
    assert all(r[5] in ("通过", "全部通过") for r in data)
    assert len(data) == len(kinds) < 12


def _detail(ws):
    """(header, data rows, group headings, subtotal rows, total row) of a detail sheet."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    h = next(i for i, r in enumerate(rows) if r[0] == "工号")
    header = [c for c in rows[h] if c is not None]
    data, groups, subtotals, total = [], [], [], None
    for r in rows[h + 1:]:
        if r[0] == "合计":
            total = r
            break
        if r[0] is None:
            break
        if str(r[0]).startswith("小计"):
            subtotals.append(r)
        elif r[1] is None:
            groups.append(r[0])
        else:
            data.append(r)
    return header, data, groups, subtotals, total


def test_detail_sheets_hold_every_line_including_unpaid(values, formulas):
    result = make_result()
    for sheet, award in [("集体奖明细", "collective"), ("个人奖明细", "individual"),
                         ("工龄奖明细", "seniority"), ("培训补贴", "training"), ("其他奖惩", "adjustment")]:
        header, data, groups, subtotals, total = _detail(values[sheet])
        assert header[:2] == ["工号", "姓名"]
        assert {"金额", "计算过程", "条款", "来源"} <= set(header)
        lines = [x for x in result.lines if x.award == award]
        assert len(data) == len(lines)
        amount = header.index("金额")
        assert _dec(total[amount]) == sum(x.amount for x in lines)
        # 来源 and 条款 are in the sheet, to the right of the print area
        ws = formulas[sheet]
        last_col = re.search(r":\$([A-Z]+)\$\d+$", str(ws.print_area)).group(1)
        last_printed = openpyxl.utils.column_index_from_string(last_col)
        assert header.index("计算过程") == last_printed - 1
        assert header.index("来源") >= last_printed and header.index("条款") >= last_printed
        if award in ("collective", "individual"):
            projects = sorted({x.project_id for x in lines})
            assert [g.split("　")[0] for g in groups] == projects
            assert [r[0] for r in subtotals] == [f"小计 {p}" for p in projects]
            assert sum(_dec(r[amount]) for r in subtotals) == _dec(total[amount])
    header, data, groups, _, _ = _detail(values["集体奖明细"])
    # the pool's formula once, on the project's heading row
    assert "集体奖池" in groups[0]
    k003 = next(r for r in data if r[0] == "K003")
    assert _dec(k003[header.index("未发金额")]) == Decimal("547.50")
    assert "外包" in k003[header.index("原因")]
    assert "结算单!D4" in k003[header.index("来源")]
    # no always-empty columns: nothing of these awards has a 类别
    assert "类别" not in header and "工程名称" not in header
    total_cell = next(r for r in formulas["集体奖明细"].iter_rows() if r[0].value == "合计")
    assert str(total_cell[header.index("金额")].value).startswith("=SUBTOTAL(9,")


def test_unpaid_sheet_lists_every_refused_line(values):
    header, data, total = _table(values["未发放"])
    refused = [x for x in make_result().lines if x.refused]
    assert len(data) == len(refused) == 5
    assert _dec(total[header.index("未发金额")]) == sum(x.unpaid for x in refused)
    reasons = {r[0]: r[header.index("原因")] for r in data}
    assert reasons["K005"].startswith("旷工")


def test_projects_sheet(values, formulas):
    header, data, total = _table(values["工程"], "工程编号")
    for name in ("计件工资总额", "安全得分", "质量得分", "沟通和配合得分", "规章制度得分", "总分",
                 "集体激励比例", "集体奖池", "个人激励比例", "个人奖池", "个人奖已发"):
        assert name in header
    p1 = data[0]
    assert p1[0] == "GC-2611-01"
    assert _dec(p1[header.index("集体奖池")]) == Decimal("2737.50")
    assert p1[header.index("个人激励比例")] == pytest.approx(0.04)
    # 总分 to every digit (91.25, General format): the pool can be recomputed by hand
    assert p1[header.index("总分")] == pytest.approx(91.25)
    cell = next(r for r in formulas["工程"].iter_rows() if r[0].value == "GC-2611-01")[header.index("总分")]
    assert cell.number_format == "General"
    assert data[2][header.index("集体奖池")] is None
    assert _dec(total[header.index("个人奖已发")]) == Decimal("800.00")
    # where each pool went
    rows = [list(r) for r in values["工程"].iter_rows(values_only=True)]
    h = [i for i, r in enumerate(rows) if r[0] == "工程编号"][1]
    flow_header = rows[h]
    assert flow_header[:11] == ["工程编号", "工程名称", "集体奖池", "集体奖已发", "不参加未发", "集体未分配",
                                "个人奖池", "个人奖已发", "超出封顶", "不合格未发", "个人未分配"]
    flows = {r[0]: dict(zip(flow_header, r, strict=False)) for r in rows[h + 1:] if r[0] and r[0] != "合计"}
    f1 = flows["GC-2611-01"]
    assert [_dec(f1[k]) for k in ("集体奖池", "集体奖已发", "不参加未发", "集体未分配")] == [
        Decimal("2737.50"), Decimal("2080.50"), Decimal("547.50"), Decimal("109.50")]
    f3 = flows["GC-2611-03"]   # K006 over the 500.00 cap: 450.00 = 100.00 paid + 200.00 over + 150.00 left
    assert _dec(f3["个人奖池"]) == Decimal("450.00") and _dec(f3["超出封顶"]) == Decimal("200.00")
    for f in flows.values():
        if f["个人奖池"] is not None:
            assert _dec(f["个人奖池"]) == sum(_dec(f[k]) for k in ("个人奖已发", "超出封顶", "不合格未发",
                                                                   "个人未分配"))


def test_problems_and_sources(values):
    header, data, _ = _table(values["问题清单"], "级别")
    assert header == ["级别", "代码", "文件", "工作表", "单元格", "说明"]
    assert {r[1] for r in data} == {"name-mismatch", "nominee-not-qualified", "seniority-no-attendance"}
    mismatch = next(r for r in data if r[1] == "name-mismatch")
    assert mismatch[0] == "警告" and mismatch[3] == "结算单" and mismatch[4] == "E3"
    texts = [c for r in values["规则与来源"].iter_rows(values_only=True) for c in r if c is not None]
    assert "3f" * 32 in texts and "individual.cap_per_month" in texts
    assert "FS-MS-KF-13 A/2" in texts and "0.1.0" in texts


def test_properties_and_print_setup(formulas):
    props = formulas.properties
    assert props.creator == "kfbonus" and "审批汇总表" in props.title
    assert props.created == GENERATED
    ws = formulas["集体奖明细"]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.print_title_rows == "$4:$4"
    assert "第 &P 页 / 共 &N 页" in ws.oddFooter.right.text


def test_same_result_same_time_gives_the_same_bytes(out, tmp_path):
    render_month(make_result(), tmp_path, GENERATED)
    for name in (approval_name("2026-11"), strips_name("2026-11")):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes()


def test_fast_worksheet_writes_xlsxwriters_own_bytes(out, tmp_path, monkeypatch):
    """The faster cell writer (kfbonus.render.xlsx.FastWorksheet) changes nothing in the
    files: with xlsxwriter's own per-cell code every workbook has the same bytes."""
    from xlsxwriter.worksheet import Worksheet

    from kfbonus.render import xlsx

    monkeypatch.setattr(xlsx.FastWorksheet, "write_cells", xlsx.FastWorksheet._write_each)
    monkeypatch.setattr(xlsx.FastWorksheet, "_write_rows", Worksheet._write_rows)
    monkeypatch.setattr(xlsx.FastWorksheet, "_calculate_spans", Worksheet._calculate_spans)
    render_month(make_result(), tmp_path, GENERATED)
    books = sorted(p.name for p in out.glob("*.xlsx"))
    assert books and books == sorted(p.name for p in tmp_path.glob("*.xlsx"))
    for name in books:
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


@contextlib.contextmanager
def _writer(own: bool):
    """FastWorksheet as it is, or (``own``) with xlsxwriter's own per-cell code throughout."""
    from xlsxwriter.worksheet import Worksheet

    from kfbonus.render import xlsx

    cls = xlsx.FastWorksheet
    saved = cls.write_cells, cls._write_rows, cls._calculate_spans
    if own:
        cls.write_cells, cls._write_rows, cls._calculate_spans = (
            cls._write_each, Worksheet._write_rows, Worksheet._calculate_spans)
    try:
        yield xlsx
    finally:
        cls.write_cells, cls._write_rows, cls._calculate_spans = saved


def _kept_rows_book(path, own: bool) -> None:
    """Rows through write_cells, then xlsxwriter's writers over and beside them: a formula over
    a kept cell, a string after it, a row of 40 formats, a text too long to keep, a float."""
    with _writer(own) as xlsx:
        wb = xlsx.new_workbook(path, "t", "s", GENERATED)
        ws = wb.add_worksheet("表")
        fmts = [wb.add_format({"num_format": f"0.{'0' * (i % 6)}", "bold": i % 2}) for i in range(40)]
        for r in range(40):
            ws.write_cells(r, 1, [(2, f"文字{r % 7}", fmts[0]), (1, Decimal(r) / 8, fmts[1]),
                                  (0, None, None), (1, r * 1000003, fmts[2]), (0, None, fmts[3])])
        ws.write_formula(5, 2, "=1+1", fmts[4], 2)     # over a kept cell
        ws.write_string(6, 9, "旁边", fmts[5])          # beside a kept row
        ws.write_string(7, 0, "前面", fmts[5])          # before it
        ws.set_row(8, 30)
        ws.write_cells(41, 0, [(1, i, fmts[i]) for i in range(40)])
        ws.write_cells(42, 0, [(2, "长" * 9000, fmts[0]), (2, "短", fmts[1])])
        ws.write_cells(43, 0, [(1, 2.5, fmts[0]), (1, 1, fmts[1])])   # a float: not kept
        wb.close()


def test_kept_rows_give_xlsxwriters_bytes_whatever_is_written_over_them(tmp_path):
    _kept_rows_book(tmp_path / "fast.xlsx", own=False)
    _kept_rows_book(tmp_path / "own.xlsx", own=True)
    assert (tmp_path / "fast.xlsx").read_bytes() == (tmp_path / "own.xlsx").read_bytes()
    ws = openpyxl.load_workbook(tmp_path / "fast.xlsx")["表"]
    got = (ws["C6"].value, ws["J7"].value, ws["A8"].value, ws["B40"].value, ws["AN42"].value)
    assert got == ("=1+1", "旁边", "前面", "文字4", 39)


def test_strips(out):
    ws = openpyxl.load_workbook(out / strips_name("2026-11"), data_only=True)["工资条"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header = ["月份", "工号", "姓名", "班组", "个人奖", "集体奖", "培训补贴", "工龄奖", "其他奖惩", "合计"]
    ids = []
    for i in range(0, len(rows), 3):
        assert rows[i] == header
        worker = rows[i + 1]
        assert worker[0] == "2026年11月"
        assert _dec(worker[-1]) == EXPECTED_TOTALS[worker[1]] == sum(_dec(x) for x in worker[4:9])
        ids.append(worker[1])
        if i + 2 < len(rows):
            assert all(c is None for c in rows[i + 2])
    assert ids == ["K001", "K002", "K004", "K005", "K006", "K007"]
    assert ws.page_setup.orientation == "portrait"


@pytest.fixture(scope="module")
def annual(tmp_path_factory):
    folder = tmp_path_factory.mktemp("annual")
    render_month(make_annual_result(), folder, GENERATED)
    return openpyxl.load_workbook(folder / approval_name("2026"), data_only=True)


def _texts(ws) -> list[str]:
    return [str(c) for r in ws.iter_rows(values_only=True) for c in r if c is not None]


def test_annual_run_columns_and_sheets(annual):
    assert annual.sheetnames == ["汇总", "年度评议依据", "年度奖明细", "未发放", "问题清单", "核对",
                                 "规则与来源"]
    header, data, total = _table(annual["汇总"])
    assert header == ["工号", "姓名", "班组", "年度安全奖", "年度质量奖", "合计"]
    assert annual["汇总"]["A1"].value == "客户服务部工程施工安装人员年度激励评议方案 2026年度"
    # K002 (4 months) has nothing paid and is not on 汇总
    assert [(r[0], _dec(r[5])) for r in data] == [("K001", Decimal("2000.00")), ("K006", Decimal("1000.00"))]
    assert [_dec(x) for x in total[3:6]] == [Decimal("1000.00"), Decimal("2000.00"), Decimal("3000.00")]
    dheader, ddata, _ = _table(annual["年度奖明细"])
    assert "奖项" in dheader and len(ddata) == 6


def test_annual_first_sheet_warns_of_missing_and_draft_months(annual):
    ws = annual["汇总"]
    rows = [r[0] for r in ws.iter_rows(values_only=True)]
    h = rows.index("工号")
    # title, subtitle, run stamp, then one line for the missing months and one for the drafts, then the table
    assert rows[2].startswith("草稿（未批准）")
    assert rows[3:h] == [
        "注意：账本中缺 2026-01、2026-02、2026-09…12 的运行记录，年度奖只按计入的 6 个月计算",
        "注意：2026-07、2026-08 尚未批准（草稿），按要求已计入，年度奖含草稿数据",
        None,
    ]
    assert ws.freeze_panes == f"A{h + 2}"
    assert "注：本期有警告 8 条（不影响计算，但请核实），逐条见「问题清单」工作表。" in _texts(ws)


def test_annual_sign_off_is_compiled_drafted_approved(annual):
    rows = [[c for c in r if c is not None] for r in annual["汇总"].iter_rows(values_only=True)]
    block = [r[:2] for r in rows if r and r[0] in ("编制", "审核", "拟定", "批准")]
    assert block == [["编制", "客户服务部核算员"], ["拟定", "客户服务部经理"], ["批准", "光热事业部总经理"]]


def test_annual_basis_one_row_per_worker(annual):
    header, data, total = _table(annual["年度评议依据"])
    assert header == ["工号", "姓名", "班组", "工作月数", "工作月份", "参与工程数", "安全事故", "质量投诉",
                      "质量得分均值", "评分工程数", "年末在册/排除原因", "年度安全奖", "年度质量奖", "来源"]
    rows = {r[0]: dict(zip(header, r, strict=False)) for r in data}
    assert list(rows) == ["K001", "K002", "K006"]
    # K001 is clean: 6 months (March–August), 4 projects, mean 92 over 3 scored ones → both awards
    k001 = rows["K001"]
    assert (k001["工作月数"], k001["工作月份"], k001["参与工程数"], k001["安全事故"], k001["质量投诉"]) == (
        6, "3–8月", 4, "无", "无")
    assert (k001["质量得分均值"], k001["评分工程数"], k001["年末在册/排除原因"]) == (92, 3, "在册")
    assert (_dec(k001["年度安全奖"]), _dec(k001["年度质量奖"])) == (Decimal("1000.00"), Decimal("1000.00"))
    assert k001["来源"] == "ledger.sqlite › 2026-03…08"
    # K006 worked on GC-2603-01, the project of the March 安全事故: no safety award
    k006 = rows["K006"]
    assert k006["安全事故"] == "1 起：3月 GC-2603-01 高处作业未系安全带" and k006["质量投诉"] == "无"
    assert (_dec(k006["年度安全奖"]), _dec(k006["年度质量奖"])) == (Decimal("0.00"), Decimal("1000.00"))
    assert k006["质量得分均值"] == pytest.approx(91.5) and k006["评分工程数"] == 4
    assert k006["来源"] == "月度奖惩及培训.xlsx › 事故投诉 第3行; ledger.sqlite › 2026-03…08"
    # K002 worked four months, not consecutive
    assert (rows["K002"]["工作月数"], rows["K002"]["工作月份"]) == (4, "3–5、7月")
    assert rows["K002"]["来源"] == "ledger.sqlite › 2026-03…05、2026-07"
    assert [_dec(x) for x in total[11:13]] == [Decimal("1000.00"), Decimal("2000.00")]
    subtitle = annual["年度评议依据"]["A2"].value
    assert "不少于 6 个月" in subtitle and "不低于 90" in subtitle


def test_monthly_summary_counts_its_warnings(values):
    texts = _texts(values["汇总"])
    assert "注：本期有警告 3 条（不影响计算，但请核实），逐条见「问题清单」工作表。" in texts
    assert not any(t.startswith("注意：") for t in texts)   # the year-end block is annual only


_LONG_TEXTS = [
    "计件工资结算单.xlsx › 结算单 第12行; 人员名册.xlsx › 花名册 第5行, 花名册!C5",
    "  前后有空格的一段较长文字，用来检查 xml:space 是否保留了它们…………  ",
    "A&B <公司> \"引号\" 'x' 与控制字符\x01\x07\x1f、制表\t与换行\n都在这一段文字里面",
    "_x0041_ 看起来像转义的文字 _x005F_ 以及 \ufffe 都要原样读回来，一字不差才行",
    "=SUM(A1:A9) 以等号开头的长文字仍是文字而不是公式，也不会被当成网址 http://x.cn",
]


def _inline_book(path, own: bool, over: bool) -> None:
    """A table whose long texts are inline strings, with (``over``) a cell of each row
    written over afterwards by xlsxwriter's own writer, which turns the row back."""
    with _writer(own) as xlsx:
        wb = xlsx.new_workbook(path, "t", "s", GENERATED)
        ws = wb.add_worksheet("表")
        fmt = wb.add_format({"text_wrap": True})
        for r, text in enumerate(_LONG_TEXTS):
            ws.write_cells(r, 0, [(2, text, fmt), (2, "短", fmt), (1, Decimal(r), fmt), (2, text * 2, fmt)])
            ws.write_string(r, 5, text, fmt)   # the same text as a shared string, as before
        if over:
            for r in range(len(_LONG_TEXTS)):
                ws.write_number(r, 1, r + 100, fmt)
        wb.close()


@pytest.mark.parametrize("over", [False, True])
def test_long_texts_are_inline_strings_spelled_as_xlsxwriter_and_read_back_unchanged(tmp_path, over):
    import zipfile

    from kfbonus.render.xlsx import INLINE_FROM

    assert all(len(t) >= INLINE_FROM for t in _LONG_TEXTS)
    _inline_book(tmp_path / "fast.xlsx", own=False, over=over)
    _inline_book(tmp_path / "own.xlsx", own=True, over=over)
    assert (tmp_path / "fast.xlsx").read_bytes() == (tmp_path / "own.xlsx").read_bytes()
    with zipfile.ZipFile(tmp_path / "fast.xlsx") as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        shared = z.read("xl/sharedStrings.xml").decode()
    assert sheet.count('t="inlineStr"') == 2 * len(_LONG_TEXTS)
    assert shared.count("前后有空格") == 1   # the column written with write_string
    ws = openpyxl.load_workbook(tmp_path / "fast.xlsx")["表"]
    for r in range(1, len(_LONG_TEXTS) + 1):
        assert ws.cell(r, 2).value == (r + 99 if over else "短")
    # (openpyxl does not undo _xHHHH_ in inline strings: the plain texts only)
    assert [ws.cell(r, 1).value for r in (1, 2, 5)] == [_LONG_TEXTS[i] for i in (0, 1, 4)]
    if not over:
        # an office suite reads every text back exactly, inline or shared alike
        csv_path = soffice_convert(tmp_path / "fast.xlsx", "csv:Text - txt - csv (StarCalc):44,34,76",
                                   tmp_path, tmp_path / "home")
        with open(csv_path, encoding="utf-8", newline="") as fh:
            got = list(csv.reader(fh))
        assert [(row[0], row[3], row[5]) for row in got] == [(t, t * 2, t) for t in _LONG_TEXTS]


def test_inline_text_escaping_round_trips():
    from kfbonus.render.xlsx import _inline_text, _inline_xml

    for text in _LONG_TEXTS:
        xml = _inline_xml(text)
        inner = re.fullmatch(r'<is><t(?: xml:space="preserve")?>(.*)</t></is>', xml, re.DOTALL).group(1)
        assert _inline_text(inner) == text
        assert not re.search("[\x00-\x08\x0b-\x1f<>]", inner)


def test_libreoffice_opens_the_workbook(out, tmp_path):
    pdf = soffice_convert(out / approval_name("2026-11"), "pdf", tmp_path, tmp_path / "home")
    assert pdf_pages(pdf) >= len(SHEETS)


def test_kept_rows_in_any_order_and_their_spill_files_removed(tmp_path):
    """Rows kept through write_cells wait in a temporary file beside the workbook: written in
    reverse order they come out in row order, the same bytes as xlsxwriter's, and no file
    stays behind."""
    def book(path, own):
        with _writer(own) as xlsx:
            wb = xlsx.new_workbook(path, "t", "s", GENERATED)
            fmts = [wb.add_format({"num_format": f"0.{'0' * i}"}) for i in range(4)]
            for name in ("一", "二"):
                ws = wb.add_worksheet(name)
                for r in reversed(range(300)):
                    ws.write_cells(r, 0, [(2, f"{name}{r % 11}", fmts[r % 4]),
                                          (1, Decimal(r) / 4, fmts[3 - r % 4])])
                ws.write_number(150, 1, 7, fmts[0])   # over a kept cell written before it
            wb.close()

    (tmp_path / "fast").mkdir()
    (tmp_path / "own").mkdir()
    book(tmp_path / "fast" / "b.xlsx", own=False)
    book(tmp_path / "own" / "b.xlsx", own=True)
    assert (tmp_path / "fast" / "b.xlsx").read_bytes() == (tmp_path / "own" / "b.xlsx").read_bytes()
    assert [p.name for p in (tmp_path / "fast").iterdir()] == ["b.xlsx"]
    ws = openpyxl.load_workbook(tmp_path / "fast" / "b.xlsx")["二"]
    assert (ws["A1"].value, ws["B300"].value, ws["B151"].value, ws["A300"].value) == ("二0", 74.75, 7, "二2")


def test_kept_rows_are_held_two_words_a_row_in_any_order_and_given_back_whole():
    from kfbonus.render.xlsx import _KeptRows

    kept = _KeptRows()
    widest = (16383, 16383, (1 << 40) - 1, (1 << 24) - 1, (1 << 35) - 1)
    rows = {5000: (0, 0, 0, 0, 0), 3: widest, 0: (3, 9, 123456789, 311, 2), 1_048_575: (1, 2, 3, 4, 5)}
    for row, where in rows.items():
        kept.keep(row, *where)
    assert len(kept) == 4 and 4 not in kept and 2_000_000 not in kept and kept.get(4) is None
    assert {row: kept.get(row) for row in rows} == rows and all(row in kept for row in rows)
    kept.keep(3, 1, 1, 7, 7, 7)   # kept again: replaced, still one row
    assert len(kept) == 4 and kept.get(3) == (1, 1, 7, 7, 7)
    assert kept.pop(3) == (1, 1, 7, 7, 7) and 3 not in kept and kept.pop(3) is None and len(kept) == 3
    for bad in [(2, 1, 0, 0, 0), (0, 16384, 0, 0, 0), (0, 0, 1 << 40, 0, 0), (0, 0, 0, 1 << 24, 0),
                (0, 0, 0, 0, 1 << 35), (0, 0, -1, 0, 0)]:
        with pytest.raises(ValueError):
            kept.keep(9, *bad)
    kept.clear()
    assert len(kept) == 0 and 0 not in kept


# --- write_table's widths and heights, measured as the rows stream by -------------------------

def _reference_layout(cols, rows, fixed, span, total_label):
    """Widths (characters) and row heights (lines) as write_table defines them, from the
    whole table at once and without its shortcuts: a column is as wide as its widest shown
    text + 2 (money, percent, score: the text of its largest value of each sign), within
    its header, ``min_width`` and ``max_width``, and wide enough for its 合计; a data row
    is as tall as its tallest wrapping cell at those widths; a group heading as tall as
    its text across the first ``span`` columns."""
    from kfbonus.render.xlsx import (
        Band,
        _header_width,
        _longest_line,
        _negative,
        _shown,
        text_width,
        wrapped_lines,
    )

    data = [r for r in rows if not isinstance(r, Band)]
    widths = []
    for j, c in enumerate(cols):
        if fixed is not None:
            widths.append(fixed[j])
            continue
        w = max(c.min_width, _header_width(c.header))
        vals = [r[j] for r in data if r[j] is not None and r[j] != ""]
        if c.kind in ("money", "percent", "score"):
            groups = [[v for v in vals if _negative(v)], [v for v in vals if not _negative(v)]]
            texts = [_shown(max(g, key=abs), c.kind) for g in groups if g]
        else:
            texts = [_shown(v, c.kind) for v in vals]
        if w < c.max_width and texts:
            w = max(w, min(c.max_width, max(_longest_line(t) for t in texts) + 2))
        if c.total and j > 0 and total_label is not None:
            total = sum((r[j] or Decimal(0) for r in data), Decimal("0.00"))
            w = max(w, min(c.max_width, text_width(f"{total:,.2f}") + 2))
        widths.append(w)
    heights = {}
    for i, r in enumerate(rows):
        if isinstance(r, Band):
            if r.kind == "group":
                heights[i] = wrapped_lines(r.text, sum(widths[:span]))
            continue
        heights[i] = max([1] + [wrapped_lines("" if r[j] is None or r[j] == "" else str(r[j]), widths[j])
                                for j, c in enumerate(cols) if c.kind in ("wrap", "small")])
    header = max(wrapped_lines(c.header, widths[j]) for j, c in enumerate(cols))
    return widths, heights, header


def _check_layout(tmp_path, cols, rows, fixed=None, span=None, total_label="合计"):
    """write_table's column widths and row heights are the reference's, as xlsxwriter sizes them."""
    from kfbonus.render import xlsx

    wb = xlsx.new_workbook(tmp_path / "t.xlsx", "t", "s", GENERATED)
    f = xlsx.Formats(wb)
    ws, ref = wb.add_worksheet("表"), wb.add_worksheet("参照")
    xlsx.write_table(ws, f, 2, cols, iter(rows), fixed_widths=fixed, span=span, total_label=total_label)
    widths, heights, header = _reference_layout(cols, rows, fixed, span or len(cols), total_label)
    ref.set_row(2, xlsx.LINE_HEIGHT * header + 4)
    for i, lines in heights.items():
        if lines > 1:
            ref.set_row(3 + i, xlsx.LINE_HEIGHT * lines + 3)
    for j, w in enumerate(widths):
        ref.set_column(j, j, w)
    got_heights = {r: info.height for r, info in ws.row_info.items()}
    widths_of = lambda sheet: {j: info.width for j, info in sheet.col_info.items()}  # noqa: E731
    assert widths_of(ws) == widths_of(ref)
    assert got_heights == {r: info.height for r, info in ref.row_info.items()}
    wb.close()


_LAYOUT_COLS = [
    ("text", 6, 12), ("wrap", 6, 14), ("money", 8, 16), ("integer", 4, 9), ("score", 5, 20),
    ("percent", 6, 10), ("small", 20, 10), ("wrap", 4, 30),
]


def _layout_table(draw_text, draw_money, n_rows, bands):
    from kfbonus.render.xlsx import Band, Col

    cols = [Col(f"列{j}{'说明' * (j % 3)}", kind, min_width=lo, max_width=hi, total=kind == "money")
            for j, (kind, lo, hi) in enumerate(_LAYOUT_COLS)]
    rows = []
    for i in range(n_rows):
        if bands and i % 7 == 0:
            rows.append(Band(draw_text(i) or "工程", "group"))
        row = []
        for j, (kind, _lo, _hi) in enumerate(_LAYOUT_COLS):
            k = i * 31 + j
            if k % 9 == 0:
                row.append(None if k % 2 else "")
            elif kind in ("money", "percent", "score"):
                row.append(draw_money(k))
            elif kind == "integer":
                row.append((k * 7919) % 100003 - 50000)
            else:
                row.append(draw_text(k))
        rows.append(row)
        if bands and i % 7 == 6:
            rows.append(Band("小计", "subtotal"))
    return cols, rows


def test_widths_and_heights_measured_as_rows_stream_equal_the_whole_tables(tmp_path, monkeypatch):
    """A big table (chunks of 512 rows measured at a time, and chunks made tiny) gets the
    widths and heights of measuring every column whole: short and long, CJK and ASCII
    texts, line breaks, blanks, both signs, a column too narrow to widen (its floor over
    its max_width), groups with subtotals, fixed widths."""
    import random

    from kfbonus.render import xlsx

    rnd = random.Random(7)
    words = ["甲", "工程", "abc", "很长的一段说明文字", "x" * 40, "换行\n第二行",
             "一二三四五六七八九十" * 3, " "]

    def text(k):
        return "".join(rnd.choice(words) for _ in range(rnd.randint(1, 4)))

    top = [10**8]   # the largest amount: of each sign alike, then the positive ones ten times larger

    def money(k):
        if not k % 5:
            return Decimal(rnd.randint(0, 99)) / 100
        return Decimal(rnd.randint(-10**8, top[0])) / 100

    for chunk in (512, 3):
        monkeypatch.setattr(xlsx, "_MEASURED_AT_ONCE", chunk)
        for n, bands, largest in ((1200, False, 10**8), (1200, False, 10**10), (300, True, 10**8),
                                  (0, False, 1)):
            top[0] = largest
            cols, rows = _layout_table(text, money, n, bands)
            folder = tmp_path / f"{chunk}-{n}-{bands}-{largest}"
            folder.mkdir()
            _check_layout(folder, cols, rows, span=3 if bands else None)
        folder = tmp_path / f"{chunk}-fixed"
        folder.mkdir()
        cols, rows = _layout_table(text, money, 40, True)
        _check_layout(folder, cols, rows, fixed=[9, 11, 14, 6, 7, 8, 9, 10], span=2)
        cols, rows = _layout_table(text, money, 40, False)
        folder = tmp_path / f"{chunk}-nototal"
        folder.mkdir()
        _check_layout(folder, cols, rows, total_label=None)


def test_a_short_column_of_long_lines_only_where_its_texts_break(tmp_path):
    """A wrapping column whose texts all fit comes out narrower than its max_width: a row
    is then as tall as its text's own line breaks (measured before the width was known)."""
    from kfbonus.render.xlsx import Col

    cols = [Col("工号"), Col("说明", "wrap", min_width=6, max_width=60)]
    rows = [["1", "短"], ["2", "第一行\n第二行\n第三行"], ["3", "一段二十个字的说明文字一段二十个字的说明"]]
    _check_layout(tmp_path, cols, rows)


def _zipped_book(path, workbook_class) -> None:
    import xlsxwriter

    from kfbonus.render import xlsx
    wb = workbook_class(str(path), xlsx.SAFE_OPTIONS)
    wb.set_properties({"created": GENERATED})
    ws = wb.add_worksheet("表")
    for r in range(2000):
        ws.write_string(r, 0, f"第{r}行 计算过程 {r * 7919 % 1000}")
        ws.write_number(r, 1, r * 3)
    wb.close()
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile   # pointed back once zipped


def test_workbooks_are_zipped_at_the_fast_level_with_the_same_parts(tmp_path):
    """new_workbook's files deflate at zlib's fastest level (the approval workbook's zip was
    a tenth of its time at the default level 6); the parts inside are xlsxwriter's bytes."""
    import zlib

    import xlsxwriter

    from kfbonus.render import xlsx
    _zipped_book(tmp_path / "fast.xlsx", type(xlsx.new_workbook(tmp_path / "x.xlsx", "t", "s", GENERATED)))
    _zipped_book(tmp_path / "own.xlsx", xlsxwriter.Workbook)
    fast, own = zipfile.ZipFile(tmp_path / "fast.xlsx"), zipfile.ZipFile(tmp_path / "own.xlsx")
    assert fast.namelist() == own.namelist()
    for name in fast.namelist():
        assert fast.read(name) == own.read(name), name
    sheet = "xl/worksheets/sheet1.xml"
    raw = fast.read(sheet)

    def deflated(level: int) -> int:
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        return len(packer.compress(raw) + packer.flush())

    assert deflated(1) != deflated(6)
    assert fast.getinfo(sheet).compress_size == deflated(xlsx.ZIP_LEVEL) == deflated(1)
    assert own.getinfo(sheet).compress_size == deflated(6)


def test_a_workbook_that_fails_to_zip_leaves_xlsxwriter_as_it_was(tmp_path):
    import xlsxwriter

    from kfbonus.render import xlsx
    wb = xlsx.new_workbook(tmp_path / "missing" / "t.xlsx", "t", "s", GENERATED)
    wb.add_worksheet("表").write_string(0, 0, "x")
    with pytest.raises(xlsxwriter.exceptions.FileCreateError):   # the zip cannot be made there
        wb.close()
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile


@pytest.mark.parametrize("formula", [
    "=SUM(F5:F90)", "SUM(F5:F90)", "=SUBTOTAL(9,AB12:AB3001)", "=SUM($F$5:$F$90)",
    "{=SUM(F5:F90)}",                                        # an array formula: xlsxwriter's own way
    "=SUBTOTAL(9,F5:F90)+SUM(G1:G2)", "=SUM(F5:F90,G1)",     # more than one range: xlsxwriter's own way
    "=FILTER(A1:A9,B1:B9)", "=SUM(XLOOKUP(1,A1:A9,B1:B9))",  # functions it prefixes with _xlfn.
    "=SUBTOTAL(109,F5:F90)", "=_xlfn.SUM(F1:F2)"])
def test_formulas_are_prepared_as_xlsxwriter_prepares_them(formula):
    from xlsxwriter.worksheet import Worksheet

    from kfbonus.render.xlsx import FastWorksheet
    for future in (False, True):
        fast, own = FastWorksheet(), Worksheet()
        fast.use_future_functions = own.use_future_functions = future
        assert fast._prepare_formula(formula) == own._prepare_formula(formula)
