"""The ledger keys everything by scheme + period and stores the facts a scheme gives as
given: two schemes' months of the same period live side by side, each recorded,
approved, corrected and discarded on its own."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from kfbonus.ledger import APPROVED, DRAFT, Ledger, LedgerError, MonthApproved, fact_json
from kfbonus.schemes.kf13.model import Award
from tests.monthmaker import line, make_month, worker

AT = dt.datetime(2026, 12, 5, 9, 30)
KF, TC = "FS-MS-KF-13", "SHKF-TC"


def kf_month(amount: str = "123.45"):
    return make_month("2026-11", workers=[worker("K001", "张三")], settlement=[("GC-01", "K001")],
                      lines=[line("K001", "张三", Award.COLLECTIVE, amount, "GC-01")])


def tc_month(amount: str = "456.78"):
    """A month of the commission scheme: other lines, other facts, the same period."""
    base = make_month("2026-11", workers=[worker("S001", "赵六")],
                      lines=[line("S001", "赵六", Award.ADJUSTMENT, amount, category="提成")])
    return replace(base, scheme_id=TC, scheme="SHKF-TC 2026版", rules_file="SHKF-TC.toml",
                   facts={"dealer": [{"dealer_id": "JM-07", "purchases": "120000.00", "tier": 2,
                                      "active": True},
                                     {"dealer_id": "JM-01", "purchases": "800.00", "tier": None,
                                      "active": False}]})


def test_two_schemes_share_a_period_independently(tmp_path):
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        ledger.record_month(kf_month(), {"2026-11/审批汇总表.xlsx": "a" * 64}, AT)
        ledger.record_month(tc_month(), {"2026-11/提成汇总表.xlsx": "b" * 64}, AT)
        ledger.record_month(tc_month("400.00"), {"2026-11/提成汇总表.xlsx": "c" * 64}, AT)   # a rerun
        assert ledger.periods(KF) == ledger.periods(TC) == ["2026-11"]
        assert ledger.next_run_number(KF, "2026-11") == 2 and ledger.next_run_number(TC, "2026-11") == 3
        kf, tc = ledger.month(KF, "2026-11"), ledger.month(TC, "2026-11")
        assert (kf.scheme_id, kf.scheme) == (KF, "FS-MS-KF-13 A/2")
        assert (tc.scheme_id, tc.scheme) == (TC, "SHKF-TC 2026版")
        assert kf.outputs == {"2026-11/审批汇总表.xlsx": "a" * 64}
        assert tc.outputs == {"2026-11/提成汇总表.xlsx": "c" * 64}
        assert [x.amount for x in ledger.lines(KF, "2026-11")] == [Decimal("123.45")]
        assert [x.amount for x in ledger.lines(TC, "2026-11")] == [Decimal("400.00")]

        # approve one: the other stays a draft and can still be rerun
        ledger.approve(KF, "2026-11", by="王经理", at=AT)
        assert ledger.months(KF, "2026-__") == {"2026-11": APPROVED}
        assert ledger.months(TC, "2026-__") == {"2026-11": DRAFT}
        with pytest.raises(MonthApproved):
            ledger.record_month(kf_month("1.00"), {}, AT)
        ledger.record_month(tc_month("410.00"), {}, AT)
        assert ledger.lines(TC, "2026-11")[0].amount == Decimal("410.00")

        # a correction of one touches nothing of the other
        assert ledger.record_correction(kf_month("130.00"), "补录", [], {}, AT) == 1
        assert ledger.month(TC, "2026-11").revision == 0

        # discard the other: the approved one keeps every row
        gone = ledger.discard(TC, "2026-11")
        assert (gone.record.scheme_id, gone.lines, gone.total) == (TC, 1, Decimal("410.00"))
        assert ledger.month(TC, "2026-11") is None and ledger.periods(TC) == []
        assert ledger.next_run_number(TC, "2026-11") == 1
        for table in ("month", "revision", "input_file", "award_line", "fact", "output_file", "run_log"):
            left = ledger._conn.execute(f"SELECT count(*) FROM {table} WHERE scheme = ?", (TC,)).fetchone()
            assert left == (0,), table
        kf = ledger.month(KF, "2026-11")
        assert kf.approved and kf.revision == 1 and ledger.next_run_number(KF, "2026-11") == 2
        assert ledger.approved_lines(KF, "2026-11")[0].amount == Decimal("130.00")
        assert ledger.facts(KF, ["2026-11"], "worker_month") == [
            ("2026-11", {"worker_id": "K001", "name": "张三", "worked": True, "excluded": None,
                         "longest_absence": None})]
        with pytest.raises(MonthApproved):
            ledger.discard(KF, "2026-11")
        with pytest.raises(LedgerError, match="没有 2026-11"):
            ledger.discard(TC, "2026-11")


def test_facts_are_read_back_as_given_per_scheme(tmp_path):
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        ledger.record_month(tc_month(), {}, AT)
        ledger.record_month(replace(tc_month(), period="2026-10", facts={"dealer": [{"dealer_id": "JM-09"}]}),
                            {}, AT)
        ledger.record_month(kf_month(), {}, AT)
        rows = ledger.facts(TC, ["2026-11", "2026-10", "2026-09"], "dealer")
        assert ledger.facts(TC, [], "dealer") == [] and ledger.facts(KF, ["2026-11"], "dealer") == []
        assert ledger.facts(TC, ["2026-11"], "worker_month") == []
        stored = ledger._conn.execute("SELECT data FROM fact WHERE scheme = ? AND period = '2026-11' "
                                      "ORDER BY seq", (TC,)).fetchall()
    # (period, seq) order; exactly the dicts given, types included
    assert rows == [("2026-10", {"dealer_id": "JM-09"}),
                    ("2026-11", {"dealer_id": "JM-07", "purchases": "120000.00", "tier": 2, "active": True}),
                    ("2026-11", {"dealer_id": "JM-01", "purchases": "800.00", "tier": None, "active": False})]
    assert stored[0] == ('{"active":true,"dealer_id":"JM-07","purchases":"120000.00","tier":2}',)


def test_facts_come_from_the_latest_revision(tmp_path):
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        ledger.record_month(tc_month(), {}, AT)
        ledger.approve(TC, "2026-11", by="王经理", at=AT)
        ledger.record_correction(replace(tc_month(), facts={"dealer": [{"dealer_id": "JM-07", "tier": 3}]}),
                                 "补录提货", [], {}, AT)
        assert ledger.facts(TC, ["2026-11"], "dealer") == [("2026-11", {"dealer_id": "JM-07", "tier": 3})]
        assert len(ledger._conn.execute("SELECT * FROM fact WHERE scheme = ?", (TC,)).fetchall()) == 3


@pytest.mark.parametrize("value", [1.5, Decimal("1.50"), dt.date(2026, 11, 3), ["a"], {"a": 1}])
def test_a_fact_that_would_not_read_back_exactly_is_refused(tmp_path, value):
    with pytest.raises(TypeError):
        fact_json({"x": value})
    path = tmp_path / "ledger.sqlite"
    with Ledger.open(path) as ledger:
        with pytest.raises(TypeError):
            ledger.record_month(replace(tc_month(), facts={"dealer": [{"x": value}]}), {}, AT)
        assert ledger.month(TC, "2026-11") is None   # nothing recorded
