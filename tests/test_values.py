"""kfbonus.values: every value form of INPUTS.md, and the failures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kfbonus.schema import Kind
from kfbonus.values import BadValue, decimal_from_float, parse


@pytest.mark.parametrize("raw, expected", [
    ("1,234.50", "1234.50"),
    ("１２３４．５０", "1234.50"),
    ("¥1,234.50", "1234.50"),
    ("￥1,234.50", "1234.50"),
    ("  88 ", "88"),
    ("1234.5元", "1234.5"),
    ("-12.5", "-12.5"),
    (17.849999999999998, "17.85"),
    (0.1 + 0.2, "0.3"),
    (1001.0, "1001"),
    (7, "7"),
])
def test_numbers_as_typed(raw, expected):
    assert parse(Kind.MONEY, raw) == Decimal(expected)
    assert parse(Kind.NUMBER, raw) == Decimal(expected)


@pytest.mark.parametrize("raw", [None, "", "   ", "-", "—", "/"])
def test_blank_is_none_for_every_kind(raw):
    for kind in Kind:
        assert parse(kind, raw) is None


# misplaced thousands separators: 12,34 is a typo (for 12.34 or 1,234), shown, never read as 1234
_MISGROUPED = ["12,34", "1,2345", "１２，３４", "12 34", "1,234.5,6", "¥1,23.50", "-12,34元"]


@pytest.mark.parametrize("raw", ["十二", "12,3a", "1.2.3", True, dt.date(2026, 1, 1), *_MISGROUPED])
def test_non_numeric_amount_is_invalid_number(raw):
    with pytest.raises(BadValue) as e:
        parse(Kind.MONEY, raw)
    assert e.value.code == "invalid-number"
    assert "数字" in e.value.reason
    assert ("千分位" in e.value.reason) == (raw in _MISGROUPED)


@pytest.mark.parametrize("raw, expected", [
    ("1,234,567.89", "1234567.89"), ("-1,234", "-1234"), ("1 234.50", "1234.50"), ("RMB 1,000", "1000"),
    ("12,345天", "12345"), ("１２，３４５", "12345"), ("¥ 1,234.50 ", "1234.50"), ("−1,234.50", "-1234.50"),
])
def test_well_grouped_numbers_are_read(raw, expected):
    assert parse(Kind.MONEY, raw) == Decimal(expected)


@pytest.mark.parametrize("raw, expected", [
    ("15%", "0.15"), ("１５％", "0.15"), (15, "0.15"), (15.0, "0.15"), (0.15, "0.15"),
    ("0.15", "0.15"), ("15", "0.15"), (1, "1"), ("7.5%", "0.075"),
])
def test_ratio(raw, expected):
    assert parse(Kind.RATIO, raw) == Decimal(expected)


@pytest.mark.parametrize("raw, expected", [
    ("110%", "1.1"), (1.1, "1.1"), (110, "1.1"), ("110", "1.1"), (5, "5"), (6, "0.06"),
    (0.9, "0.9"), ("90%", "0.9"),
])
def test_percent(raw, expected):
    assert parse(Kind.PERCENT, raw) == Decimal(expected)


def test_bad_percent():
    with pytest.raises(BadValue) as e:
        parse(Kind.RATIO, "十五个点")
    assert e.value.code == "invalid-percent"


@pytest.mark.parametrize("raw, expected", [
    ("是", True), ("否", False), ("√", True), ("×", False), ("Y", True), ("n", False),
    (1, True), (0.0, False), ("1", True), ("0", False), ("✓", True), ("✗", False),
    ("yes", True), ("FALSE", False), (True, True), (" 是 ", True),
])
def test_bool(raw, expected):
    assert parse(Kind.BOOL, raw) is expected


def test_bad_bool():
    with pytest.raises(BadValue) as e:
        parse(Kind.BOOL, "也许")
    assert e.value.code == "invalid-bool"


@pytest.mark.parametrize("raw", [
    dt.date(2026, 11, 3), dt.datetime(2026, 11, 3, 0, 0), "2026-11-03", "2026/11/3", "2026.11.3",
    "2026年11月3日", " 2026-11-03 ", "２０２６－１１－０３", "2026-11-03 08:30", "20261103", 20261103,
    46329.0,
])
def test_dates(raw):
    assert parse(Kind.DATE, raw) == dt.date(2026, 11, 3)


@pytest.mark.parametrize("raw", ["2026-13-01", "2026-02-30", "明天", "11/3", 3.5])
def test_impossible_date(raw):
    with pytest.raises(BadValue) as e:
        parse(Kind.DATE, raw)
    assert e.value.code == "invalid-date"
    assert "2026-11-03" in e.value.reason


@pytest.mark.parametrize("raw, expected", [
    (1001.0, "1001"), (1001, "1001"), (" GC-2611-03 ", "GC-2611-03"), ("ＧＣ－２６１１－０３", "GC-2611-03"),
    ("A01\n", "A01"),
])
def test_ids(raw, expected):
    assert parse(Kind.ID, raw) == expected


def test_invisible_characters_pasted_from_the_web_are_dropped():
    # a zero-width space, a word joiner, a BOM: 「1001」 must be the roster's 1001
    assert parse(Kind.ID, "1001\u200b") == "1001"
    assert parse(Kind.ID, "\ufeffGC-01\u2060") == "GC-01"
    assert parse(Kind.TEXT, "创新奖\u200b") == "创新奖"
    assert parse(Kind.MONEY, "\u200b1,234.50") == Decimal("1234.50")
    assert parse(Kind.ID, "\u200b") is None


def test_text_and_skills():
    assert parse(Kind.TEXT, " 张三 ") == "张三"
    assert parse(Kind.TEXT, 3.0) == "3"
    assert parse(Kind.SKILLS, "电工、焊工, 高空作业；司机") == ("电工", "焊工", "高空作业", "司机")
    assert parse(Kind.SKILLS, "电工") == ("电工",)
    assert parse(Kind.SKILLS, "电工 焊工　管道工") == ("电工", "焊工", "管道工")   # spaces, full-width too


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_float_roundtrip_recovers_typed_decimal(d):
    # what the accountant typed, stored by Excel as a binary float, comes back exactly
    assert decimal_from_float(float(d)) == d


@given(st.decimals(min_value=0, max_value=10**8, places=2, allow_nan=False, allow_infinity=False))
def test_money_text_forms_agree(d):
    plain = f"{d:.2f}"
    grouped = f"{d:,.2f}"
    full = grouped.translate(str.maketrans("0123456789.,", "０１２３４５６７８９．，"))
    spaced = grouped.replace(",", " ")
    for text in (plain, grouped, f"¥{grouped}", f"￥{grouped}", f" {plain} ", full, spaced):
        assert parse(Kind.MONEY, text) == d
    assert parse(Kind.MONEY, f"-{grouped}") == -d


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_date_text_forms_agree(d):
    for text in (d.isoformat(), f"{d.year}/{d.month}/{d.day}", f"{d.year}.{d.month}.{d.day}",
                 f"{d.year}年{d.month}月{d.day}日"):
        assert parse(Kind.DATE, text) == d


# --- 折扣 (COMMISSION.md): 0.85 / 85 / 85% / 8.5折 / 9折 / 85折 -------------------------------------

@pytest.mark.parametrize("raw, expected", [
    (0.85, "0.85"), ("0.85", "0.85"), (1, "1"), (0.5, "0.5"),
    (85, "0.85"), ("85", "0.85"), (100, "1"), (8.5, "0.085"),
    ("85%", "0.85"), ("８５％", "0.85"), (" 85 % ", "0.85"), ("100%", "1"),
    ("8.5折", "0.85"), ("9折", "0.9"), ("7折", "0.7"), ("10折", "1"),
    ("85折", "0.85"), ("95折", "0.95"), ("11折", "0.11"), ("100折", "1"),
])
def test_parse_discount_forms(raw, expected):
    from kfbonus.values import parse_discount

    assert parse_discount(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", [0, "0", -0.85, "-85%", 101, "120", "150%", "0折", "101折", "八五折",
                                 "85 折扣", "abc", True, "0.85元折"])
def test_parse_discount_refuses(raw):
    from kfbonus.values import BadValue, parse_discount

    with pytest.raises(BadValue) as exc:
        parse_discount(raw)
    assert exc.value.code == "invalid-discount" and "折扣" in exc.value.reason


def test_parse_discount_blank():
    from kfbonus.values import parse_discount

    assert parse_discount(None) is None and parse_discount("  ") is None
