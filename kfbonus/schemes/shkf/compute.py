"""SHKF-TC's month: checks, dealer months, then the award lines (COMMISSION.md)."""

from __future__ import annotations

from dataclasses import replace

from kfbonus.exclusions import unknown_type_warnings
from kfbonus.model import MonthInput, MonthResult, WorkerInfo
from kfbonus.rules import Params
from kfbonus.schemes.base import Run
from kfbonus.schemes.shkf import SCHEME, checks
from kfbonus.schemes.shkf.awards.adjustment import adjustment
from kfbonus.schemes.shkf.awards.base_salary import base_salary
from kfbonus.schemes.shkf.awards.common import exclusion_reasons
from kfbonus.schemes.shkf.awards.dealer_month import DealerResult, dealer_result
from kfbonus.schemes.shkf.awards.sales_commission import sales_commission
from kfbonus.schemes.shkf.awards.service_commission import service_commission
from kfbonus.schemes.shkf.rows import build

__all__ = ["AWARD_ORDER", "POSTS", "compute"]

POSTS = (checks.SERVICE_POST, checks.SALES_POST)
AWARD_ORDER = {str(a): i for i, a in enumerate(SCHEME.awards)}   # the order the scheme lists them


def _years(hire, on) -> int | None:
    if hire is None:
        return None
    return max(on.year - hire.year - ((on.month, on.day) < (hire.month, hire.day)), 0)


def compute(month: MonthInput, params: Params, run: Run) -> MonthResult:
    rows = build(month)
    problems = checks.check_all(rows, run.period)
    roster = {}
    for w in rows.roster:
        roster.setdefault(w.worker_id, w)
    staff = {wid: w for wid, w in roster.items() if str(w.position or "").strip() in POSTS}
    attendance = {}
    for a in rows.attendance:
        attendance.setdefault(a.worker_id, a)
    reasons = {
        wid: "；".join(r)
        for wid, w in staff.items()
        if (r := exclusion_reasons(w, attendance.get(wid), params, run.assess_date))
    }
    applies = params["exclusions.applies_to"]
    problems += unknown_type_warnings(((wid, str(w.name or ""), w) for wid, w in staff.items()), params)
    commission_excluded = reasons if "commission" in applies else {}  # type: ignore[operator]
    adjustment_excluded = reasons if "adjustment" in applies else {}  # type: ignore[operator]

    names = {wid: w.name for wid, w in roster.items()}
    purchases = checks.usable_purchases(rows, run.period)
    seen: set[str] = set()
    dealers: list[DealerResult] = []
    for d in rows.dealers:
        if d.dealer_id in seen:
            continue
        seen.add(d.dealer_id)
        dealers.append(dealer_result(d, purchases.get(d.dealer_id, []), params, names))
    dealers.sort(key=lambda d: d.dealer_id)

    found, adjustments = checks.usable_adjustments(rows.adjustments, staff, roster, params, reasons)
    problems += found
    service = {wid for wid, w in staff.items() if str(w.position).strip() == checks.SERVICE_POST}
    sales = {wid for wid, w in staff.items() if str(w.position).strip() == checks.SALES_POST}
    service_rows = [staff[wid] for wid in sorted(service)]
    lines = [
        *base_salary(service_rows, dealers, params),
        *service_commission(dealers, params, service, commission_excluded),
        *sales_commission(dealers, params, sales, commission_excluded),
        *adjustment(adjustments, staff, params, adjustment_excluded, reasons),
    ]
    kinds = {str(a): a for a in SCHEME.awards}   # each line carries its award type (id and label)
    lines = [replace(x, award=kinds[str(x.award)]) for x in lines]
    lines.sort(key=lambda x: (x.worker_id, AWARD_ORDER[x.award], x.project_id or ""))

    workers = {
        wid: WorkerInfo(
            worker_id=wid,
            name=w.name,
            team=w.team,
            position=w.position,
            employment_type=w.employment_type,
            hire_date=w.hire_date,
            service_years=_years(w.hire_date, run.assess_date),
            excluded=reasons.get(wid),
            source=w.source,
        )
        for wid, w in sorted(staff.items())
    }
    return MonthResult(
        period=run.period,
        assess_date=run.assess_date,
        scheme=params.label,
        rules_file=params.source,
        parameters=[(k, v, c, cs, params.labels.get(k, "")) for k, v, c, cs in params.rows()],
        workers=workers,
        lines=lines,
        projects=[],
        problems=problems,
        inputs=month,
        details={"dealers": tuple(dealers)},
        awards=SCHEME.awards,
        kind=run.kind,
        presentation=SCHEME.presentation,
        scheme_id=SCHEME.id,
    )
