"""How the department likes its workbooks to look: the few display choices that are
the department's to make, not the scheme's (the scheme's numbers are in the rules file).

Defaults are the module constants below; each can be changed without touching code by
an environment variable (set once on the accountant's machine, e.g. in the launcher)::

    KFBONUS_NEGATIVE      负号 (default: -1,234.50 in red) or 括号 (red (1,234.50), as many
                          accountants print deductions)
    KFBONUS_CHANGE_YUAN   a worker's change from last month is marked 变动大 when it is at
    KFBONUS_CHANGE_PCT    least this many yuan AND at least this percent of last month
                          (defaults 200 and 30; 0 switches that half of the test off)

A value that does not parse is ignored (the default applies): a display setting never
stops a month.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["CHANGE_PCT", "CHANGE_YUAN", "NEGATIVE", "Settings", "load_settings"]

NEGATIVE = "负号"            # 负号 | 括号
CHANGE_YUAN = Decimal(200)
CHANGE_PCT = Decimal(30)

_MONEY_FORMATS = {
    # positive; negative; zero as "-" (the accounting convention: an empty cell reads as "none")
    "负号": '#,##0.00;[Red]-#,##0.00;"-"',
    "括号": '#,##0.00;[Red](#,##0.00);"-"',
}


@dataclass(frozen=True)
class Settings:
    negative: str = NEGATIVE
    change_yuan: Decimal = CHANGE_YUAN
    change_pct: Decimal = CHANGE_PCT

    @property
    def money_format(self) -> str:
        """The Excel number format of every amount: thousands separator, two decimals,
        negatives red (minus or brackets), zero as ``-``."""
        return _MONEY_FORMATS.get(self.negative, _MONEY_FORMATS[NEGATIVE])

    def large_change(self, before: Decimal, change: Decimal) -> bool:
        """变动大: ``|change|`` reaches both thresholds (a threshold of 0 is always reached)."""
        size = abs(change)
        if size == 0:
            return False
        return size >= self.change_yuan and size * 100 >= self.change_pct * abs(before)


def _decimal(text: str | None, default: Decimal) -> Decimal:
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        return default
    return value if value.is_finite() and value >= 0 else default


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    negative = env.get("KFBONUS_NEGATIVE", NEGATIVE).strip()
    return Settings(negative=negative if negative in _MONEY_FORMATS else NEGATIVE,
                    change_yuan=_decimal(env.get("KFBONUS_CHANGE_YUAN"), CHANGE_YUAN),
                    change_pct=_decimal(env.get("KFBONUS_CHANGE_PCT"), CHANGE_PCT))
