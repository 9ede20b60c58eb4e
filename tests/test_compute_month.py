"""compute_month as a whole: sources reach the lines, totals reconcile, speed."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace
from decimal import Decimal

from kfbonus.money import ZERO
from kfbonus.schemes.kf13.common import fmt_exact, service_years
from kfbonus.schemes.kf13.compute import compute_month
from kfbonus.schemes.kf13.model import Award
from kfbonus.schemes.kf13.params import load_rules
from tests.month_builder import build_month

ASSESS = dt.date(2026, 11, 30)
PARAMS = load_rules().in_force(ASSESS)


def _small_month():
    return build_month({
        "roster": [{"工号": "A01", "姓名": "张三", "入职日期": "2019-03-01", "用工类型": "正式",
                    "特殊技能": "电工"}],
        "settlement": [{"工程编号": "GC-01", "工号": "A01", "个人工期天数": 10, "计件工资": "10000.00"}],
        "application": [{"工程编号": "GC-01", "重点工程": "是", "集体激励比例": "15%", "个人激励比例": "3%"}],
        "scores": [{"工程编号": "GC-01", "安全得分": 95, "质量得分": 90, "沟通和配合得分": "92.5",
                    "规章制度得分": 93}],
        "nomination": [{"工程编号": "GC-01", "工号": "A01", "考评结果": "优秀"}],
        "attendance": [{"工号": "A01", "应出勤天数": 22, "实出勤天数": 22}],
    })


def test_lines_carry_sources_clauses_and_formulas():
    result = compute_month(_small_month(), PARAMS, ASSESS, "2026-11")
    assert result.scheme == "FS-MS-KF-13 A/2" and result.rules_file == "FS-MS-KF-13_A2.toml"
    key, _, clause, company_set, label = result.parameters[0]
    assert (key, company_set, label) == ("exclusions.applies_to", True, "排除条件适用的奖项")
    assert clause
    by_award = {line.award: line for line in result.lines}
    col = by_award[Award.COLLECTIVE]
    # 92.625 ÷ 100 × 10,000.00 × 15% = 1,389.375 → 1,389.38, one member with all the days
    assert col.amount == Decimal("1389.38")
    assert "总分 92.625 ÷ 100 × 计件工资总额 10,000.00 × 15% = 1,389.375 → 集体奖池 1,389.38" in col.formula
    assert col.clause == "FS-MS-KF-13 §壹(二)5"
    cells = {(s.file, s.row, s.col) for s in col.sources}
    assert ("工程激励申报.xlsx", 2, "C") in cells      # the 集体激励比例 cell
    assert ("计件工资结算单.xlsx", 2, None) in cells   # the settlement row
    assert ("人员名册.xlsx", 2, None) in cells
    ind = by_award[Award.INDIVIDUAL]
    # 10,000.00 × 3% = 300.00, one qualifying nominee
    assert ind.amount == Decimal("300.00") and ind.clause.startswith("FS-MS-KF-13 §壹(一)")
    assert any(s.file == "个人激励申报.xlsx" for s in ind.sources)
    assert result.workers["A01"].service_years == 7 and result.workers["A01"].excluded is None
    project = result.projects[0]
    assert project.collective_pool == project.collective_allocated + project.collective_unpaid \
        + project.collective_unallocated
    assert result.problems == []


def test_lines_that_read_the_same_hold_one_text_and_number_each():
    """Many workers' 工龄奖 lines read the same formula, tier and day counts, and an excluded
    worker's reason is on each of their lines: one object each (kfbonus.model.Shared), not
    one a line (≈ 30 MiB at ten times the bench month)."""
    workers, projects = ("A01", "A02", "A03", "A04"), ("GC-01", "GC-02")
    month = build_month({
        "roster": [{"工号": wid, "姓名": f"员工{wid}", "入职日期": "2019-03-01",
                    "用工类型": "临时" if wid in ("A03", "A04") else "正式"} for wid in workers],
        "settlement": [{"工程编号": pid, "工号": wid, "个人工期天数": 10, "计件工资": "5000.00"}
                       for pid in projects for wid in workers],
        "application": [{"工程编号": pid, "重点工程": "否", "集体激励比例": "15%"} for pid in projects],
        "scores": [{"工程编号": pid, "安全得分": 90, "质量得分": 90, "沟通和配合得分": 90, "规章制度得分": 90}
                   for pid in projects],
        "attendance": [{"工号": wid, "应出勤天数": 22, "实出勤天数": 20} for wid in workers],
    })
    result = compute_month(month, PARAMS, ASSESS, "2026-11")
    seniority = {line.worker_id: line for line in result.lines if line.award == Award.SENIORITY}
    a1, a2, a3, a4 = (seniority[w] for w in ("A01", "A02", "A03", "A04"))
    assert a1.amount == Decimal("109.09") and a1 == replace(a2, worker_id="A01", name="员工A01",
                                                           sources=a1.sources)
    assert a1.formula_rest is a2.formula_rest and a1.amount is a2.amount and a1.category is a2.category
    assert a1.facts["due"] is a2.facts["due"] is a3.facts["due"]
    assert a3.unpaid is a4.unpaid and a3.unpaid == a1.amount and a3.reason is a4.reason
    collective = [line for line in result.lines if line.award == Award.COLLECTIVE]
    refused = [line for line in collective if line.worker_id in ("A03", "A04")]
    assert len(refused) == 4 and all(line.reason is a3.reason for line in refused)
    assert all(line.unpaid is refused[0].unpaid for line in refused)   # equal shares, one number
    assert result.workers["A03"].excluded is a3.reason


def test_employment_types_as_people_type_them():
    # 临时工 is 临时, 试用期 is 试用, 外包 人员 is 外包, 正式工 is 正式; 劳务派遣 is none of
    # them: paid as 正式, with a warning naming its cell
    types = {"A01": "正式工", "A02": "临时工", "A03": "劳务派遣", "A04": "试用期", "A05": "外包 人员"}
    month = build_month({
        "roster": [{"工号": wid, "姓名": f"员工{wid}", "入职日期": "2019-03-01", "用工类型": t}
                   for wid, t in types.items()],
        "training": [{"工号": wid, "培训天数": 1} for wid in types],
        "attendance": [{"工号": wid, "应出勤天数": 22, "实出勤天数": 22} for wid in types],
    })
    result = compute_month(month, PARAMS, ASSESS, "2026-11")
    paid = {line.worker_id: line.amount for line in result.lines if line.award == Award.TRAINING}
    assert paid == {"A01": Decimal("60.00"), "A02": ZERO, "A03": Decimal("60.00"), "A04": ZERO, "A05": ZERO}
    assert "用工类型为临时工" in result.workers["A02"].excluded
    assert "试用期内（用工类型为试用期）" in result.workers["A04"].excluded
    assert "用工类型为外包人员" in result.workers["A05"].excluded
    unknown = [p for p in result.problems if p.code == "unknown-employment-type"]
    assert len(unknown) == 1 and unknown[0].severity.name == "WARNING"
    assert "工号 A03" in unknown[0].message and "「劳务派遣」" in unknown[0].message
    where = unknown[0].source
    assert (where.file, where.row, where.header) == ("人员名册.xlsx", 4, "用工类型")


def test_a_nominee_whose_written_skills_are_not_special_is_told_which():
    skills = {"A01": ["电焊", "司机"], "A02": ["司机", "电工"]}
    month = build_month({
        "roster": [{"工号": w, "姓名": f"员工{w}", "入职日期": "2025-03-01", "用工类型": "正式",
                    "特殊技能": k} for w, k in skills.items()],
        "settlement": [{"工程编号": "GC-01", "工号": w, "个人工期天数": 10, "计件工资": "5000.00"}
                       for w in skills],
        "application": [{"工程编号": "GC-01", "重点工程": "是", "个人激励比例": "3%"}],
        "nomination": [{"工程编号": "GC-01", "工号": w, "考评结果": "优秀"} for w in skills],
        "attendance": [{"工号": w, "应出勤天数": 22, "实出勤天数": 22} for w in skills],
    })
    result = compute_month(month, PARAMS, ASSESS, "2026-11")
    paid = {line.worker_id: line.amount for line in result.lines if line.award == Award.INDIVIDUAL}
    assert paid == {"A01": ZERO, "A02": Decimal("300.00")}   # 10,000.00 × 3%, A02's 电工 qualifies
    [p] = [p for p in result.problems if p.code == "nominee-not-qualified"]
    assert "所填技能「电焊、司机」不是特殊技能（电工、焊工、管道工），且连续工龄 1 年不满 3 年" in p.message


def test_a_negative_reward_is_refused_and_a_future_hire_warned():
    month = build_month({
        "roster": [{"工号": "A01", "姓名": "张三", "入职日期": "2026-12-15", "用工类型": "正式"}],
        "attendance": [{"工号": "A01", "应出勤天数": 22, "实出勤天数": 22}],
        "adjustment": [{"工号": "A01", "类别": "优秀个人奖", "金额": "-500"},
                       {"工号": "A01", "类别": "扣款", "金额": "-50"}],
    })
    result = compute_month(month, PARAMS, ASSESS, "2026-11")
    by_code = {p.code: p for p in result.problems}
    assert set(by_code) == {"adjustment-negative-reward", "hire-after-assessment"}
    assert by_code["adjustment-negative-reward"].severity.name == "ERROR"
    assert by_code["adjustment-negative-reward"].source.header == "金额"
    assert by_code["hire-after-assessment"].severity.name == "WARNING"
    assert "入职日期 2026-12-15 晚于考核日 2026-11-30" in by_code["hire-after-assessment"].message
    # the 扣款 is a deduction whatever its sign; the refused reward is not paid
    assert [(x.category, x.amount) for x in result.lines if x.award == Award.ADJUSTMENT] == [
        ("扣款", Decimal("-50.00"))]


def test_scores_that_look_out_of_25_are_warned_and_computed_as_given():
    month = build_month({
        "roster": [{"工号": "A01", "姓名": "张三", "入职日期": "2019-03-01", "用工类型": "正式"}],
        "settlement": [{"工程编号": "GC-01", "工号": "A01", "个人工期天数": 10, "计件工资": "10000.00"}],
        "application": [{"工程编号": "GC-01", "集体激励比例": "10%"}],
        "scores": [{"工程编号": "GC-01", "安全得分": 24, "质量得分": 23, "沟通和配合得分": 25,
                    "规章制度得分": 22}],
        "attendance": [{"工号": "A01", "应出勤天数": 22, "实出勤天数": 22}],
    })
    result = compute_month(month, PARAMS, ASSESS, "2026-11")
    [p] = [p for p in result.problems if p.code == "scores-look-out-of-25"]
    assert p.severity.name == "WARNING" and "四项得分都不超过 25 分（最高 25）" in p.message
    assert p.source.file == "工程评分.xlsx" and p.source.row == 2
    # 23.5 ÷ 100 × 10,000.00 × 10% = 235.00, as the rules say
    assert [x.amount for x in result.lines if x.award == Award.COLLECTIVE] == [Decimal("235.00")]


def test_problem_sources_point_at_the_cell():
    month = build_month({
        "roster": [{"worker_id": "A01", "name": "张三", "hire_date": "2019-03-01"}],
        "settlement": [{"project_id": "GC-01", "worker_id": "A01", "days": 10, "piece_wage": "100.00"}],
        "application": [{"project_id": "GC-01", "collective_ratio": "25%"}],
        "attendance": [{"worker_id": "A01", "due_days": 22, "present_days": 22}],
    })
    result = compute_month(month, PARAMS, ASSESS, "2026-11")
    [problem] = result.problems
    assert problem.code == "collective-ratio-out-of-range" and problem.is_error
    assert problem.source.col == "C" and problem.source.row == 2
    assert "25%" in problem.message and "10%–20%" in problem.message


def test_service_years_edges():
    assert service_years(dt.date(2023, 11, 30), dt.date(2026, 11, 30)) == 3
    assert service_years(dt.date(2023, 12, 1), dt.date(2026, 11, 30)) == 2
    assert service_years(dt.date(2024, 2, 29), dt.date(2026, 2, 28)) == 1
    assert service_years(dt.date(2024, 2, 29), dt.date(2026, 3, 1)) == 2
    assert service_years(dt.date(2027, 1, 1), dt.date(2026, 11, 30)) == 0
    assert service_years(None, ASSESS) is None


def test_fmt_exact():
    assert fmt_exact(Decimal("1389.375")) == "1,389.375"
    assert fmt_exact(Decimal("360.32") / 3) == "120.106666…"
    assert fmt_exact(Decimal("120.00")) == "120"


def test_big_month_is_fast():
    n_workers, n_projects = 2000, 500
    roster = [{"worker_id": f"W{i:04d}", "name": f"工{i}", "hire_date": f"{2010 + i % 16}-0{1 + i % 9}-15",
               "employment_type": "外包" if i % 50 == 0 else "正式", "skills": "电工" if i % 3 == 0 else ""}
              for i in range(n_workers)]
    settlement = [{"project_id": f"GC-{p:04d}", "worker_id": f"W{(p * 20 + j) % n_workers:04d}",
                   "days": 1 + j % 10, "piece_wage": f"{300 + j * 7}.{j % 100:02d}"}
                  for p in range(n_projects) for j in range(20)]
    application = [{"project_id": f"GC-{p:04d}", "key_project": p % 2 == 0, "collective_ratio": "15%",
                    "individual_ratio": "4%" if p % 2 == 0 else None} for p in range(n_projects)]
    scores = [{"project_id": f"GC-{p:04d}", "safety": 90, "quality": 85, "cooperation": 95, "discipline": 88}
              for p in range(n_projects)]
    nomination = [{"project_id": f"GC-{p:04d}", "worker_id": f"W{(p * 20) % n_workers:04d}", "rating": "优秀"}
                  for p in range(0, n_projects, 2)]
    attendance = [{"worker_id": f"W{i:04d}", "due_days": 22, "present_days": 20 + i % 3}
                  for i in range(n_workers)]
    month = build_month({"roster": roster, "settlement": settlement, "application": application,
                         "scores": scores, "nomination": nomination, "attendance": attendance})
    start = time.perf_counter()
    result = compute_month(month, PARAMS, ASSESS, "2026-11")
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, elapsed
    assert len(result.projects) == n_projects
    assert not any(p.is_error for p in result.problems)
    shares: dict[str, Decimal] = {}
    for x in result.lines:
        if x.award is Award.COLLECTIVE:
            shares[x.project_id] = shares.get(x.project_id, ZERO) + x.amount + x.unpaid
    for proj in result.projects:
        assert shares[proj.project_id] + proj.collective_unallocated == proj.collective_pool
    individual = [x for x in result.lines if x.award is Award.INDIVIDUAL]
    assert individual and all(x.amount > 0 or x.reason for x in individual)


def test_no_attendance_table_at_all_is_one_error_not_a_warning_a_worker():
    """A folder without any 考勤 (a file left out) cannot pay a 工龄奖 or judge 连续缺勤: one
    error naming how many are due one; a worker missing from a 考勤 that is there is still a
    warning of their own, as is everyone when nobody is due a 工龄奖 yet."""
    roster = [{"工号": w, "姓名": f"员工{w}", "入职日期": "2020-03-01", "用工类型": "正式"}
              for w in ("A01", "A02", "A03")]
    settlement = [{"工程编号": "GC-01", "工号": "A01", "个人工期天数": 10, "计件工资": "1000.00"}]
    month = build_month({"roster": roster, "settlement": settlement})
    problems = compute_month(month, PARAMS, ASSESS, "2026-11").problems
    [p] = [p for p in problems if p.code.startswith("attendance")]
    assert (p.code, p.severity.name) == ("attendance-table-missing", "ERROR")
    assert "名册中有 3 人按工龄应计工龄奖（如工号 A01 员工A01）" in p.message

    some = [{"工号": "A01", "应出勤天数": 22, "实出勤天数": 22}]
    result = compute_month(build_month({"roster": roster, "settlement": settlement, "attendance": some}),
                           PARAMS, ASSESS, "2026-11")
    missing = [p for p in result.problems if p.code.startswith("attendance")]
    assert [(p.code, p.severity.name) for p in missing] == [("attendance-missing", "WARNING")] * 2

    new = [{"工号": "A01", "姓名": "新人", "入职日期": "2026-06-01", "用工类型": "正式"}]
    result = compute_month(build_month({"roster": new, "settlement": settlement}), PARAMS, ASSESS, "2026-11")
    assert [(p.code, p.severity.name) for p in result.problems if p.code.startswith("attendance")] == [
        ("attendance-missing", "WARNING")]


def test_settlement_without_any_application_table_is_an_error(tmp_path):
    """A project is paid only when applied for; a folder with settlement lines and no
    工程激励申报 at all (a file left out) would pay no project award without a word: one
    error.  A 申报 table with its header only says no project applied: no error."""
    from kfbonus.reader import read_month
    from kfbonus.schemes.kf13.checks import check_application_table_present
    from tests.helpers import write_xlsx

    write_xlsx(tmp_path / "结算.xlsx", {"结算": [["工程编号", "工号", "个人工期天数", "计件工资"],
                                               ["GC-01", "A01", 10, 1000], ["GC-02", "A01", 5, 500]]})
    [p] = check_application_table_present(read_month(tmp_path, "2026-11"))
    assert (p.code, p.severity.name) == ("application-table-missing", "ERROR")
    assert "本月计件工资结算单有 2 个工程" in p.message and "只有表头" in p.message
    write_xlsx(tmp_path / "申报.xlsx", {"申报": [["工程编号", "重点工程", "集体激励比例", "个人激励比例"]]})
    assert check_application_table_present(read_month(tmp_path, "2026-11")) == []
    no_settlement = build_month({"roster": [{"工号": "A01", "姓名": "张三", "入职日期": "2020-01-01"}]})
    assert check_application_table_present(no_settlement) == []


def test_an_individual_pool_nobody_was_nominated_for_is_said(tmp_path):
    """A key project applying for an individual ratio with no nominee on it pays nothing of
    its pool (未分配): a warning on its ratio; no 个人激励申报 table in the folder at all, while
    a project applies for a ratio, is one error (a sheet left out); a header-only one is not."""
    from kfbonus.reader import read_month
    from kfbonus.schemes.kf13.checks import check_nomination_table_present
    from tests.helpers import write_xlsx

    month = build_month({
        "roster": [{"工号": "A01", "姓名": "张三", "入职日期": "2019-03-01", "用工类型": "正式",
                    "特殊技能": "电工"}],
        "settlement": [{"工程编号": p, "工号": "A01", "个人工期天数": 10, "计件工资": "10000.00"}
                       for p in ("GC-01", "GC-02")],
        "application": [{"工程编号": "GC-01", "重点工程": "是", "个人激励比例": "4%"},
                        {"工程编号": "GC-02", "重点工程": "是", "个人激励比例": "5%"}],
        "nomination": [{"工程编号": "GC-02", "工号": "A01", "考评结果": "优秀"}],
        "attendance": [{"工号": "A01", "应出勤天数": 22, "实出勤天数": 22}],
    })
    result = compute_month(month, PARAMS, ASSESS, "2026-11")
    [p] = [p for p in result.problems if p.code == "individual-pool-without-nominees"]
    assert p.severity.name == "WARNING" and "工程 GC-01 申报了个人激励比例 4%" in p.message
    assert p.source.header == "个人激励比例"
    [fig] = [f for f in result.projects if f.project_id == "GC-01"]
    assert fig.individual_pool == Decimal("400.00")
    assert [x.amount for x in result.lines if x.award == Award.INDIVIDUAL] == [Decimal("500.00")]

    head = ["工程编号", "重点工程", "个人激励比例"]
    write_xlsx(tmp_path / "申报.xlsx", {"申报": [head, ["GC-01", "是", "4%"], ["GC-02", "否", None]]})
    [p] = check_nomination_table_present(read_month(tmp_path, "2026-11"))
    assert (p.code, p.severity.name, p.source.cell) == ("nomination-table-missing", "ERROR", "C2")
    assert "1 个工程申报了个人激励比例（如 GC-01）" in p.message
    write_xlsx(tmp_path / "提名.xlsx", {"个人激励申报": [["工程编号", "工号", "考评结果"]]})
    assert check_nomination_table_present(read_month(tmp_path, "2026-11")) == []


def test_a_nominee_on_a_roster_without_a_skills_column_is_told_why(tmp_path):
    """Without a 特殊技能 column nobody's skill is known: a nominee refused on service years
    is told the roster has no such column (not that they have no skill)."""
    from kfbonus.reader import read_month
    from tests.helpers import write_xlsx

    write_xlsx(tmp_path / "名册.xlsx", {"花名册": [["工号", "姓名", "入职日期", "用工类型", "离职日期"],
                                                ["A01", "张三", "2025-03-01", "正式"]]})
    write_xlsx(tmp_path / "月.xlsx", {
        "结算": [["工程编号", "工号", "个人工期天数", "计件工资"], ["GC-01", "A01", 10, "5000.00"]],
        "申报": [["工程编号", "重点工程", "个人激励比例"], ["GC-01", "是", "3%"]],
        "提名": [["工程编号", "工号", "考评结果"], ["GC-01", "A01", "优秀"]],
        "考勤": [["工号", "应出勤天数", "实出勤天数"], ["A01", 22, 22]]})
    problems = compute_month(read_month(tmp_path, "2026-11"), PARAMS, ASSESS, "2026-11").problems
    [p] = [p for p in problems if p.code == "nominee-not-qualified"]
    assert "人员名册没有特殊技能列，无从按特殊技能（电工、焊工、管道工）判断，且连续工龄 1 年不满 3 年" in (
        p.message)
