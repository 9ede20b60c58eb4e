"""其他奖惩 of this scheme's staff (COMMISSION.md rule 6, SCHEME.md § 6).

A row is this scheme's when its worker's 岗位 is 售后客服 or 销售 (rows of other workers
are ignored).  Blank 金额 = the category's standard amount; 扣款 always negative.  A 班组
row is split equally among this scheme's roster members of the 班组 not excluded on the
assessment date (largest remainder, ties by 工号).  What checks.py reports: an unknown
category, a 扣款 without amount, a percentage (these posts have no 计件工资), a 班组 with
nobody to split among (errors: the row is not paid), a non-standard amount (warning).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, localcontext

from kfbonus.model import AwardLine
from kfbonus.money import allocate, fmt_money, round_money
from kfbonus.rules import Params
from kfbonus.schemes.shkf.awards.common import paid_or_refused
from kfbonus.schemes.shkf.rows import AdjustmentRow, WorkerRow

__all__ = ["AWARD", "adjustment", "team_members"]

AWARD = "adjustment"


def team_members(team: str, staff: Mapping[str, WorkerRow]) -> list[str]:
    """This scheme's roster members of a 班组, by 工号."""
    return sorted(w for w, row in staff.items() if str(row.team or "").strip() == team)


def _amount(r: AdjustmentRow, category: str, params: Params) -> tuple[Decimal, str]:
    """The row's amount (deductions negative) and its formula text."""
    standard: Mapping[str, Decimal] = params["adjustment.standard_amounts"]  # type: ignore[assignment]
    deductions = params["adjustment.deduction_categories"]
    note = f"（{r.note}）" if r.note else ""
    given = r.amount
    if category in deductions:  # type: ignore[operator]
        amount = -abs(round_money(given))  # type: ignore[arg-type]
        formula = f"{category} {fmt_money(amount)}{note}"
        if given > 0:  # type: ignore[operator]
            formula += f"（录入为 {fmt_money(given)}，扣款一律计为负数）"  # type: ignore[arg-type]
        return amount, formula
    std = standard[category]
    if given is None:
        return std, f"{category} 标准金额 {fmt_money(std)}{note}"
    amount = round_money(given)  # type: ignore[arg-type]
    formula = f"{category} {fmt_money(amount)}{note}"
    if amount != std:   # checks.py warns (adjustment-nonstandard-amount)
        formula += f"（标准金额 {fmt_money(std)}）"
    return amount, formula


def adjustment(
    rows: Sequence[AdjustmentRow],
    staff: Mapping[str, WorkerRow],
    params: Params,
    excluded: Mapping[str, str],
    exclusions: Mapping[str, str],
) -> list[AwardLine]:
    """The lines of ``rows``: this scheme's rows the checks found payable
    (:func:`kfbonus.schemes.shkf.checks.usable_adjustments`).  ``staff`` this scheme's
    roster workers; ``excluded`` the reason of a worker when exclusions apply to 其他奖惩;
    ``exclusions`` every worker's reason (a 班组 split leaves the excluded out whatever
    applies_to says)."""
    deductions = params["adjustment.deduction_categories"]
    clause = params.clause("adjustment.standard_amounts")
    lines: list[AwardLine] = []
    for r in rows:
        category = str(r.category or "").strip()
        amount, formula = _amount(r, category, params)
        facts = {"note": str(r.note or ""), "deduction": category in deductions}  # type: ignore[operator]
        if r.worker_id is not None:
            w = staff[r.worker_id]
            sources = (r.source, w.source)
            reason = excluded.get(r.worker_id) if amount > 0 else None   # a deduction is always made
            lines.append(paid_or_refused(w.worker_id, w.name, AWARD, amount, formula, clause, sources, reason,
                                         category=category, facts=facts))
            continue
        lines += _team(r, category, amount, formula, staff, exclusions, clause, facts)
    return lines


def _team(
    r: AdjustmentRow,
    category: str,
    amount: Decimal,
    formula: str,
    staff: Mapping[str, WorkerRow],
    exclusions: Mapping[str, str],
    clause: str,
    facts: dict,
) -> list[AwardLine]:
    team = str(r.team or "").strip()
    members = team_members(team, staff)
    paid = [w for w in members if not exclusions.get(w)]
    left_out = [w for w in members if exclusions.get(w)]
    whole = abs(amount)
    with localcontext() as ctx:
        ctx.prec = 50
        exact = whole / Decimal(len(paid))
    parts = allocate([exact] * len(paid), paid, target=whole)
    sign = -1 if amount < 0 else 1
    text = f"{formula}，由班组 {team} 的 {len(paid)} 人平分：{fmt_money(whole)} ÷ {len(paid)}"
    if left_out:
        text += "（不含不参与激励的 " + "、".join(f"{w} {staff[w].name}" for w in left_out) + "）"
    facts = {**facts, "team": team, "split": len(paid), "whole": whole}
    return [
        AwardLine(
            wid,
            staff[wid].name,
            AWARD,
            sign * part,
            f"{text} → {fmt_money(part)}",
            clause,
            (r.source, staff[wid].source),
            category=category,
            facts=facts,
        )
        for wid, part in zip(paid, parts, strict=True)
    ]
