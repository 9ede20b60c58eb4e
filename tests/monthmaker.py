"""Hand-made MonthResults for the ledger, correction and annual tests.

Builds the reader's tables (settlement, attendance, incident, with ``src``
RowRefs) and award lines directly, so these tests depend only on kfbonus.model (and
kfbonus.schemes.kf13.facts for the facts the month keeps, as compute_month does).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence

from kfbonus.model import AwardLine, Columns, InputFile, MonthInput, MonthResult, WorkerInfo
from kfbonus.money import ZERO, D
from kfbonus.problems import RowRef, SheetTable, Source
from kfbonus.schemes.kf13 import SCHEME as KF13
from kfbonus.schemes.kf13.facts import month_facts
from kfbonus.schemes.kf13.model import Award, ProjectResult

__all__ = ["line", "make_month", "worker"]

PARAMS = {
    "annual.min_months": 6,
    "annual.safety_amount": D("1000.00"),
    "annual.quality_amount": D("1000.00"),
    "annual.min_quality_score": D("90"),
    "annual.prorate": False,
    "exclusions.applies_to": ("individual", "collective", "training", "seniority", "annual"),
}


def worker(wid: str, name: str, excluded: str | None = None) -> WorkerInfo:
    return WorkerInfo(wid, name, "一组", "施工员", "正式", dt.date(2018, 3, 1), 8, excluded=excluded)


def line(
    wid: str,
    name: str,
    award: Award,
    amount: str,
    project: str | None = None,
    category: str | None = None,
    unpaid: str = "0.00",
    reason: str = "",
    row: int = 2,
) -> AwardLine:
    return AwardLine(
        worker_id=wid,
        name=name,
        award=award,
        amount=D(amount),
        formula_rest=f"{amount} 元",
        clause="FS-MS-KF-13 §壹",
        sources=(Source("结算单.xlsx", "结算", row, "D", "计件工资"),),
        project_id=project,
        project_name=f"{project} 工程" if project else None,
        unpaid=D(unpaid),
        reason=reason,
        category=category,
    )


def _table(
    file: str, sheet: str, kind: str, columns: Sequence[str], rows: Iterable[Sequence]
) -> Columns:
    letters = {c: chr(ord("A") + i) for i, c in enumerate(columns)}
    table = SheetTable(file, sheet, kind, 1, {c: (letters[c], c) for c in columns})
    data = [dict(zip(columns, r, strict=True), src=RowRef(table, i + 2)) for i, r in enumerate(rows)]
    return Columns.from_records([*columns, "src"], data)


def make_month(
    period: str,
    *,
    workers: Sequence[WorkerInfo] = (),
    lines: Sequence[AwardLine] = (),
    settlement: Iterable[tuple[str, str]] = (),
    attendance: Iterable[tuple[str, str]] = (),
    incidents: Iterable[tuple] = (),
    quality: dict[str, str] | None = None,
    files: Sequence[InputFile] = (),
    score_rows: Iterable[tuple[str, str]] = (),
) -> MonthResult:
    """A month: ``settlement`` (工程编号, 工号) rows, ``attendance`` (工号, 实出勤天数[,
    连续缺勤天数]) rows, ``incidents`` (date, type, 工程编号, 工号, 说明) rows, ``quality``
    工程编号 → 质量得分; ``score_rows`` (工程编号, 质量得分) rows make a 工程评分 table (each
    project's monthly 质量得分 is then the mean of its rows)."""
    score_rows = list(score_rows)
    if score_rows:
        by_project: dict[str, list] = {}
        for pid, q in score_rows:
            by_project.setdefault(pid, []).append(D(q))
        quality = {**(quality or {}), **{pid: str(sum(qs) / len(qs)) for pid, qs in by_project.items()}}
    year, month = map(int, period.split("-"))
    settlement = list(settlement)
    stl = _table(
        "结算单.xlsx",
        "结算",
        "settlement",
        ["project_id", "worker_id", "days", "piece_wage", "name"],
        [(p, w, D(10), D("1000.00"), None) for p, w in settlement],
    )
    att = _table(
        "考勤.xlsx",
        "考勤",
        "attendance",
        ["worker_id", "due_days", "present_days", "longest_absence", "name"],
        [(a[0], D(22), D(a[1]), D(a[2]) if len(a) > 2 else None, None) for a in attendance],
    )
    inc = _table(
        "事故投诉.xlsx",
        "事故",
        "incident",
        ["date", "incident_type", "project_id", "worker_id", "note"],
        list(incidents),
    )
    tables = {"settlement": stl, "attendance": att, "incident": inc}
    if score_rows:
        tables["scores"] = _table("评分.xlsx", "工程评分", "scores", ["project_id", "quality"],
                                  [(pid, D(q)) for pid, q in score_rows])
    month_input = MonthInput(
        folder=f"input/{period}", tables=tables, files=list(files), found=[], problems=[]
    )
    pids = sorted({p for p, _ in settlement} | set(quality or {}))
    projects = []
    for pid in pids:
        q = (quality or {}).get(pid)
        scores = (
            None
            if q is None
            else {"safety": D(95), "quality": D(q), "cooperation": D(90), "discipline": D(90)}
        )
        total = None if scores is None else sum(scores.values(), D(0)) / 4
        projects.append(
            ProjectResult(
                pid,
                f"{pid} 工程",
                D("1000.00") * sum(1 for p, _ in settlement if p == pid),
                scores=scores,
                total_score=total,
                collective_ratio=D("0.15") if q else None,
                collective_pool=None,
                collective_allocated=ZERO,
            )
        )
    result = MonthResult(
        period=period,
        assess_date=dt.date(year, month, calendar.monthrange(year, month)[1]),
        scheme="FS-MS-KF-13 A/2",
        rules_file="FS-MS-KF-13_A2.toml",
        parameters=[("annual.min_months", "6", "§3")],
        workers={w.worker_id: w for w in workers},
        lines=list(lines),
        projects=projects,
        inputs=month_input,
        awards=tuple(Award),
        presentation=KF13.presentation,
        scheme_id=KF13.id,
    )
    result.facts = month_facts(result)   # as compute_month keeps them
    return result
