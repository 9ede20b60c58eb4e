"""Every input check of FS-MS-KF-13 beyond a cell's own value: keys, duplicates,
consistency of projects, and what the rules in force require of the inputs.

Two kinds, each invariant one small function:

- ``check_<invariant>(month) -> list[Problem]``, listed in :data:`CHECKS` (the scheme's
  ``checks``): the tables alone, run on the month as the scheme sees it, even when cells
  failed to read;
- ``check_<invariant>(ctx, unusable)``, listed in :data:`RULE_CHECKS` and run by
  :func:`rule_checks` from the computation: what needs the parameters in force, the
  assessment date or the month's rows grouped (a ratio out of its range, shares over a
  pool, a nominee who does not qualify).  Each yields ``(problem, key)``: ``key`` names
  what the error keeps from being computed (``(award, project id)``, ``(award, row)``),
  None for a warning.  The award modules skip what is keyed and check nothing.

Decisions where INPUTS.md is silent:

- A worker twice on the same project's settlement is a WARNING
  (``duplicate-settlement-line``): both lines are kept and count (a worker can
  be settled twice for two phases of one project), the accountant is asked to
  make sure it is not a copied line.
- Application/scores/nominations for a project with no settlement line are a
  WARNING (``unknown-project``): nothing can be paid on them.
- Two application rows for one project are an ERROR (``duplicate-application``):
  which ratio counts is not for the program to guess.  Several score rows for
  one project are allowed: SCHEME.md §2 takes the mean of each category.
- A negative day count or 计件工资 is an ERROR (``negative-value``): a wage taken back
  is a 扣款 of 其他奖惩, and a negative share cannot be allocated.  A negative amount
  on a reward category is an ERROR (``adjustment-negative-reward``, :mod:`kfbonus.adjustments`).
- A score row whose four scores are all 25 or under is a WARNING (``scores-look-out-of-25``):
  a sheet scoring each category out of 25 would cut the pool to a quarter; computed as given.
- WARNINGS, paid as typed: 应出勤/实出勤 or a worker's 培训天数 (all rows) above 31
  (``days-over-month``); 实出勤 above 应出勤 (``attendance-present-over-due``, the
  工龄奖 is then the tier amount); an 入职日期 after the assessment date
  (``hire-after-assessment``).
- Settlement lines and no 工程激励申报 table in the folder at all is an ERROR
  (``application-table-missing``): every project award would be nothing without a word (a
  month in which no project applied gives a 申报 table with its header only).
- A key project's individual ratio with no nominee on it is a WARNING
  (``individual-pool-without-nominees``: the pool is 未分配); individual ratios and no
  个人激励申报 table at all is an ERROR (``nomination-table-missing``).
- A roster sheet without 用工类型 or 离职日期 (转正日期 too when 用工类型 is missing) is a
  WARNING (``roster-column-absent``): those exclusions cannot be judged; a 工程激励申报 sheet
  without 集体激励比例 is a WARNING (``application-column-absent``).
- A 事故投诉 row naming neither 工程编号 nor 工号 is a WARNING (``incident-names-nobody``):
  it would take no one's year-end award.
- A roster worker without a 考勤 row is a WARNING (``attendance-missing``: no 工龄奖 that
  month); no 考勤 table in the folder at all, while someone is due a 工龄奖, is one ERROR
  (``attendance-table-missing``): a file left out, which would drop every 工龄奖 and the
  连续缺勤 exclusion at once, not a worker without a row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from kfbonus.adjustments import adjustment_error, nonstandard_amount
from kfbonus.exclusions import unknown_type_warnings
from kfbonus.model import MonthInput
from kfbonus.money import ZERO, fmt_money
from kfbonus.problems import Problem, RowRef, Source, error, warning
from kfbonus.schema import ROSTER
from kfbonus.schemes.kf13.awards.adjustment import payable_members
from kfbonus.schemes.kf13.awards.collective import (
    SCORE_FIELDS,
    collective_pool,
    crew_weights,
    given_total_days,
    piece_total,
    project_scores,
    weight_of,
)
from kfbonus.schemes.kf13.awards.individual import NOMINATIONS, failed_conditions, individual_pool
from kfbonus.schemes.kf13.awards.seniority import seniority_tier
from kfbonus.schemes.kf13.common import (
    Context,
    exact_div,
    fmt_exact,
    fmt_number,
    fmt_percent,
)
from kfbonus.schemes.kf13.model import Award
from kfbonus.validate import identical_rows, repeats, row_values, sheets_without
from kfbonus.values import Percentage

__all__ = ["CHECKS", "RULE_CHECKS", "rule_checks",
           "check_consistent_projects", "check_known_projects", "check_one_application_per_project",
           "check_one_attendance_row_per_worker", "check_one_settlement_line_per_worker_and_project"]


def check_one_application_per_project(month: MonthInput) -> list[Problem]:
    """One 工程激励申报 row per project."""
    return [error("duplicate-application",
                  f"工程「{pid}」在{month.title('application')}中重复出现（另见 {first}），"
                  "每个工程只能有一行",
                  src.cell("project_id"))
            for (pid,), src, first in repeats(month, "application", "project_id")]


def check_one_settlement_line_per_worker_and_project(month: MonthInput) -> list[Problem]:
    """A worker appears once per project in the settlement (warning; both lines count)."""
    return [warning("duplicate-settlement-line",
                    f"工号「{wid}」在工程「{pid}」的计件工资结算单中出现两次（另见 {first}），"
                    "两行都会计入；如为重复录入请删除一行",
                    src.cell("worker_id"))
            for (pid, wid), src, first in repeats(month, "settlement", "project_id", "worker_id")]


def check_consistent_projects(month: MonthInput) -> list[Problem]:
    """All settlement lines of a project agree on 工程名称 and 工期总天数."""
    out: list[Problem] = []
    for name, label in (("project_name", "工程名称"), ("total_days", "工期总天数")):
        first: dict[str, tuple[object, RowRef]] = {}
        reported: set[str] = set()
        for pid, value, src in row_values(month.tables["settlement"], "project_id", name):
            if pid is None or value is None:
                continue
            if pid not in first:
                first[pid] = (value, src)
            elif value != first[pid][0] and pid not in reported:
                reported.add(pid)
                out.append(warning("project-mismatch",
                                   f"工程「{pid}」的{label}前后不一致：此处为「{value}」，"
                                   f"{first[pid][1]} 为「{first[pid][0]}」",
                                   src.cell(name)))
    return out


def check_known_projects(month: MonthInput) -> list[Problem]:
    """Application, scores and nominations name projects that have settlement lines."""
    settled = {pid for pid in month.tables["settlement"].column("project_id") if pid is not None}
    if not settled:
        return []
    out: list[Problem] = []
    for kind in ("application", "scores", "nomination"):
        title = month.title(kind)
        for pid, src in row_values(month.tables[kind], "project_id"):
            if pid is not None and pid not in settled:
                out.append(warning("unknown-project",
                                   f"{title}中的工程「{pid}」在本月计件工资结算单中没有任何记录",
                                   src.cell("project_id")))
    return out


def check_application_table_present(month: MonthInput) -> list[Problem]:
    """Settlement lines and no 工程激励申报 table anywhere in the folder: every project's
    collective and individual award would be nothing (a project is paid only when applied
    for), with nothing to say why — a file left out.  An error; a month in which truly no
    project applied gives a 申报 table with its header only."""
    settled = {pid for pid in month.tables["settlement"].column("project_id") if pid is not None}
    if not settled or month.has_table("application"):
        return []
    title = month.title("application")
    return [error("application-table-missing",
                  f"本月计件工资结算单有 {len(settled)} 个工程，但输入文件夹中没有找到{title}表"
                  "（工程编号、重点工程、集体激励比例、个人激励比例）：没有它，这些工程的集体奖和个人奖都无法计算；"
                  f"请放入本月的{title}表（如本月确无工程申报，请放入只有表头的{title}表）")]


def check_nomination_table_present(month: MonthInput) -> list[Problem]:
    """A 工程激励申报 giving individual ratios and no 个人激励申报 table anywhere in the
    folder: no individual award could be paid (a file or sheet left out).  An error; a
    header-only 个人激励申报 says nobody was nominated."""
    applied = [(pid, src) for pid, ratio, src in row_values(month.tables["application"], "project_id",
                                                             "individual_ratio")
               if pid is not None and ratio is not None]
    if not applied or month.has_table("nomination"):
        return []
    title = month.title("nomination")
    return [error("nomination-table-missing",
                  f"{month.title('application')}中有 {len(applied)} 个工程申报了个人激励比例"
                  f"（如 {applied[0][0]}），"
                  f"但输入文件夹中没有找到{title}表（工程编号、工号、考评结果）：个人奖无法计算；"
                  f"请放入{title}表（如确无提名，请放入只有表头的{title}表）",
                  applied[0][1].cell("individual_ratio"))]


_EXCLUSION_COLUMNS = {   # roster field → what cannot be judged without its column
    "employment_type": "按用工类型排除外包、临时、试用人员",
    "regular_date": "按转正日期判断试用期",
    "leave_date": "按离职日期排除已离职人员",
}


def check_roster_columns_for_exclusions(month: MonthInput) -> list[Problem]:
    """A roster sheet without 用工类型 or 离职日期 (the columns the exclusions read) pays its
    workers as if no such exclusion applied: one warning a sheet, naming what cannot be
    judged (转正日期 too when 用工类型 is missing: without either, probation cannot be seen;
    with 用工类型, 试用 says it)."""
    out: list[Problem] = []
    for table, lacking in sheets_without(month.tables["roster"], *_EXCLUSION_COLUMNS):
        if "employment_type" not in lacking:
            lacking = [n for n in lacking if n != "regular_date"]
        if not lacking:
            continue
        headers = "」「".join(ROSTER.field(n).header for n in lacking)
        what = "、".join(_EXCLUSION_COLUMNS[n] for n in lacking)
        out.append(warning("roster-column-absent",
                           f"人员名册没有「{headers}」列：无法{what}，这些人员按正常计发；"
                           "如名册另有这些信息，请加上这些列",
                           Source(table.file, table.sheet, table.header_row)))
    return out


def check_application_has_collective_ratio(month: MonthInput) -> list[Problem]:
    """A 工程激励申报 sheet without a 集体激励比例 column gives none of its projects a
    collective award (a project is paid only at the ratio it applies for): said once a sheet."""
    title = month.title("application")
    return [warning("application-column-absent",
                    f"{title}没有「集体激励比例」列：其中的工程本月都没有集体奖；如有集体激励比例，请加上这一列",
                    Source(table.file, table.sheet, table.header_row))
            for table, _ in sheets_without(month.tables["application"], "collective_ratio")]


def check_incidents_name_someone(month: MonthInput) -> list[Problem]:
    """A 事故投诉 row with neither 工程编号 nor 工号 takes the year-end safety or quality
    award from nobody (SCHEME.md §5 reads it by the worker or the projects worked on):
    a warning on the row, since the record itself is kept."""
    return [warning("incident-names-nobody",
                    f"{month.title('incident')}的这一行既没有工程编号也没有工号：年度安全奖、质量奖"
                    "无从据此扣减任何人；请补填工程编号或工号", src.source)
            for pid, wid, src in row_values(month.tables["incident"], "project_id", "worker_id")
            if pid is None and wid is None]


def check_one_attendance_row_per_worker(month: MonthInput) -> list[Problem]:
    """One 考勤 row per worker and month."""
    return [error("attendance-duplicate",
                  f"工号「{wid}」在考勤中重复出现（另见 {first}），每人每月应只有一行",
                  src.cell("worker_id"))
            for (wid,), src, first in repeats(month, "attendance", "worker_id")]


# columns that are never negative: a day count, a piece-rate wage (a wage taken back is a 扣款
# of 其他奖惩), a crew member's 个人百分比; a negative one would also turn a crew's shares negative
_NOT_NEGATIVE = {"settlement": ("days", "total_days", "piece_wage", "percent"),
                 "attendance": ("due_days", "present_days", "absent_days", "longest_absence"),
                 "training": ("days",)}


def check_not_negative(month: MonthInput) -> list[Problem]:
    """Days and 计件工资 are zero or more: a negative one is an error on its cell."""
    out: list[Problem] = []
    for kind, names in _NOT_NEGATIVE.items():
        df = month.tables.get(kind)
        if df is None:
            continue
        for name in names:
            if name not in df.columns:
                continue
            for value, src in row_values(df, name):
                if value is not None and value < 0:
                    where = src.cell(name)
                    hint = "；如为扣回的工资，请在其他奖惩中按扣款录入" if name == "piece_wage" else ""
                    shown = (fmt_money(value) if name == "piece_wage"
                             else fmt_percent(value) if name == "percent" else fmt_number(value))
                    out.append(error("negative-value", f"{where.header or name}为 {shown}，不能为负数{hint}",
                                     where))
    return out


_MONTH_DAYS = 31


def check_days_within_a_month(month: MonthInput) -> list[Problem]:
    """A worker's 应出勤/实出勤 and 培训天数 (all their training rows) fit in a month: more
    than 31 is a warning on the cell (45 for 4.5?); paid as typed."""
    out: list[Problem] = []
    for name in ("due_days", "present_days"):
        for wid, value, src in row_values(month.tables["attendance"], "worker_id", name):
            if value is not None and value > _MONTH_DAYS:
                where = src.cell(name)
                out.append(warning("days-over-month", f"工号 {wid} 的{where.header}为 {fmt_number(value)}，"
                                   f"超过一个月的天数（{_MONTH_DAYS}）；请核对", where))
    training: dict[str, list] = {}
    for wid, days, src in row_values(month.tables["training"], "worker_id", "days"):
        if wid is not None and days is not None:
            training.setdefault(wid, []).append((days, src))
    for wid, rows in training.items():
        total = sum((d for d, _ in rows), ZERO)
        if total > _MONTH_DAYS:
            where = rows[-1][1].cell("days")
            several = f"（{len(rows)} 行合计）" if len(rows) > 1 else ""
            out.append(warning("days-over-month", f"工号 {wid} 的培训天数为 {fmt_number(total)}{several}，"
                               f"超过一个月的天数（{_MONTH_DAYS}），仍按所填天数发放；请核对", where))
    return out


def check_paid_rows_not_pasted_twice(month: MonthInput) -> list[Problem]:
    """A 带薪培训 or 其他奖惩 row equal to an earlier one is paid twice: a warning on it."""
    return identical_rows(month, "training") + identical_rows(month, "adjustment")


CHECKS: tuple[Callable[[MonthInput], list[Problem]], ...] = (
    check_not_negative,
    check_days_within_a_month,
    check_paid_rows_not_pasted_twice,
    check_one_application_per_project,
    check_one_attendance_row_per_worker,
    check_one_settlement_line_per_worker_and_project,
    check_consistent_projects,
    check_known_projects,
    check_application_table_present,
    check_nomination_table_present,
    check_roster_columns_for_exclusions,
    check_application_has_collective_ratio,
    check_incidents_name_someone,
)


def ratio_out_of_range(code: str, what: str, pid: str, value: Decimal, low: Decimal, high: Decimal,
                       source: Source) -> Problem | None:
    """The error for a project's award ratio outside [low, high] (SCHEME.md §1, §2), or None."""
    if low <= value <= high:
        return None
    return error(code, f"工程 {pid} 的{what}为 {fmt_percent(value)}，"
                       f"应在 {fmt_percent(low)}–{fmt_percent(high)} 之间", source)


