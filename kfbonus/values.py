"""Cell values as people type them → typed values (INPUTS.md, "Cell values").

One parser per :class:`~kfbonus.schema.Kind`; :func:`parse` picks it.  A
parser takes what python-calamine gives for a cell (``str``, ``float``,
``int``, ``bool``, ``datetime.date``/``datetime.datetime``, ``''`` for an
empty cell) and returns the typed value, ``None`` for a blank cell, or raises
:class:`BadValue` carrying a stable problem code and the Chinese reason
(what was expected).  The reader turns a :class:`BadValue` into a Problem
naming the cell.

Rules (decisions where INPUTS.md is silent are marked *):

- Blank: ``None``, ``''``, only spaces, and* a lone ``-``/``—``/``/`` (how
  clerks write "none" in a 离职日期 or 金额 cell) are blank for every kind.
- Text is NFKC-normalised for numbers, ids, dates and yes/no (full-width
  ``１２３４．５０`` → ``1234.50``, ``￥`` → ``¥``); free text (names, notes)
  is only trimmed.
- Excel floats become Decimals by :func:`decimal_from_float`: an integral
  float is the integer; otherwise the float is rounded to 9 decimal places
  and its shortest repr is taken (17.849999999999998 → 17.85).  Never
  ``Decimal(float)``.
- Numbers/money: ``1,234.50``, ``¥1,234.50``, ``￥``, a trailing ``元``*
  or ``天``*, surrounding spaces, a leading ``+``/``-``/``−``*.  Money is
  kept exact (not rounded here: rounding belongs to kfbonus.money) and has at
  most two decimals: ``12.345`` is refused (``money-decimals``).
- RATIO (集体/个人激励比例): ``15%`` → 0.15; a bare number > 1 is a
  percentage (15 → 0.15), ≤ 1 a fraction (0.15, and Excel's 15%-formatted
  cells which hold 0.15).
- PERCENT (个人百分比): ``110%`` → 1.1; a bare number ≤ 5 is a fraction
  (1.1 → 110%), > 5 a percentage (110 → 1.1).
- BOOL: 是/否, √/×, ✓/✗, ✔/✘, Y/N, yes/no, true/false, 1/0, 对/错*, 有/无*,
  and Excel's TRUE/FALSE.
- DATE: real Excel dates; text ``2026-11-03``, ``2026/11/3``, ``2026.11.3``,
  ``2026年11月3日`` (a trailing time is ignored*), ``20261103``*; a number
  20261103* (yyyymmdd typed as a number) or an Excel serial number between
  10000 and 100000* (a date cell that lost its format).
- ID: trimmed, NFKC; a float 1001.0 → ``"1001"``.
- SKILLS: split on 、 , ， / ; ； and line breaks → a tuple of trimmed names.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kfbonus.schema import Kind

__all__ = [
    "BLANK_TEXTS",
    "INVISIBLE",
    "PARSERS",
    "BadValue",
    "Percentage",
    "decimal_from_float",
    "display",
    "is_blank",
    "parse",
    "parse_bool",
    "parse_date",
    "parse_discount",
    "excel_error",
    "parse_id",
    "parse_money",
    "parse_money_or_percent",
    "parse_number",
    "parse_percent",
    "parse_ratio",
    "parse_skills",
    "parse_text",
]


class BadValue(ValueError):
    """A cell that cannot be read as its kind: ``code`` (kebab-case) and ``reason`` (Chinese)."""

    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code = code
        self.reason = reason


BLANK_TEXTS = frozenset({"", "-", "—", "–", "/", "--", "——"})

_HUNDRED = Decimal(100)
_FIVE = Decimal(5)
_ONE = Decimal(1)


def is_blank(raw: object) -> bool:
    """True for an empty cell, only spaces, or a lone dash/slash."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return raw.strip() in BLANK_TEXTS
    return False


def display(raw: object) -> str:
    """A cell value as the accountant would see it, for messages."""
    if isinstance(raw, float):
        if raw.is_integer():
            return str(int(raw))
        return repr(round(raw, 9))
    if isinstance(raw, dt.datetime):
        return raw.strftime("%Y-%m-%d %H:%M") if (raw.hour or raw.minute) else raw.strftime("%Y-%m-%d")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    return str(raw).strip()


