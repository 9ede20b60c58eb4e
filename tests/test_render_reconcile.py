"""Reconciliation: the factory month adds up; a tampered one stops before anything is written."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from kfbonus.money import D
from kfbonus.render import ReconciliationError, render_month
from kfbonus.render.reconcile import reconcile
from kfbonus.render.view import summary_views, worker_views
from kfbonus.schemes.kf13.model import Award
from tests.result_factory import EXPECTED_TOTALS, GRAND_TOTAL, make_annual_result, make_result

GENERATED = dt.datetime(2026, 12, 1, 9, 30)


def test_factory_month_reconciles_and_totals_are_the_hand_checked_ones():
    result = make_result()
    checks = reconcile(result)
    assert checks and all(c.passed for c in checks), [str(c) for c in checks if not c.passed]
    views = worker_views(result)
    assert {v.worker_id: v.total for v in views} == EXPECTED_TOTALS
    # the slip total check compares the slips' sum with the 汇总 grand total
    last = checks[-1]
    assert last.left == last.right == GRAND_TOTAL
    # K003 (only unpaid lines) gets a slip but no 汇总 row; K008 (no lines) neither
    assert [v.worker_id for v in summary_views(views)] == ["K001", "K002", "K004", "K005", "K006", "K007"]
    assert "K008" not in {v.worker_id for v in views}


def test_workers_with_the_same_sums_hold_one_number_each():
    """Most workers' 工龄奖 is one of a few amounts: a view's sums are held once a value
    (kfbonus.model.Shared), spelled as summed."""
    result = make_result()
    lines = [dataclasses.replace(line, amount=D("80.00"), unpaid=D("0.00")) for line in result.lines
             if line.award == Award.SENIORITY]
    assert len(lines) >= 2 and lines[0].amount is not lines[1].amount
    result.lines = lines
    first, second, *_ = worker_views(result)
    assert first.by_award[Award.SENIORITY] is second.by_award[Award.SENIORITY]
    assert first.total is second.total and str(first.total) == "80.00"


def _replace_project(result, project_id, **changes):
    result.projects = [dataclasses.replace(p, **changes) if p.project_id == project_id else p
                       for p in result.projects]
    return result


def test_collective_pool_not_matching_its_shares_fails():
    result = _replace_project(make_result(), "GC-2611-01", collective_pool=D("2800.00"))
    failed = [c for c in reconcile(result) if not c.passed]
    assert [c.name for c in failed] == ["集体奖 GC-2611-01：已分配 + 未发 + 未分配 = 奖池"]
    assert failed[0].left == D("2737.50") and failed[0].right == D("2800.00")


def test_a_tampered_share_fails_the_project_and_the_column_checks():
    result = make_result()
    result.lines = [dataclasses.replace(line, amount=line.amount + D("0.01"))
                    if line.worker_id == "K001" and line.award is Award.COLLECTIVE else line
                    for line in result.lines]
    names = {c.name for c in reconcile(result) if not c.passed}
    assert "集体奖 GC-2611-01：已分配 + 未发 + 未分配 = 奖池" in names
    assert "集体奖 GC-2611-01：工程表已分配 = 明细已发" in names


def test_individual_paid_over_the_pool_fails():
    result = _replace_project(make_result(), "GC-2611-03", individual_pool=D("50.00"))
    failed = [c for c in reconcile(result) if not c.passed]
    assert [(c.name, c.relation) for c in failed] == [("个人奖 GC-2611-03：已发 ≤ 奖池", "≤")]


def test_a_share_on_a_project_without_a_pool_fails():
    result = make_result()
    line = next(x for x in result.lines if x.award is Award.COLLECTIVE)
    result.lines.append(dataclasses.replace(line, project_id="GC-9999"))
    assert any("GC-9999" in c.name and not c.passed for c in reconcile(result))


def test_render_month_raises_and_writes_nothing(tmp_path):
    result = _replace_project(make_result(), "GC-2611-02", collective_unallocated=D("5.00"))
    out = tmp_path / "out"
    with pytest.raises(ReconciliationError) as err:
        render_month(result, out, GENERATED)
    assert "GC-2611-02" in str(err.value) and "不通过" in str(err.value)
    assert len(err.value.failed) == 1
    assert not out.exists()


def test_annual_run_reconciles():
    checks = reconcile(make_annual_result())
    assert all(c.passed for c in checks)
    assert {c.name.split("：")[0] for c in checks} >= {"年度安全奖", "年度质量奖"}