Finding = tuple[Problem, tuple | None]   # a problem and what it keeps from being computed
_HUNDRED = Decimal(100)
_ONE = Decimal(1)


def check_application_settled(ctx: Context, unusable: set) -> Iterator[Finding]:
    """A project applied for awards has settlement lines this month (warning: nothing is paid)."""
    data = ctx.data
    for pid, app in sorted(data.application.items()):
        applied = app.collective_ratio is not None or app.individual_ratio is not None
        if applied and pid not in data.settlement:
            yield warning("application-without-settlement",
                          f"工程 {pid} 有工程激励申报，但本月计件工资结算单中没有该工程，"
                          "本月不计算其个人奖和集体奖",
                          app.src), None


def check_individual_application(ctx: Context, unusable: set) -> Iterator[Finding]:
    """Nominations need an individual ratio; a ratio needs 重点工程 = 是 and a rate in range."""
    p, data = ctx.params, ctx.data
    rate_min, rate_max = p["individual.rate_min"], p["individual.rate_max"]
    for pid in sorted(set(data.nominations) | {
            pid for pid, a in data.application.items() if a.individual_ratio is not None}):
        app = data.application.get(pid)
        ratio = app.individual_ratio if app is not None else None
        key = (Award.INDIVIDUAL, pid)
        if ratio is None:
            for nom in data.nominations.get(pid, []):
                yield warning("nomination-without-individual-award",
                              f"工程 {pid} 没有申报个人激励比例（不是享受个人奖的重点工程），"
                              f"工号 {nom.worker_id} 的个人奖提名不予发放", nom.src), None
        elif app.key_project is not True:
            flag = "否" if app.key_project is False else "空白"
            yield error("individual-not-key-project",
                        f"工程 {pid} 申报了个人激励比例 {fmt_percent(ratio)}，但「重点工程」为{flag}；"
                        "个人奖只对重点工程发放，请将重点工程填为「是」或删去个人激励比例",
                        app.src.cell("key_project")), key
        else:
            bad = ratio_out_of_range("individual-rate-out-of-range", "个人激励比例", pid, ratio,
                                     rate_min, rate_max, app.src.cell("individual_ratio"))
            if bad:
                yield bad, key
            elif pid not in data.nominations and pid in data.settlement:
                yield warning("individual-pool-without-nominees",
                              f"工程 {pid} 申报了个人激励比例 {fmt_percent(ratio)}（重点工程），"
                              "但个人激励申报中没有该工程的提名：个人奖池本月不发放，记为未分配；"
                              "如有提名，请补入个人激励申报",
                              app.src.cell("individual_ratio")), None


