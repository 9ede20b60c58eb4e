"""SHKF-TC 售后客服、销售岗位业绩激励方案 (COMMISSION.md): small workbooks built in code,
read by the reader, computed by the scheme; every amount checked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest

from kfbonus.reader import read_month
from kfbonus.rules import override_params
from kfbonus.schemes import REGISTERED, scheme_by_id
from kfbonus.schemes.base import Run, RunKind
from kfbonus.schemes.shkf import SCHEME
from kfbonus.schemes.shkf.params import load
from kfbonus.schemes.shkf.plain import plain_text
from tests.helpers import write_xlsx

PERIOD = "2026-11"
ASSESS = dt.date(2026, 11, 30)
ROSTER_HEAD = ["工号", "姓名", "入职日期", "用工类型", "岗位", "班组"]
DEALER_HEAD = ["加盟商编号", "加盟商名称", "售后客服", "签约销售"]
PURCHASE_HEAD = ["加盟商编号", "日期", "渠道", "销售额", "折扣", "提货额"]


def _params(**override):
    p = load().in_force(ASSESS)
    return override_params(p, override, "test") if override else p


def _run(
    tmp_path, roster, dealers, purchases, adjustments=None, attendance=None, extra_sheets=None, params=None
):
    folder = tmp_path / "month"
    write_xlsx(folder / "人员名册.xlsx", {"花名册": [ROSTER_HEAD, *roster]})
    sheets = {"加盟商": [DEALER_HEAD, *dealers], "提货明细": [PURCHASE_HEAD, *purchases]}
    sheets.update(extra_sheets or {})
    write_xlsx(folder / "加盟商提货.xlsx", sheets)
    if adjustments is not None:
        write_xlsx(
            folder / "其他奖惩.xlsx", {"奖惩": [["工号", "类别", "金额", "说明", "班组"], *adjustments]}
        )
    if attendance is not None:
        write_xlsx(
            folder / "考勤.xlsx",
            {"考勤": [["工号", "应出勤天数", "实出勤天数", "连续缺勤天数"], *attendance]},
        )
    month = read_month(folder, PERIOD)
    assert [p for p in month.problems if p.is_error] == [], month.problems
    result = SCHEME.compute(month, params or _params(), Run(RunKind.MONTH, "SHKF-TC", PERIOD, ASSESS))
    return month, result


def _lines(result, award, worker=None):
    return [x for x in result.lines if x.award == award and (worker is None or x.worker_id == worker)]


def _amounts(result, award):
    return {(x.worker_id, x.project_id): x.amount for x in _lines(result, award)}


def _codes(result):
    return [p.code for p in result.problems]


def _problem(result, code):
    found = [p for p in result.problems if p.code == code]
    assert len(found) == 1, result.problems
    return found[0]


def _worker(wid, post="售后客服", name=None, etype="正式", team=None):
    return [wid, name or f"员工{wid}", "2024-01-01", etype, post, team]


# --- registration and rules ------------------------------------------------------------


def test_registered_once():
    assert REGISTERED.count("kfbonus.schemes.shkf") == 1
    s = scheme_by_id("SHKF-TC")
    assert s.posts == frozenset({"售后客服", "销售"})
    assert [a.id for a in s.awards] == ["base_salary", "service_commission", "sales_commission", "adjustment"]
    assert s.present_when == ("dealer", "purchase") and s.requires == ("dealer", "purchase")
    assert s.presentation.folder("2026-11") == "2026-11_业绩提成"


def test_rules_file():
    p = _params()
    assert p.label == "SHKF-TC 试行"
    assert p.effective == dt.date(2026, 1, 1)
    assert p["tiers.base_rate"] == Decimal("0.005") and p["sales.cloud_rate"] == Decimal("0.01")
    assert p["exclusions.applies_to"] == ()
    assert p.company_set["tiers.target_min"] and p.company_set["base_salary.mid_min"]
    assert not p.company_set["tiers.sprint_rate"]


# --- tiers: 客服提成 and 底薪 at every boundary -----------------------------------------

BOUNDARIES = [  # 月提货额, 客服提成, 底薪
    ("9999.99", "0.00", "3200.00"),
    ("10000.00", "50.00", "3200.00"),
    ("79999.99", "400.00", "3200.00"),  # 399.99995 → 400.00
    ("80000.00", "800.00", "3500.00"),
    ("149999.99", "1500.00", "3500.00"),  # 1,499.9999 → 1,500.00
    ("150000.00", "3000.00", "3800.00"),
]


def test_tier_boundaries(tmp_path):
    roster = [_worker(f"20{i}") for i in range(len(BOUNDARIES))] + [_worker("2099")]
    dealers = [[f"D{i}", f"店{i}", f"20{i}", None] for i in range(len(BOUNDARIES))]
    purchases = [
        [f"D{i}", "2026-11-10", "线下", None, None, total] for i, (total, _, _) in enumerate(BOUNDARIES)
    ]
    _, result = _run(tmp_path, roster, dealers, purchases)
    service = _amounts(result, "service_commission")
    base = _amounts(result, "base_salary")
    for i, (_, commission, salary) in enumerate(BOUNDARIES):
        assert service[(f"20{i}", f"D{i}")] == Decimal(commission)
        assert base[(f"20{i}", None)] == Decimal(salary)
    assert base[("2099", None)] == Decimal("3200.00")  # a 售后客服 with no dealers
    below = _lines(result, "service_commission", "200")[0]
    assert below.amount == 0 and "未达基础" in below.formula and below.category == "未达基础"
    tiers = {d.dealer_id: (d.tier, d.rate) for d in result.details["dealers"]}
    assert tiers == {
        "D0": ("未达基础", Decimal(0)),
        "D1": ("基础", Decimal("0.005")),
        "D2": ("基础", Decimal("0.005")),
        "D3": ("目标", Decimal("0.01")),
        "D4": ("目标", Decimal("0.01")),
        "D5": ("冲刺", Decimal("0.02")),
    }
    assert "本月无所服务的加盟商" in _lines(result, "base_salary", "2099")[0].formula


def test_base_salary_by_total_of_dealers(tmp_path):
    # 50,000.00 + 40,000.00 = 90,000.00 → 3,500.00; each dealer its own tier (基础 0.5%)
    _, result = _run(
        tmp_path,
        [_worker("2001")],
        [["D1", "甲", "2001", None], ["D2", "乙", "2001", None]],
        [["D1", None, None, None, None, 50000], ["D2", None, None, None, None, 40000]],
    )
    assert _amounts(result, "base_salary") == {("2001", None): Decimal("3500.00")}
    assert _amounts(result, "service_commission") == {
        ("2001", "D1"): Decimal("250.00"),
        ("2001", "D2"): Decimal("200.00"),
    }


# --- 折扣 and 提货额 --------------------------------------------------------------------------


def test_discount_forms_and_computed_amounts(tmp_path):
    # 销售额 1,000.00 at 0.85 / 85 / 85% / 8.5折 / 85折 = 850.00 each; 9折 = 900.00;
    # 1,000.01 × 0.85 = 850.0085 → 850.01; 提货额 given alone 1,234.56
    purchases = [["D1", None, None, 1000, d, None] for d in (0.85, 85, "85%", "8.5折", "85折")]
    purchases += [
        ["D1", None, None, 1000, "9折", None],
        ["D1", None, None, "1000.01", 0.85, None],
        ["D1", None, None, None, None, "1234.56"],
        ["D1", None, None, 2000, "0.9", 1800],
    ]
    _, result = _run(tmp_path, [_worker("2001")], [["D1", "甲", "2001", None]], purchases)
    d = result.details["dealers"][0]
    # 5 × 850.00 + 900.00 + 850.01 + 1,234.56 + 1,800.00
    assert d.total == Decimal("9034.57")
    assert result.problems == []


@pytest.mark.parametrize("bad", ["abc", "120", "0", "0折", "101折", "150%", "八五折", "-0.85"])
def test_bad_discount_is_an_error_on_the_cell(tmp_path, bad):
    folder = tmp_path / "m"
    write_xlsx(folder / "a.xlsx", {"提货": [PURCHASE_HEAD, ["D1", None, None, 1000, bad, None]]})
    month = read_month(folder, PERIOD)
    errors = [p for p in month.problems if p.is_error]
    assert [p.code for p in errors] == ["invalid-discount"]
    assert errors[0].source.cell == "E2"


def test_amount_mismatch_and_missing(tmp_path):
    purchases = [
        ["D1", None, None, 1000, 0.85, 851],  # round(1000 × 0.85) = 850.00 ≠ 851.00
        ["D1", None, None, 1000, None, None],  # neither 提货额 nor 销售额 + 折扣
        ["D1", None, None, 1000, 0.85, 850],
    ]  # both, consistent
    _, result = _run(tmp_path, [_worker("2001")], [["D1", "甲", "2001", None]], purchases)
    mismatch = _problem(result, "purchase-amount-mismatch")
    assert mismatch.is_error and mismatch.source.cell == "F2" and mismatch.source.sheet == "提货明细"
    assert "850.00" in mismatch.message and "851.00" in mismatch.message
    missing = _problem(result, "purchase-amount-missing")
    assert missing.is_error and missing.source.cell == "F3" and "折扣" in missing.message
    assert result.details["dealers"][0].total == Decimal("850.00")  # only the good row counts


def test_rows_of_another_month_one_warning_per_sheet(tmp_path):
    purchases = [
        ["D1", "2026-10-31", None, None, None, 5000],
        ["D1", "2026-12-01", None, None, None, 6000],
        ["D1", "2026-11-01", None, None, None, 10000],
        ["D1", None, None, None, None, 100],
    ]
    other = {
        "提货明细2": [
            PURCHASE_HEAD,
            ["D1", "2026/10/3", None, None, None, 7000],
            ["D1", "2026-11-30", None, None, None, 20000],
        ]
    }
    _, result = _run(tmp_path, [_worker("2001")], [["D1", "甲", "2001", None]], purchases, extra_sheets=other)
    warnings = sorted(
        (p.source.sheet, p.message) for p in result.problems if p.code == "purchase-other-month"
    )
    assert len(warnings) == 2 and all(not p.is_error for p in result.problems)
    assert warnings[0][0] == "提货明细" and "2 行" in warnings[0][1]
    assert warnings[1][0] == "提货明细2" and "1 行" in warnings[1][1]
    assert result.details["dealers"][0].total == Decimal("30100.00")  # 10,000 + 100 (blank date) + 20,000


# --- 销售提成 and channels -----------------------------------------------------------------


def test_sales_several_dealers_and_channels(tmp_path):
    roster = [_worker("2001"), _worker("3001", "销售")]
    dealers = [["D1", "甲", "2001", "3001"], ["D2", "乙", "2001", "3001"], ["D3", "丙", "2001", None]]
    purchases = [
        ["D1", None, "云商城", None, None, "12345.67"],
        ["D1", None, "线下", None, None, 50000],
        ["D1", None, None, None, None, 1000],  # blank = 线下
        ["D2", None, "云商城", None, None, "150.50"],  # 1.505 → 1.51
        ["D3", None, "云商城", None, None, 99999],
    ]  # no 签约销售: no line
    _, result = _run(tmp_path, roster, dealers, purchases)
    assert _amounts(result, "sales_commission") == {
        ("3001", "D1"): Decimal("123.46"),  # 123.4567
        ("3001", "D2"): Decimal("1.51"),
    }
    clouds = {d.dealer_id: d.cloud_total for d in result.details["dealers"]}
    assert clouds == {"D1": Decimal("12345.67"), "D2": Decimal("150.50"), "D3": Decimal("99999.00")}
    # D1 = 63,345.67 → 基础 0.5% = 316.72835 → 316.73
    assert _amounts(result, "service_commission")[("2001", "D1")] == Decimal("316.73")
    assert "3001" not in {x.worker_id for x in _lines(result, "base_salary")}  # a 销售 has no 底薪


def test_bad_channel(tmp_path):
    _, result = _run(
        tmp_path,
        [_worker("2001")],
        [["D1", "甲", "2001", None]],
        [["D1", None, "淘宝", None, None, 1000], ["D1", None, "线下", None, None, 20000]],
    )
    p = _problem(result, "purchase-bad-channel")
    assert p.is_error and p.source.cell == "C2" and "淘宝" in p.message
    assert result.details["dealers"][0].total == Decimal("20000.00")


# --- input checks ----------------------------------------------------------------------------


def test_dealer_staff_checks(tmp_path):
    roster = [_worker("2001"), _worker("3001", "销售"), _worker("1001", "施工员")]
    dealers = [
        ["D1", "甲", "3001", "2001"],  # 售后客服 a 销售, 签约销售 a 售后客服
        ["D2", "乙", "9999", "8888"],  # neither in the roster
        ["D3", "丙", "1001", None],
    ]  # an installer
    _, result = _run(tmp_path, roster, dealers, [["D1", None, None, None, None, 20000]])
    got = sorted((p.code, p.source.cell) for p in result.problems)
    assert got == [
        ("dealer-sales-not-in-roster", "D3"),
        ("dealer-sales-wrong-post", "D2"),
        ("dealer-service-not-in-roster", "C3"),
        ("dealer-service-wrong-post", "C2"),
        ("dealer-service-wrong-post", "C4"),
    ]
    assert all(p.is_error for p in result.problems)
    assert _lines(result, "service_commission") == [] and _lines(result, "sales_commission") == []
    assert "1001" not in result.workers  # installers are not this scheme's staff


def test_dealer_twice_and_unknown_dealer(tmp_path):
    _, result = _run(
        tmp_path,
        [_worker("2001")],
        [["D1", "甲", "2001", None], ["D1", "甲", "2001", None]],
        [["D1", None, None, None, None, 20000], ["D9", None, None, None, None, 5000]],
    )
    dup = _problem(result, "dealer-duplicate")
    assert dup.is_error and dup.source.cell == "A3" and dup.source.sheet == "加盟商"
    unknown = _problem(result, "purchase-unknown-dealer")
    assert unknown.is_error and unknown.source.cell == "A3" and unknown.source.sheet == "提货明细"
    assert len(_lines(result, "service_commission")) == 1


# --- exclusions ----------------------------------------------------------------------------


def test_exclusions_off_by_default_and_on_when_listed(tmp_path):
    roster = [_worker("2001", etype="外包"), _worker("3001", "销售", etype="正式"), _worker("3002", "销售")]
    dealers = [["D1", "甲", "2001", "3001"], ["D2", "乙", "2001", "3002"]]
    purchases = [["D1", None, "云商城", None, None, 20000], ["D2", None, "云商城", None, None, 1000]]
    attendance = [["3002", 22, 0, 30]]  # 30 days' absence: excluded when the rule applies
    _, off = _run(tmp_path / "a", roster, dealers, purchases, attendance=attendance)
    assert _amounts(off, "service_commission")[("2001", "D1")] == Decimal("100.00")
    assert _amounts(off, "sales_commission") == {
        ("3001", "D1"): Decimal("200.00"),
        ("3002", "D2"): Decimal("10.00"),
    }
    _, on = _run(
        tmp_path / "b",
        roster,
        dealers,
        purchases,
        attendance=attendance,
        params=_params(**{"exclusions.applies_to": ["commission"]}),
    )
    line = _lines(on, "service_commission", "2001")[0]
    assert line.amount == 0 and line.unpaid == Decimal("100.00") and "外包" in line.reason
    assert _lines(on, "base_salary", "2001")[0].amount == Decimal("3200.00")  # 底薪 never excluded
    assert _amounts(on, "sales_commission") == {
        ("3001", "D1"): Decimal("200.00"),
        ("3002", "D2"): Decimal("0.00"),
    }
    assert "连续缺勤" in _lines(on, "sales_commission", "3002")[0].reason
    assert on.workers["2001"].excluded


def test_employment_types_as_typed_and_an_unknown_one_said_when_exclusions_apply(tmp_path):
    roster = [_worker("2001", etype="临时工"), _worker("2002", etype="劳务派遣"), _worker("3001", "销售")]
    dealers = [["D1", "甲", "2001", "3001"], ["D2", "乙", "2002", "3001"]]
    purchases = [["D1", None, None, None, None, 20000], ["D2", None, None, None, None, 20000]]
    params = _params(**{"exclusions.applies_to": ["commission"]})
    _, on = _run(tmp_path / "on", roster, dealers, purchases, params=params)
    assert "临时工" in _lines(on, "service_commission", "2001")[0].reason   # 临时工 is 临时
    assert _amounts(on, "service_commission")[("2002", "D2")] == Decimal("100.00")
    unknown = [p for p in on.problems if p.code == "unknown-employment-type"]
    assert [(p.severity.name, p.source.col) for p in unknown] == [("WARNING", "D")]
    assert "「劳务派遣」" in unknown[0].message and "工号 2002" in unknown[0].message
    _, off = _run(tmp_path / "off", roster, dealers, purchases)   # exclusions apply to nothing
    assert not [p for p in off.problems if p.code == "unknown-employment-type"]


# --- 其他奖惩 ----------------------------------------------------------------------------------


def test_adjustment_rows(tmp_path):
    roster = [
        _worker("2001", team="客服组"),
        _worker("2002", team="客服组"),
        _worker("3001", "销售", team="客服组"),
        _worker("1001", "施工员", team="安装一组"),
    ]
    adjustments = [
        ["2001", "优秀个人奖", None, "表扬", None],
        ["3001", "扣款", 200, "迟到", None],
        ["1001", "优秀个人奖", None, None, None],  # an installer's: not this scheme's
        [None, "优秀团队奖", 1000, None, "客服组"],  # 1,000.00 ÷ 3 → 333.34, 333.33, 333.33
        ["2002", "扣款", "5%", None, None],
    ]  # no 计件工资 here: error
    _, result = _run(
        tmp_path,
        roster,
        [["D1", "甲", "2001", None]],
        [["D1", None, None, None, None, 500]],
        adjustments=adjustments,
    )
    got = sorted((x.worker_id, x.category, x.amount) for x in _lines(result, "adjustment"))
    assert got == [
        ("2001", "优秀个人奖", Decimal("500.00")),
        ("2001", "优秀团队奖", Decimal("333.34")),
        ("2002", "优秀团队奖", Decimal("333.33")),
        ("3001", "优秀团队奖", Decimal("333.33")),
        ("3001", "扣款", Decimal("-200.00")),
    ]
    p = _problem(result, "adjustment-percent-not-allowed")
    assert p.is_error and p.source.cell == "C6"
    deduction = next(x for x in _lines(result, "adjustment", "3001") if x.category == "扣款")
    assert "扣除 200.00 元" in plain_text(deduction)


def test_adjustment_problems_each_on_its_cell_and_the_row_unpaid(tmp_path):
    adjustments = [
        ["2001", "好人好事奖", 100, None, None],   # unknown category: error, unpaid
        ["2001", "扣款", None, None, None],        # a 扣款 has no standard amount: error, unpaid
        ["2001", "创新奖", 250, None, None],       # standard 300.00: a warning, paid as given
        ["2001", "优秀个人奖", -500, None, None],  # a negative reward: error, unpaid
        ["2001", "创新奖", None, None, None],      # standard 300.00 …
        ["2001", "创新奖", None, None, None],      # … and the same row again: a warning, both paid
    ]
    _, result = _run(tmp_path, [_worker("2001")], [["D1", "甲", "2001", None]],
                     [["D1", None, None, None, None, 1]], adjustments=adjustments)
    negative = _problem(result, "adjustment-negative-reward")
    assert (negative.is_error, negative.source.cell) == (True, "C5")
    assert "优秀个人奖金额为 -500.00：奖励金额不能为负" in negative.message
    assert [x.amount for x in _lines(result, "adjustment")] == [Decimal("250.00"), *[Decimal("300.00")] * 2]
    month = read_month(tmp_path / "month", PERIOD)
    [pasted] = [p for check in SCHEME.checks for p in check(month)]   # the scheme's own input checks
    assert (pasted.code, pasted.is_error, pasted.source.row) == ("identical-row", False, 7)
    unknown = _problem(result, "adjustment-unknown-category")
    missing = _problem(result, "adjustment-amount-missing")
    odd = _problem(result, "adjustment-nonstandard-amount")
    assert (unknown.is_error, unknown.source.cell) == (True, "B2")
    assert (missing.is_error, missing.source.cell) == (True, "C3")
    assert (odd.is_error, odd.source.cell) == (False, "C4")
    assert "300.00" in odd.message


def test_adjustment_team_without_members_is_an_error(tmp_path):
    _, result = _run(
        tmp_path,
        [_worker("2001")],
        [["D1", "甲", "2001", None]],
        [["D1", None, None, None, None, 1]],
        adjustments=[[None, "优秀团队奖", None, None, "不存在组"]],
    )
    p = _problem(result, "adjustment-team-empty")
    assert p.is_error and p.source.cell == "E2"


# --- the approval workbook ---------------------------------------------------------------


def test_workbook_read_back(tmp_path):
    roster = [
        _worker("2001", name="李客服"),
        _worker("2002", name="王客服"),
        _worker("3001", "销售", name="赵销售"),
        _worker("3002", "销售", name="钱销售"),
    ]
    dealers = [["D1", "甲店", "2001", "3001"], ["D2", "乙店", "2001", None]]
    purchases = [
        ["D1", "2026-11-03", "云商城", 100000, "8.5折", None],  # 85,000.00
        ["D1", "2026-11-05", None, None, None, "5000.00"],
        ["D2", None, "线下", None, None, "9999.99"],
    ]
    adjustments = [["2002", "优秀个人奖", None, None, None]]
    _, result = _run(tmp_path, roster, dealers, purchases, adjustments=adjustments)
    path = SCHEME.presentation.write_workbook(
        result, [], [], tmp_path / "out.xlsx", dt.datetime(2026, 12, 1, 9)
    )
    wb = openpyxl.load_workbook(path, data_only=True)
    assert wb.sheetnames == ["汇总", "加盟商", "明细", "问题清单", "核对", "规则与来源"]
    ws = wb["汇总"]
    rows = [r for r in ws.iter_rows(values_only=True)]
    head = rows.index(("工号", "姓名", "岗位", "底薪", "客服提成", "销售提成", "其他奖惩", "合计"))
    body = rows[head + 1 : head + 4]
    assert [r[:3] for r in body] == [
        ("2001", "李客服", "售后客服"),
        ("2002", "王客服", "售后客服"),
        ("3001", "赵销售", "销售"),
    ]  # 3002 has no non-zero line
    money = [[Decimal(str(v)) for v in r[3:]] for r in body]
    assert money == [
        [Decimal("3500"), Decimal("900"), 0, 0, Decimal("4400")],
        [Decimal("3200"), 0, 0, Decimal("500"), Decimal("3700")],
        [0, 0, Decimal("850"), 0, Decimal("850")],
    ]
    total = rows[head + 4]
    assert total[0] == "合计"
    assert Decimal(str(total[7])) == sum((x.amount for x in result.lines), Decimal(0)) == Decimal("8950.00")
    assert [Decimal(str(v)) for v in total[3:7]] == [
        Decimal("6700"),
        Decimal("900"),
        Decimal("850"),
        Decimal("500"),
    ]
    assert ws.cell(head + 2, 4).number_format.endswith("0.00") or "0.00" in ws.cell(head + 2, 4).number_format
    dealers_ws = [r for r in wb["加盟商"].iter_rows(values_only=True)]
    dhead = next(i for i, r in enumerate(dealers_ws) if r[0] == "加盟商编号")
    assert dealers_ws[dhead][:9] == (
        "加盟商编号",
        "加盟商名称",
        "月提货额",
        "档位",
        "比例",
        "客服提成",
        "售后客服",
        "云商城提货额",
        "签约销售",
    )
    d1, d2 = dealers_ws[dhead + 1], dealers_ws[dhead + 2]
    assert d1[:4] == ("D1", "甲店", 90000, "目标") and d1[5] == 900 and d1[6] == "2001 李客服"
    assert d1[7] == 85000 and d1[8] == "3001 赵销售"
    assert d2[:4] == ("D2", "乙店", 9999.99, "未达基础") and d2[5] == 0
    detail = [r for r in wb["明细"].iter_rows(values_only=True)]
    assert any(r[2] == "客服提成" and r[8] and "90,000.00 × 目标档 1%" in r[8] for r in detail)


def test_scheme_imports_only_the_machinery():
    """The package never imports FS-MS-KF-13's modules, and no machinery module imports it."""
    import re
    from pathlib import Path

    import kfbonus

    root = Path(kfbonus.__file__).parent
    forbidden = re.compile(
        r"^\s*(from|import)\s+kfbonus\.(compute|annual|schemes\.kf13|render\.workbook)\b", re.M
    )
    for py in (root / "schemes" / "shkf").rglob("*.py"):
        assert not forbidden.search(py.read_text(encoding="utf-8")), py
    mention = re.compile(r"^\s*(from|import)\s+kfbonus\.schemes\.shkf\b", re.M)
    for py in root.rglob("*.py"):
        if "schemes" not in py.relative_to(root).parts:
            assert not mention.search(py.read_text(encoding="utf-8")), py


