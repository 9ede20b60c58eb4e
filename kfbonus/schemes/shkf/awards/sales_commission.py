"""销售提成 (COMMISSION.md rule 5): one line per signed dealer for its 签约销售,
round(the dealer's 云商城 月提货额 × 1%)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kfbonus.model import AwardLine
from kfbonus.money import fmt_money, round_money
from kfbonus.rules import Params
from kfbonus.schemes.shkf.awards.common import fmt_percent, label_of, paid_or_refused
from kfbonus.schemes.shkf.awards.dealer_month import DealerResult

__all__ = ["AWARD", "sales_commission"]

AWARD = "sales_commission"


def sales_commission(
    dealers: Sequence[DealerResult], params: Params, payable: set[str], excluded: Mapping[str, str]
) -> list[AwardLine]:
    rate = params["sales.cloud_rate"]
    clause = params.clause("sales.cloud_rate")
    lines: list[AwardLine] = []
    for d in dealers:
        wid = d.sales_id
        if wid is None or wid not in payable:
            continue
        amount = round_money(d.cloud_total * rate)  # type: ignore[operator]
        formula = (
            f"签约加盟商 {label_of(d.dealer_id, d.name)} 云商城月提货额 {fmt_money(d.cloud_total)} × "
            f"{fmt_percent(rate)} = {fmt_money(amount)}"
        )  # type: ignore[arg-type]
        facts = {
            "dealer": d.dealer_id,
            "dealer_name": d.name or "",
            "cloud_total": d.cloud_total,
            "rate": rate,
        }
        reason = excluded.get(wid) if amount else None
        lines.append(paid_or_refused(wid, d.sales_name, AWARD, amount, formula, clause, d.sources, reason,
                                     project_id=d.dealer_id, project_name=d.name, facts=facts))
    return lines