def _applying(ctx: Context, unusable: set, award: Award) -> Iterator[str]:
    """The settled projects applying for ``award`` (a ratio given) that the checks so far accept."""
    data = ctx.data
    ratio = "individual_ratio" if award is Award.INDIVIDUAL else "collective_ratio"
    for pid, app in sorted(data.application.items()):
        if getattr(app, ratio) is not None and pid in data.settlement and (award, pid) not in unusable:
            yield pid


def check_nominations(ctx: Context, unusable: set) -> Iterator[Finding]:
    """A worker once per project; 申报金额 all given or all blank, none negative, within the pool."""
    data = ctx.data
    for pid in _applying(ctx, unusable, Award.INDIVIDUAL):
        noms = data.nominations.get(pid, [])
        key = (NOMINATIONS, pid)
        seen: dict[str, object] = {}
        for nom in noms:
            if nom.worker_id in seen:
                yield error("nomination-duplicate",
                            f"工号 {nom.worker_id} 在工程 {pid} 被重复提名（另见 {seen[nom.worker_id]}）",
                            nom.src), key
            seen.setdefault(nom.worker_id, nom.src)
        declared = [n for n in noms if n.declared_amount is not None]
        if not declared:
            continue
        if len(declared) != len(noms):
            blank = next(n for n in noms if n.declared_amount is None)
            yield error("nomination-mixed-declared",
                        f"工程 {pid} 的个人奖提名有的填了申报金额、有的空白："
                        "应全部填写，或全部空白（平均分配）",
                        blank.src.cell("declared_amount")), key
            continue
        if key in unusable:
            continue
        app = data.application[pid]
        settle = data.settlement[pid]
        exact_pool, pool = individual_pool(app.individual_ratio, settle)
        total_declared = sum((n.declared_amount for n in noms), ZERO)
        if total_declared > pool:
            pool_text = (f"个人激励比例 {fmt_percent(app.individual_ratio)} × 计件工资总额 "
                         f"{fmt_money(piece_total(settle))} = {fmt_exact(exact_pool)} → "
                         f"个人奖池 {fmt_money(pool)}")
            yield error("declared-exceeds-pool",
                        f"工程 {pid} 的申报金额合计 {fmt_money(total_declared)} "
                        f"超过个人奖池 {fmt_money(pool)}"
                        f"（{pool_text}）", noms[0].src.cell("declared_amount")), key
            continue
        for n in noms:
            if n.declared_amount < 0:
                yield error("declared-amount-negative", f"申报金额 {fmt_money(n.declared_amount)} 不能为负",
                            n.src.cell("declared_amount")), key


