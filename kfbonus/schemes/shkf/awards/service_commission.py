"""客服提成 (COMMISSION.md rule 3): one line per dealer for its 售后客服,
round(月提货额 × the dealer's tier rate); a zero line saying 未达基础 below the base tier."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kfbonus.model import AwardLine
from kfbonus.money import ZERO, fmt_money
from kfbonus.rules import Params
from kfbonus.schemes.shkf.awards.common import fmt_percent, label_of, paid_or_refused
from kfbonus.schemes.shkf.awards.dealer_month import BELOW, DealerResult

__all__ = ["AWARD", "service_commission"]

AWARD = "service_commission"


def service_commission(
    dealers: Sequence[DealerResult], params: Params, payable: set[str], excluded: Mapping[str, str]
) -> list[AwardLine]:
    """``payable`` the 售后客服 工号 who may get lines (a roster worker of that post);
    ``excluded`` the exclusion reason of a worker when exclusions apply to commission."""
    lines: list[AwardLine] = []
    for d in dealers:
        wid = d.service_id
        if wid is None or wid not in payable:
            continue
        who = label_of(d.dealer_id, d.name)
        facts = {
            "dealer": d.dealer_id,
            "dealer_name": d.name or "",
            "total": d.total,
            "tier": d.tier,
            "rate": d.rate,
        }
        if d.tier == BELOW:
            base_min = params["tiers.base_min"]
            formula = (
                f"加盟商 {who} 月提货额 {fmt_money(d.total)}，未达基础档（{fmt_money(base_min)} 元），"  # type: ignore[arg-type]
                f"不计提成 → 0.00"
            )
            lines.append(
                AwardLine(
                    wid,
                    d.service_name,
                    AWARD,
                    ZERO,
                    formula,
                    params.clause("tiers.base_min"),
                    d.sources,
                    project_id=d.dealer_id,
                    project_name=d.name,
                    category=BELOW,
                    facts=facts,
                )
            )
            continue
        formula = (
            f"加盟商 {who} 月提货额 {fmt_money(d.total)} × {d.tier}档 {fmt_percent(d.rate)} "
            f"= {fmt_money(d.commission)}"
        )
        clause = params.clause(d.rate_key)
        lines.append(paid_or_refused(wid, d.service_name, AWARD, d.commission, formula, clause, d.sources,
                                     excluded.get(wid), project_id=d.dealer_id, project_name=d.name,
                                     category=d.tier, facts=facts))
    return lines
