"""Year-end annual safety and quality awards (SCHEME.md §5) from a year of months in the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kfbonus.ledger import Ledger
from kfbonus.model import Columns
from kfbonus.money import D
from kfbonus.schemes.kf13.annual import CLAUSE, compute_annual, year_data
from kfbonus.schemes.kf13.model import Award
from tests.monthmaker import PARAMS, make_month, worker

KF = "FS-MS-KF-13"   # the scheme's id: its key in the ledger

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
                ledger.approve(KF, f"2026-{m:02d}", by="王经理", at=AT)  # December stays a draft
        return year_data(ledger, 2026, include_drafts=True)   # counted here, marked as a draft


def annual_incidents(rows) -> Columns:
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
            ledger.approve(KF, f"2026-{m:02d}", by="王经理", at=AT)
        data = year_data(ledger, 2026)
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
    from kfbonus.schemes.kf13.params import load_rules

    params = load_rules().in_force(dt.date(2026, 12, 31))
    result = compute_annual(2026, year_2026, ROSTER, None, params)
    assert result.scheme == params.label and result.rules_file == params.source
    assert sum(x.amount for x in result.lines) == D("5000.00")
    assert {row[0] for row in result.parameters} >= {"annual.min_months", "annual.prorate"}


# --- SCHEME.md §5, sentence by sentence ----------------------------------------------------
# Each scenario below builds its months in code, records them in a ledger (approved unless
# said otherwise) and checks the year-end lines against figures worked out by hand.

S, Q = Award.ANNUAL_SAFETY, Award.ANNUAL_QUALITY
ONE_MONTH = {**PARAMS, "annual.min_months": 1}


def record_year(tmp_path, months: dict, drafts: tuple[str, ...] = ()):
    """A ledger holding ``months`` (period → MonthResult); all approved but ``drafts``."""
    path = tmp_path / "ledger.sqlite"
    with Ledger.open(path) as ledger:
        for period, result in months.items():
            ledger.record_month(result, {}, AT)
            if period not in drafts:
                ledger.approve(KF, period, by="王经理", at=AT)
    return path


def year_of(path, include_drafts: bool = False):
    with Ledger.open(path) as ledger:
        return year_data(ledger, 2026, include_drafts=include_drafts)


def test_s5_approved_months_only_drafts_listed_and_left_out(tmp_path):
    """"from every month of that year that was approved … Draft months are listed on the
    plan's first sheet and left out, unless the run is told to include them (then they are
    marked as drafts)"."""
    from kfbonus.schemes.kf13.workbook import annual_warnings

    k = worker("K001", "张三")
    months = {f"2026-{m:02d}": make_month(f"2026-{m:02d}", workers=[k], settlement=[("GC-A", "K001")])
              for m in range(1, 7)}
    # July, a draft: K001 also on GC-B, the project of a 安全事故 recorded that month
    months["2026-07"] = make_month(
        "2026-07", workers=[k], settlement=[("GC-A", "K001"), ("GC-B", "K001")],
        incidents=[(dt.date(2026, 7, 10), "安全事故", "GC-B", None, "坠落")])
    path = record_year(tmp_path, months, drafts=("2026-07",))

    result = compute_annual(2026, year_of(path), {"K001": k}, None, PARAMS)
    plan = result.annual
    assert plan.months == tuple(f"2026-{m:02d}" for m in range(1, 7))
    assert (plan.drafts, plan.drafts_included) == (("2026-07",), False)
    # six approved months ≥ 6, GC-B is not among K001's projects: both awards
    assert by(result, "K001", S).amount == D("1000.00") and by(result, "K001", S).reason == ""
    assert by(result, "K001", S).formula == "1,000.00（全年定额；工作月数 6）"
    draft = [p.message for p in result.problems if p.code == "annual-month-draft"]
    assert draft == ["2026-07 尚未批准（草稿）：未计入年度奖；"
                     "批准该月后重新运行，或加 --include-drafts 按草稿计入"]
    assert "注意：2026-07 尚未批准（草稿），未计入年度奖" in annual_warnings(result)

    included = compute_annual(2026, year_of(path, include_drafts=True), {"K001": k}, None, PARAMS)
    assert included.annual.months == tuple(f"2026-{m:02d}" for m in range(1, 8))
    assert included.annual.drafts_included
    assert by(included, "K001", S).reason == "7月安全事故（本人参与的工程 GC-B）：坠落"
    assert by(included, "K001", Q).formula.startswith("1,000.00（全年定额；工作月数 7）")
    assert "注意：2026-07 尚未批准（草稿），按要求已计入，年度奖含草稿数据" in annual_warnings(included)


