"""Year-end annual awards: 年度安全奖 and 年度质量奖 (SCHEME.md §5) [company-set].

The year-end run computes them for a calendar year from the months of that year
in the ledger (:func:`year_data`, from the facts each month kept:
:mod:`kfbonus.schemes.kf13.facts`): the approved months only, or the drafts too when the
run is told to include them (``--include-drafts``; they are then
marked as drafts); draft months left out and months missing are listed as warnings
and on the plan.  It is a draft plan (年度激励评议方案) for the manager.  Its result
is a :class:`MonthResult` with period ``"2026"`` and assessment date 31 December, so
the month renderer serves.

Eligibility, exactly as SCHEME.md §5 (every sentence has a scenario in
``tests/test_annual.py``):

- a month counts as worked when the worker had a settlement line or an attendance
  row with 实出勤 > 0 in it, whether or not excluded that month; at least
  ``annual.min_months`` counted months;
- the worker's projects are those of their settlement lines in the counted months;
- a project's 质量得分 is the mean of all its score rows in the counted months
  (each month keeps its sum and number of rows: :mod:`kfbonus.schemes.kf13.facts`); the
  worker's mean is over their scored projects, each once, compared unrounded (exact
  fractions) with ``annual.min_quality_score``; no scored project → no quality award (无评分工程);
- safety / quality: no 安全事故 / 质量投诉 dated in the year naming the worker or one
  of their projects;
- not excluded on 31 December — by the year-end folder's roster (type, probation,
  departure before 31 December: the caller's ``roster_info``) or by
  ``exclusions.min_absence_days``+ consecutive days of absence in the December
  month's recorded attendance (``YearData.december_absence``) — unless
  ``exclusions.applies_to`` leaves out ``annual``; a worker who worked in the year
  but is absent from that roster gets nothing, with the reason.

Decisions where SCHEME.md is silent:

- Incidents come from the counted months and from the annual input folder; one that
  appears in several folders (same date, type, project, 工号 and note) counts once.
  A type other than 安全事故/质量投诉 (containing 安全 / 质量) is a warning.
- When December is not counted, the absence exclusion cannot be checked: a warning.
- A refused line shows what it would have paid as ``unpaid``, with every reason.
- An incident's reason says why it counts against the worker: it names them
  (点名本人) or a project they worked on (本人参与的工程 …).  A refused line's sources
  are the incident rows (file › sheet!row, as the ledger recorded them) first, then
  the ledger months.

Besides the lines, the result carries the plan's basis (``result.annual``, an
:class:`~kfbonus.model.AnnualPlan`): the months it rests on, the missing and draft
months, the thresholds, and per worker the facts (months, projects, incidents,
quality mean, year-end status) the renderers show on 年度评议依据.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from kfbonus.ledger import APPROVED
from kfbonus.model import AwardLine, Columns, MonthInput, MonthResult, RunKind, WorkerInfo
from kfbonus.money import ZERO, D, fmt_money, round_money
from kfbonus.problems import Problem, RowRef, Source, warning
from kfbonus.rules import fmt_number
from kfbonus.schemes.kf13 import SCHEME
from kfbonus.schemes.kf13 import facts as kept
from kfbonus.schemes.kf13.common import SCHEME_ID
from kfbonus.schemes.kf13.facts import clean_text
from kfbonus.schemes.kf13.model import AnnualBasis, AnnualPlan, Award

if TYPE_CHECKING:
    from kfbonus.ledger import Ledger

__all__ = ["CLAUSE", "QUALITY", "SAFETY", "IncidentRecord", "ProjectScore", "YearData", "compute_annual",
           "incidents_from_table", "year_data"]

CLAUSE = "FS-MS-KF-13 §3（年度安全、质量奖）[company-set]"
SAFETY = "安全事故"
QUALITY = "质量投诉"
NOT_IN_ROSTER = "年末人员名册中无此工号"
NO_SCORED_PROJECT = "无评分工程：全年参与的工程均无质量得分，不能评质量奖"


@dataclass(frozen=True)
class IncidentRecord:
    """One 事故投诉 row: from a month in the ledger (``period``) or the annual folder (None)."""

    period: str | None
    date: dt.date | None
    incident_type: str
    project_id: str | None
    worker_id: str | None
    note: str | None
    source: Source | None


@dataclass(frozen=True)
class ProjectScore:
    """A project's 质量得分 rows in one month it was scored: ``quality_sum`` over
    ``rows`` rows (``quality`` is that month's mean)."""

    period: str
    project_id: str
    project_name: str | None
    quality_sum: Decimal
    rows: int = 1

    @property
    def quality(self) -> Decimal:
        return self.quality_sum / self.rows


@dataclass(frozen=True)
class YearData:
    """What the year-end run needs from the ledger (latest revision of each month).

    ``months`` maps each month of the year found in the ledger to its status;
    ``counted`` the months whose facts are below (the approved ones, and the drafts
    too when asked); ``worked`` maps 工号 → the counted months worked (sorted);
    ``projects`` 工号 → the projects of their settlement lines in the counted months
    (sorted); ``names`` 工号 → the latest 姓名; ``december_absence`` 工号 → the
    连续缺勤天数 recorded in December's attendance (when December is counted).
    """

    year: int
    months: Mapping[str, str]
    worked: Mapping[str, tuple[str, ...]]
    projects: Mapping[str, tuple[str, ...]]
    names: Mapping[str, str]
    quality_scores: tuple[ProjectScore, ...] = ()
    incidents: tuple[IncidentRecord, ...] = ()
    ledger_name: str = "ledger.sqlite"
    counted: tuple[str, ...] | None = None      # None: every month in ``months``
    december_absence: Mapping[str, Decimal] = field(default_factory=dict)

    @property
    def counted_months(self) -> tuple[str, ...]:
        return tuple(self.months) if self.counted is None else self.counted

    @property
    def drafts(self) -> tuple[str, ...]:
        """Months of the year in the ledger that are not approved (草稿)."""
        return tuple(p for p, status in self.months.items() if status != APPROVED)

    @property
    def missing(self) -> tuple[str, ...]:
        """Months of the year with no run in the ledger."""
        return tuple(p for p in (f"{self.year}-{m:02d}" for m in range(1, 13)) if p not in self.months)


def year_data(ledger: Ledger, year: int, include_drafts: bool = False) -> YearData:
    """Everything the year-end run needs from the months of ``year`` in ``ledger``: the
    facts each month kept (:mod:`kfbonus.schemes.kf13.facts`), of its latest revision.

    Only approved months are counted (SCHEME.md §5) unless ``include_drafts``; every
    month found is still listed in ``months`` with its status.
    """
    months = ledger.months(SCHEME_ID, f"{int(year):04d}-__")
    counted = tuple(p for p, status in months.items() if include_drafts or status == APPROVED)

    def rows(kind: str) -> list[tuple[str, dict]]:
        return ledger.facts(SCHEME_ID, counted, kind)

    worked: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    december: dict[str, Decimal] = {}
    for period, row in rows(kept.WORKER_MONTH):   # in period order: the latest name wins
        wid, name = row["worker_id"], row["name"]
        if name:
            names[wid] = name
        else:
            names.setdefault(wid, "")
        if row["worked"]:
            worked.setdefault(wid, []).append(period)
        if period.endswith("-12") and row["longest_absence"] is not None:
            december[wid] = Decimal(row["longest_absence"])
    projects: dict[str, set[str]] = {}
    for _, row in rows(kept.WORKER_PROJECT):
        projects.setdefault(row["worker_id"], set()).add(row["project_id"])
    project_names = {(period, row["project_id"]): row["project_name"] for period, row in rows(kept.PROJECT)}
    scores = sorted(((row["project_id"], period, row) for period, row in rows(kept.QUALITY_SCORE)),
                    key=lambda x: (x[0], x[1]))
    incidents = [IncidentRecord(period, dt.date.fromisoformat(row["date"]) if row["date"] else None,
                                row["incident_type"], row["project_id"], row["worker_id"], row["note"],
                                kept.source_of(row))
                 for period, row in rows(kept.INCIDENT)]
    return YearData(year=int(year), months=months,
                    worked={w: tuple(ps) for w, ps in sorted(worked.items())},
                    projects={w: tuple(sorted(ps)) for w, ps in sorted(projects.items())},
                    names=dict(sorted(names.items())),
                    quality_scores=tuple(ProjectScore(period, pid, project_names.get((period, pid)),
                                                      Decimal(row["quality_sum"]), row["score_rows"])
                                         for pid, period, row in scores),
                    incidents=tuple(incidents), ledger_name=ledger.path.name, counted=counted,
                    december_absence=dict(sorted(december.items())))


def incidents_from_table(df: Columns | None, period: str | None = None) -> list[IncidentRecord]:
    """The rows of an incident table (事故投诉, as read) as records."""
    if df is None or not len(df):
        return []
    names = ("date", "incident_type", "project_id", "worker_id", "note", "src")
    col = {name: df.column(name) for name in names}
    out = []
    for date, kind, pid, wid, note, src in zip(*col.values(), strict=True):
        source = src.source if isinstance(src, RowRef) else src if isinstance(src, Source) else None
        out.append(IncidentRecord(period, date if isinstance(date, dt.date) else None, clean_text(kind) or "",
                                  clean_text(pid), clean_text(wid), clean_text(note), source))
    return out


def _kind(incident_type: str) -> str | None:
    if "安全" in incident_type:
        return SAFETY
    if "质量" in incident_type:
        return QUALITY
    return None


def _month_of(inc: IncidentRecord) -> int | None:
    if inc.date is not None:
        return inc.date.month
    if inc.period and len(inc.period) == 7:
        return int(inc.period[5:])
    return None


def _in_year(inc: IncidentRecord, year: int) -> bool:
    if inc.date is not None:
        return inc.date.year == year
    return inc.period is None or inc.period.startswith(f"{year:04d}-")


def _targets(inc: IncidentRecord, worker_id: str, projects: set[str]) -> list[str]:
    """Why an incident counts against this worker: it names them, or a project they worked on."""
    out = []
    if inc.worker_id == worker_id:
        out.append("点名本人")
    if inc.project_id and inc.project_id in projects:
        out.append(f"本人参与的工程 {inc.project_id}")
    return out


def _incident_reason(inc: IncidentRecord, kind: str, worker_id: str, projects: set[str]) -> str:
    """``3月安全事故（本人参与的工程 GC-2603-01）：高处作业未系安全带``."""
    month = _month_of(inc)
    text = f"{f'{month}月' if month else ''}{kind}（{'，'.join(_targets(inc, worker_id, projects))}）"
    return f"{text}：{inc.note}" if inc.note else text


def _incident_basis(inc: IncidentRecord, worker_id: str, projects: set[str]) -> str:
    """``3月 GC-2603-01 高处作业未系安全带`` (or ``8月 点名本人 用户投诉漏水``)."""
    month = _month_of(inc)
    where = inc.project_id if inc.project_id in projects else "点名本人"
    return " ".join(t for t in (f"{month}月" if month else "", where, inc.note or "") if t)


def _status(info: WorkerInfo, exclusion_applies: bool) -> str:
    """年末在册, or why not (the column 年末在册/排除原因)."""
    if info.excluded == NOT_IN_ROSTER:
        return "不在年末人员名册"
    if info.excluded and exclusion_applies:
        return f"排除：{info.excluded}"
    if info.excluded:
        return f"在册（{info.excluded}，规则未对年度奖排除）"
    return "在册"


def _fmt_score(value: Decimal) -> str:
    """88.5 → "88.5", 90 → "90", 88.6666… → "88.67" (a score, shown; not money)."""
    shown = value.quantize(Decimal("0.01"))
    text = f"{shown:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _fmt_below(value: Decimal, threshold: Decimal) -> str:
    """A mean below the threshold, shown so that it reads below it: 89.9966… not "90"."""
    text = _fmt_score(value)
    if Decimal(text) >= threshold:
        text = f"{value.quantize(Decimal('0.0001'), rounding=ROUND_DOWN)}…"
    return text


def _param(params: Mapping[str, Any], key: str) -> Any:
    return params[key]


def _parameter_rows(params: Any) -> list[tuple]:
    keys = ("annual.", "exclusions.")
    if hasattr(params, "rows"):
        labels = getattr(params, "labels", {})
        return [(k, v, c, cs, labels.get(k, "")) for k, v, c, cs in params.rows() if k.startswith(keys)]
    return [(k, str(v), CLAUSE) for k, v in sorted(params.items()) if k.startswith(keys)]


def compute_annual(year: int, data: YearData, roster_info: Mapping[str, WorkerInfo],
                   incidents: Columns | None, params: Mapping[str, Any]) -> MonthResult:
    """The year-end run's lines (年度安全奖, 年度质量奖 for each worker, paid or not).

    ``roster_info``: the roster on 31 December with each worker's exclusion;
    ``incidents``: extra 事故投诉 rows from the annual input folder (may be empty);
    ``params``: :class:`kfbonus.rules.Params` or any mapping with the ``annual.*`` keys.
    Workers are the roster's and anyone who worked in the year.
    """
    min_months = int(_param(params, "annual.min_months"))
    safety_amount = D(_param(params, "annual.safety_amount"))
    quality_amount = D(_param(params, "annual.quality_amount"))
    min_score = D(_param(params, "annual.min_quality_score"))
    prorate = bool(_param(params, "annual.prorate"))
    applies = params.get("exclusions.applies_to")
    exclusion_applies = applies is None or "annual" in applies
    period = f"{year:04d}"
    problems: list[Problem] = []

    year_months = data.counted_months
    drafts_included = bool(data.drafts) and all(p in year_months for p in data.drafts)
    for missing in data.missing:
        problems.append(warning(
            "annual-month-missing",
            f"账本中没有 {missing} 的运行记录：年度奖只按计入的 {len(year_months)} 个月计算，"
            f"该月的工作月数、工程和事故投诉均未计入；请先运行该月"))
    for p in data.drafts:
        if p in year_months:
            problems.append(warning(
                "annual-month-draft", f"{p} 尚未批准（草稿）：按 --include-drafts 计入，含该月草稿数据"))
        else:
            problems.append(warning("annual-month-draft",
                                    f"{p} 尚未批准（草稿）：未计入年度奖；批准该月后重新运行，"
                                    f"或加 --include-drafts 按草稿计入"))
    december = f"{year:04d}-12"
    if december not in year_months:
        problems.append(warning(
            "annual-december-not-counted",
            f"{december} 未计入（{'草稿' if december in data.months else '账本中没有该月'}）："
            f"无法按 12 月考勤核对 12 月 31 日的连续缺勤"))

    # Incidents of the year, each once; indexed by 工号 and 工程编号.
    seen: set[tuple] = set()
    year_incidents: list[IncidentRecord] = []
    for inc in [*data.incidents, *incidents_from_table(incidents)]:
        if not _in_year(inc, year):
            continue
        key = (inc.date, inc.incident_type, inc.project_id, inc.worker_id, inc.note)
        if key in seen:
            continue
        seen.add(key)
        if _kind(inc.incident_type) is None:
            problems.append(warning(
                "annual-incident-type-unknown",
                f"事故投诉类型「{inc.incident_type}」无法识别：应为「安全事故」或「质量投诉」，本行未计入年度奖",
                inc.source))
            continue
        year_incidents.append(inc)
    by_worker: dict[str, list[int]] = {}
    by_project: dict[str, list[int]] = {}
    for i, inc in enumerate(year_incidents):
        if inc.worker_id:
            by_worker.setdefault(inc.worker_id, []).append(i)
        if inc.project_id:
            by_project.setdefault(inc.project_id, []).append(i)

    # Each project's 质量得分: the mean of all its score rows in the counted months (exact).
    scored: dict[str, list] = {}
    for s in data.quality_scores:
        acc = scored.setdefault(s.project_id, [Fraction(0), 0])
        acc[0] += Fraction(s.quality_sum)
        acc[1] += s.rows
    project_quality = {pid: total / n for pid, (total, n) in scored.items() if n}

    # Excluded on 31 December: the year-end roster's exclusions (given), or 30+ days of
    # absence in the December month's recorded attendance (the ledger's).
    min_absence = D(params.get("exclusions.min_absence_days", 30))
    workers: dict[str, WorkerInfo] = {}
    for wid, info in roster_info.items():
        days = data.december_absence.get(wid)
        if days is not None and days >= min_absence:
            reason = f"12 月考勤连续缺勤 {fmt_number(days)} 天（达 {fmt_number(min_absence)} 天及以上）"
            info = replace(info, excluded="；".join(r for r in (info.excluded, reason) if r))
        workers[wid] = info
    for wid in data.worked:
        if wid not in workers:
            workers[wid] = WorkerInfo(wid, data.names.get(wid, ""), None, None, None, None, None,
                                      excluded=NOT_IN_ROSTER)
            problems.append(warning(
                "annual-worker-not-in-roster",
                f"工号 {wid}（{data.names.get(wid, '')}）全年工作 {len(data.worked[wid])} 个月，"
                f"但不在年末人员名册中：年度奖不发"))

    lines: list[AwardLine] = []
    basis: list[AnnualBasis] = []
    for wid in sorted(workers):
        info = workers[wid]
        months = data.worked.get(wid, ())
        n_months = min(len(months), 12)
        projects = set(data.projects.get(wid, ()))
        month_sources = tuple(Source(data.ledger_name, p) for p in months)

        common: list[str] = []
        if info.excluded and (exclusion_applies or info.excluded == NOT_IN_ROSTER):
            common.append(info.excluded if info.excluded == NOT_IN_ROSTER
                          else f"12 月 31 日不参与：{info.excluded}")
        if n_months < min_months:
            common.append(f"全年工作月数 {n_months} 个月，不足 {min_months} 个月")

        hits = sorted(set(by_worker.get(wid, [])).union(*(by_project.get(p, []) for p in projects)))
        found = [year_incidents[i] for i in hits]
        found.sort(key=lambda inc: (inc.date or dt.date(year, _month_of(inc) or 1, 1),
                                    inc.project_id or "", inc.worker_id or "", inc.note or ""))
        counted = {SAFETY: [inc for inc in found if _kind(inc.incident_type) == SAFETY],
                   QUALITY: [inc for inc in found if _kind(inc.incident_type) == QUALITY]}
        qs = [project_quality[p] for p in sorted(projects) if p in project_quality]
        exact_mean = sum(qs, Fraction(0)) / len(qs) if qs else None   # unrounded
        mean = None if exact_mean is None else Decimal(exact_mean.numerator) / exact_mean.denominator

        for award, amount in ((Award.ANNUAL_SAFETY, safety_amount), (Award.ANNUAL_QUALITY, quality_amount)):
            if prorate:
                value = round_money(amount * n_months / 12)
                formula = f"{fmt_money(amount)} × 工作月数 {n_months} ÷ 12 = {fmt_money(value)}"
            else:
                value = round_money(amount)
                formula = f"{fmt_money(amount)}（全年定额；工作月数 {n_months}）"
            reasons = list(common)
            kind = SAFETY if award is Award.ANNUAL_SAFETY else QUALITY
            reasons += [_incident_reason(inc, kind, wid, projects) for inc in counted[kind]]
            inc_sources = tuple(inc.source for inc in counted[kind] if inc.source is not None)
            if award is Award.ANNUAL_QUALITY:
                if exact_mean is None:
                    reasons.append(NO_SCORED_PROJECT)
                else:
                    below = exact_mean < Fraction(min_score)   # exact, never the rounded figure shown
                    shown = _fmt_below(mean, min_score) if below else _fmt_score(mean)
                    formula += f"；质量得分均值 {shown}（{len(qs)} 个工程）"
                    if below:
                        reasons.append(f"质量得分均值 {shown} 低于 {_fmt_score(min_score)}")
            paid = not reasons
            lines.append(AwardLine(
                worker_id=wid, name=info.name or data.names.get(wid, ""), award=award,
                amount=value if paid else ZERO, unpaid=ZERO if paid else value,
                formula_rest=formula, clause=CLAUSE, sources=inc_sources + month_sources,
                reason="；".join(reasons)))

        basis.append(AnnualBasis(
            worker_id=wid, name=info.name or data.names.get(wid, ""), team=info.team,
            months=tuple(months), projects=len(projects),
            safety=tuple(_incident_basis(inc, wid, projects) for inc in counted[SAFETY]),
            quality=tuple(_incident_basis(inc, wid, projects) for inc in counted[QUALITY]),
            quality_mean=mean, scored_projects=len(qs),
            status=_status(info, exclusion_applies),
            sources=tuple(inc.source for inc in found if inc.source is not None) + month_sources))

    plan = AnnualPlan(year=year, months=tuple(year_months), missing=tuple(data.missing),
                      drafts=data.drafts, drafts_included=drafts_included,
                      min_months=min_months, min_quality_score=min_score, basis=tuple(basis))
    return MonthResult(
        period=period, assess_date=dt.date(year, 12, 31), scheme_id=SCHEME_ID,
        scheme=getattr(params, "label", None) or str(params.get("scheme.label", "FS-MS-KF-13")),
        rules_file=getattr(params, "source", None) or str(params.get("scheme.source", "")),
        parameters=_parameter_rows(params), workers=workers, lines=lines, projects=[],
        problems=problems, inputs=None, annual=plan, awards=tuple(Award), kind=RunKind.YEAR_END,
        presentation=SCHEME.presentation)


def year_end(ledger: Ledger, month: MonthInput, params, run, include_drafts: bool = False,
             folder: object = "") -> MonthResult:
    """The year-end run of FS-MS-KF-13 (the scheme's ``year_end``): the plan from the
    ledger's months of ``run.period`` and the year-end folder's roster and incidents (read,
    no errors), under ``params``.  Writes nothing (the year-end run and its what-if
    comparison share it)."""
    from kfbonus.schemes.kf13.compute import roster_on
    from kfbonus.schemes.kf13.facts import month_facts

    year = int(run.period)
    roster = roster_on(_without_attendance(month), params, run.assess_date)
    roster_problems: list[Problem] = []
    if month.tables.get("attendance") is not None and len(month.tables["attendance"]):
        roster_problems.append(warning(
            "annual-attendance-ignored",
            f"年度运行不读取「{folder}」中的考勤表：12 月 31 日的连续缺勤按账本中 "
            f"{year}-12 月已记录的考勤判断（SCHEME.md §5）"))
    data = year_data(ledger, year, include_drafts=include_drafts)
    result = compute_annual(year, data, roster, month.tables["incident"], params)
    result.inputs = month
    result.facts = month_facts(result)   # what the ledger kept of a year-end run before, kept as facts
    result.problems = roster_problems + result.problems
    return result


def _without_attendance(month: MonthInput) -> MonthInput:
    """The year-end folder as the 31 December roster check sees it: exclusion by absence
    comes from December's recorded attendance (the ledger), not from this folder."""
    from dataclasses import replace

    tables = dict(month.tables)
    if tables.get("attendance") is not None:
        tables["attendance"] = tables["attendance"].head(0)
    return replace(month, tables=tables)
