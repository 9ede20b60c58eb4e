"""Scenario cases of SCHEME.md, one TOML file each (tests/scenarios/*.toml).

Each file has ``name``, ``month``, optional ``assess_date`` (default: the month's last
day) and ``rules`` (overrides of parameters, checked like the rules file), the input
tables as arrays of inline tables (keys: field names or Chinese headers), then the
expectations: ``[[line]]`` (worker, award, project/category to pick the line; amount,
unpaid (default 0.00), reason/formula substrings), ``[[no_line]]``, ``[[project]]``
figures, and ``[[problem]]`` (code, severity): the month's problems must be exactly
those listed.  Every expected amount is hand-checked in a comment next to it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import tomllib
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import pytest

from kfbonus.schemes import all_tables
from kfbonus.schemes.kf13.compute import compute_month
from kfbonus.schemes.kf13.params import SPEC, load_rules
from tests.month_builder import build_month

TABLE_BY_KIND = {t.kind: t for t in all_tables()}

SCENARIOS = sorted((Path(__file__).parent / "scenarios").glob("*.toml"))
PROJECT_FIELDS = ("piece_total", "total_score", "collective_pool", "collective_allocated",
                  "collective_unpaid", "collective_unallocated", "individual_pool", "individual_paid")


def run(case: dict):
    year, month = map(int, case["month"].split("-"))
    assess = case.get("assess_date") or dt.date(year, month, calendar.monthrange(year, month)[1])
    params = load_rules().in_force(assess)
    if "rules" in case:
        values = dict(params.values)
        values.update({k: SPEC[k](v) for k, v in case["rules"].items()})
        params = replace(params, values=MappingProxyType(values))
    month_input = build_month({k: v for k, v in case.items() if k in TABLE_BY_KIND}, folder=case["month"])
    return compute_month(month_input, params, assess, case["month"])


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario(path: Path):
    case = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    result = run(case)
    for exp in case.get("line", []):
        found = [x for x in result.lines
                 if x.worker_id == exp["worker"] and x.award == exp["award"]
                 and ("project" not in exp or x.project_id == exp["project"])
                 and ("category" not in exp or x.category == exp["category"])]
        assert len(found) == 1, f"{case['name']}: expected one line for {exp}, found {found}"
        line = found[0]
        assert line.amount == Decimal(exp["amount"]), (exp, line)
        assert line.unpaid == Decimal(exp.get("unpaid", "0.00")), (exp, line)
        assert exp.get("reason", "") in line.reason, (exp, line.reason)
        if not exp.get("reason"):
            assert line.reason == "" or line.amount == 0, (exp, line.reason)
        assert exp.get("formula", "") in line.formula, (exp, line.formula)
        assert line.clause.startswith(("FS-MS-KF-13", "售后服务部")), line.clause
        assert line.sources, line
    for exp in case.get("no_line", []):
        found = [x for x in result.lines if x.worker_id == exp["worker"] and x.award == exp["award"]]
        assert not found, (exp, found)
    projects = {p.project_id: p for p in result.projects}
    for exp in case.get("project", []):
        proj = projects[exp["id"]]
        for key in PROJECT_FIELDS:
            if key in exp:
                assert getattr(proj, key) == Decimal(exp[key]), (exp["id"], key, getattr(proj, key))
    expected = Counter((p["code"], p["severity"]) for p in case.get("problem", []))
    actual = Counter((p.code, str(p.severity)) for p in result.problems)
    assert actual == expected, [str(p) for p in result.problems]
    assert all(p.source is not None for p in result.problems)


def test_every_scenario_is_named():
    assert len(SCENARIOS) >= 8
    for path in SCENARIOS:
        case = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        assert case.get("name") and case.get("month"), path
