"""A dealer's month (COMMISSION.md rules 1–2): 提货额 per row, 月提货额, tier and rate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from kfbonus.money import ZERO, round_money
from kfbonus.problems import Source
from kfbonus.rules import Params
from kfbonus.schemes.shkf.rows import DealerRow, PurchaseRow
from kfbonus.schemes.shkf.tables import CLOUD

__all__ = ["BELOW", "DealerResult", "computed_amount", "dealer_result", "purchase_amount", "tier_of"]

BELOW = "未达基础"


def computed_amount(p: PurchaseRow) -> Decimal | None:
    """round(销售额 × 折扣) on the row, or None when either is blank."""
    if p.sales is None or p.discount is None:
        return None
    return round_money(p.sales * p.discount)


def purchase_amount(p: PurchaseRow) -> Decimal:
    """The row's 提货额: given, else computed (the checks have refused rows with neither)."""
    if p.amount is not None:
        return p.amount
    computed = computed_amount(p)
    return computed if computed is not None else ZERO


def is_cloud(p: PurchaseRow) -> bool:
    return p.channel is not None and str(p.channel).strip() == CLOUD


def tier_of(total: Decimal, params: Params) -> tuple[str, Decimal, str]:
    """(tier name, 客服提成比例, the rate's parameter key) of a 月提货额; lower bounds included."""
    if total >= params["tiers.sprint_min"]:  # type: ignore[operator]
        return "冲刺", params["tiers.sprint_rate"], "tiers.sprint_rate"  # type: ignore[return-value]
    if total >= params["tiers.target_min"]:  # type: ignore[operator]
        return "目标", params["tiers.target_rate"], "tiers.target_rate"  # type: ignore[return-value]
    if total >= params["tiers.base_min"]:  # type: ignore[operator]
        return "基础", params["tiers.base_rate"], "tiers.base_rate"  # type: ignore[return-value]
    return BELOW, Decimal(0), "tiers.base_min"


@dataclass(frozen=True)
class DealerResult:
    """One dealer's month, for the 加盟商 sheet and the commission lines."""

    dealer_id: str
    name: str | None
    total: Decimal  # 月提货额
    tier: str
    rate: Decimal
    commission: Decimal  # round(total × rate)
    service_id: str | None
    service_name: str
    cloud_total: Decimal  # 云商城 月提货额
    sales_id: str | None
    sales_name: str
    rows: int
    rate_key: str = "tiers.base_rate"
    sources: tuple[Source, ...] = ()


def dealer_result(
    d: DealerRow, purchases: Sequence[PurchaseRow], params: Params, names: Mapping[str, str]
) -> DealerResult:
    total = sum((purchase_amount(p) for p in purchases), ZERO)
    cloud = sum((purchase_amount(p) for p in purchases if is_cloud(p)), ZERO)
    tier, rate, key = tier_of(total, params)
    return DealerResult(
        dealer_id=d.dealer_id,
        name=d.dealer_name,
        total=total,
        tier=tier,
        rate=rate,
        commission=round_money(total * rate),
        service_id=d.service_id,
        service_name=names.get(d.service_id or "", ""),
        cloud_total=cloud,
        sales_id=d.sales_id,
        sales_name=names.get(d.sales_id or "", ""),
        rows=len(purchases),
        rate_key=key,
        sources=(d.source, *(p.source for p in purchases)),
    )
