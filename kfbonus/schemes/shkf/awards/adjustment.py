"""其他奖惩 of this scheme's staff (COMMISSION.md rule 6, SCHEME.md § 6).

A row is this scheme's when its worker's 岗位 is 售后客服 or 销售 (rows of other workers
are ignored).  Blank 金额 = the category's standard amount; 扣款 always negative; an
unknown category is an error, a non-standard amount a warning.  A percentage 扣款 is an
error here (these posts have no 计件工资).  A 班组 row is split equally among this
scheme's roster members of the 班组 not excluded on the assessment date (largest
remainder, ties by 工号); none: an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, localcontext

from kfbonus.model import AwardLine
from kfbonus.money import ZERO, allocate, fmt_money, round_money
from kfbonus.problems import Problem, error, warning
from kfbonus.rules import Params
from kfbonus.schemes.shkf.rows import AdjustmentRow, WorkerRow
from kfbonus.values import Percentage

__all__ = ["AWARD", "adjustment"]

AWARD = "adjustment"


def _amount(
    r: AdjustmentRow, category: str, params: Params, problems: list[Problem]
) -> tuple[Decimal, str] | None:
    standard: Mapping[str, Decimal] = params["adjustment.standard_amounts"]  # type: ignore[assignment]
    deductions = params["adjustment.deduction_categories"]
    who = f"工号 {r.worker_id}" if r.worker_id else f"班组 {r.team}"
    note = f"（{r.note}）" if r.note else ""
    given = r.amount
    if isinstance(given, Percentage):
        problems.append(
            error(
                "adjustment-percent-not-allowed",
                f"{who}的{category}填写为百分比 {given}：售后客服、销售岗位没有计件工资，"
                "不能按比例扣除，请填写金额",
                r.src.cell("amount"),
            )
        )
        return None
    if category in deductions:  # type: ignore[operator]
        if given is None:
            problems.append(
                error(
                    "adjustment-amount-missing",
                    f"{who}的{category}没有填写金额（扣款无标准金额）",
                    r.src.cell("amount"),
                )
            )
            return None
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
    if amount != std:
        problems.append(
            warning(
                "adjustment-nonstandard-amount",
                f"{who}的{category}金额为 {fmt_money(amount)}，与标准金额 {fmt_money(std)} 不同",
                r.src.cell("amount"),
            )
        )
        formula += f"（标准金额 {fmt_money(std)}）"
    return amount, formula


def adjustment(
    rows: Sequence[AdjustmentRow],
    staff: Mapping[str, WorkerRow],
    roster: Mapping[str, WorkerRow],
    params: Params,
    excluded: Mapping[str, str],
    exclusions: Mapping[str, str],
    problems: list[Problem],
) -> list[AwardLine]:
    """``staff`` this scheme's roster workers; ``roster`` everyone; ``excluded`` the reason
    of a worker when exclusions apply to 其他奖惩; ``exclusions`` every worker's reason
    (a 班组 split leaves the excluded out whatever applies_to says)."""
    standard = params["adjustment.standard_amounts"]
    deductions = params["adjustment.deduction_categories"]
    clause = params.clause("adjustment.standard_amounts")
    lines: list[AwardLine] = []
    for r in rows:
        if r.worker_id is not None:
            if r.worker_id not in staff:
                continue  # another scheme's row (or an unknown 工号, which that scheme reports)
        else:
            team = str(r.team or "").strip()
            members = sorted(w for w, row in staff.items() if str(row.team or "").strip() == team)
            if not members and any(str(row.team or "").strip() == team for row in roster.values()):
                continue  # another scheme's team
        category = str(r.category or "").strip()
        if category not in standard and category not in deductions:  # type: ignore[operator]
            known = "、".join([*standard, *deductions])  # type: ignore[misc]
            who = f"工号 {r.worker_id}" if r.worker_id else f"班组 {r.team}"
            problems.append(
                error(
                    "adjustment-unknown-category",
                    f"{who}的奖惩类别「{category}」不在制度规定的类别中（可用：{known}）",
                    r.src.cell("category"),
                )
            )
            continue
        found = _amount(r, category, params, problems)
        if found is None:
            continue
        amount, formula = found
        facts = {"note": str(r.note or ""), "deduction": category in deductions}  # type: ignore[operator]
        if r.worker_id is not None:
            w = staff[r.worker_id]
            sources = (r.source, w.source)
            reason = excluded.get(r.worker_id)
            if reason and amount > 0:
                lines.append(
                    AwardLine(
                        w.worker_id,
                        w.name,
                        AWARD,
                        ZERO,
                        formula + "；不予发放",
                        clause,
                        sources,
                        unpaid=amount,
                        reason=reason,
                        category=category,
                        facts=facts,
                    )
                )
            else:
                lines.append(
                    AwardLine(
                        w.worker_id,
                        w.name,
                        AWARD,
                        amount,
                        formula,
                        clause,
                        sources,
                        category=category,
                        facts=facts,
                    )
                )
            continue
        lines += _team(r, category, amount, formula, staff, exclusions, clause, facts, problems)
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
    problems: list[Problem],
) -> list[AwardLine]:
    team = str(r.team or "").strip()
    members = sorted(w for w, row in staff.items() if str(row.team or "").strip() == team)
    paid = [w for w in members if not exclusions.get(w)]
    left_out = [w for w in members if exclusions.get(w)]
    if not paid:
        why = (
            "人员名册中没有本方案（售后客服、销售）的该班组人员"
            if not members
            else "该班组的人员在考核日均不参与激励"
        )
        problems.append(
            error(
                "adjustment-team-empty",
                f"{category}发给班组「{team}」，但{why}，无法平分；请核对班组名称",
                r.src.cell("team"),
            )
        )
        return []
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
