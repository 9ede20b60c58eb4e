"""A plain Chinese sentence per SHKF-TC line, for the slips."""

from __future__ import annotations

from decimal import Decimal

from kfbonus.money import fmt_money
from kfbonus.rules import fmt_percent

__all__ = ["plain_text"]


def _money(v: object) -> str:
    return fmt_money(v) if isinstance(v, Decimal) else str(v)


def plain_text(line) -> str:
    """What the line pays, in a sentence; the formula when the line carries no facts."""
    f = getattr(line, "facts", None) or {}
    amount = fmt_money(line.amount)
    award = str(line.award)
    if not f:
        text = line.formula
    elif award == "base_salary":
        n = f.get("dealers", 0)
        served = (
            f"你本月服务的 {n} 家加盟商提货额合计 {_money(f['total'])} 元" if n else "你本月没有服务的加盟商"
        )
        text = f"{served}，底薪级别为 {amount} 元。"
    elif award == "service_commission":
        who = f"加盟商 {f['dealer']}" + (f"（{f['dealer_name']}）" if f.get("dealer_name") else "")
        if line.category == "未达基础":
            text = f"{who}本月提货额 {_money(f['total'])} 元，未达基础档，本项没有提成。"
        else:
            text = (
                f"{who}本月提货额 {_money(f['total'])} 元，属{f['tier']}档，"
                f"按 {fmt_percent(f['rate'])} 计客服提成 {fmt_money(line.amount + line.unpaid)} 元。"
            )
    elif award == "sales_commission":
        who = f"签约加盟商 {f['dealer']}" + (f"（{f['dealer_name']}）" if f.get("dealer_name") else "")
        text = (
            f"{who}本月云商城提货额 {_money(f['cloud_total'])} 元，按 {fmt_percent(f['rate'])} "
            f"计销售提成 {fmt_money(line.amount + line.unpaid)} 元。"
        )
    elif award == "adjustment":
        note = f"（{f['note']}）" if f.get("note") else ""
        if f.get("team"):
            text = (
                f"{line.category}{note}：班组 {f['team']} 共 {_money(f['whole'])} 元，"
                f"由 {f['split']} 人平分，"
                f"你得 {amount} 元。"
            )
        elif f.get("deduction"):
            text = f"{line.category}{note}：扣除 {fmt_money(-line.amount)} 元。"
        else:
            text = f"{line.category}{note}：{amount} 元。"
    else:
        text = line.formula
    if line.reason and line.amount == 0 and line.unpaid:
        text += f"因{line.reason}，本项不予发放。"
    return text