def check_nominees_qualify(ctx: Context, unusable: set) -> Iterator[Finding]:
    """A nominee meets §壹(一)'s conditions (warning: the nomination is not paid)."""
    data = ctx.data
    for pid in _applying(ctx, unusable, Award.INDIVIDUAL):
        if (NOMINATIONS, pid) in unusable:
            continue
        settled = {r.worker_id for r in data.settlement[pid]}
        for nom in data.nominations.get(pid, []):
            why = failed_conditions(ctx, nom, pid, settled)
            if why:
                yield warning("nominee-not-qualified",
                              f"工号 {nom.worker_id} {ctx.name(nom.worker_id, nom.name)} "
                              f"在工程 {pid} 的个人奖提名"
                              f"不符合条件：{'；'.join(why)}；不予发放", nom.src), None


def check_collective_ratio(ctx: Context, unusable: set) -> Iterator[Finding]:
    """A project's 集体激励比例 is within collective.ratio_min–ratio_max."""
    p = ctx.params
    for pid, app in sorted(ctx.data.application.items()):
        if app.collective_ratio is not None:
            bad = ratio_out_of_range("collective-ratio-out-of-range", "集体激励比例", pid,
                                     app.collective_ratio, p["collective.ratio_min"],
                                     p["collective.ratio_max"], app.src.cell("collective_ratio"))
            if bad:
                yield bad, (Award.COLLECTIVE, pid)


