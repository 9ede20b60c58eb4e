"""月度工龄奖 [company-set] (FS-MS-KF-13 §3; SCHEME.md §4).

One line per roster worker: round(tier × 实出勤天数 ÷ 应出勤天数), at most the tier.
Lines that pay nothing say why (under 1 year, excluded, 旷工, no attendance row,
应出勤天数 0), so every slip explains its 工龄奖.
"""

from __future__ import annotations

from decimal import Decimal

from kfbonus.model import AwardLine
from kfbonus.money import ZERO, fmt_money, round_money
from kfbonus.schemes.kf13.common import Context, exact_div, fmt_exact, fmt_number, row_source
from kfbonus.schemes.kf13.model import Award

__all__ = ["compute_seniority", "seniority_tier"]


def seniority_tier(years: int | None, tiers: tuple[tuple[int, Decimal], ...]) -> tuple[int, Decimal] | None:
    """The highest tier whose years the worker has reached (None under the first tier)."""
    reached = None
    if years is None:
        return None
    for tier_years, amount in tiers:
        if years >= tier_years:
            reached = (tier_years, amount)
    return reached


def compute_seniority(ctx: Context) -> list[AwardLine]:
    p = ctx.params
    tiers = p["seniority.tiers"]
    forfeit = p["seniority.forfeit_on_absent_without_leave"]
    clause = ctx.clause("seniority.tiers")
    held = ctx.shared   # most workers' lines read the same few formulas, tiers and day counts
    lines = []
    for wid, worker in ctx.data.roster.items():
        name = ctx.name(wid)
        years = ctx.years.get(wid)
        att = ctx.data.attendance.get(wid)
        sources = [row_source(worker)]
        if att is not None:
            sources.append(row_source(att))
        excluded = ctx.excluded_for("seniority", wid)

        facts: dict[str, object] = {"years": years, "first_tier": tiers[0][0]}  # type: ignore[index]

        def line(amount: Decimal, formula: str, unpaid: Decimal = ZERO, reason: str = "",
                 category: str | None = None, _w: str = wid, _n: str = name, _s: list = sources,
                 _f: dict = facts) -> AwardLine:
            return AwardLine(_w, _n, Award.SENIORITY, held(amount), held(formula), clause, tuple(_s),
                             unpaid=held(unpaid), reason=held(reason), category=held(category),
                             facts={key: held(value) for key, value in _f.items()})

        tier = seniority_tier(years, tiers)  # type: ignore[arg-type]
        years_text = "入职日期空白" if years is None else f"连续工龄 {years} 年"
        if att is None:
            # checks.py warns (attendance-missing)
            facts["no_attendance"] = True
            lines.append(line(ZERO, f"{years_text}；无考勤记录", reason="无考勤记录，不计工龄奖"))
            continue
        if tier is None:
            first = tiers[0][0]  # type: ignore[index]
            lines.append(line(ZERO, f"{years_text}，不满 {first} 年，无工龄奖",
                              reason=f"{years_text}，不满 {first} 年"))
            continue
        tier_years, tier_amount = tier
        category = f"满{tier_years}年"
        due, present = att.due_days, att.present_days
        facts.update(tier=tier_amount, due=due, present=present or ZERO, absent=att.absent_days or ZERO)
        if due is None or due <= 0:
            # checks.py warns (attendance-no-due-days)
            lines.append(line(ZERO, f"{years_text}，{category}档 {fmt_money(tier_amount)}；应出勤天数为 0",
                              reason="应出勤天数为 0，不计工龄奖", category=category))
            continue
        present = present or ZERO
        exact = exact_div(tier_amount * present, due)
        capped = min(exact, tier_amount)
        amount = round_money(capped)
        formula = (f"{years_text}，{category}档 {fmt_money(tier_amount)} × 实出勤 {fmt_number(present)} ÷ "
                   f"应出勤 {fmt_number(due)} = {fmt_exact(exact)}")
        if capped != exact:
            formula += f"，以档额 {fmt_money(tier_amount)} 为上限"
        formula += f" → {fmt_money(amount)}"
        absent = att.absent_days or ZERO
        if excluded:
            lines.append(line(ZERO, formula + "；不予发放", amount, excluded, category))
        elif forfeit and absent > 0:
            lines.append(line(ZERO, formula + f"；旷工 {fmt_number(absent)} 天，取消当月工龄奖", amount,
                              f"旷工 {fmt_number(absent)} 天，当月工龄奖取消", category))
        else:
            lines.append(line(amount, formula, category=category))
    return lines