def decimal_from_float(x: float) -> Decimal:
    """Excel's binary float → the Decimal the accountant typed.

    Integral floats give the integer; others are rounded to 9 decimal places
    and the shortest repr of that is taken, which removes binary noise
    (17.849999999999998 → 17.85, 0.1 + 0.2 → 0.3).
    """
    if x.is_integer():
        return Decimal(int(x))
    if x != x or x in (float("inf"), float("-inf")):
        raise BadValue("invalid-number", "不是有效数字")
    return Decimal(repr(round(x, 9)))


# characters that show as nothing (zero-width space and joiners, word joiner, BOM): text pasted
# from a web page or a chat keeps them, and 「1001」 would not be the roster's 1001
INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\u2060\ufeff")


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(INVISIBLE).strip()


_NUMBER_STRIP = str.maketrans("", "", ",¥$ \u00a0\u3000'")
_NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


# digits broken by a separator: then every group after the first has three digits (1,234.50,
# 1 234 567); 12,34 or 1,2345 is a typo to be shown, never read as 1234 / 12345
_SEPARATED_RE = re.compile(r"\d[,' ]+\d")
_GROUPED_RE = re.compile(r"[+-]?\d{1,3}([,' ]\d{3})+(\.\d*)?")


def _number_text(text: str) -> Decimal:
    n = _norm(text)
    t = n.translate(_NUMBER_STRIP).replace("−", "-").replace("RMB", "")
    if t.endswith(("元", "天")):
        t = t[:-1]
    if not _NUMBER_RE.fullmatch(t):
        raise BadValue("invalid-number", "不是有效数字，应为如 1,234.50 的数字")
    if _SEPARATED_RE.search(n):
        bare = n.replace("−", "-").replace("RMB", "").strip("¥$ 元天")   # (NFKC made NBSP a space)
        if not _GROUPED_RE.fullmatch(bare.replace("- ", "-")):
            raise BadValue("invalid-number",
                           "千分位逗号的位置不对（应每三位一个，如 1,234.50），请核对这个数字")
    try:
        return Decimal(t)
    except InvalidOperation:  # pragma: no cover - regex already guards
        raise BadValue("invalid-number", "不是有效数字，应为如 1,234.50 的数字") from None


def parse_number(raw: object) -> Decimal | None:
    """NUMBER and MONEY: an exact Decimal."""
    cls = raw.__class__
    if cls is float:
        return decimal_from_float(raw)  # type: ignore[arg-type]
    if cls is str:
        if raw.strip() in BLANK_TEXTS:  # type: ignore[attr-defined]
            return None
        return _number_text(raw)  # type: ignore[arg-type]
    if cls is int:
        return Decimal(raw)  # type: ignore[arg-type]
    if raw is None:
        return None
    raise BadValue("invalid-number", "不是数字，应为如 1,234.50 的数字")


_CENT = Decimal("0.01")


def parse_money(raw: object) -> Decimal | None:
    """MONEY: an exact Decimal with at most two decimals once Excel's float noise is gone
    (INPUTS.md): ``12.345`` is refused, so a typo for 12,345 is never paid as 12.35."""
    value = parse_number(raw)
    if value is not None and value % _CENT:
        raise BadValue("money-decimals",
                       "有两位以上小数：金额最多到分（两位小数）；如应为 12,345 之类的整数请改正，"
                       "否则请改为两位小数")
    return value


@dataclass(frozen=True)
class Percentage:
    """A percentage typed where money may stand (a 扣款 of ``5%`` of the month's 计件工资)."""

    fraction: Decimal

    def __str__(self) -> str:
        return f"{(self.fraction * 100).normalize():f}%"


def parse_money_or_percent(raw: object) -> Decimal | Percentage | None:
    """MONEY_OR_PERCENT: money as :func:`parse_money`, or text ending in ``%`` as a
    :class:`Percentage` (a number in a percent-formatted cell is one too: the reader
    knows the format)."""
    if raw.__class__ is str and _norm(raw).endswith("%"):  # type: ignore[arg-type]
        try:
            value, _ = _fraction_text(raw)  # type: ignore[arg-type]
        except BadValue:
            raise BadValue("invalid-number", "不是有效的金额或百分比，应为如 200.00 或 5% 的数") from None
        return Percentage(value / _HUNDRED)
    return parse_money(raw)