_QUARTER = Decimal(25)


def check_collective_scores(ctx: Context, unusable: set) -> Iterator[Finding]:
    """A project applying for a collective award has score rows, each score 0–100; a row whose
    four scores are all 25 or under looks scored out of 25 (a warning: the pool is a quarter)."""
    data = ctx.data
    for pid in _applying(ctx, unusable, Award.COLLECTIVE):
        key = (Award.COLLECTIVE, pid)
        rows = data.scores.get(pid, [])
        if not rows:
            app = data.application[pid]
            yield error("collective-without-scores",
                        f"工程 {pid} 申报了集体激励比例 {fmt_percent(app.collective_ratio)}，"
                        "但工程评分表中没有该工程的评分",
                        app.src.cell("collective_ratio")), key
        for r in rows:
            for name, header in SCORE_FIELDS.items():
                v = getattr(r, name)
                if v is not None and not ZERO <= v <= _HUNDRED:
                    yield error("score-out-of-range",
                                f"工程 {pid} 的{header} {fmt_number(v)} 应在 0–100 之间",
                                r.src.cell(name)), key
            given = [v for name in SCORE_FIELDS if (v := getattr(r, name)) is not None]
            if len(given) == len(SCORE_FIELDS) and 0 < max(given) <= _QUARTER:
                # four scores out of 25 (a 100-point sheet split in four) would cut the pool to a quarter
                yield warning("scores-look-out-of-25",
                              f"工程 {pid} 的四项得分都不超过 25 分（最高 {fmt_number(max(given))}）："
                              "各项得分应为百分制（每项满分 100），总分取四项的平均；"
                              "如是按每项 25 分打的分，请换算为百分制后再填", r.src), None