def test_percent_formatted_discount_cell_and_total_row(tmp_path):
    """A 0.85 in a percent-formatted 折扣 cell is 85%; a 合计 row of the purchase table is not
    data, and its money cells are checked against the rows (INPUTS.md)."""
    folder = tmp_path / "m"
    write_xlsx(folder / "人员名册.xlsx", {"花名册": [ROSTER_HEAD, _worker("2001")]})
    write_xlsx(
        folder / "提货.xlsx",
        {
            "加盟商": [DEALER_HEAD, ["D1", "甲", "2001", None]],
            "提货明细": [
                PURCHASE_HEAD,
                ["D1", None, None, 20000, 0.85, None],
                ["D1", None, None, 10000, "9折", 9000],
                ["合计", None, None, 30000, None, 9000],
            ],
        },
        number_formats={"提货明细": {"E2": "0%"}},
    )
    month = read_month(folder, PERIOD)
    assert month.problems == []
    result = SCHEME.compute(month, _params(), Run(RunKind.MONTH, "SHKF-TC", PERIOD, ASSESS))
    d = result.details["dealers"][0]
    assert d.total == Decimal("26000.00") and d.rows == 2  # 17,000.00 + 9,000.00
    assert _amounts(result, "service_commission") == {("2001", "D1"): Decimal("130.00")}

    write_xlsx(
        folder / "提货.xlsx",
        {
            "加盟商": [DEALER_HEAD, ["D1", "甲", "2001", None]],
            "提货明细": [
                PURCHASE_HEAD,
                ["D1", None, None, None, None, 9000],
                ["合计", None, None, None, None, 9100],
            ],
        },
    )
    bad = [p for p in read_month(folder, PERIOD).problems if p.is_error]
    assert len(bad) == 1 and bad[0].source.cell == "F3"