def test_s5_worked_month_settlement_or_attendance_even_when_excluded(tmp_path):
    """"a month counts as worked when the worker had a settlement line or an attendance row
    with 实出勤 > 0 in it, whether or not they were excluded that month"."""
    k = worker("K002", "李四")
    on_probation = worker("K002", "李四", excluded="试用期内（转正日期 2026-03-01 晚于考核日 2026-02-28）")
    months = {}
    for m in range(1, 8):
        settlement = [("GC-K", "K002")] if m <= 3 else []            # Jan–Mar: settlement only
        attendance = [("K002", "5")] if 4 <= m <= 6 else [("K002", "0")] if m == 7 else []
        months[f"2026-{m:02d}"] = make_month(f"2026-{m:02d}", workers=[on_probation if m == 2 else k],
                                             settlement=settlement, attendance=attendance)
    result = compute_annual(2026, year_of(record_year(tmp_path, months)), {"K002": k}, None, PARAMS)
    # Jan–Mar (settlement; February excluded, still worked) + Apr–Jun (实出勤 5) = 6; July 实出勤 0
    (basis,) = result.annual.basis
    assert basis.months == tuple(f"2026-{m:02d}" for m in range(1, 7))
    assert by(result, "K002", S).amount == D("1000.00")


def test_s5_projects_are_those_of_settlement_lines_in_counted_months(tmp_path):
    """"The worker's projects are those of their settlement lines in the counted months"."""
    k, other = worker("K003", "王五"), worker("K009", "吴十")
    months = {"2026-01": make_month("2026-01", workers=[k, other],
                                    settlement=[("GC-A", "K003"), ("GC-C", "K009")]),
              "2026-02": make_month("2026-02", workers=[k], settlement=[("GC-B", "K003")])}
    # K003 only in February's (draft) settlement of GC-B; named by no incident; GC-C is K009's
    incidents = annual_incidents([(dt.date(2026, 5, 1), "安全事故", "GC-B", None, "触电"),
                                  (dt.date(2026, 5, 2), "安全事故", "GC-C", None, "划伤")])
    path = record_year(tmp_path, months, drafts=("2026-02",))
    roster = {"K003": k, "K009": other}
    result = compute_annual(2026, year_of(path), roster, incidents, ONE_MONTH)
    assert by(result, "K003", S).amount == D("1000.00")          # GC-B is not counted
    assert by(result, "K009", S).reason == "5月安全事故（本人参与的工程 GC-C）：划伤"
    with_drafts = compute_annual(2026, year_of(path, include_drafts=True), roster, incidents, ONE_MONTH)
    assert by(with_drafts, "K003", S).reason == "5月安全事故（本人参与的工程 GC-B）：触电"
    assert {b.worker_id: b.projects for b in with_drafts.annual.basis} == {"K003": 2, "K009": 1}


def test_s5_project_score_is_the_mean_of_all_its_rows_in_counted_months(tmp_path):
    """"A project's 质量得分 is the mean of all its score rows in the counted months"."""
    k = worker("K004", "赵六")
    months = {
        "2026-01": make_month("2026-01", workers=[k], settlement=[("GC-Q", "K004")],
                              score_rows=[("GC-Q", "94"), ("GC-Q", "94"), ("GC-Q", "94")]),
        "2026-02": make_month("2026-02", workers=[k], settlement=[("GC-Q", "K004")],
                              score_rows=[("GC-Q", "84")]),
        "2026-03": make_month("2026-03", workers=[k], settlement=[("GC-Q", "K004")],
                              score_rows=[("GC-Q", "50")]),          # a draft
    }
    path = record_year(tmp_path, months, drafts=("2026-03",))
    data = year_of(path)
    assert [(s.period, s.quality_sum, s.rows) for s in data.quality_scores] == [
        ("2026-01", D("282"), 3), ("2026-02", D("84"), 1)]
    # (94 + 94 + 94 + 84) ÷ 4 = 91.5 ≥ 90 → paid (the mean of the monthly means, (94 + 84) ÷ 2
    # = 89, would have refused it)
    result = compute_annual(2026, data, {"K004": k}, None, ONE_MONTH)
    assert by(result, "K004", Q).amount == D("1000.00")
    assert by(result, "K004", Q).formula == "1,000.00（全年定额；工作月数 2）；质量得分均值 91.5（1 个工程）"
    assert result.annual.basis[0].quality_mean == D("91.5")
    # with the March draft: (282 + 84 + 50) ÷ 5 = 83.2 < 90
    drafts = compute_annual(2026, year_of(path, include_drafts=True), {"K004": k}, None, ONE_MONTH)
    assert by(drafts, "K004", Q).reason == "质量得分均值 83.2 低于 90"


