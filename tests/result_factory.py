"""A hand-made, realistic MonthResult for the renderer tests (no compute involved).

Seven workers, three projects, every monthly award type, and the awkward
cases: an excluded worker (only unpaid lines), a nominee who does not
qualify, an individual award over the monthly cap, a forfeited seniority
award, a deduction (扣款) and a worker whose month is negative.  Two names
are hostile: ``<script>alert(1)</script>`` and ``=HYPERLINK("x")``.

Figures (hand-checked; the renderer must reproduce them):

    GC-2611-01  piece 20,000.00  scores 95/90/88/92 → 91.25  k 15% → pool 2,737.50
                shares by 50 person-days: K001 20d 100% 1,095.00; K002 20d 90% 985.50;
                K003 10d excluded 547.50 unpaid; 未分配 109.50
                individual r 4% → pool 800.00: K001 300.00; K002 rated 良好 200.00 unpaid
    GC-2611-02  piece 12,000.00  scores 80/85/90/85 → 85  k 10% → pool 1,020.00
                K004 15d 510.00; K005 10d 340.00; K006 5d 170.00
                individual r 5% → pool 600.00: K006 400.00
    GC-2611-03  piece  9,000.00  no collective; individual r 5% → pool 450.00:
                K006 declared 300.00, 100.00 paid, 200.00 over the 500.00 cap

    worker totals: K001 1,345.00  K002 1,214.59  K003 0.00 (nothing paid)
                   K004 1,060.00  K005 400.00  K006 1,120.00  K007 −100.00
    grand total 5,039.59
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kfbonus.model import (
    AwardLine,
    Columns,
    FoundTable,
    InputFile,
    MonthInput,
    MonthResult,
    RunKind,
    WorkerInfo,
)
from kfbonus.money import ZERO, D
from kfbonus.problems import Source, warning
from kfbonus.schemes import all_tables
from kfbonus.schemes.kf13 import SCHEME as KF13
from kfbonus.schemes.kf13.model import AnnualBasis, AnnualPlan, Award, ProjectResult

TABLES = all_tables()

__all__ = ["EXPECTED_TOTALS", "FORMULA_NAME", "GRAND_TOTAL", "INCIDENT_SOURCE", "SCRIPT_NAME",
           "make_annual_result", "make_result"]

SCRIPT_NAME = "<script>alert(1)</script>"
FORMULA_NAME = '=HYPERLINK("x")'

EXPECTED_TOTALS = {
    "K001": D("1345.00"), "K002": D("1214.59"), "K003": D("0.00"), "K004": D("1060.00"),
    "K005": D("400.00"), "K006": D("1120.00"), "K007": D("-100.00"),
}
GRAND_TOTAL = D("5039.59")

SETTLEMENT = "2026-11 计件工资结算单.xlsx"
ROSTER = "人员名册.xlsx"
APPLY = "工程激励申报.xlsx"
OTHER = "考勤及其他.xlsx"
CLAUSE_IND = "FS-MS-KF-13 §壹(一)"
CLAUSE_COL = "FS-MS-KF-13 §壹(二)"
CLAUSE_TRAIN = "FS-MS-KF-13 §壹(一)3(2)"
CLAUSE_SEN = "FS-MS-KF-13 §3（公司设定）"
CLAUSE_ADJ = "售后服务部绩效奖惩制度"


def _src(file: str, sheet: str, row: int, col: str, header: str) -> Source:
    return Source(file, sheet, row, col, header)


def _worker(wid, name, team, position, etype, hired, years, excluded=None, row=2) -> WorkerInfo:
    return WorkerInfo(wid, name, team, position, etype, hired, years, excluded,
                      _src(ROSTER, "花名册", row, "A", "工号"))


def _workers() -> dict[str, WorkerInfo]:
    ws = [
        _worker("K001", "张伟", "安装一组", "施工组长", "正式", dt.date(2015, 3, 1), 11, row=2),
        _worker("K002", "李娜", "安装一组", "安装工", "正式", dt.date(2021, 6, 15), 5, row=3),
        _worker("K003", "王强", "安装一组", "安装工", "外包", dt.date(2023, 2, 1), 3,
                "用工类型为外包，不参加综合激励", row=4),
        _worker("K004", SCRIPT_NAME, "安装二组", "安装工", "正式", dt.date(2024, 1, 10), 2, row=5),
        _worker("K005", FORMULA_NAME, "安装二组", "安装工", "正式", dt.date(2025, 9, 1), 1, row=6),
        _worker("K006", "陈静", "安装二组", "电工", "正式", dt.date(2010, 5, 20), 16, row=7),
        _worker("K007", "赵磊", "安装二组", "安装工", "正式", dt.date(2025, 12, 1), 0, row=8),
        _worker("K008", "孙丽", "安装一组", "安装工", "正式", dt.date(2026, 3, 1), 0, row=9),  # no lines
    ]
    return {w.worker_id: w for w in ws}


P1, P1N = "GC-2611-01", "阳光花园太阳能热水工程"
P2, P2N = "GC-2611-02", "海景小区集热系统改造"
P3, P3N = "GC-2611-03", "华南厂房热泵工程"


def _collective(wid, name, pid, pname, amount, formula, row, unpaid=ZERO, reason="") -> AwardLine:
    return AwardLine(wid, name, Award.COLLECTIVE, D(amount), formula, CLAUSE_COL,
                     (_src(SETTLEMENT, "结算单", row, "D", "个人工期天数"),
                      _src(APPLY, "申报", 3 if pid == P1 else 4, "C", "集体激励比例")),
                     pid, pname, D(unpaid), reason)


def _lines() -> list[AwardLine]:
    lines = [
        _collective("K001", "张伟", P1, P1N, "1095.00",
                    "2,737.50 ÷ 50 天 × 20 天 × 100% = 1,095.00", 2),
        _collective("K002", "李娜", P1, P1N, "985.50",
                    "2,737.50 ÷ 50 天 × 20 天 × 90% = 985.50", 3),
        _collective("K003", "王强", P1, P1N, "0.00",
                    "2,737.50 ÷ 50 天 × 10 天 × 100% = 547.50", 4, "547.50",
                    "用工类型为外包，不参加综合激励"),
        _collective("K004", SCRIPT_NAME, P2, P2N, "510.00",
                    "1,020.00 ÷ 30 天 × 15 天 × 100% = 510.00", 5),
        _collective("K005", FORMULA_NAME, P2, P2N, "340.00",
                    "1,020.00 ÷ 30 天 × 10 天 × 100% = 340.00", 6),
        _collective("K006", "陈静", P2, P2N, "170.00",
                    "1,020.00 ÷ 30 天 × 5 天 × 100% = 170.00", 7),
        AwardLine("K001", "张伟", Award.INDIVIDUAL, D("300.00"), "申报金额 300.00（奖池 800.00）", CLAUSE_IND,
                  (_src(APPLY, "个人申报", 2, "D", "申报金额"),), P1, P1N),
        AwardLine("K002", "李娜", Award.INDIVIDUAL, D("0.00"), "申报金额 200.00", CLAUSE_IND,
                  (_src(APPLY, "个人申报", 3, "C", "考评结果"),), P1, P1N, D("200.00"),
                  "考评结果为「良好」，须为「优秀」"),
        AwardLine("K006", "陈静", Award.INDIVIDUAL, D("400.00"), "申报金额 400.00（奖池 600.00）", CLAUSE_IND,
                  (_src(APPLY, "个人申报", 4, "D", "申报金额"),), P2, P2N),
        AwardLine("K006", "陈静", Award.INDIVIDUAL, D("100.00"),
                  "申报金额 300.00；本月已发 400.00，封顶 500.00 → 发 100.00", CLAUSE_IND,
                  (_src(APPLY, "个人申报", 5, "D", "申报金额"),), P3, P3N, D("200.00"), "超出封顶"),
        AwardLine("K002", "李娜", Award.TRAINING, D("120.00"), "2 天 × 60.00 = 120.00", CLAUSE_TRAIN,
                  (_src(OTHER, "培训", 2, "B", "培训天数"),), category="安全培训"),
        AwardLine("K005", FORMULA_NAME, Award.TRAINING, D("60.00"), "1 天 × 60.00 = 60.00", CLAUSE_TRAIN,
                  (_src(OTHER, "培训", 3, "B", "培训天数"),), category="技能培训"),
        AwardLine("K001", "张伟", Award.SENIORITY, D("150.00"), "150.00 × 22 ÷ 22 = 150.00", CLAUSE_SEN,
                  (_src(OTHER, "考勤", 2, "C", "实出勤天数"),), category="8年以上"),
        AwardLine("K002", "李娜", Award.SENIORITY, D("109.09"), "120.00 × 20 ÷ 22 = 109.09", CLAUSE_SEN,
                  (_src(OTHER, "考勤", 3, "C", "实出勤天数"),), category="5年以上"),
        AwardLine("K003", "王强", Award.SENIORITY, D("0.00"), "80.00 × 22 ÷ 22 = 80.00", CLAUSE_SEN,
                  (_src(OTHER, "考勤", 4, "C", "实出勤天数"),), unpaid=D("80.00"),
                  reason="用工类型为外包，不参加综合激励", category="3年以上"),
        AwardLine("K004", SCRIPT_NAME, Award.SENIORITY, D("50.00"), "50.00 × 22 ÷ 22 = 50.00", CLAUSE_SEN,
                  (_src(OTHER, "考勤", 5, "C", "实出勤天数"),), category="2年以上"),
        AwardLine("K005", FORMULA_NAME, Award.SENIORITY, D("0.00"), "30.00 × 21 ÷ 22 = 28.64", CLAUSE_SEN,
                  (_src(OTHER, "考勤", 6, "D", "旷工天数"),), unpaid=D("28.64"),
                  reason="旷工 1 天，当月工龄奖取消", category="1年以上"),
        AwardLine("K006", "陈静", Award.SENIORITY, D("150.00"), "150.00 × 22 ÷ 22 = 150.00", CLAUSE_SEN,
                  (_src(OTHER, "考勤", 7, "C", "实出勤天数"),), category="8年以上"),
        AwardLine("K001", "张伟", Award.ADJUSTMENT, D("-200.00"), "扣款 200.00：未按规定填写安装记录",
                  CLAUSE_ADJ, (_src(OTHER, "奖惩", 2, "C", "金额"),), category="扣款"),
        AwardLine("K004", SCRIPT_NAME, Award.ADJUSTMENT, D("500.00"), "优秀个人奖 标准金额 500.00",
                  CLAUSE_ADJ, (_src(OTHER, "奖惩", 3, "B", "类别"),), category="优秀个人奖"),
        AwardLine("K006", "陈静", Award.ADJUSTMENT, D("300.00"), "创新奖 标准金额 300.00",
                  CLAUSE_ADJ, (_src(OTHER, "奖惩", 4, "B", "类别"),), category="创新奖"),
        AwardLine("K007", "赵磊", Award.ADJUSTMENT, D("-100.00"), "扣款 100.00：客户投诉（服务态度）",
                  CLAUSE_ADJ, (_src(OTHER, "奖惩", 5, "C", "金额"),), category="扣款"),
    ]
    return lines


def _scores(s, q, c, d) -> dict[str, Decimal]:
    return {"safety": D(s), "quality": D(q), "cooperation": D(c), "discipline": D(d)}


def _projects() -> list[ProjectResult]:
    return [
        ProjectResult(P1, P1N, D("20000.00"), _scores(95, 90, 88, 92), D("91.25"), D("0.15"), D("2737.50"),
                      collective_allocated=D("2080.50"), collective_unpaid=D("547.50"),
                      collective_unallocated=D("109.50"), individual_ratio=D("0.04"),
                      individual_pool=D("800.00"), individual_paid=D("300.00"), key_project=True, workers=3,
                      sources=(_src(SETTLEMENT, "结算单", 2, "A", "工程编号"),)),
        ProjectResult(P2, P2N, D("12000.00"), _scores(80, 85, 90, 85), D("85"), D("0.10"), D("1020.00"),
                      collective_allocated=D("1020.00"), individual_ratio=D("0.05"),
                      individual_pool=D("600.00"), individual_paid=D("400.00"), key_project=True, workers=3),
        ProjectResult(P3, P3N, D("9000.00"), individual_ratio=D("0.05"), individual_pool=D("450.00"),
                      individual_paid=D("100.00"), key_project=True, workers=2),
    ]


def _inputs() -> MonthInput:
    tables = {t.kind: Columns({n: [] for n in [f.name for f in t.fields] + ["src"]}) for t in TABLES}
    files = [
        InputFile(SETTLEMENT, "3f" * 32, 18_432),
        InputFile(ROSTER, "a0" * 32, 9_876),
        InputFile(APPLY, "5c" * 32, 7_001),
        InputFile(OTHER, "e1" * 32, 11_222),
    ]
    found = [
        FoundTable(SETTLEMENT, "结算单", "settlement", 1, 8),
        FoundTable(ROSTER, "花名册", "roster", 1, 8),
        FoundTable(APPLY, "申报", "application", 2, 3, form_style=True),
        FoundTable(APPLY, "个人申报", "nomination", 1, 4),
        FoundTable(OTHER, "考勤", "attendance", 1, 6),
        FoundTable(OTHER, "培训", "training", 1, 2),
        FoundTable(OTHER, "奖惩", "adjustment", 1, 4),
    ]
    return MonthInput("input/2026-11", tables, files, found, [], read=TABLES)


def _parameters() -> list[tuple]:
    return [
        ("individual.rate_min", "3%", "FS-MS-KF-13 §壹(一)2", False),
        ("individual.rate_max", "5%", "FS-MS-KF-13 §壹(一)2", False),
        ("individual.cap_per_month", "500.00", "FS-MS-KF-13 §壹(一)3(1)", True),
        ("collective.ratio_min", "10%", "FS-MS-KF-13 §壹(二)1", False),
        ("collective.ratio_max", "20%", "FS-MS-KF-13 §壹(二)1", False),
        ("training.daily_rate", "60.00", "FS-MS-KF-13 §壹(一)3(2)", False),
        ("seniority.tiers", "1年 30.00；2年 50.00；3年 80.00；5年 120.00；8年 150.00",
         "FS-MS-KF-13 §3", True),
    ]


def make_result() -> MonthResult:
    """A fresh result each call (tests may tamper with it)."""
    problems = [
        warning("name-mismatch", "姓名「李那」与人员名册的「李娜」不一致（工号 K002）",
                _src(SETTLEMENT, "结算单", 3, "E", "姓名")),
        warning("nominee-not-qualified", "K002 李娜 的考评结果为「良好」，个人奖须为「优秀」，不发放",
                _src(APPLY, "个人申报", 3, "C", "考评结果")),
        warning("seniority-no-attendance", "K008 孙丽 没有考勤记录，不计工龄奖", Source(OTHER, "考勤")),
    ]
    return MonthResult(
        period="2026-11",
        assess_date=dt.date(2026, 11, 30),
        scheme="FS-MS-KF-13 A/2",
        rules_file="FS-MS-KF-13_A2.toml",
        parameters=_parameters(),
        workers=_workers(),
        lines=_lines(),
        projects=_projects(),
        problems=problems,
        inputs=_inputs(),
        awards=tuple(Award),
        presentation=KF13.presentation,
        scheme_id=KF13.id,
    )


INCIDENT_SOURCE = _src("月度奖惩及培训.xlsx", "事故投诉", 3, None, None)


def _ledger_months(*months: int) -> tuple[Source, ...]:
    return tuple(Source("ledger.sqlite", f"2026-{m:02d}") for m in months)


def make_annual_result() -> MonthResult:
    """The year-end run (period ``2026``): only annual awards, some refused, with its plan.

    The ledger holds 2026-03 … 2026-08 (the other six months are missing), 2026-07 and
    2026-08 still drafts.  K001 is clean: 6 months, 4 projects, quality mean 92 over 3
    scored projects → both awards.  K006 worked on GC-2603-01, the project of the March
    安全事故 → no safety award; quality mean 91.5 → quality award.  K002 worked in March,
    April, May and July only (4 months < 6) → neither.
    """
    workers = _workers()
    clause = "FS-MS-KF-13 §3（年度安全、质量奖）[company-set]"
    months6 = _ledger_months(3, 4, 5, 6, 7, 8)
    formula = "1,000.00（全年定额；工作月数 6）"
    lines = [
        AwardLine("K001", "张伟", Award.ANNUAL_SAFETY, D("1000.00"), formula, clause, months6),
        AwardLine("K001", "张伟", Award.ANNUAL_QUALITY, D("1000.00"),
                  formula + "；质量得分均值 92（3 个工程）", clause, months6),
        AwardLine("K006", "陈静", Award.ANNUAL_SAFETY, D("0.00"), formula, clause,
                  (INCIDENT_SOURCE, *months6), unpaid=D("1000.00"),
                  reason="3月安全事故（本人参与的工程 GC-2603-01）：高处作业未系安全带"),
        AwardLine("K006", "陈静", Award.ANNUAL_QUALITY, D("1000.00"),
                  formula + "；质量得分均值 91.5（4 个工程）", clause, months6),
        AwardLine("K002", "李娜", Award.ANNUAL_SAFETY, D("0.00"), "1,000.00（全年定额；工作月数 4）", clause,
                  _ledger_months(3, 4, 5, 7), unpaid=D("1000.00"), reason="全年工作月数 4 个月，不足 6 个月"),
        AwardLine("K002", "李娜", Award.ANNUAL_QUALITY, D("0.00"), "1,000.00（全年定额；工作月数 4）", clause,
                  _ledger_months(3, 4, 5, 7), unpaid=D("1000.00"), reason="全年工作月数 4 个月，不足 6 个月"),
    ]
    months = tuple(f"2026-{m:02d}" for m in range(3, 9))
    plan = AnnualPlan(
        year=2026, months=months,
        missing=("2026-01", "2026-02", "2026-09", "2026-10", "2026-11", "2026-12"),
        drafts=("2026-07", "2026-08"), drafts_included=True, min_months=6, min_quality_score=D("90"),
        basis=(
            AnnualBasis("K001", "张伟", "安装一组", months, 4, quality_mean=D("92"), scored_projects=3,
                        sources=months6),
            AnnualBasis("K002", "李娜", "安装一组", ("2026-03", "2026-04", "2026-05", "2026-07"), 2,
                        quality_mean=D("95"), scored_projects=1, sources=_ledger_months(3, 4, 5, 7)),
            AnnualBasis("K006", "陈静", "安装二组", months, 5, safety=("3月 GC-2603-01 高处作业未系安全带",),
                        quality_mean=D("91.5"), scored_projects=4, sources=(INCIDENT_SOURCE, *months6)),
        ))
    problems = [
        *(warning("annual-month-missing", f"账本中没有 {p} 的运行记录：年度奖只按计入的 6 个月计算")
          for p in plan.missing),
        *(warning("annual-month-draft", f"{p} 尚未批准（草稿）：按 --include-drafts 计入，含该月草稿数据")
          for p in plan.drafts),
    ]
    return MonthResult(period="2026", assess_date=dt.date(2026, 12, 31), scheme="FS-MS-KF-13 A/2",
                       rules_file="FS-MS-KF-13_A2.toml", parameters=_parameters(), workers=workers,
                       lines=lines, projects=[], problems=problems, inputs=None, annual=plan,
                       awards=tuple(Award), kind=RunKind.YEAR_END, presentation=KF13.presentation,
                       scheme_id=KF13.id)
