"""Money, in one place: exact decimals, one rounding rule, one allocation rule.

Every amount in kfbonus is a :class:`decimal.Decimal`.  Nothing else in the
package rounds money: award functions compute exact values and call
:func:`round_money` once per line, or :func:`allocate` to split a whole.
(SCHEME.md, "Money".)
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal

FEN = Decimal("0.01")
_CTX = Context(prec=50)  # wide enough that quantizing any amount is exact
ZERO = Decimal("0.00")

__all__ = ["FEN", "ZERO", "D", "round_money", "floor_money", "allocate", "fmt_money", "to_capital"]


def D(value: object) -> Decimal:
    """Make an exact Decimal from an int, str or Decimal.

    Binary floats are refused: a float has already lost the exact value the
    accountant typed.  The reader turns Excel's floats into Decimals through
    :func:`kfbonus.values.decimal_from_float` first.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a bool is not money")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        return Decimal(value.strip())
    raise TypeError(f"refusing to make money from {type(value).__name__}: {value!r}")


def round_money(value: Decimal) -> Decimal:
    """Round to 0.01 with round-half-up (四舍五入), away from zero at .5 fen."""
    return D(value).quantize(FEN, rounding=ROUND_HALF_UP, context=_CTX)


def floor_money(value: Decimal) -> Decimal:
    """Truncate to 0.01 towards zero (the first step of largest remainder)."""
    return D(value).quantize(FEN, rounding=ROUND_DOWN, context=_CTX)


def allocate(exact: Sequence[Decimal], keys: Sequence[str], target: Decimal | None = None) -> list[Decimal]:
    """Split ``target`` into parts by the largest-remainder method (SCHEME.md, Money).

    ``exact`` are the parts' exact (unrounded, non-negative) values and ``keys``
    their 工号, used to break ties (ascending).  Each part is floored to 0.01,
    then the fen still missing to reach ``target`` go one each to the parts with
    the largest remainders.  ``target`` defaults to round(sum of the exact parts).
    Each part ends within one fen of its exact value and the parts add up to
    ``target`` exactly; the result does not depend on the order of the input.
    """
    if len(exact) != len(keys):
        raise ValueError("one key per part")
    values = [D(v) for v in exact]
    if any(v < 0 for v in values):
        raise ValueError("allocate takes non-negative parts")
    total = round_money(sum(values, Decimal(0))) if target is None else round_money(target)
    floors = [floor_money(v) for v in values]
    missing = int((total - sum(floors, Decimal(0))) / FEN)
    if missing < 0 or missing > len(values):
        raise ValueError(f"target {total} is not reachable from parts summing to {sum(values)}")
    order = sorted(range(len(values)), key=lambda i: (-(values[i] - floors[i]), str(keys[i])))
    for i in order[:missing]:
        floors[i] += FEN
    return floors


def fmt_money(value: Decimal) -> str:
    """``1234.5`` → ``1,234.50`` (for formula texts and messages; renderers use number formats)."""
    return f"{round_money(value):,.2f}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ["", "拾", "佰", "仟"]
_BIG_UNITS = ["", "万", "亿", "万亿"]


def _four_digits(n: int) -> str:
    """Capitals for 0 < n < 10000, with inner zeros as a single 零."""
    out = []
    zero = False
    for pos in range(3, -1, -1):
        d = (n // 10**pos) % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(_DIGITS[d] + _SMALL_UNITS[pos])
    return "".join(out)


def to_capital(value: Decimal) -> str:
    """Amount in Chinese capitals (大写金额), e.g. 1808.44 → 壹仟捌佰零捌元肆角肆分.

    Zero is 零元整; a negative amount starts with 负; whole yuan end with 整.
    """
    amount = round_money(value)
    sign = "负" if amount < 0 else ""
    fen_total = int(abs(amount) * 100)
    yuan, jiao, fen = fen_total // 100, (fen_total // 10) % 10, fen_total % 10
    if fen_total == 0:
        return "零元整"
    parts: list[str] = []
    if yuan:
        groups = []
        n = yuan
        while n:
            groups.append(n % 10000)
            n //= 10000
        text = ""
        need_zero = False
        for idx in range(len(groups) - 1, -1, -1):
            g = groups[idx]
            if g == 0:
                need_zero = bool(text)
                continue
            if text and (need_zero or g < 1000):
                text += "零"
            text += _four_digits(g) + _BIG_UNITS[idx]
            need_zero = False
        parts.append(text + "元")
    if jiao:
        parts.append(_DIGITS[jiao] + "角")
    elif yuan and fen:
        parts.append("零")
    if fen:
        parts.append(_DIGITS[fen] + "分")
    else:
        parts.append("整")
    return sign + "".join(parts)
