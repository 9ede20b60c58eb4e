"""kfbonus.money: half-up rounding, largest-remainder allocation, amounts in capitals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kfbonus.money import FEN, allocate, round_money, to_capital

exact_parts = st.lists(
    st.decimals(min_value=0, max_value=100000, places=6, allow_nan=False, allow_infinity=False),
    min_size=1, max_size=12)


def _keys(n: int) -> list[str]:
    return [f"W{i:03d}" for i in range(n)]


@given(exact_parts)
def test_allocate_sums_to_rounded_total_and_stays_within_a_fen(parts):
    keys = _keys(len(parts))
    out = allocate(parts, keys)
    assert sum(out, Decimal(0)) == round_money(sum(parts, Decimal(0)))
    for exact, got in zip(parts, out, strict=True):
        assert abs(got - exact) < FEN
        assert got == got.quantize(FEN)


@given(exact_parts, st.randoms())
def test_allocate_is_permutation_invariant(parts, rnd):
    keys = _keys(len(parts))
    first = dict(zip(keys, allocate(parts, keys), strict=True))
    order = list(range(len(parts)))
    rnd.shuffle(order)
    again = allocate([parts[i] for i in order], [keys[i] for i in order])
    assert dict(zip([keys[i] for i in order], again, strict=True)) == first


@given(st.decimals(min_value=0, max_value=100000, places=2), st.integers(min_value=1, max_value=9))
def test_equal_split_sums_to_whole(whole, n):
    keys = _keys(n)
    out = allocate([whole / n] * n, keys, target=whole)
    assert sum(out, Decimal(0)) == whole
    assert max(out) - min(out) <= FEN
    assert out == sorted(out, reverse=True)  # the extra fen go to the lowest 工号 first


def test_pool_360_315_split_three_ways_ties_by_worker_id():
    pool = round_money(Decimal("12010.50") * Decimal("0.03"))
    assert pool == Decimal("360.32")  # float(12010.50 * 0.03) rounds to 360.31
    keys = ["A03", "A01", "A02"]
    out = allocate([pool / 3] * 3, keys, target=pool)
    assert dict(zip(keys, out, strict=True)) == {
        "A01": Decimal("120.11"), "A02": Decimal("120.11"), "A03": Decimal("120.10")}


@pytest.mark.parametrize(("value", "expected"), [
    ("0.005", "0.01"), ("0.004", "0.00"), ("2.675", "2.68"), ("-2.675", "-2.68"),
    ("-0.005", "-0.01"), ("360.315", "360.32"), ("1389.375", "1389.38"), ("10", "10.00"),
])
def test_round_money_half_up_away_from_zero(value, expected):
    assert round_money(Decimal(value)) == Decimal(expected)


@given(st.decimals(min_value=-10**6, max_value=10**6, places=4))
def test_round_money_is_within_half_a_fen_and_symmetric(value):
    r = round_money(value)
    assert abs(r - value) <= FEN / 2
    assert round_money(-value) == -r


@pytest.mark.parametrize(("value", "expected"), [
    ("0", "零元整"),
    ("0.05", "伍分"),
    ("10.00", "壹拾元整"),
    ("1808.44", "壹仟捌佰零捌元肆角肆分"),
    ("100000.10", "壹拾万元壹角整"),  # 整 after 角 when there is no 分 (支付结算办法)
    ("-1808.44", "负壹仟捌佰零捌元肆角肆分"),
    ("-200", "负贰佰元整"),
])
def test_to_capital(value, expected):
    assert to_capital(Decimal(value)) == expected


def test_allocate_refuses_unreachable_target():
    with pytest.raises(ValueError):
        allocate([Decimal("1.00")], ["A"], target=Decimal("5.00"))
