"""kfbonus.rules: the rules file loads typed, broken files name the file and key."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from kfbonus.rules import RulesError
from kfbonus.schemes.kf13.params import RULES_DIR, SPEC, load_rules

SHIPPED = RULES_DIR / "FS-MS-KF-13_A2.toml"


def _variant(tmp_path: Path, old: str, new: str, name: str = "broken.toml") -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_shipped_rules_load_typed():
    params = load_rules().in_force(dt.date(2026, 11, 30))
    assert params.label == "FS-MS-KF-13 A/2"
    assert params.effective == dt.date(2009, 4, 1)
    assert params.source == "FS-MS-KF-13_A2.toml"
    assert params["individual.rate_min"] == Decimal("0.03")
    assert isinstance(params["individual.cap_per_month"], Decimal)
    assert params["seniority.tiers"][0] == (1, Decimal("30.00"))
    assert params["adjustment.standard_amounts"]["先进个人奖"] == Decimal("2000.00")
    assert params.clause("individual.cap_per_month") == "FS-MS-KF-13 §壹(一)3(1)"
    rows = params.rows()
    assert [r[0] for r in rows] == list(SPEC)
    seniority = dict((r[0], r) for r in rows)["seniority.tiers"]
    assert seniority[3] is True and "满8年 150.00" in seniority[1]
    assert dict((r[0], r[1]) for r in rows)["collective.ratio_max"] == "20%"


def test_before_effective_date_is_an_error():
    with pytest.raises(RulesError, match="2009-03-31"):
        load_rules().in_force(dt.date(2009, 3, 31))


@pytest.mark.parametrize(("old", "new", "key"), [
    ("[training.daily_rate]", "[training.daily_ratee]", "training.daily_ratee"),          # unknown key
    ("value = 60.00", 'value = "60"', "training.daily_rate"),                              # wrong type
    ("value = 0.05", "value = 5", "individual.rate_max"),                                  # rate outside 0–1
    ("[[1, 30.00], [2, 50.00]", "[[2, 30.00], [1, 50.00]", "seniority.tiers"),  # tiers out of order
    ("[annual.prorate]\nvalue = false", "[annual.prorate_x]\nvalue = false", "annual.prorate"),
    ('version = "A/2"', "version = ", "TOML"),                                             # bad TOML
    ("value = 0.03", "value = 0.06", "individual.rate_min"),                               # min above max
    ('clause = "FS-MS-KF-13 §壹(一)3(2)"', 'clause = ""', "training.daily_rate.clause"),  # no clause
])
def test_broken_file_names_file_and_key(tmp_path, old, new, key):
    path = _variant(tmp_path, old, new)
    with pytest.raises(RulesError) as info:
        load_rules(path)
    assert "broken.toml" in str(info.value)
    assert key in str(info.value)


def test_missing_key_is_named(tmp_path):
    block = ('[training.daily_rate]\nvalue = 60.00\n'
             'clause = "FS-MS-KF-13 §壹(一)3(2)"\nlabel = "带薪培训日标准"\n')
    path = _variant(tmp_path, block, "")
    with pytest.raises(RulesError, match=r"training\.daily_rate：缺少此参数"):
        load_rules(path)


def test_folder_picks_version_by_date(tmp_path):
    _variant(tmp_path, "", "", name="a2.toml")
    _variant(tmp_path, "effective = 2009-04-01", "effective = 2027-01-01", name="a3.toml").write_text(
        (tmp_path / "a2.toml").read_text(encoding="utf-8")
        .replace("effective = 2009-04-01", "effective = 2027-01-01")
        .replace('version = "A/2"', 'version = "A/3"')
        .replace("value = 500.00", "value = 600.00"), encoding="utf-8")
    rules = load_rules(tmp_path)
    assert [p.version for p in rules] == ["A/2", "A/3"]
    assert rules.in_force(dt.date(2026, 12, 31))["individual.cap_per_month"] == Decimal("500.00")
    jan = rules.in_force(dt.date(2027, 1, 1))
    assert jan.version == "A/3" and jan.source == "a3.toml"
    assert jan["individual.cap_per_month"] == Decimal("600.00")


def test_two_files_same_effective_date_refused(tmp_path):
    _variant(tmp_path, "", "", name="a.toml")
    _variant(tmp_path, "", "", name="b.toml")
    with pytest.raises(RulesError, match=r"b\.toml"):
        load_rules(tmp_path)
