"""kfbonus.model: equal values held once (Shared)."""

from __future__ import annotations

from decimal import Decimal

from kfbonus.model import Shared


def _new(text: str) -> str:
    """An equal str that is another object (what a formula built per line is)."""
    return "".join(list(text))


def test_shared_gives_the_first_equal_value_spelled_the_same():
    shared = Shared()
    first = _new("满3年档 80.00")
    assert shared(first) is first
    again = _new("满3年档 80.00")
    assert again is not first and shared(again) is first
    twenty_two = Decimal("22")
    assert shared(twenty_two) is twenty_two and shared(Decimal("22")) is twenty_two
    # equal numbers spelled otherwise stay apart: a slip shows 22.0 as typed, a −0.00 is not 0.00
    assert str(shared(Decimal("22.0"))) == "22.0"
    zero = shared(Decimal("0.00"))
    assert str(shared(Decimal("-0.00"))) == "-0.00" and str(zero) == "0.00"
    # other values as they are; a str is never given back for a Decimal that reads the same
    assert shared(Decimal("12.00")) is not shared("12.00")
    assert shared(7) == 7 and shared(None) is None
