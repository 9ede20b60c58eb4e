"""单项工程集体奖 (FS-MS-KF-13 §壹(二); SCHEME.md §2).

总分 = mean of the four scores; pool = round(总分 ÷ 100 × 计件工资总额 × k); crew member i's
exact share = pool × 个人工期天数ᵢ × 个人百分比ᵢ ÷ 工期总天数, rounded by largest remainder
to round(sum of exact shares).  Excluded members' shares are computed and not paid.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from kfbonus.model import AwardLine
from kfbonus.money import ZERO, allocate, fmt_money, round_money
from kfbonus.problems import Source
from kfbonus.schemes.kf13.common import (
    Context,
    Row,
    exact_div,
    fmt_exact,
    fmt_number,
    fmt_percent,
    row_source,
)
from kfbonus.schemes.kf13.model import Award

__all__ = ["SCORE_FIELDS", "CollectiveFigures", "CrewFacts", "collective_pool", "compute_collective",
           "crew_weights", "given_total_days", "piece_total", "project_scores", "weight_of"]

CLAUSE = "FS-MS-KF-13 §壹(二)5"
SCORE_FIELDS = {"safety": "安全得分", "quality": "质量得分", "cooperation": "沟通和配合得分",
                "discipline": "规章制度得分"}
HUNDRED = Decimal(100)


@dataclass
class CollectiveFigures:
    ratio: Decimal | None = None
    pool: Decimal | None = None
    allocated: Decimal = ZERO
    unpaid: Decimal = ZERO
    unallocated: Decimal = ZERO
    sources: list[Source] = field(default_factory=list)


class CrewFacts(Mapping):
    """A crew member's facts (:attr:`~kfbonus.model.AwardLine.facts`): the project's pool,
    工期总天数 and how it counts, one mapping shared by the whole crew, and the member's own
    days and 个人百分比 — a few bytes a line where a dict of five was 250 (100,000 lines at
    ten times the bench month)."""

    __slots__ = ("days", "percent", "project")

    def __init__(self, project: Mapping[str, object], days: Decimal, percent: Decimal | None) -> None:
        self.project, self.days, self.percent = project, days, percent

    def __getitem__(self, key: str) -> object:
        if key == "days":
            return self.days
        if key == "percent":
            return self.percent
        return self.project[key]

    def __iter__(self) -> Iterator[str]:
        yield from self.project
        yield "days"
        yield "percent"

    def __len__(self) -> int:
        return len(self.project) + 2


def project_scores(rows: list[Row]) -> tuple[dict[str, Decimal], Decimal] | None:
    """The mean of each score category over a project's score rows, and 总分 (exact)."""
    if not rows:
        return None
    means = {}
    for name in SCORE_FIELDS:
        values = [getattr(r, name) for r in rows if getattr(r, name) is not None]
        if not values:
            return None
        means[name] = exact_div(sum(values, Decimal(0)), Decimal(len(values)))
    total = exact_div(sum(means.values(), Decimal(0)), Decimal(4))
    return means, total


def piece_total(settle: list[Row]) -> Decimal:
    """计件工资总额 of a project's settlement lines."""
    return sum((r.piece_wage or ZERO for r in settle), ZERO)


def collective_pool(total_score: Decimal, piece: Decimal, k: Decimal) -> tuple[Decimal, Decimal]:
    """The project's exact pool 总分 ÷ 100 × 计件工资总额 × k, and the pool rounded."""
    exact = total_score * piece * k / HUNDRED
    return exact, round_money(exact)


def given_total_days(settle: list[Row], mode: object) -> set[Decimal]:
    """The 工期总天数 the lines give: their 个人工期天数 summed (``person_days``), else the
    distinct values of the 工期总天数 column (checks.py wants exactly one)."""
    if mode == "person_days":
        return {sum((r.days or ZERO for r in settle), ZERO)}
    return {r.total_days for r in settle if r.total_days is not None}


def crew_weights(settle: list[Row], default_percent: Decimal) -> dict[str, list[tuple[Row, Decimal]]]:
    """Each crew member's settlement lines with the 个人百分比 that counts (blank = default)."""
    crew: dict[str, list[tuple[Row, Decimal]]] = {}
    for r in settle:
        crew.setdefault(r.worker_id, []).append((r, r.percent if r.percent is not None else default_percent))
    return crew


