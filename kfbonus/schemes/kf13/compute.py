"""Compute one month of FS-MS-KF-13 awards from the reader's tables and the rules in force.

:func:`compute_month` groups the month's rows once (:class:`~kfbonus.schemes.kf13.common.MonthData`),
finds each roster worker's service years and exclusions, then runs one pure function per
award type (one module each) and gathers the lines, the project figures and the problems,
and the facts the month keeps for the year end (:mod:`kfbonus.schemes.kf13.facts`).
Errors do not stop the computation: every problem of the month is reported together and
the pipeline refuses to write when any is an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from kfbonus.exclusions import exclusion_reasons
from kfbonus.model import MonthInput, MonthResult, Shared, WorkerInfo
from kfbonus.money import ZERO
from kfbonus.rules import Params
from kfbonus.schemes.kf13 import SCHEME
from kfbonus.schemes.kf13.awards.adjustment import compute_adjustment
from kfbonus.schemes.kf13.awards.collective import compute_collective, project_scores
from kfbonus.schemes.kf13.awards.individual import compute_individual
from kfbonus.schemes.kf13.awards.seniority import compute_seniority
from kfbonus.schemes.kf13.awards.training import compute_training
from kfbonus.schemes.kf13.checks import rule_checks
from kfbonus.schemes.kf13.common import SCHEME_ID, Context, MonthData, row_source, service_years
from kfbonus.schemes.kf13.facts import month_facts
from kfbonus.schemes.kf13.model import MONTHLY_AWARDS, Award, ProjectResult

__all__ = ["compute_month", "roster_on"]

_AWARD_ORDER = {a: i for i, a in enumerate(MONTHLY_AWARDS)}


def compute_month(month: MonthInput, params: Params, assess_date: dt.date, period: str) -> MonthResult:
    """Every monthly award line of ``month`` under ``params`` on ``assess_date``."""
    data = MonthData.build(month)
    years = {wid: service_years(w.hire_date, assess_date) for wid, w in data.roster.items()}
    shared = Shared()   # an exclusion's reason is on each of the worker's lines, and many workers give one
    exclusions = {}
    for wid, w in data.roster.items():
        reasons = exclusion_reasons(w, data.attendance.get(wid), params, assess_date)
        exclusions[wid] = [shared(reason) for reason in reasons]
    ctx = Context(params, assess_date, data, years, exclusions, shared=shared)
    problems, unusable = rule_checks(ctx)
    ctx = replace(ctx, unusable=unusable)

    individual_lines, individual = compute_individual(ctx)
    collective_lines, collective = compute_collective(ctx)
    lines = [*individual_lines, *collective_lines, *compute_training(ctx), *compute_seniority(ctx),
             *compute_adjustment(ctx)]
    lines.sort(key=lambda x: (x.worker_id, _AWARD_ORDER[x.award], x.project_id or ""))

    projects = []
    for pid in sorted(data.settlement):
        settle = data.settlement[pid]
        app = data.application.get(pid)
        scored = project_scores(data.scores.get(pid, []))
        ind = individual.get(pid)
        col = collective.get(pid)
        projects.append(ProjectResult(
            project_id=pid,
            project_name=next((r.project_name for r in settle if r.project_name), None),
            piece_total=sum((r.piece_wage or ZERO for r in settle), ZERO),
            scores=scored[0] if scored else None,
            total_score=scored[1] if scored else None,
            collective_ratio=col.ratio if col else None,
            collective_pool=col.pool if col else None,
            collective_allocated=col.allocated if col else ZERO,
            collective_unpaid=col.unpaid if col else ZERO,
            collective_unallocated=col.unallocated if col else ZERO,
            individual_ratio=ind.ratio if ind else None,
            individual_pool=ind.pool if ind else None,
            individual_paid=ind.paid if ind else ZERO,
            key_project=bool(app is not None and app.key_project is True),
            workers=len({r.worker_id for r in settle}),
            sources=tuple(row_source(r) for r in settle),
        ))

    workers = _worker_infos(data, years, exclusions)

    result = MonthResult(
        period=period, assess_date=assess_date, scheme=params.label, rules_file=params.source,
        parameters=[(k, v, c, cs, params.labels.get(k, "")) for k, v, c, cs in params.rows()],
        workers=workers, lines=lines, projects=projects, problems=problems, inputs=month,
        awards=tuple(Award), presentation=SCHEME.presentation, scheme_id=SCHEME_ID)
    result.facts = month_facts(result)   # what the year end will need, kept by the ledger as given
    return result


def _worker_infos(data: MonthData, years: dict, exclusions: dict) -> dict[str, WorkerInfo]:
    workers = {}
    for wid, w in data.roster.items():
        reasons = exclusions.get(wid)
        workers[wid] = WorkerInfo(
            worker_id=wid, name=str(w.name or ""), team=w.team, position=w.position,
            employment_type=w.employment_type, hire_date=w.hire_date, service_years=years[wid],
            excluded="；".join(reasons) if reasons else None, source=row_source(w))
    return workers


def roster_on(month: MonthInput, params: Params, assess_date: dt.date) -> dict[str, WorkerInfo]:
    """The roster workers on ``assess_date`` with their service years and exclusions
    (the year-end run's roster on 31 December)."""
    data = MonthData.build(month)
    years = {wid: service_years(w.hire_date, assess_date) for wid, w in data.roster.items()}
    exclusions = {wid: exclusion_reasons(w, data.attendance.get(wid), params, assess_date)
                  for wid, w in data.roster.items()}
    return _worker_infos(data, years, exclusions)
