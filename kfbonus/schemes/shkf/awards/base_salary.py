"""底薪级别 (COMMISSION.md rule 4): one line per 售后客服, the level by the sum of the
月提货额 of all dealers they serve (3,200.00 also with none).  Never excluded."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from kfbonus.model import AwardLine
from kfbonus.money import ZERO, fmt_money
from kfbonus.rules import Params
from kfbonus.schemes.shkf.awards.dealer_month import DealerResult
from kfbonus.schemes.shkf.rows import WorkerRow

__all__ = ["AWARD", "base_salary", "level_of"]

AWARD = "base_salary"


def level_of(total: Decimal, params: Params) -> tuple[Decimal, str]:
    """(底薪, the reason in words) for a 售后客服's total 月提货额; lower bounds included."""
    mid_min, high_min = params["base_salary.mid_min"], params["base_salary.high_min"]
    if total >= high_min:  # type: ignore[operator]
        return params["base_salary.high"], f"达 {fmt_money(high_min)}"  # type: ignore[return-value,arg-type]
    if total >= mid_min:  # type: ignore[operator]
        return params["base_salary.mid"], f"达 {fmt_money(mid_min)}、未达 {fmt_money(high_min)}"  # type: ignore[return-value,arg-type]
    return params["base_salary.low"], f"未达 {fmt_money(mid_min)}"  # type: ignore[return-value,arg-type]


def base_salary(
    workers: Sequence[WorkerRow], dealers: Sequence[DealerResult], params: Params
) -> list[AwardLine]:
    served: dict[str, list[DealerResult]] = {}
    for d in dealers:
        if d.service_id is not None:
            served.setdefault(d.service_id, []).append(d)
    lines: list[AwardLine] = []
    for w in workers:
        mine = served.get(w.worker_id, [])
        total = sum((d.total for d in mine), ZERO)
        amount, why = level_of(total, params)
        if mine:
            parts = " + ".join(fmt_money(d.total) for d in mine)
            basis = (
                f"所服务 {len(mine)} 家加盟商月提货额合计 {parts} = {fmt_money(total)}"
                if len(mine) > 1
                else f"所服务加盟商 {mine[0].dealer_id} 月提货额 {fmt_money(total)}"
            )
        else:
            basis = "本月无所服务的加盟商，月提货额合计 0.00"
        formula = f"{basis}，{why} → 底薪 {fmt_money(amount)}"
        sources = (w.source, *(d.sources[0] for d in mine))
        lines.append(
            AwardLine(
                w.worker_id,
                w.name,
                AWARD,
                amount,
                formula,
                params.clause("base_salary.low"),
                sources,
                category=fmt_money(amount),
                facts={"total": total, "dealers": len(mine)},
            )
        )
    return lines