def check_collective_days(ctx: Context, unusable: set) -> Iterator[Finding]:
    """The project's 工期总天数 (given once, or the sum of 个人工期天数, as the rules say) is
    positive, and the crew's 个人工期天数 × 个人百分比 do not add up to more than it."""
    data, p = ctx.data, ctx.params
    mode = p["collective.total_days"]
    for pid in _applying(ctx, unusable, Award.COLLECTIVE):
        settle = data.settlement[pid]
        scored = project_scores(data.scores.get(pid, []))
        if scored is None:
            continue   # a blank required score: the reader reports it
        key = (Award.COLLECTIVE, pid)
        given = given_total_days(settle, mode)
        if not given:
            yield error("total-days-missing",
                        f"工程 {pid} 的结算单没有工期总天数，规则要求按工程工期总天数分配集体奖",
                        settle[0].src.cell("total_days")), key
            continue
        if len(given) > 1:
            yield error("total-days-inconsistent",
                        f"工程 {pid} 的结算单工期总天数不一致："
                        f"{'、'.join(fmt_number(d) for d in sorted(given))}",
                        settle[0].src.cell("total_days")), key
            continue
        (total_days,) = given
        if total_days <= 0:
            yield error("total-days-zero",
                        f"工程 {pid} 的工期总天数为 {fmt_number(total_days)}，无法分配集体奖",
                        settle[0].src.cell("total_days" if mode != "person_days" else "days")), key
            continue
        crew = crew_weights(settle, p["collective.default_percent"])
        weight_sum = sum((weight_of(rows) for rows in crew.values()), ZERO)
        if weight_sum > total_days:
            _, pool = collective_pool(scored[1], piece_total(settle), data.application[pid].collective_ratio)
            days_label = "工期总天数（个人工期天数之和）" if mode == "person_days" else "工期总天数"
            shares = exact_div(pool * weight_sum, total_days)
            yield error("collective-shares-exceed-pool",
                        f"工程 {pid} 按分配方案算出的个人分配合计 {fmt_exact(shares)} "
                        f"超过集体奖池 {fmt_money(pool)}"
                        f"（个人工期天数 × 个人百分比 之和 {fmt_number(weight_sum)} 大于 {days_label} "
                        f"{fmt_number(total_days)}），请修改分配方案", settle[0].src), key


