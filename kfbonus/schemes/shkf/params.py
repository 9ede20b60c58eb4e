"""SHKF-TC's parameters: the RuleSpec its rules files are checked against, and loading."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from kfbonus.money import fmt_money
from kfbonus.rules import (
    Params,
    RuleSet,
    RuleSpec,
    _int,
    _money,
    _money_map,
    _rate,
    _str_list,
    fmt_percent,
    load_rules,
)

__all__ = ["CHECKS", "RULES_DIR", "SPEC", "load", "params_in_force"]

RULES_DIR = Path(__file__).with_name("rules")
SCHEME_ID = "SHKF-TC"

EXCLUDABLE = ("commission", "adjustment")
_EXCLUDABLE_NAMES = {"commission": "客服提成、销售提成", "adjustment": "其他奖惩"}

CHECKS: dict[str, Callable[[object], object]] = {
    "tiers.base_min": _money,
    "tiers.target_min": _money,
    "tiers.sprint_min": _money,
    "tiers.base_rate": _rate,
    "tiers.target_rate": _rate,
    "tiers.sprint_rate": _rate,
    "base_salary.low": _money,
    "base_salary.mid": _money,
    "base_salary.high": _money,
    "base_salary.mid_min": _money,
    "base_salary.high_min": _money,
    "sales.cloud_rate": _rate,
    "exclusions.applies_to": lambda v: _str_list(v, EXCLUDABLE),
    "exclusions.outsourced_types": _str_list,
    "exclusions.probation_types": _str_list,
    "exclusions.min_absence_days": lambda v: _int(v, lo=1),
    "adjustment.standard_amounts": _money_map,
    "adjustment.deduction_categories": _str_list,
}

PAIRS = (
    ("tiers.base_min", "tiers.target_min"),
    ("tiers.target_min", "tiers.sprint_min"),
    ("base_salary.mid_min", "base_salary.high_min"),
)


def _show(key: str, value: object) -> str | None:
    if key.endswith("_rate"):
        return fmt_percent(value)  # type: ignore[arg-type]
    if key.startswith(("tiers.", "base_salary.")) and isinstance(value, Decimal):
        return fmt_money(value)
    if key == "exclusions.applies_to":
        return "、".join(_EXCLUDABLE_NAMES.get(x, x) for x in value) or "（无）"  # type: ignore[union-attr]
    return None


SPEC = RuleSpec(CHECKS, PAIRS, _show, scheme=SCHEME_ID)


def load(path: Path | str | None = None) -> RuleSet:
    """Every SHKF-TC rules file (this package's ``rules/`` by default)."""
    return load_rules(path, SPEC, RULES_DIR)


def params_in_force(date, path: Path | str | None = None) -> Params:
    return load(path).in_force(date)