def test_tables_without_the_columns_that_decide_pay_are_warned(tmp_path):
    """A 提货明细 without 日期 (every row this month's) or 渠道 (every purchase 线下), a 加盟商
    table without 签约销售 (no sales commission): one warning a sheet and column, at its
    header row; with the columns, none."""
    from kfbonus.schemes.shkf import check_columns_that_decide_pay

    folder = tmp_path / "bare"
    write_xlsx(folder / "加盟商提货.xlsx", {
        "加盟商": [["加盟商编号", "加盟商名称", "售后客服"], ["D1", "甲", "2001"]],
        "提货明细": [["加盟商编号", "提货额"], ["D1", 12000]]})
    found = {(p.code, p.message.split("：")[0], str(p.source))
             for p in check_columns_that_decide_pay(read_month(folder, PERIOD))}
    assert found == {("purchase-column-absent", "提货明细没有「日期」列", "加盟商提货.xlsx › 提货明细 第1行"),
                     ("purchase-column-absent", "提货明细没有「渠道」列", "加盟商提货.xlsx › 提货明细 第1行"),
                     ("dealer-column-absent", "加盟商没有「签约销售」列", "加盟商提货.xlsx › 加盟商 第1行")}
    month, _ = _run(tmp_path, [_worker("2001")], [["D1", "甲", "2001", None]],
                    [["D1", "2026-11-01", "线下", None, None, 12000]])
    assert check_columns_that_decide_pay(month) == []