def check_attendance_for_seniority(ctx: Context, unusable: set) -> Iterator[Finding]:
    """Every roster worker has an attendance row, with 应出勤天数 when a tier applies
    (warnings: the month's 工龄奖 is 0 and its line says why), and 实出勤 not above 应出勤
    (a warning: the tier amount is paid)."""
    data = ctx.data
    tiers = ctx.params["seniority.tiers"]
    if not data.attendance:
        due = [wid for wid in data.roster if seniority_tier(ctx.years.get(wid), tiers) is not None]
        if due:   # no attendance table at all: a file left out, not a worker without a row
            yield error("attendance-table-missing",
                        f"输入文件夹中没有找到考勤表：名册中有 {len(due)} 人按工龄应计工龄奖"
                        f"（如工号 {due[0]} {ctx.name(due[0])}），没有考勤无法折算，也无法判断连续缺勤；"
                        "请放入本月考勤表（工号、应出勤天数、实出勤天数，或按日打卡的考勤）"), None
            return
    for wid, worker in data.roster.items():
        att = data.attendance.get(wid)
        if att is None:
            yield warning("attendance-missing",
                          f"工号 {wid} {ctx.name(wid)} 在名册中但没有考勤记录，本月不计工龄奖",
                          worker.src), None
        elif seniority_tier(ctx.years.get(wid), tiers) is not None and not (att.due_days or ZERO) > 0:
            yield warning("attendance-no-due-days",
                          f"工号 {wid} {ctx.name(wid)} 的应出勤天数为 {fmt_number(att.due_days or ZERO)}，"
                          "无法按出勤折算，本月不计工龄奖", att.src.cell("due_days")), None
        elif att.present_days is not None and att.due_days is not None and att.present_days > att.due_days:
            yield warning("attendance-present-over-due",
                          f"工号 {wid} {ctx.name(wid)} 的实出勤天数 {fmt_number(att.present_days)} 大于"
                          f"应出勤天数 {fmt_number(att.due_days)}，工龄奖按全勤计（不超过档位金额）；"
                          "请核对考勤",
                          att.src.cell("present_days")), None


def check_hire_dates(ctx: Context, unusable: set) -> Iterator[Finding]:
    """An 入职日期 after the assessment date (a typo for a past year?) is said: the worker
    has under a year of service (no 工龄奖, no service condition of the 个人奖)."""
    for wid, worker in ctx.data.roster.items():
        hire = worker.hire_date
        if hire is not None and hire > ctx.assess_date:
            yield warning("hire-after-assessment",
                          f"工号 {wid} {ctx.name(wid)} 的入职日期 {hire} 晚于考核日 {ctx.assess_date}，"
                          "连续工龄按不满 1 年计；请核对入职日期", worker.src.cell("hire_date")), None