_EXCEL_ERRORS = frozenset({"#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!",
                           "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!",
                           "#UNKNOWN!"})


def excel_error(raw: object) -> str | None:
    """The Excel error value a cell holds (``#DIV/0!`` …), when its text is one, else None."""
    if raw.__class__ is str:
        t = raw.strip().upper()  # type: ignore[attr-defined]
        if t in _EXCEL_ERRORS:
            return t
    return None


def _fraction_text(text: str) -> tuple[Decimal, bool]:
    """Number text, possibly ending in %: (value, had_percent_sign)."""
    t = _norm(text)
    if t.endswith("%"):
        return _number_text(t[:-1]), True
    return _number_text(t), False


def _parse_share(raw: object, fraction_up_to: Decimal, what: str) -> Decimal | None:
    """A share as a fraction: ``15%`` → 0.15; a bare number above ``fraction_up_to`` is
    a percentage (15 → 0.15), up to it already a fraction (INPUTS.md: by the field's range)."""
    if is_blank(raw):
        return None
    if isinstance(raw, str):
        try:
            value, pct = _fraction_text(raw)
        except BadValue:
            raise BadValue("invalid-percent", what) from None
        if pct:
            return value / _HUNDRED
    elif isinstance(raw, bool) or not isinstance(raw, int | float):
        raise BadValue("invalid-percent", what)
    else:
        value = parse_number(raw)  # type: ignore[assignment]
    return value / _HUNDRED if value > fraction_up_to else value


def parse_ratio(raw: object) -> Decimal | None:
    """RATIO (award ratios): ``15%``/15 → 0.15; a number ≤ 1 is already a fraction."""
    return _parse_share(raw, _ONE, "不是有效比例，应为如 15% 或 0.15 的数")


def parse_percent(raw: object) -> Decimal | None:
    """PERCENT (个人百分比): ``110%``/110/1.1 → 1.1; ≤ 5 is a fraction, > 5 a percentage."""
    return _parse_share(raw, _FIVE, "不是有效百分比，应为如 110% 或 1.1 的数")


_ZHE_RE = re.compile(r"(\d+(\.\d*)?|\.\d+)折")
_TEN = Decimal(10)
_BAD_DISCOUNT = "不是有效折扣，应为如 0.85、85、85%、8.5折 或 85折 的写法，且在 0 到 1（不含 0）之间"


def parse_discount(raw: object) -> Decimal | None:
    """DISCOUNT (折扣, COMMISSION.md) as the fraction paid, in (0, 1]: a number up to 1 is
    the fraction (``0.85``); above 1 up to 100, or text with ``%``, a percentage (``85``,
    ``85%``); ``N折`` is N/10 for N up to 10 (``8.5折``, ``9折``) and N% for N from 10 to
    100 (``85折``).  Anything else, or a value outside (0, 1] once read, is refused."""
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        raise BadValue("invalid-discount", _BAD_DISCOUNT)
    if isinstance(raw, str):
        t = _norm(raw).replace(" ", "").replace("\u3000", "")
        m = _ZHE_RE.fullmatch(t)
        if m:
            n = Decimal(m.group(1))
            value = n / _TEN if n <= _TEN else n / _HUNDRED
        else:
            try:
                number, pct = _fraction_text(t)
            except BadValue:
                raise BadValue("invalid-discount", _BAD_DISCOUNT) from None
            value = number / _HUNDRED if pct or number > _ONE else number
    elif isinstance(raw, int | float):
        number = parse_number(raw)
        value = number / _HUNDRED if number > _ONE else number  # type: ignore[operator]
    else:
        raise BadValue("invalid-discount", _BAD_DISCOUNT)
    if not Decimal(0) < value <= _ONE:
        raise BadValue("invalid-discount", _BAD_DISCOUNT)
    return value


