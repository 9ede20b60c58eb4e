"""Migration 5: a version-4 ledger, written by the version-4 code itself
(tests/old/ledger_v4.py), opens as version 5 keyed by scheme + period, keeps every
month, line, status, approval, correction and run number, and gives the year end
exactly what the old ``Ledger.year()`` gave — its fact rows byte for byte those a
fresh ledger gets from the same months."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import astuple, fields, replace

import pytest

from kfbonus.correction import diff_lines
from kfbonus.ledger import SCHEMA_VERSION, Ledger
from kfbonus.model import InputFile
from kfbonus.schemes.kf13.annual import compute_annual, year_data
from kfbonus.schemes.kf13.model import Award
from tests.monthmaker import PARAMS, line, make_month, worker
from tests.old import ledger_v4
from tests.test_annual import ROSTER, month_of_2026

KF = "FS-MS-KF-13"
AT = dt.datetime(2027, 1, 5, 9, 0)
PERIODS = [f"2026-{m:02d}" for m in range(1, 13)]


def months() -> list[tuple[str, object]]:
    """What is done to the ledger, in order: ("run", result), ("approve", period),
    ("correct", result).  A generated year (tests/test_annual.py) with lines, input
    files, exclusions, December's absences and score rows, a month run twice, a
    correction, a month left a draft, a month of 2025 and a year-end run of 2025."""
    steps: list[tuple[str, object]] = []
    for m in range(1, 13):
        result = month_of_2026(m)
        period = result.period
        result.lines = [line("K001", "张三", Award.COLLECTIVE, f"{100 + m}.50", f"GC-26{m:02d}-01"),
                        line("K006", "孙八", Award.COLLECTIVE, "0.00", f"GC-26{m:02d}-01", unpaid="33.33",
                             reason="离职")]
        result.inputs.files = [InputFile("结算单.xlsx", f"{m:064x}", 1000 + m)]
        if m == 12:   # December: score rows, recorded absences, a worker not on the roster
            dec = make_month(period, workers=list(ROSTER.values()),
                             settlement=[("GC-2612-01", "K001"), ("GC-2612-01", "K008")],
                             attendance=[("K001", "20", "2"), ("K006", "0", "31"), ("K008", "5", "0")],
                             score_rows=[("GC-2612-01", "90.5"), ("GC-2612-01", "87"), ("GC-2612-09", "99")],
                             incidents=[(dt.date(2026, 12, 1), "质量投诉", "GC-2612-01", None, "渗水"),
                                        (None, "其他", None, "K008", None)])
            result = replace(dec, lines=result.lines, inputs=replace(dec.inputs, files=result.inputs.files))
        if m == 5:    # run twice: the draft is replaced, the run number goes on
            steps.append(("run", replace(month_of_2026(m), lines=result.lines[:1])))
        steps.append(("run", result))
        if m != 11:   # November stays a draft
            steps.append(("approve", period))
        if m == 3:    # correction 1 of March: K003 joins GC-2603-02, a new line
            corrected = make_month("2026-03", workers=list(ROSTER.values()),
                                   settlement=[("GC-2603-01", "K001"), ("GC-2603-02", "K003")],
                                   incidents=[(dt.date(2026, 3, 14), "安全事故", "GC-2603-02", None,
                                               "高空坠落")],
                                   quality={"GC-2603-01": "96"},
                                   lines=[*result.lines, line("K003", "王五", Award.TRAINING, "60.00")])
            steps.append(("correct", corrected))
    steps.append(("run", make_month("2025-12", workers=[worker("K001", "张三")],
                                    settlement=[("GC-2512-01", "K001")])))
    steps.append(("approve", "2025-12"))
    year_end = make_month("2025-12", workers=list(ROSTER.values()),
                          incidents=[(dt.date(2025, 6, 1), "安全事故", None, "K002", "年度台账补录")])
    steps.append(("run", replace(year_end, period="2025", lines=[])))
    return steps


def record(ledger, steps, old: bool) -> None:
    for kind, what in steps:
        if kind == "run":
            ledger.record_month(what, {f"{what.period}/审批汇总表.xlsx": "e" * 64}, AT)
        elif kind == "approve":
            ledger.approve(*(() if old else (KF,)), what, by="王经理", at=AT)
        else:
            baseline = ledger.approved_lines(*(() if old else (KF,)), what.period)
            ledger.record_correction(what, "补录结算单", diff_lines(baseline, what.lines),
                                     {"更正_01/x.xlsx": "c" * 64}, AT)


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory):
    """(the version-4 ledger, as the old code wrote it; a copy of it migrated; a fresh
    version-5 ledger of the same steps)."""
    folder = tmp_path_factory.mktemp("migration")
    old, migrated, fresh = (folder / name / "ledger.sqlite" for name in ("v4", "migrated", "fresh"))
    migrated.parent.mkdir()
    steps = months()
    with ledger_v4.Ledger.open(old) as ledger:
        record(ledger, steps, old=True)
        assert ledger.schema_version == 4
    migrated.write_bytes(old.read_bytes())
    with Ledger.open(fresh) as ledger:
        record(ledger, steps, old=False)
    return old, migrated, fresh


def test_a_version_4_ledger_opens_as_version_5(ledgers):
    _, migrated, _ = ledgers
    with Ledger.open(migrated) as ledger:
        assert ledger.schema_version == SCHEMA_VERSION == 5
        tables = {n for (n,) in ledger._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        keyed = {t for t in tables
                 if [c[1] for c in ledger._conn.execute(f"PRAGMA table_info({t})")][:2]
                 == ["scheme", "period"]}
        assert not ledger._conn.execute("PRAGMA foreign_key_check").fetchall()
    assert tables == keyed == {"month", "revision", "input_file", "award_line", "fact", "output_file",
                               "correction_line", "run_log"}
    assert sqlite3.connect(migrated).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_every_month_line_status_and_run_number_is_kept(ledgers):
    old, migrated, _ = ledgers
    with ledger_v4.Ledger.open(old) as before:
        periods = before.periods()
        expected = {p: (before.month(p), before.lines(p), before.next_run_number(p),
                        [before.correction_lines(p, n) for n in range(1, before.month(p).revision + 1)])
                    for p in periods}
    assert periods == ["2025", "2025-12", *PERIODS]
    with Ledger.open(migrated) as ledger:
        assert ledger.periods(KF) == periods and ledger.periods("SHKF-TC") == []
        for p, (record, lines, run, corrections) in expected.items():
            now = ledger.month(KF, p)
            assert astuple(now)[:len(fields(record))] == astuple(record), p
            assert now.scheme_id == KF
            assert ledger.lines(KF, p) == lines
            assert ledger.next_run_number(KF, p) == run
            assert [ledger.correction_lines(KF, p, n) for n in range(1, now.revision + 1)] == corrections
    assert expected["2026-05"][2] == 3 and expected["2026-03"][0].revision == 1
    assert expected["2026-11"][0].status == "draft" and expected["2026-12"][0].status == "approved"


@pytest.mark.parametrize("include_drafts", [False, True], ids=["approved", "with-drafts"])
def test_the_year_end_data_is_what_the_old_ledger_gave(ledgers, include_drafts):
    old, migrated, fresh = ledgers
    with ledger_v4.Ledger.open(old) as before:
        expected = before.year(2026, include_drafts=include_drafts)
    with Ledger.open(migrated) as ledger:
        got = year_data(ledger, 2026, include_drafts=include_drafts)
    with Ledger.open(fresh) as ledger:
        new = year_data(ledger, 2026, include_drafts=include_drafts)
    assert astuple(got) == astuple(expected) == astuple(new)
    assert got.incidents and got.quality_scores and got.december_absence   # the check has something to check
    assert (got.drafts, got.missing) == (expected.drafts, expected.missing)
    plan = compute_annual(2026, got, ROSTER, None, PARAMS)
    assert plan.lines == compute_annual(2026, new, ROSTER, None, PARAMS).lines


def test_migrated_facts_are_byte_for_byte_those_of_a_fresh_ledger(ledgers):
    _, migrated, fresh = ledgers
    query = "SELECT scheme, period, revision, kind, seq, data FROM fact ORDER BY 1, 2, 3, 4, 5"
    with Ledger.open(migrated) as a, Ledger.open(fresh) as b:
        got, want = a._conn.execute(query).fetchall(), b._conn.execute(query).fetchall()
    assert got == want
    assert {kind for _, _, _, kind, _, _ in got} == {"project", "worker_month", "worker_project",
                                                     "quality_score", "incident"}
