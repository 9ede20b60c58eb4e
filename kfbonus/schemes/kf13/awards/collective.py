"""单项工程集体奖 (FS-MS-KF-13 §壹(二); SCHEME.md §2).

总分 = mean of the four scores; pool = round(总分 ÷ 100 × 计件工资总额 × k); crew member i's
exact share = pool × 个人工期天数ᵢ × 个人百分比ᵢ ÷ 工期总天数, rounded by largest remainder
to round(sum of exact shares).  Excluded members' shares are computed and not paid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from kfbonus.model import AwardLine
from kfbonus.money import ZERO, allocate, fmt_money, round_money
from kfbonus.problems import Source, error
from kfbonus.schemes.kf13.common import (
    Context,
    Row,
    exact_div,
    fmt_exact,
    fmt_number,
    fmt_percent,
    ratio_out_of_range,
    row_source,
)
from kfbonus.schemes.kf13.model import Award

__all__ = ["SCORE_FIELDS", "CollectiveFigures", "compute_collective", "project_scores"]

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


def compute_collective(ctx: Context) -> tuple[list[AwardLine], dict[str, CollectiveFigures]]:
    """Every crew member's collective-award line and each project's pool figures."""
    p = ctx.params
    data = ctx.data
    problems = ctx.problems
    ratio_min, ratio_max = p["collective.ratio_min"], p["collective.ratio_max"]
    default_percent: Decimal = p["collective.default_percent"]  # type: ignore[assignment]
    mode = p["collective.total_days"]
    lines: list[AwardLine] = []
    figures: dict[str, CollectiveFigures] = {}

    for pid in sorted(pid for pid, a in data.application.items() if a.collective_ratio is not None):
        app = data.application[pid]
        k: Decimal = app.collective_ratio
        bad = ratio_out_of_range("collective-ratio-out-of-range", "集体激励比例", pid, k,
                                 ratio_min, ratio_max, app.src.cell("collective_ratio"))
        if bad:
            problems.append(bad)
            continue
        settle = data.settlement.get(pid, [])
        if not settle:
            continue  # not settled this month: application-without-settlement, reported once
        score_rows = data.scores.get(pid, [])
        if not score_rows:
            problems.append(error(
                "collective-without-scores",
                f"工程 {pid} 申报了集体激励比例 {fmt_percent(k)}，但工程评分表中没有该工程的评分",
                app.src.cell("collective_ratio")))
            continue
        bad_score = False
        for r in score_rows:
            for name, header in SCORE_FIELDS.items():
                v = getattr(r, name)
                if v is not None and not Decimal(0) <= v <= HUNDRED:
                    bad_score = True
                    problems.append(error("score-out-of-range",
                                          f"工程 {pid} 的{header} {fmt_number(v)} 应在 0–100 之间",
                                          r.src.cell(name)))
        if bad_score:
            continue
        scored = project_scores(score_rows)
        if scored is None:
            continue  # blank required scores are reported by the reader
        _means, total_score = scored
        piece_total = sum((r.piece_wage or ZERO for r in settle), ZERO)
        exact_pool = total_score * piece_total * k / HUNDRED
        pool = round_money(exact_pool)
        pool_text = (f"总分 {fmt_number(total_score)} ÷ 100 × 计件工资总额 {fmt_money(piece_total)} × "
                     f"{fmt_percent(k)} = {fmt_exact(exact_pool)} → 集体奖池 {fmt_money(pool)}")

        if mode == "person_days":
            total_days = sum((r.days or ZERO for r in settle), ZERO)
            days_label = "工期总天数（个人工期天数之和）"
        else:
            given = {r.total_days for r in settle if r.total_days is not None}
            if not given:
                problems.append(error(
                    "total-days-missing",
                    f"工程 {pid} 的结算单没有工期总天数，规则要求按工程工期总天数分配集体奖",
                    settle[0].src.cell("total_days")))
                continue
            if len(given) > 1:
                problems.append(error(
                    "total-days-inconsistent",
                    f"工程 {pid} 的结算单工期总天数不一致：{'、'.join(fmt_number(d) for d in sorted(given))}",
                    settle[0].src.cell("total_days")))
                continue
            total_days = given.pop()
            days_label = "工期总天数"
        if total_days <= 0:
            problems.append(error("total-days-zero",
                                  f"工程 {pid} 的工期总天数为 {fmt_number(total_days)}，无法分配集体奖",
                                  settle[0].src.cell("total_days" if mode != "person_days" else "days")))
            continue

        by_worker: dict[str, list[Row]] = {}
        for r in settle:
            by_worker.setdefault(r.worker_id, []).append(r)
        weights: dict[str, Decimal] = {}
        terms: dict[str, str] = {}
        facts: dict[str, dict[str, object]] = {}
        for wid, rows in by_worker.items():
            parts = []
            weight = ZERO
            percents = set()
            for r in rows:
                pct = r.percent if r.percent is not None else default_percent
                percents.add(pct)
                weight += (r.days or ZERO) * pct
                parts.append(f"个人工期天数 {fmt_number(r.days or ZERO)} × 个人百分比 {fmt_percent(pct)}")
            weights[wid] = weight
            facts[wid] = {"pool": pool, "total_days": total_days, "days_mode": mode,
                          "days": sum((r.days or ZERO for r in rows), ZERO),
                          "percent": percents.pop() if len(percents) == 1 else None}
            terms[wid] = parts[0] if len(parts) == 1 else "(" + " + ".join(parts) + ")"
        weight_sum = sum(weights.values(), ZERO)
        if weight_sum > total_days:
            exact_sum = exact_div(pool * weight_sum, total_days)
            problems.append(error(
                "collective-shares-exceed-pool",
                f"工程 {pid} 按分配方案算出的个人分配合计 {fmt_exact(exact_sum)} "
                f"超过集体奖池 {fmt_money(pool)}"
                f"（个人工期天数 × 个人百分比 之和 {fmt_number(weight_sum)} 大于 {days_label} "
                f"{fmt_number(total_days)}），请修改分配方案", settle[0].src))
            continue

        workers = sorted(by_worker)
        pool_money = fmt_money(pool)
        share_text = f"{pool_text}；集体奖池 {pool_money} ÷ {days_label} {fmt_number(total_days)} × "
        pname = next((r.project_name for r in settle if r.project_name), None)
        ratio_source = app.src.cell("collective_ratio")
        exact = [exact_div(pool * weights[w], total_days) for w in workers]
        target = round_money(exact_div(pool * weight_sum, total_days))
        rounded = allocate(exact, workers, target=target)
        fig = CollectiveFigures(ratio=k, pool=pool)
        score_sources = [row_source(r) for r in score_rows]
        fig.sources = [ratio_source, *score_sources]
        for wid, ex, amount in zip(workers, exact, rounded, strict=True):
            rows = by_worker[wid]
            formula = f"{share_text}{terms[wid]} = {fmt_exact(ex)} → {fmt_money(amount)}"
            sources = (*(row_source(r) for r in rows), ratio_source, *score_sources, *ctx.roster_source(wid))
            excluded = ctx.excluded_for("collective", wid)
            if excluded:
                fig.unpaid += amount
                lines.append(AwardLine(wid, ctx.name(wid, rows[0].name), Award.COLLECTIVE, ZERO,
                                       formula + "；不予发放", CLAUSE, sources, pid, pname, amount, excluded,
                                       facts=facts[wid]))
            else:
                fig.allocated += amount
                lines.append(AwardLine(wid, ctx.name(wid, rows[0].name), Award.COLLECTIVE, amount, formula,
                                       CLAUSE, sources, pid, pname, facts=facts[wid]))
        fig.unallocated = pool - fig.allocated - fig.unpaid
        figures[pid] = fig
    return lines, figures
