"""其他奖惩 (售后服务部绩效奖惩制度; SCHEME.md §6): rows paid as given, by category.

A blank 金额 takes the category's standard amount; 扣款 categories are always
deductions whatever sign was typed (an unknown category, a 扣款 without amount and an
amount off the standard are reported by checks.py).  Two more forms of the seed:

- a row naming a 班组 instead of a 工号 (优秀团队奖) splits its amount, given or
  standard, equally among the crew's roster members not excluded on the assessment
  date, by largest remainder (ties by 工号); a 班组 with no such member is checks.py's error;
- a 扣款 whose 金额 is a percentage (``5%``) deducts that share of the worker's
  计件工资 for the month (the sum of their settlement lines), rounded once.
"""

from __future__ import annotations

from decimal import Decimal

from kfbonus.model import AwardLine
from kfbonus.money import ZERO, allocate, fmt_money, round_money
from kfbonus.schemes.kf13.common import Context, Row, exact_div, fmt_exact, row_source
from kfbonus.schemes.kf13.model import Award
from kfbonus.values import Percentage

__all__ = ["compute_adjustment", "payable_members"]


def compute_adjustment(ctx: Context) -> list[AwardLine]:
    """One line per worker row, one per member of a team row (the rows
    :mod:`kfbonus.schemes.kf13.checks` found payable)."""
    p = ctx.params
    standard: dict[str, Decimal] = p["adjustment.standard_amounts"]  # type: ignore[assignment]
    deductions = p["adjustment.deduction_categories"]
    lines: list[AwardLine] = []
    for r in ctx.data.adjustment:
        if ctx.blocked((Award.ADJUSTMENT, r.src)):
            continue
        category = (r.category or "").strip()
        if r.worker_id is None:
            lines += _team(ctx, r, category, standard, deductions)
        else:
            lines.append(_worker(ctx, r, category, standard, deductions))
    return lines


def _amount(r: Row, category: str, standard: dict[str, Decimal], deductions: object) -> tuple[Decimal, str]:
    """The row's amount (deductions negative) and its formula text."""
    given = r.amount
    note = f"（{r.note}）" if r.note else ""
    if category in deductions:  # type: ignore[operator]
        amount = -abs(round_money(given))
        formula = f"{category} {fmt_money(amount)}{note}"
        if given > 0:
            formula += f"（录入为 {fmt_money(given)}，扣款一律计为负数）"
        return amount, formula
    std = standard[category]
    if given is None:
        return std, f"{category} 标准金额 {fmt_money(std)}{note}"
    amount = round_money(given)
    formula = f"{category} {fmt_money(amount)}{note}"
    if amount != std:   # checks.py warns (adjustment-nonstandard-amount)
        formula += f"（标准金额 {fmt_money(std)}）"
    return amount, formula


def _worker(ctx: Context, r: Row, category: str, standard: dict[str, Decimal],
            deductions: object) -> AwardLine:
    wid = r.worker_id
    name = ctx.name(wid, r.name)
    sources = (row_source(r), *ctx.roster_source(wid))
    if isinstance(r.amount, Percentage):
        amount, formula, wage_sources = _percent_deduction(ctx, r, category)
        sources = (*sources, *wage_sources)
    else:
        amount, formula = _amount(r, category, standard, deductions)
    excluded = ctx.excluded_for("adjustment", wid)
    clause = ctx.clause("adjustment.standard_amounts")
    facts = {"note": str(r.note or ""), "deduction": category in deductions}  # type: ignore[operator]
    if excluded and amount > 0:
        return AwardLine(wid, name, Award.ADJUSTMENT, ZERO, formula + "；不予发放", clause, sources,
                         unpaid=amount, reason=excluded, category=category, facts=facts)
    return AwardLine(wid, name, Award.ADJUSTMENT, amount, formula, clause, sources, category=category,
                     facts=facts)


def _percent_deduction(ctx: Context, r: Row, category: str) -> tuple[Decimal, str, tuple]:
    """扣款 ``5%``: that share of the worker's 计件工资 of the month, rounded once (no
    settlement line: 0.00, checks.py warns)."""
    wage_rows = ctx.data.wages.get(r.worker_id, [])
    wage = sum((w.piece_wage or ZERO for w in wage_rows), ZERO)
    exact = r.amount.fraction * wage
    amount = -round_money(exact)
    note = f"（{r.note}）" if r.note else ""
    formula = (f"{category} {r.amount} × 本月计件工资 {fmt_money(wage)} = {fmt_exact(exact)}"
               f" → {fmt_money(amount)}{note}")
    return amount, formula, tuple(row_source(w) for w in wage_rows)


def payable_members(ctx: Context, team: str) -> tuple[list[str], list[str]]:
    """A 班组's roster members not excluded on the assessment date (by 工号), and the rest."""
    members = ctx.data.teams.get(team, [])
    return (sorted(w for w in members if not ctx.exclusions.get(w)),
            [w for w in members if ctx.exclusions.get(w)])


def _team(ctx: Context, r: Row, category: str, standard: dict[str, Decimal],
          deductions: object) -> list[AwardLine]:
    """A team's row: the amount split equally among the 班组's members not excluded."""
    team = (r.team or "").strip()
    amount, formula = _amount(r, category, standard, deductions)
    paid, left_out = payable_members(ctx, team)
    exact = exact_div(abs(amount), Decimal(len(paid)))
    parts = allocate([exact] * len(paid), paid, target=abs(amount))
    sign = -1 if amount < 0 else 1
    clause = ctx.clause("adjustment.standard_amounts")
    text = (f"{formula}，由班组 {team} 的 {len(paid)} 人平分：{fmt_money(abs(amount))} ÷ {len(paid)} = "
            f"{fmt_exact(exact)}")
    if left_out:
        text += "（不含不参与激励的 " + "、".join(f"{w} {ctx.name(w)}" for w in sorted(left_out)) + "）"
    facts = {"note": str(r.note or ""), "deduction": category in deductions,  # type: ignore[operator]
             "team": team, "split": len(paid), "whole": abs(amount)}
    out = []
    for wid, part in zip(paid, parts, strict=True):
        out.append(AwardLine(wid, ctx.name(wid), Award.ADJUSTMENT, sign * part, f"{text} → {fmt_money(part)}",
                             clause, (row_source(r), *ctx.roster_source(wid)), category=category,
                             facts=facts))
    return out
