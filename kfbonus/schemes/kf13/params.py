"""FS-MS-KF-13's parameters: every key its rules files must define, with the check that
types it, the (lower, upper) pairs, and how its values read on 规则与来源.  The loader
(:mod:`kfbonus.rules`) is everyone's; this spec is the scheme's own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kfbonus.money import fmt_money
from kfbonus.rules import (
    RuleSet,
    RuleSpec,
    _bool,
    _choice,
    _int,
    _money,
    _money_map,
    _percent,
    _rate,
    _score,
    _str_list,
    _text,
    _tiers,
    fmt_percent,
)
from kfbonus.rules import load_rules as _load

ID = "FS-MS-KF-13"   # the scheme's id: its months' key in the ledger, with the period

__all__ = ["PAIRS", "RULES_DIR", "SPEC", "RULE_SPEC", "load_rules", "show"]

RULES_DIR = Path(__file__).with_name("rules")

AWARD_CODES = ("individual", "collective", "training", "seniority", "annual", "adjustment")
_AWARD_NAMES = {"individual": "个人奖", "collective": "集体奖", "training": "培训补贴", "seniority": "工龄奖",
                "annual": "年度奖", "adjustment": "其他奖惩"}




SPEC: dict[str, Callable[[object], object]] = {
    "exclusions.applies_to": lambda v: _str_list(v, AWARD_CODES),
    "exclusions.outsourced_types": _str_list,
    "exclusions.probation_types": _str_list,
    "exclusions.min_absence_days": lambda v: _int(v, lo=1),
    "individual.rate_min": _rate,
    "individual.rate_max": _rate,
    "individual.required_rating": _text,
    "individual.special_skills": _str_list,
    "individual.min_service_years": _int,
    "individual.cap_per_month": _money,
    "collective.ratio_min": _rate,
    "collective.ratio_max": _rate,
    "collective.total_days": _choice("person_days", "project_duration"),
    "collective.default_percent": _percent,
    "training.daily_rate": _money,
    "seniority.tiers": _tiers,
    "seniority.forfeit_on_absent_without_leave": _bool,
    "annual.min_months": lambda v: _int(v, lo=0, hi=12),
    "annual.safety_amount": _money,
    "annual.quality_amount": _money,
    "annual.min_quality_score": _score,
    "annual.prorate": _bool,
    "adjustment.standard_amounts": _money_map,
    "adjustment.deduction_categories": _str_list,
}
"""Every parameter key a rules file must define, with the check that types it."""

PAIRS = (("individual.rate_min", "individual.rate_max"), ("collective.ratio_min", "collective.ratio_max"))


def show(key: str, value: object) -> str | None:
    """FS-MS-KF-13's own forms: rates as percentages, the seniority tiers, award names."""
    if key.endswith(("rate_min", "rate_max", "ratio_min", "ratio_max", "default_percent")):
        return fmt_percent(value)  # type: ignore[arg-type]
    if key == "seniority.tiers":
        return "；".join(f"满{y}年 {fmt_money(a)}" for y, a in value)  # type: ignore[union-attr]
    if key == "exclusions.applies_to":
        return "、".join(_AWARD_NAMES.get(x, x) for x in value)  # type: ignore[union-attr]
    if key.endswith(("cap_per_month", "daily_rate")):
        return fmt_money(value)  # type: ignore[arg-type]
    return None




RULE_SPEC = RuleSpec(SPEC, PAIRS, show, "FS-MS-KF-13")
"""What FS-MS-KF-13's rules files must hold."""


def load_rules(path: Path | str | None = None) -> RuleSet:
    """FS-MS-KF-13's rules: its own folder, or ``path`` (a file or a folder)."""
    return _load(path, RULE_SPEC, RULES_DIR)
