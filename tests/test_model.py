"""kfbonus.model: equal values held once (Shared), without changing what anything reads."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from kfbonus.model import FactRows, MonthResult, Shared
from kfbonus.pipeline import Options, _prepare
from kfbonus.schemes.kf13.model import Award
from tests.monthmaker import line, worker

SAMPLE = Path(__file__).resolve().parent.parent / "input_samples" / "2026-11"


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


def test_a_line_holds_the_shared_values_and_reads_compares_and_hashes_the_same():
    a = line("A01", _new("张三"), Award.SENIORITY, "80.00", category=_new("满3年"), reason=_new("试用期"))
    b = line("A02", _new("张三"), Award.SENIORITY, "80.00", category=_new("满3年"), reason=_new("试用期"))
    a = replace(a, facts={"due": Decimal("22"), "present": Decimal("22")})
    before = (copy.copy(a), hash(a), a.formula, dict(a.facts))
    assert a.amount is not b.amount and a.category is not b.category
    shared = Shared()
    b.share_values(shared)
    a.share_values(shared)
    assert a.amount is b.amount and a.formula_rest is b.formula_rest and a.category is b.category
    assert a.name is b.name and a.reason is b.reason
    assert a.facts["due"] is a.facts["present"]
    assert (a, hash(a), a.formula, dict(a.facts)) == before
    assert a.worker_id == "A01" and b.worker_id == "A02"


def test_a_result_shares_its_lines_values_with_the_roster_and_across_fact_rows():
    lines = [line(_new("A01"), _new("张三"), Award.SENIORITY, "30.00"),
             line(_new("A01"), "张三", Award.TRAINING, "30.00")]
    rows = FactRows(("worker_id", "worked"), [(_new("A01"), True), (_new("A01"), True)])
    result = MonthResult("2026-11", dt.date(2026, 11, 30), "FS-MS-KF-13 A/2", "rules.toml", [],
                         {"A01": worker("A01", "张三")}, lines, [], facts={"worker_month": rows})
    roster_id = next(iter(result.workers.values())).worker_id
    rows_before = list(result.facts["worker_month"])
    result.share_values()
    first, second = result.lines
    assert first.worker_id is roster_id and second.worker_id is roster_id
    assert first.name is result.workers["A01"].name
    assert first.amount is second.amount
    rows = result.facts["worker_month"]
    assert rows[0]["worker_id"] is roster_id and rows[1]["worker_id"] is roster_id
    assert list(rows) == rows_before


def test_the_computed_month_holds_equal_texts_and_numbers_once(tmp_path):
    """What the machinery hands the renderers: the sample month's seniority lines that read
    the same formula hold one text, every line's 工号 is the roster's."""
    results = _prepare(Options("2026-11", SAMPLE, tmp_path)).results
    kf13 = next(r for r in results if any(line.award == Award.SENIORITY for line in r.lines))
    by_text: dict[str, set[int]] = {}
    for ln in kf13.lines:
        if ln.award == Award.SENIORITY:
            by_text.setdefault(ln.formula_rest, set()).add(id(ln.formula_rest))
        assert ln.worker_id is kf13.workers[ln.worker_id].worker_id
    assert all(len(ids) == 1 for ids in by_text.values())
    repeated = [t for t in by_text if sum(ln.formula_rest == t for ln in kf13.lines) > 1]
    assert repeated, "the sample month has workers whose 工龄奖 reads the same"
