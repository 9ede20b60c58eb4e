"""其他奖惩 rows as every scheme that pays them checks them: the category is one the rules
list (``adjustment.standard_amounts`` for rewards, ``adjustment.deduction_categories``
for 扣款); a 扣款 has an amount (it has no standard one); a reward's amount is not
negative (-500 on a reward is a 扣款 under the wrong category, or a typo for 500: not
for the program to guess); a reward whose amount differs from its standard is paid as
typed, with a warning.

What a percentage means is the scheme's own (FS-MS-KF-13 takes a 扣款 as a share of
计件工资; the commission scheme has no 计件工资 and refuses one): :func:`adjustment_error`
leaves a percentage to the caller.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from decimal import Decimal

from kfbonus.money import fmt_money, round_money
from kfbonus.problems import Problem, Source, error, warning
from kfbonus.values import Percentage

__all__ = ["adjustment_error", "nonstandard_amount"]


def adjustment_error(who: str, category: str, given: object, standard: Mapping[str, Decimal],
                     deductions: Collection[str], category_cell: Source,
                     amount_cell: Source) -> Problem | None:
    """The error of one 其他奖惩 row (``who``: 「工号 1001」 or 「班组 一组」), if any: an unknown
    category, then — for an amount, not a percentage — a 扣款 without one or a negative reward."""
    if category not in standard and category not in deductions:
        known = "、".join([*standard, *deductions])
        return error("adjustment-unknown-category",
                     f"{who} 的奖惩类别「{category}」不在制度规定的类别中（可用：{known}）", category_cell)
    if isinstance(given, Percentage):
        return None
    if category in deductions and given is None:
        return error("adjustment-amount-missing", f"{who} 的{category}没有填写金额（扣款无标准金额）",
                     amount_cell)
    if category not in deductions and given is not None and given < 0:  # type: ignore[operator]
        return error("adjustment-negative-reward",
                     f"{who} 的{category}金额为 {fmt_money(given)}：奖励金额不能为负；"  # type: ignore[arg-type]
                     "如为扣款，请把类别改为扣款", amount_cell)
    return None


def nonstandard_amount(who: str, category: str, given: object, standard: Mapping[str, Decimal],
                       deductions: Collection[str], amount_cell: Source) -> Problem | None:
    """A reward typed with an amount other than its standard one (paid as typed): a warning."""
    if category in deductions or given is None or isinstance(given, Percentage):
        return None
    amount, std = round_money(given), standard[category]  # type: ignore[arg-type]
    if amount == std:
        return None
    return warning("adjustment-nonstandard-amount",
                   f"{who} 的{category}金额为 {fmt_money(amount)}，与标准金额 {fmt_money(std)} 不同",
                   amount_cell)
