"""SHKF-TC's own input tables (COMMISSION.md § Inputs): 加盟商 and 提货明细."""

from __future__ import annotations

from kfbonus.schema import Field as F
from kfbonus.schema import Kind as K
from kfbonus.schema import Table

__all__ = ["DEALER", "PURCHASE", "CHANNELS", "CLOUD", "OFFLINE"]

CLOUD = "云商城"
OFFLINE = "线下"
CHANNELS = (CLOUD, OFFLINE)

DEALER = Table(
    "dealer",
    "加盟商",
    (
        F("dealer_id", "加盟商编号", K.ID, True, ("客户编号", "经销商编号")),
        F("dealer_name", "加盟商名称", K.TEXT, False, ("客户名称", "经销商名称")),
        F("service_id", "售后客服", K.ID, True, ("服务客服", "客服工号")),
        F("sales_id", "签约销售", K.ID, False, ("销售工号", "招商人员")),
    ),
)

PURCHASE = Table(
    "purchase",
    "提货明细",
    (
        F("dealer_id", "加盟商编号", K.ID, True, ("客户编号", "经销商编号")),
        F("date", "日期", K.DATE, False, ("提货日期", "下单日期")),
        F("channel", "渠道", K.TEXT, False, ("下单渠道",)),
        F("sales", "销售额", K.MONEY, False, ("零售额", "货款")),
        F("discount", "折扣", K.DISCOUNT, False, ("折扣率",)),
        F("amount", "提货额", K.MONEY, False, ("提货金额",)),
    ),
    any_of=("amount", "sales"),
)