def check_employment_types(ctx: Context, unusable: set) -> Iterator[Finding]:
    """A 用工类型 that is none of the known types excludes nothing: said (a warning)."""
    workers = ((wid, ctx.name(wid), w) for wid, w in ctx.data.roster.items())
    for problem in unknown_type_warnings(workers, ctx.params):
        yield problem, None


def check_adjustments(ctx: Context, unusable: set) -> Iterator[Finding]:
    """其他奖惩: a known category; a 扣款 with an amount; a percentage only for one worker's
    扣款, within 0–100%; a 班组 with members to split among; amounts off the standard warned."""
    p = ctx.params
    standard = p["adjustment.standard_amounts"]
    deductions = p["adjustment.deduction_categories"]
    for r in ctx.data.adjustment:
        key = (Award.ADJUSTMENT, r.src)
        category = (r.category or "").strip()
        who = f"工号 {r.worker_id}" if r.worker_id else f"班组 {r.team}"
        given = r.amount
        found = adjustment_error(who, category, given, standard, deductions,  # type: ignore[arg-type]
                                 r.src.cell("category"), r.src.cell("amount"))
        if found is not None:
            yield found, key
        elif isinstance(given, Percentage):
            yield from _percent_row(ctx, r, category, deductions, key)
        else:
            odd = nonstandard_amount(who, category, given, standard, deductions,  # type: ignore[arg-type]
                                     r.src.cell("amount"))
            if odd is not None:
                yield odd, None
            if r.worker_id is None:
                yield from _team_row(ctx, r, category, key)


def _percent_row(ctx: Context, r, category: str, deductions, key: tuple) -> Iterator[Finding]:
    where = r.src.cell("amount")
    if r.worker_id is None:
        yield error("adjustment-percent-team",
                    f"班组 {(r.team or '').strip()} 的{category}填写为百分比 {r.amount}："
                    "按计件工资比例的扣款须写明工号",
                    r.src.cell("team")), key
    elif category not in deductions:
        yield error("adjustment-percent-not-deduction",
                    f"工号 {r.worker_id} 的{category}填写为百分比 {r.amount}："
                    "只有扣款可以按计件工资的比例填写，奖励请填写金额", where), key
    elif not ZERO < r.amount.fraction <= _ONE:
        yield error("adjustment-percent-out-of-range",
                    f"工号 {r.worker_id} 的{category}比例为 {r.amount}，应在 0%–100% 之间", where), key
    elif not ctx.data.wages.get(r.worker_id):
        yield warning("adjustment-percent-no-wage",
                      f"工号 {r.worker_id} 的{category}按计件工资的 {r.amount} 扣除，"
                      "但本月计件工资结算单中没有此人，扣款为 0.00；如应扣固定金额，请填写金额", where), None


def _team_row(ctx: Context, r, category: str, key: tuple) -> Iterator[Finding]:
    team = (r.team or "").strip()
    paid, _ = payable_members(ctx, team)
    if not paid:
        why = "人员名册中没有这个班组" if not ctx.data.teams.get(team) else "该班组的人员在考核日均不参与激励"
        yield error("adjustment-team-empty",
                    f"{category}发给班组「{team}」，但{why}，无法平分；请核对班组名称",
                    r.src.cell("team")), key


RULE_CHECKS: tuple[Callable[[Context, set], Iterator[Finding]], ...] = (
    check_application_settled,
    check_individual_application,
    check_nominations,
    check_nominees_qualify,
    check_collective_ratio,
    check_collective_scores,
    check_collective_days,
    check_attendance_for_seniority,
    check_hire_dates,
    check_employment_types,
    check_adjustments,
)


def rule_checks(ctx: Context) -> tuple[list[Problem], frozenset]:
    """The month's problems under the rules in force, and what they keep from being
    computed (each check sees what the earlier ones refused)."""
    problems: list[Problem] = []
    unusable: set = set()
    for check in RULE_CHECKS:
        for problem, key in check(ctx, unusable):
            problems.append(problem)
            if key is not None:
                unusable.add(key)
    return problems, frozenset(unusable)
