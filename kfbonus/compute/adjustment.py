"""其他奖惩 (售后服务部绩效奖惩制度; SCHEME.md §6): rows paid as given, by category.

A blank 金额 takes the category's standard amount; 扣款 categories are always
deductions whatever sign was typed; an unknown category is an error; an amount that
differs from the category's standard is a warning.
"""

from __future__ import annotations

from decimal import Decimal

from kfbonus.compute.common import Context, row_source
from kfbonus.model import Award, AwardLine
from kfbonus.money import ZERO, fmt_money, round_money
from kfbonus.problems import error, warning

__all__ = ["compute_adjustment"]


def compute_adjustment(ctx: Context) -> list[AwardLine]:
    p = ctx.params
    standard: dict[str, Decimal] = p["adjustment.standard_amounts"]  # type: ignore[assignment]
    deductions = p["adjustment.deduction_categories"]
    clause = ctx.clause("adjustment.standard_amounts")
    lines = []
    for r in ctx.data.adjustment:
        wid = r.worker_id
        name = ctx.name(wid, r.name)
        category = (r.category or "").strip()
        given = r.amount
        sources = (row_source(r), *ctx.roster_source(wid))
        note = f"（{r.note}）" if r.note else ""
        if category in deductions:  # type: ignore[operator]
            if given is None:
                ctx.problems.append(error(
                    "adjustment-amount-missing", f"工号 {wid} 的{category}没有填写金额（扣款无标准金额）",
                    r.src.cell("amount")))
                continue
            amount = -abs(round_money(given))
            formula = f"{category} {fmt_money(amount)}{note}"
            if given > 0:
                formula += f"（录入为 {fmt_money(given)}，扣款一律计为负数）"
        elif category in standard:
            std = standard[category]
            if given is None:
                amount = std
                formula = f"{category} 标准金额 {fmt_money(std)}{note}"
            else:
                amount = round_money(given)
                formula = f"{category} {fmt_money(amount)}{note}"
                if amount != std:
                    ctx.problems.append(warning(
                        "adjustment-nonstandard-amount",
                        f"工号 {wid} 的{category}金额为 {fmt_money(amount)}，"
                        f"与标准金额 {fmt_money(std)} 不同",
                        r.src.cell("amount")))
                    formula += f"（标准金额 {fmt_money(std)}）"
        else:
            known = "、".join([*standard, *deductions])  # type: ignore[misc]
            ctx.problems.append(error(
                "adjustment-unknown-category",
                f"工号 {wid} 的奖惩类别「{category}」不在制度规定的类别中（可用：{known}）",
                r.src.cell("category")))
            continue
        excluded = ctx.excluded_for("adjustment", wid)
        if excluded and amount > 0:
            lines.append(AwardLine(wid, name, Award.ADJUSTMENT, ZERO, formula + "；不予发放", clause, sources,
                                   unpaid=amount, reason=excluded, category=category))
        else:
            lines.append(AwardLine(wid, name, Award.ADJUSTMENT, amount, formula, clause, sources,
                                   category=category))
    return lines
