"""The 其他奖惩 checks every scheme shares (kfbonus.adjustments)."""

from __future__ import annotations

from decimal import Decimal

from kfbonus.adjustments import adjustment_error, nonstandard_amount
from kfbonus.problems import Severity, Source
from kfbonus.values import Percentage

STANDARD = {"优秀个人奖": Decimal("500.00"), "合理化建议奖": Decimal("200.00")}
DEDUCTIONS = ("扣款",)
CATEGORY, AMOUNT = Source("奖惩.xlsx", "奖惩", 3, "B"), Source("奖惩.xlsx", "奖惩", 3, "C")


def _error(category, given):
    return adjustment_error("工号 1001", category, given, STANDARD, DEDUCTIONS, CATEGORY, AMOUNT)


def test_the_errors_of_a_row_in_order_and_where_they_point():
    unknown = _error("加班费", Decimal("-5"))   # an unknown category comes first, at its cell
    assert (unknown.code, unknown.severity, unknown.source) == ("adjustment-unknown-category", Severity.ERROR,
                                                                CATEGORY)
    assert "可用：优秀个人奖、合理化建议奖、扣款" in unknown.message
    missing = _error("扣款", None)
    assert (missing.code, missing.source) == ("adjustment-amount-missing", AMOUNT)
    negative = _error("优秀个人奖", Decimal("-500"))
    assert (negative.code, negative.source) == ("adjustment-negative-reward", AMOUNT)
    assert "-500.00" in negative.message and "请把类别改为扣款" in negative.message
    # what is fine here: a negative 扣款, a reward with no amount (its standard), a percentage
    # (the scheme's own to judge)
    assert [_error("扣款", Decimal("-80")), _error("优秀个人奖", None), _error("扣款", Percentage("5%")),
            _error("优秀个人奖", Percentage("5%"))] == [None, None, None, None]


def test_a_reward_off_its_standard_is_a_warning_with_both_amounts():
    odd = nonstandard_amount("班组 一组", "合理化建议奖", Decimal("150"), STANDARD, DEDUCTIONS, AMOUNT)
    assert (odd.code, odd.severity, odd.source) == ("adjustment-nonstandard-amount", Severity.WARNING,
                                                    AMOUNT)
    assert odd.message == "班组 一组 的合理化建议奖金额为 150.00，与标准金额 200.00 不同"
    same = [nonstandard_amount("工号 1001", c, g, STANDARD, DEDUCTIONS, AMOUNT)
            for c, g in (("合理化建议奖", Decimal("200.004")), ("合理化建议奖", None),
                         ("扣款", Decimal("-9")), ("优秀个人奖", Percentage("10%")))]
    assert same == [None, None, None, None]