def test_s5_worker_mean_over_scored_projects_each_once_unrounded(tmp_path):
    """"the worker's mean is over their scored projects, each once, unrounded"."""
    k5, k6 = worker("K005", "钱七"), worker("K006", "孙八")
    months = {
        "2026-01": make_month("2026-01", workers=[k5, k6],
                              settlement=[("GC-E", "K005"), ("GC-F", "K005"), ("GC-G", "K005"),
                                          ("GC-U", "K006")],
                              score_rows=[("GC-E", "80"), ("GC-F", "100"),
                                          ("GC-U", "90"), ("GC-U", "90"), ("GC-U", "89.99")]),
        "2026-02": make_month("2026-02", workers=[k5], settlement=[("GC-E", "K005")],
                              score_rows=[("GC-E", "80")]),
        "2026-03": make_month("2026-03", workers=[k5], settlement=[("GC-E", "K005")],
                              score_rows=[("GC-E", "80")]),
    }
    result = compute_annual(2026, year_of(record_year(tmp_path, months)), {"K005": k5, "K006": k6},
                            None, ONE_MONTH)
    # K005: GC-E 80 (scored in three months, counted once), GC-F 100, GC-G unscored:
    # (80 + 100) ÷ 2 = 90 ≥ 90 → paid (per month it would be (3 × 80 + 100) ÷ 4 = 85)
    assert by(result, "K005", Q).amount == D("1000.00")
    basis = {b.worker_id: b for b in result.annual.basis}
    k5_basis = basis["K005"]
    assert (k5_basis.projects, k5_basis.scored_projects, k5_basis.quality_mean) == (3, 2, D(90))
    # K006: GC-U (90 + 90 + 89.99) ÷ 3 = 89.99666… < 90, though it shows as 90.00 rounded
    assert by(result, "K006", Q).amount == D("0.00")
    assert by(result, "K006", Q).reason == "质量得分均值 89.9966… 低于 90"


def test_s5_no_scored_project_no_quality_award(tmp_path):
    """"A worker with no scored project gets no quality award (reason 无评分工程)"."""
    k = worker("K007", "周九")
    months = {"2026-01": make_month("2026-01", workers=[k], settlement=[("GC-N", "K007")])}
    result = compute_annual(2026, year_of(record_year(tmp_path, months)), {"K007": k}, None, ONE_MONTH)
    assert by(result, "K007", S).amount == D("1000.00")
    line = by(result, "K007", Q)
    assert (line.amount, line.unpaid) == (D("0.00"), D("1000.00"))
    assert line.reason.startswith("无评分工程")


def test_s5_incidents_count_when_dated_in_the_year(tmp_path):
    """"Incidents count when dated in the year"."""
    k = worker("K008", "郑十")
    months = {"2026-12": make_month(
        "2026-12", workers=[k], settlement=[("GC-I", "K008")], quality={"GC-I": "95"},
        incidents=[(dt.date(2025, 12, 28), "安全事故", "GC-I", None, "去年的事故，今年才登记")])}
    incidents = annual_incidents([(dt.date(2026, 12, 31), "质量投诉", "GC-I", None, "渗水"),
                                  (dt.date(2027, 1, 1), "安全事故", None, "K008", "明年的")])
    result = compute_annual(2026, year_of(record_year(tmp_path, months)), {"K008": k}, incidents, ONE_MONTH)
    assert by(result, "K008", S).amount == D("1000.00")          # 2025-12-28 and 2027-01-01 do not count
    assert by(result, "K008", Q).reason == "12月质量投诉（本人参与的工程 GC-I）：渗水"