_TRUE = frozenset({"是", "√", "✓", "✔", "☑", "y", "yes", "true", "1", "对", "有", "是的"})
_FALSE = frozenset({"否", "×", "✗", "✘", "✕", "x", "n", "no", "false", "0", "错", "无", "不是"})


def parse_bool(raw: object) -> bool | None:
    """BOOL: 是/否, √/×, Y/N, 1/0 (and the usual variants)."""
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float):
        if raw == 1:
            return True
        if raw == 0:
            return False
    elif isinstance(raw, str):
        t = _norm(raw).lower()
        if t in _TRUE:
            return True
        if t in _FALSE:
            return False
        if t.endswith(".0") and t[:-2] in ("1", "0"):
            return t[0] == "1"
    raise BadValue("invalid-bool", "不是“是/否”，应为 是/否、√/×、Y/N 或 1/0")


_DATE_RE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DATE8_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_REASON = "不是有效日期，应为如 2026-11-03 的日期"


def _ymd(y: str | int, m: str | int, d: str | int) -> dt.date:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        raise BadValue("invalid-date", _DATE_REASON) from None


def parse_date(raw: object) -> dt.date | None:
    """DATE: Excel dates, 2026-11-03, 2026/11/3, 2026.11.3, 2026年11月3日, 20261103."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if is_blank(raw):
        return None
    if isinstance(raw, str):
        t = _norm(raw)
        m = _DATE_RE.fullmatch(t) or _DATE8_RE.fullmatch(t)
        if m:
            return _ymd(*m.groups()[:3])
        raise BadValue("invalid-date", _DATE_REASON)
    if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
        n = int(raw)
        if 19000101 <= n <= 29991231:
            return _ymd(n // 10000, n // 100 % 100, n % 100)
        if 10000 <= n <= 100000:
            return _EXCEL_EPOCH + dt.timedelta(days=n)
    raise BadValue("invalid-date", _DATE_REASON)


def parse_id(raw: object) -> str | None:
    """ID (工号, 工程编号): trimmed, NFKC, without invisible characters; 1001.0 → ``"1001"``."""
    cls = raw.__class__
    if cls is str:
        t = _norm(raw)  # type: ignore[arg-type]
        return None if t in BLANK_TEXTS else t
    if cls is float:
        return str(int(raw)) if raw.is_integer() else repr(round(raw, 9))  # type: ignore[attr-defined]
    if cls is int:
        return str(raw)
    if raw is None:
        return None
    return display(raw)


def parse_text(raw: object) -> str | None:
    """TEXT: trimmed as typed, without invisible characters; a number is shown without a
    trailing ``.0``."""
    cls = raw.__class__
    if cls is str:
        t = raw.translate(INVISIBLE).strip()  # type: ignore[attr-defined]
        return None if t in BLANK_TEXTS else t
    if raw is None:
        return None
    return display(raw)


_SKILL_SPLIT = re.compile(r"[、,，/;；\s]+")   # INPUTS.md's separators, and spaces (电工 焊工)


def parse_skills(raw: object) -> tuple[str, ...] | None:
    """SKILLS: ``电工、焊工`` or ``电工 焊工`` → ``("电工", "焊工")``."""
    text = parse_text(raw)
    if text is None:
        return None
    parts = tuple(p.strip() for p in _SKILL_SPLIT.split(text))
    return tuple(p for p in parts if p) or None


PARSERS: dict[Kind, Callable[[object], object]] = {
    Kind.ID: parse_id,
    Kind.TEXT: parse_text,
    Kind.NUMBER: parse_number,
    Kind.MONEY: parse_money,
    Kind.RATIO: parse_ratio,
    Kind.PERCENT: parse_percent,
    Kind.DATE: parse_date,
    Kind.BOOL: parse_bool,
    Kind.SKILLS: parse_skills,
    Kind.MONEY_OR_PERCENT: parse_money_or_percent,
    Kind.DISCOUNT: parse_discount,
}


def parse(kind: Kind, raw: object) -> object:
    """Parse one cell as ``kind``: the typed value, ``None`` if blank, or :class:`BadValue`."""
    return PARSERS[kind](raw)
