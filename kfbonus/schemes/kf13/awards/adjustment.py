"""其他奖惩 (售后服务部绩效奖惩制度; SCHEME.md §6): rows paid as given, by category.

A blank 金额 takes the category's standard amount; 扣款 categories are always
deductions whatever sign was typed; an unknown category is an error; an amount that
differs from the category's standard is a warning.  Two more forms of the seed:

- a row naming a 班组 instead of a 工号 (优秀团队奖) splits its amount, given or
  standard, equally among the crew's roster members not excluded on the assessment
  date, by largest remainder (ties by 工号); a 班组 with no such member is an error;
- a 扣款 whose 金额 is a percentage (``5%``) deducts that share of the worker's
  计件工资 for the month (the sum of their settlement lines), rounded once.
"""

from __future__ import annotations

from decimal import Decimal

from kfbonus.model import AwardLine
from kfbonus.money import ZERO, allocate, fmt_money, round_money
from kfbonus.problems import error, warning
from kfbonus.schemes.kf13.common import Context, Row, exact_div, fmt_exact, row_source
from kfbonus.schemes.kf13.model import Award
from kfbonus.values import Percentage

__all__ = ["compute_adjustment"]

_ONE = Decimal(1)


def compute_adjustment(ctx: Context) -> list[AwardLine]:
    p = ctx.params
    standard: dict[str, Decimal] = p["adjustment.standard_amounts"]  # type: ignore[assignment]
    deductions = p["adjustment.deduction_categories"]
    lines: list[AwardLine] = []
    for r in ctx.data.adjustment:
        category = (r.category or "").strip()
        if category not in standard and category not in deductions:  # type: ignore[operator]
            known = "、".join([*standard, *deductions])  # type: ignore[misc]
            who = f"工号 {r.worker_id}" if r.worker_id else f"班组 {r.team}"
            ctx.problems.append(error(
                "adjustment-unknown-category",
                f"{who}的奖惩类别「{category}」不在制度规定的类别中（可用：{known}）",
                r.src.cell("category")))
            continue
        if r.worker_id is None:
            lines += _team(ctx, r, category, standard, deductions)
        else:
            line = _worker(ctx, r, category, standard, deductions)
            if line is not None:
                lines.append(line)
    return lines


def _amount(ctx: Context, r: Row, category: str, standard: dict[str, Decimal],
            deductions: object) -> tuple[Decimal, str] | None:
    """The row's amount (deductions negative) and its formula text, or None (reported)."""
    given = r.amount
    note = f"（{r.note}）" if r.note else ""
    who = f"工号 {r.worker_id}" if r.worker_id else f"班组 {r.team}"
    if isinstance(given, Percentage):
        return None   # a percentage is handled by the caller (a 扣款 of one worker only)
    if category in deductions:  # type: ignore[operator]
        if given is None:
            ctx.problems.append(error(
                "adjustment-amount-missing", f"{who}的{category}没有填写金额（扣款无标准金额）",
                r.src.cell("amount")))
            return None
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
    if amount != std:
        ctx.problems.append(warning(
            "adjustment-nonstandard-amount",
            f"{who}的{category}金额为 {fmt_money(amount)}，与标准金额 {fmt_money(std)} 不同",
            r.src.cell("amount")))
        formula += f"（标准金额 {fmt_money(std)}）"
    return amount, formula


def _worker(ctx: Context, r: Row, category: str, standard: dict[str, Decimal],
            deductions: object) -> AwardLine | None:
    wid = r.worker_id
    name = ctx.name(wid, r.name)
    sources = (row_source(r), *ctx.roster_source(wid))
    if isinstance(r.amount, Percentage):
        found = _percent_deduction(ctx, r, category, deductions)
        if found is None:
            return None
        amount, formula, wage_sources = found
        sources = (*sources, *wage_sources)
    else:
        found = _amount(ctx, r, category, standard, deductions)
        if found is None:
            return None
        amount, formula = found
    excluded = ctx.excluded_for("adjustment", wid)
    clause = ctx.clause("adjustment.standard_amounts")
    facts = {"note": str(r.note or ""), "deduction": category in deductions}  # type: ignore[operator]
    if excluded and amount > 0:
        return AwardLine(wid, name, Award.ADJUSTMENT, ZERO, formula + "；不予发放", clause, sources,
                         unpaid=amount, reason=excluded, category=category, facts=facts)
    return AwardLine(wid, name, Award.ADJUSTMENT, amount, formula, clause, sources, category=category,
                     facts=facts)


def _percent_deduction(ctx: Context, r: Row, category: str, deductions: object):
    """扣款 ``5%``: that share of the worker's 计件工资 of the month, rounded once."""
    share: Decimal = r.amount.fraction
    where = r.src.cell("amount")
    if category not in deductions:  # type: ignore[operator]
        ctx.problems.append(error(
            "adjustment-percent-not-deduction",
            f"工号 {r.worker_id} 的{category}填写为百分比 {r.amount}：只有扣款可以按计件工资的比例填写，"
            "奖励请填写金额", where))
        return None
    if not ZERO < share <= _ONE:
        ctx.problems.append(error(
            "adjustment-percent-out-of-range",
            f"工号 {r.worker_id} 的{category}比例为 {r.amount}，应在 0%–100% 之间", where))
        return None
    wage_rows = ctx.data.wages.get(r.worker_id, [])
    wage = sum((w.piece_wage or ZERO for w in wage_rows), ZERO)
    exact = share * wage
    amount = -round_money(exact)
    note = f"（{r.note}）" if r.note else ""
    formula = (f"{category} {r.amount} × 本月计件工资 {fmt_money(wage)} = {fmt_exact(exact)}"
               f" → {fmt_money(amount)}{note}")
    if not wage_rows:
        ctx.problems.append(warning(
            "adjustment-percent-no-wage",
            f"工号 {r.worker_id} 的{category}按计件工资的 {r.amount} 扣除，但本月计件工资结算单中没有此人，"
            "扣款为 0.00；如应扣固定金额，请填写金额", where))
    return amount, formula, tuple(row_source(w) for w in wage_rows)


def _team(ctx: Context, r: Row, category: str, standard: dict[str, Decimal],
          deductions: object) -> list[AwardLine]:
    """A team's row: the amount split equally among the 班组's members not excluded."""
    team = (r.team or "").strip()
    where = r.src.cell("team")
    if isinstance(r.amount, Percentage):
        ctx.problems.append(error(
            "adjustment-percent-team",
            f"班组 {team} 的{category}填写为百分比 {r.amount}：按计件工资比例的扣款须写明工号", where))
        return []
    found = _amount(ctx, r, category, standard, deductions)
    if found is None:
        return []
    amount, formula = found
    members = ctx.data.teams.get(team, [])
    paid = [w for w in members if not ctx.exclusions.get(w)]
    left_out = [w for w in members if ctx.exclusions.get(w)]
    if not paid:
        why = "人员名册中没有这个班组" if not members else "该班组的人员在考核日均不参与激励"
        ctx.problems.append(error(
            "adjustment-team-empty", f"{category}发给班组「{team}」，但{why}，无法平分；请核对班组名称",
            where))
        return []
    paid.sort()
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