def weight_of(rows: list[tuple[Row, Decimal]]) -> Decimal:
    """Σ 个人工期天数 × 个人百分比 over a member's lines."""
    return sum(((r.days or ZERO) * pct for r, pct in rows), ZERO)


def compute_collective(ctx: Context) -> tuple[list[AwardLine], dict[str, CollectiveFigures]]:
    """Every crew member's collective-award line and each project's pool figures (the
    projects :mod:`kfbonus.schemes.kf13.checks` found computable)."""
    p = ctx.params
    data = ctx.data
    default_percent: Decimal = p["collective.default_percent"]  # type: ignore[assignment]
    mode = p["collective.total_days"]
    days_label = "工期总天数（个人工期天数之和）" if mode == "person_days" else "工期总天数"
    lines: list[AwardLine] = []
    figures: dict[str, CollectiveFigures] = {}
    held = ctx.shared   # equal shares (same days and 个人百分比 on one project) held once

    for pid in sorted(pid for pid, a in data.application.items() if a.collective_ratio is not None):
        settle = data.settlement.get(pid, [])
        scored = project_scores(data.scores.get(pid, []))
        if ctx.blocked((Award.COLLECTIVE, pid)) or not settle or scored is None:
            continue  # reported by checks.py (a blank required score by the reader)
        app = data.application[pid]
        k: Decimal = app.collective_ratio
        score_rows = data.scores[pid]
        total_score = scored[1]
        piece = piece_total(settle)
        exact_pool, pool = collective_pool(total_score, piece, k)
        pool_text = (f"总分 {fmt_number(total_score)} ÷ 100 × 计件工资总额 {fmt_money(piece)} × "
                     f"{fmt_percent(k)} = {fmt_exact(exact_pool)} → 集体奖池 {fmt_money(pool)}")
        (total_days,) = given_total_days(settle, mode)

        crew = crew_weights(settle, default_percent)
        weights = {wid: weight_of(rows) for wid, rows in crew.items()}
        weight_sum = sum(weights.values(), ZERO)
        workers = sorted(crew)
        pool_money = fmt_money(pool)
        # the head of every crew member's formula: one string for the crew (AwardLine.formula_head)
        share_text = f"{pool_text}；集体奖池 {pool_money} ÷ {days_label} {fmt_number(total_days)} × "
        project_facts = {"pool": pool, "total_days": total_days, "days_mode": mode}
        pname = next((r.project_name for r in settle if r.project_name), None)
        ratio_source = app.src.cell("collective_ratio")
        exact = [exact_div(pool * weights[w], total_days) for w in workers]
        target = round_money(exact_div(pool * weight_sum, total_days))
        rounded = allocate(exact, workers, target=target)
        fig = CollectiveFigures(ratio=k, pool=pool)
        score_sources = [row_source(r) for r in score_rows]
        fig.sources = [ratio_source, *score_sources]
        for wid, ex, share in zip(workers, exact, rounded, strict=True):
            amount = held(share)
            rows = [r for r, _ in crew[wid]]
            parts = [f"个人工期天数 {fmt_number(r.days or ZERO)} × 个人百分比 {fmt_percent(pct)}"
                     for r, pct in crew[wid]]
            term = parts[0] if len(parts) == 1 else "(" + " + ".join(parts) + ")"
            percents = {pct for _, pct in crew[wid]}
            days = (rows[0].days or ZERO) if len(rows) == 1 else sum((r.days or ZERO for r in rows), ZERO)
            facts = CrewFacts(project_facts, days, percents.pop() if len(percents) == 1 else None)
            formula = f"{term} = {fmt_exact(ex)} → {fmt_money(amount)}"
            sources = (*(row_source(r) for r in rows), ratio_source, *score_sources, *ctx.roster_source(wid))
            excluded = ctx.excluded_for("collective", wid)
            if excluded:
                fig.unpaid += amount
                lines.append(AwardLine(wid, ctx.name(wid, rows[0].name), Award.COLLECTIVE, ZERO,
                                       formula + "；不予发放", CLAUSE, sources, pid, pname, amount, excluded,
                                       facts=facts, formula_head=share_text))
            else:
                fig.allocated += amount
                lines.append(AwardLine(wid, ctx.name(wid, rows[0].name), Award.COLLECTIVE, amount, formula,
                                       CLAUSE, sources, pid, pname, facts=facts, formula_head=share_text))
        fig.unallocated = pool - fig.allocated - fig.unpaid
        figures[pid] = fig
    return lines, figures
