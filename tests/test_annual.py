"""Year-end annual safety and quality awards (SCHEME.md §5) from a year of months in the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from kfbonus.annual import CLAUSE, compute_annual
from kfbonus.ledger import Ledger
from kfbonus.model import Award
from kfbonus.money import D
from tests.monthmaker import PARAMS, make_month, worker

AT = dt.datetime(2027, 1, 5, 9, 0)
NAMES = {
    "K001": "张三",
    "K002": "李四",
    "K003": "王五",
    "K004": "赵六",
    "K005": "钱七",
    "K006": "孙八",
    "K007": "周九",
}
ROSTER = {w: worker(w, n, excluded="离职" if w == "K006" else None) for w, n in NAMES.items()}


def month_of_2026(m: int):
    """One month of the generated year.

    - K001 works all year on GC-26mm-01 (质量得分 95).
    - K002 too, and in March also on GC-2603-02 (质量 85) — the project of the March
      安全事故.
    - K003 works January–May only (5 months).
    - K004 works April–December (9 months); named by the August 质量投诉.
    - K005 works all year on GC-26mm-03, scored 88 in odd months and 89 in even ones.
    - K006 works all year but has left by 31 December (excluded).
    - K007 is on the roster and never works.
    """
    p1, p3 = f"GC-26{m:02d}-01", f"GC-26{m:02d}-03"
    settlement = [(p1, "K001"), (p1, "K002"), (p3, "K005"), (p1, "K006")]
    quality = {p1: "95", p3: "88" if m % 2 else "89"}
    incidents = []
    if m <= 5:
        settlement.append((p1, "K003"))
    if m >= 4:
        settlement.append((p1, "K004"))
    if m == 3:
        settlement.append(("GC-2603-02", "K002"))
        quality["GC-2603-02"] = "85"
        incidents.append((dt.date(2026, 3, 14), "安全事故", "GC-2603-02", None, "高空坠落"))
    if m == 8:
        incidents.append((dt.date(2026, 8, 20), "质量投诉", None, "K004", "用户投诉漏水"))
    return make_month(
        f"2026-{m:02d}",
        workers=list(ROSTER.values()),
        settlement=settlement,
        attendance=[(w, "21") for _, w in settlement],
        incidents=incidents,
        quality=quality,
    )


@pytest.fixture(scope="module")
def year_2026(tmp_path_factory):
    path = tmp_path_factory.mktemp("annual") / "ledger.sqlite"
    with Ledger.open(path) as ledger:
        for m in range(1, 13):
            ledger.record_month(month_of_2026(m), {}, AT)
            if m < 12:
                ledger.approve(f"2026-{m:02d}", by="王经理", at=AT)  # December stays a draft
        return ledger.year(2026, include_drafts=True)   # counted here, marked as a draft


def annual_incidents(rows) -> pd.DataFrame:
    return make_month("2026-12", incidents=rows).inputs.tables["incident"]


def paid(result) -> dict[tuple[str, Award], Decimal]:
    return {(x.worker_id, x.award): x.amount for x in result.lines}


def by(result, wid: str, award: Award):
    (found,) = [x for x in result.lines if x.worker_id == wid and x.award is award]
    return found


def test_generated_year_hand_checked(year_2026):
    extra = annual_incidents(
        [
            (
                dt.date(2026, 3, 14),
                "安全事故",
                "GC-2603-02",
                None,
                "高空坠落",
            ),  # the March row again: counts once
            (dt.date(2025, 12, 30), "安全事故", None, "K001", "去年的事故"),  # not in 2026: ignored
            (dt.date(2026, 6, 1), "表扬", None, "K001", "锦旗"),  # unknown type: a warning
        ]
    )
    result = compute_annual(2026, year_2026, ROSTER, extra, PARAMS)
    assert result.period == "2026" and result.assess_date == dt.date(2026, 12, 31)
    S, Q = Award.ANNUAL_SAFETY, Award.ANNUAL_QUALITY
    # Hand check (prorate off, each award 1,000.00, min 6 months, min quality 90):
    # K001 12 months, no incident, quality mean 95 → both.
    # K002 12 months, worked on GC-2603-02 → March 安全事故 → no safety; quality over its
    #      13 projects: (12 × 95 + 85) ÷ 13 = 94.23 ≥ 90 → quality.
    # K003 5 months < 6 → neither.  K004 9 months: safety; named by the August 质量投诉 → no quality.
    # K005 12 months: safety; mean (6 × 88 + 6 × 89) ÷ 12 = 88.5 < 90 → no quality.
    # K006 excluded on 31 December → neither.  K007 0 months → neither.
    assert paid(result) == {
        ("K001", S): D("1000.00"),
        ("K001", Q): D("1000.00"),
        ("K002", S): D("0.00"),
        ("K002", Q): D("1000.00"),
        ("K003", S): D("0.00"),
        ("K003", Q): D("0.00"),
        ("K004", S): D("1000.00"),
        ("K004", Q): D("0.00"),
        ("K005", S): D("1000.00"),
        ("K005", Q): D("0.00"),
        ("K006", S): D("0.00"),
        ("K006", Q): D("0.00"),
        ("K007", S): D("0.00"),
        ("K007", Q): D("0.00"),
    }
    assert by(result, "K002", S).reason == "3月安全事故（本人参与的工程 GC-2603-02）：高空坠落"
    assert by(result, "K002", S).unpaid == D("1000.00")
    assert by(result, "K003", S).reason == "全年工作月数 5 个月，不足 6 个月"
    assert by(result, "K004", Q).reason == "8月质量投诉（点名本人）：用户投诉漏水"
    assert by(result, "K005", Q).reason == "质量得分均值 88.5 低于 90"
    assert by(result, "K006", Q).reason == "12 月 31 日不参与：离职"
    assert (
        by(result, "K007", Q).reason
        == "全年工作月数 0 个月，不足 6 个月；无评分工程：全年参与的工程均无质量得分，不能评质量奖"
    )
    k001 = by(result, "K001", S)
    assert k001.formula == "1,000.00（全年定额；工作月数 12）" and k001.clause == CLAUSE and k001.reason == ""
    assert [s.sheet for s in k001.sources] == [f"2026-{m:02d}" for m in range(1, 13)]
    k002 = by(result, "K002", S)
    # the incident row first (as the ledger recorded it), then the twelve ledger months
    assert k002.sources[0].file == "事故投诉.xlsx" and k002.sources[0].sheet == "事故"
    assert k002.sources[0].row is not None and len(k002.sources) == 13
    assert "质量得分均值 94.23（13 个工程）" in by(result, "K002", Q).formula
    codes = sorted(p.code for p in result.problems)
    assert codes == ["annual-incident-type-unknown", "annual-month-draft"]
    assert all(not p.is_error for p in result.problems)


def test_plan_basis_hand_checked(year_2026):
    result = compute_annual(2026, year_2026, ROSTER, None, PARAMS)
    plan = result.annual
    assert plan.year == 2026 and plan.months == tuple(f"2026-{m:02d}" for m in range(1, 13))
    assert plan.missing == () and plan.drafts == ("2026-12",)   # December was left a draft
    assert (plan.min_months, plan.min_quality_score) == (6, D("90"))
    basis = {b.worker_id: b for b in plan.basis}
    assert list(basis) == sorted(NAMES)          # every roster worker, once
    # K001 is clean: 12 months on GC-26mm-01 (12 projects, each scored 95)
    k001 = basis["K001"]
    assert (len(k001.months), k001.projects, k001.safety, k001.quality) == (12, 12, (), ())
    assert (k001.quality_mean, k001.scored_projects, k001.status) == (D("95"), 12, "在册")
    assert [s.sheet for s in k001.sources] == [f"2026-{m:02d}" for m in range(1, 13)]
    # K002 was also on GC-2603-02, the project of the March 安全事故: 13 projects,
    # mean (12 × 95 + 85) ÷ 13; the incident row is its first source
    k002 = basis["K002"]
    assert k002.projects == 13 and k002.safety == ("3月 GC-2603-02 高空坠落",) and k002.quality == ()
    assert k002.quality_mean == (12 * D("95") + D("85")) / 13 and k002.scored_projects == 13
    assert k002.sources[0].sheet == "事故" and len(k002.sources) == 13
    # K004 is named by the August 质量投诉; K003 worked 5 months; K006 left; K007 never worked
    assert basis["K004"].quality == ("8月 点名本人 用户投诉漏水",) and len(basis["K004"].months) == 9
    assert basis["K003"].months == tuple(f"2026-{m:02d}" for m in range(1, 6))
    assert basis["K006"].status == "排除：离职"
    assert (basis["K007"].months, basis["K007"].quality_mean, basis["K007"].scored_projects) == ((), None, 0)


def test_prorate(year_2026):
    result = compute_annual(2026, year_2026, ROSTER, None, {**PARAMS, "annual.prorate": True})
    # K004 worked 9 months: 1,000.00 × 9 ÷ 12 = 750.00; 12-month workers keep 1,000.00
    assert by(result, "K004", Award.ANNUAL_SAFETY).amount == D("750.00")
    assert by(result, "K004", Award.ANNUAL_SAFETY).formula == "1,000.00 × 工作月数 9 ÷ 12 = 750.00"
    assert by(result, "K004", Award.ANNUAL_QUALITY).unpaid == D("750.00")
    assert by(result, "K001", Award.ANNUAL_QUALITY).amount == D("1000.00")
    assert sum(x.amount for x in result.lines) == D("4750.00")  # 2,000 + 1,000 + 750 + 1,000
    off = compute_annual(2026, year_2026, ROSTER, None, PARAMS)
    assert sum(x.amount for x in off.lines) == D("5000.00")


def test_min_months(year_2026):
    # K003's 5 months reach a minimum of 5; prorated: 1,000.00 × 5 ÷ 12 = 416.666… → 416.67
    params = {**PARAMS, "annual.min_months": 5, "annual.prorate": True}
    result = compute_annual(2026, year_2026, ROSTER, None, params)
    k003 = by(result, "K003", Award.ANNUAL_SAFETY)
    assert (k003.amount, k003.reason) == (D("416.67"), "")
    assert k003.formula == "1,000.00 × 工作月数 5 ÷ 12 = 416.67"
    assert by(result, "K003", Award.ANNUAL_QUALITY).amount == D("416.67")  # its projects scored 95
    strict = compute_annual(2026, year_2026, ROSTER, None, {**PARAMS, "annual.min_months": 10})
    assert by(strict, "K004", Award.ANNUAL_SAFETY).reason == "全年工作月数 9 个月，不足 10 个月"


def test_missing_months_are_warnings(tmp_path):
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        for m in range(1, 11):
            ledger.record_month(month_of_2026(m), {}, AT)
            ledger.approve(f"2026-{m:02d}", by="王经理", at=AT)
        data = ledger.year(2026)
    result = compute_annual(2026, data, ROSTER, None, PARAMS)
    missing = [p for p in result.problems if p.code == "annual-month-missing"]
    assert [p.message.split("：")[0] for p in missing] == [
        "账本中没有 2026-11 的运行记录",
        "账本中没有 2026-12 的运行记录",
    ]
    assert all(not p.is_error for p in missing) and "10 个月" in missing[0].message
    # K004 now has 7 months (April–October): still ≥ 6
    assert by(result, "K004", Award.ANNUAL_SAFETY).amount == D("1000.00")


def test_worker_missing_from_year_end_roster(year_2026):
    roster = {w: info for w, info in ROSTER.items() if w != "K001"}
    result = compute_annual(2026, year_2026, roster, None, PARAMS)
    line = by(result, "K001", Award.ANNUAL_SAFETY)
    assert (line.amount, line.reason, line.name) == (D("0.00"), "年末人员名册中无此工号", "张三")
    assert "annual-worker-not-in-roster" in {p.code for p in result.problems}


def test_exclusion_does_not_apply_when_rules_leave_annual_out(year_2026):
    params = {**PARAMS, "exclusions.applies_to": ("individual", "collective")}
    result = compute_annual(2026, year_2026, ROSTER, None, params)
    assert by(result, "K006", Award.ANNUAL_SAFETY).amount == D("1000.00")


def test_real_rules_params(year_2026):
    from kfbonus.rules import load_rules

    params = load_rules().in_force(dt.date(2026, 12, 31))
    result = compute_annual(2026, year_2026, ROSTER, None, params)
    assert result.scheme == params.label and result.rules_file == params.source
    assert sum(x.amount for x in result.lines) == D("5000.00")
    assert {row[0] for row in result.parameters} >= {"annual.min_months", "annual.prorate"}