def test_s5_excluded_by_the_year_end_roster(tmp_path):
    """"Excluded on 31 December means by the year-end folder's roster (type, probation,
    departure before 31 December)"."""
    from kfbonus.reader import read_month
    from kfbonus.schemes.kf13.compute import roster_on
    from kfbonus.schemes.kf13.params import load_rules
    from tests.helpers import write_xlsx

    folder = tmp_path / "in" / "2026"
    write_xlsx(folder / "人员名册.xlsx", {"花名册": [
        ["工号", "姓名", "入职日期", "用工类型", "转正日期", "离职日期"],
        ["K101", "外包甲", "2020-01-01", "外包", None, None],
        ["K102", "试用乙", "2026-10-01", "试用", None, None],
        ["K103", "未转正丙", "2026-10-01", "正式", "2027-01-10", None],
        ["K104", "离职丁", "2020-01-01", "正式", None, "2026-12-30"],
        ["K105", "末日离职戊", "2020-01-01", "正式", None, "2026-12-31"],
        ["K106", "在册己", "2020-01-01", "正式", None, None],
    ]})
    params = load_rules().in_force(dt.date(2026, 12, 31))
    roster = roster_on(read_month(folder), params, dt.date(2026, 12, 31))
    ids = sorted(roster)
    months = {f"2026-{m:02d}": make_month(f"2026-{m:02d}", workers=list(roster.values()),
                                          settlement=[("GC-R", w) for w in ids], quality={"GC-R": "95"})
              for m in range(1, 7)}
    result = compute_annual(2026, year_of(record_year(tmp_path, months)), roster, None, params)
    paid_ids = sorted(w for (w, a), amount in paid(result).items() if a is S and amount)
    assert paid_ids == ["K105", "K106"]          # leaving ON 31 December does not exclude
    assert by(result, "K101", S).reason == "12 月 31 日不参与：用工类型为外包，不在激励范围"
    assert by(result, "K102", Q).reason == "12 月 31 日不参与：试用期内（用工类型为试用）"
    assert by(result, "K103", S).reason == ("12 月 31 日不参与："
                                            "试用期内（转正日期 2027-01-10 晚于考核日 2026-12-31）")
    assert by(result, "K104", S).reason == ("12 月 31 日不参与："
                                            "已离职（离职日期 2026-12-30 早于考核日 2026-12-31）")


def test_s5_excluded_by_30_days_absence_in_decembers_recorded_attendance(tmp_path):
    """"… or by 30+ consecutive days of absence in the December month's recorded attendance"."""
    a, b = worker("K201", "缺勤甲"), worker("K202", "缺勤乙")
    months = {f"2026-{m:02d}": make_month(f"2026-{m:02d}", workers=[a, b],
                                          settlement=[("GC-D", "K201"), ("GC-D", "K202")])
              for m in range(1, 7)}
    # December: 30 consecutive days absent (K201) and 29 (K202), as the month recorded them
    months["2026-12"] = make_month("2026-12", workers=[a, b], attendance=[("K201", "1", "30"),
                                                                          ("K202", "2", "29")])
    path = record_year(tmp_path, months)
    data = year_of(path)
    assert data.december_absence == {"K201": D(30), "K202": D(29)}
    result = compute_annual(2026, data, {"K201": a, "K202": b}, None, PARAMS)
    assert by(result, "K201", S).reason == "12 月 31 日不参与：12 月考勤连续缺勤 30 天（达 30 天及以上）"
    assert by(result, "K202", S).amount == D("1000.00")
    status = {b.worker_id: b.status for b in result.annual.basis}
    assert status["K201"].startswith("排除：12 月考勤连续缺勤 30 天")
    assert "annual-december-not-counted" not in {p.code for p in result.problems}


def test_s5_december_not_counted_is_a_warning(tmp_path):
    a = worker("K201", "缺勤甲")
    months = {f"2026-{m:02d}": make_month(f"2026-{m:02d}", workers=[a], settlement=[("GC-D", "K201")])
              for m in range(1, 7)}
    months["2026-12"] = make_month("2026-12", workers=[a], attendance=[("K201", "1", "31")])
    path = record_year(tmp_path, months, drafts=("2026-12",))
    result = compute_annual(2026, year_of(path), {"K201": a}, None, PARAMS)
    # December is a draft, left out: its absence is not known, K201 is paid, and the plan says so
    assert by(result, "K201", S).amount == D("1000.00")
    (warn,) = [p for p in result.problems if p.code == "annual-december-not-counted"]
    assert warn.message == "2026-12 未计入（草稿）：无法按 12 月考勤核对 12 月 31 日的连续缺勤"
