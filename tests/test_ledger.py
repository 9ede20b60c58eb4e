"""The ledger: exact money, drafts replaced, approval locks, outputs verified, schema migrated."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kfbonus.correction import diff_lines
from kfbonus.ledger import (
    APPROVED,
    DRAFT,
    SCHEMA_VERSION,
    Ledger,
    LedgerError,
    MonthApproved,
    OutputsChanged,
    hash_outputs,
)
from kfbonus.model import InputFile
from kfbonus.problems import Source
from kfbonus.schemes.kf13.annual import year_data
from kfbonus.schemes.kf13.model import Award
from tests.monthmaker import line, make_month, worker
from tests.old import ledger_v4

KF = "FS-MS-KF-13"   # the scheme's id: its key in the ledger

AT = dt.datetime(2026, 12, 5, 9, 30)
ZHANG, LI, WANG = worker("K001", "张三"), worker("K002", "李四"), worker("K003", "王五", excluded="离职")


def november(amount_zhang: str = "123.45", **extra):
    return make_month(
        "2026-11",
        workers=[ZHANG, LI, WANG],
        lines=[
            line("K001", "张三", Award.COLLECTIVE, amount_zhang, "GC-01"),
            line("K001", "张三", Award.ADJUSTMENT, "-0.10", category="扣款"),
            line("K002", "李四", Award.SENIORITY, "80.00", category="3 年档"),
            line("K003", "王五", Award.COLLECTIVE, "0.00", "GC-01", unpaid="66.67", reason="离职"),
        ],
        settlement=[("GC-01", "K001"), ("GC-01", "K003")],
        attendance=[("K002", "20"), ("K003", "0")],
        incidents=[(dt.date(2026, 11, 3), "安全事故", "GC-01", None, "脚手架倒塌")],
        quality={"GC-01": "88.5"},
        files=[InputFile("结算单.xlsx", "a" * 64, 1234), InputFile("考勤.xlsx", "b" * 64, 99)],
        **extra,
    )


def write_outputs(folder, text="v1"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "审批汇总表_2026-11.xlsx").write_text(f"approval {text}", encoding="utf-8")
    (folder / "slips").mkdir(exist_ok=True)
    (folder / "slips" / "K001_张三.html").write_text(f"slip {text}", encoding="utf-8")
    return hash_outputs(folder)


def test_record_and_read_back_exact(tmp_path):
    out = tmp_path / "2026-11"
    outputs = write_outputs(out)
    result = november()
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        ledger.record_month(result, outputs, AT)
        rec = ledger.month(KF, "2026-11")
        lines = ledger.lines(KF, "2026-11")
        year = year_data(ledger, 2026, include_drafts=True)
        money_types = {r[0] for r in ledger._conn.execute("SELECT DISTINCT typeof(amount) FROM award_line")}
    assert rec.status == DRAFT and rec.status_label == "草稿"
    assert rec.scheme == "FS-MS-KF-13 A/2" and rec.assess_date == dt.date(2026, 11, 30) and rec.run_at == AT
    assert [f.name for f in rec.inputs] == ["结算单.xlsx", "考勤.xlsx"] and rec.inputs[0].size == 1234
    assert rec.outputs == outputs and set(outputs) == {"slips/K001_张三.html", "审批汇总表_2026-11.xlsx"}
    assert money_types == {"text"}
    assert lines == result.lines  # every field, sources included, money exact
    assert lines[0].amount == Decimal("123.45") and str(lines[1].amount) == "-0.10"
    assert lines[3].unpaid == Decimal("66.67") and lines[3].reason == "离职"
    # worked: settlement (K001, K003) or attendance > 0 (K002); K003's attendance 0 does not undo settlement
    assert year.worked == {"K001": ("2026-11",), "K002": ("2026-11",), "K003": ("2026-11",)}
    assert year.projects == {"K001": ("GC-01",), "K003": ("GC-01",)}
    assert [(s.project_id, s.quality) for s in year.quality_scores] == [("GC-01", Decimal("88.5"))]
    (inc,) = year.incidents
    assert (inc.date, inc.incident_type, inc.project_id, inc.note) == (
        dt.date(2026, 11, 3),
        "安全事故",
        "GC-01",
        "脚手架倒塌",
    )
    assert inc.source == Source("事故投诉.xlsx", "事故", 2)


def test_a_formula_split_into_a_shared_head_is_recorded_whole_and_reads_back_equal(tmp_path):
    """A crew's lines share their formula's head (AwardLine.formula_head): the ledger keeps
    each line's whole text, and the line read back (one piece) equals the one recorded."""
    head = ("总分 90 ÷ 100 × 计件工资总额 1,000.00 × 15% = 135 → 集体奖池 135.00；"
            "集体奖池 135.00 ÷ 工期总天数 9 × ")
    result = november()
    split = replace(result.lines[0], formula_head=head,
                    formula_rest="个人工期天数 9 × 个人百分比 100% = 135 → 135.00")
    whole = replace(split, formula_head="", formula_rest=head + split.formula_rest)
    assert split.formula == whole.formula and split == whole and hash(split) == hash(whole)
    assert split != replace(split, formula_rest="个人工期天数 8 × 个人百分比 100% = 120 → 120.00")
    result = replace(result, lines=[split, *result.lines[1:]])
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        ledger.record_month(result, write_outputs(tmp_path / "2026-11"), AT)
        lines = ledger.lines(KF, "2026-11")
        (stored,) = ledger._conn.execute("SELECT formula FROM award_line WHERE amount = '123.45'").fetchone()
    assert stored == split.formula
    assert lines == result.lines and lines[0].formula_head == "" and lines[0].formula == split.formula


def test_places_recurring_far_apart_are_recorded_as_each_line_cites_them(tmp_path, monkeypatch):
    """The places' texts are made once while they recur (two small generations kept here):
    every line's two sources columns read as the line's own places say, however far apart
    the lines that share a place are."""
    import kfbonus.ledger as ledger_module

    monkeypatch.setattr(ledger_module, "_MADE_MAX", 3)
    result = november()
    shared = [Source("申报.xlsx", "激励申报", 3 + i, "E", "集体激励比例") for i in range(5)]
    lines = [replace(x, sources=(Source("结算.xlsx", f"GC-{n}", n + 2), shared[n % 5], shared[(n * 3) % 5],
                                 Source("名册.xlsx", None, None, None, '"引号"\\')))
             for n, x in enumerate(result.lines * 4)]
    result = replace(result, lines=lines)
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        ledger.record_month(result, write_outputs(tmp_path / "2026-11"), AT)
        rows = ledger._conn.execute("SELECT sources, sources_json FROM award_line ORDER BY seq").fetchall()
        read = ledger.lines(KF, "2026-11")
    assert len(rows) == len(lines) > 2 * 3 * 2
    for x, (shown, stored) in zip(lines, rows, strict=True):
        assert shown == "; ".join(str(s) for s in x.sources)
        assert stored == ledger_module.sources_to_json(x.sources)
    assert [x.sources for x in read] == [x.sources for x in lines]


_texts = st.one_of(st.none(), st.text())


@given(st.builds(Source, st.text(), _texts, st.one_of(st.none(), st.integers(), st.booleans()), _texts,
                 _texts))
def test_a_place_is_stored_as_the_json_encoder_writes_it(source):
    import kfbonus.ledger as ledger_module

    assert ledger_module._source_json(source) == ledger_module.sources_to_json([source])[1:-1]


def test_fact_rows_held_as_tuples_read_and_record_as_the_dicts_they_stand_for(tmp_path):
    from kfbonus.model import FactRows

    result = november()
    assert all(isinstance(rows, FactRows) for rows in result.facts.values())   # as month_facts makes them
    as_dicts = {kind: [dict(row) for row in rows] for kind, rows in result.facts.items()}
    assert as_dicts == result.facts and result.facts == as_dicts and as_dicts["worker_project"]
    rows = result.facts["worker_project"]
    assert rows[0] == {"worker_id": "K001", "project_id": "GC-01"} and rows[-1:] == [rows[len(rows) - 1]]
    assert rows[-1] == rows[len(rows) - 1] and rows[::-1] == list(rows)[::-1]
    with pytest.raises(IndexError):
        rows[len(rows)]
    assert len(FactRows((), [(), ()])) == 2 and list(FactRows((), [(), ()])) == [{}, {}]
    assert FactRows.of([{"a": 1, "b": None}]) == [{"a": 1, "b": None}]
    with pytest.raises(ValueError):
        FactRows.of([{"a": 1, "b": 2}, {"b": 2, "a": 1}])
    with pytest.raises(ValueError):
        FactRows(("a", "b"), [(1,)])
    dumps = []
    for facts in (result.facts, as_dicts):
        path = tmp_path / f"{len(dumps)}.sqlite"
        with Ledger.open(path) as ledger:
            ledger.record_month(replace(result, facts=facts), {}, AT)
            query = "SELECT kind, seq, data FROM fact ORDER BY kind, seq"
            dumps.append(ledger._conn.execute(query).fetchall())
    assert dumps[0] == dumps[1] and len(dumps[0]) == sum(len(r) for r in as_dicts.values())


def test_worked_needs_present_days(tmp_path):
    result = make_month("2026-03", workers=[ZHANG, LI], attendance=[("K001", "0"), ("K002", "0.5")])
    with Ledger.open(tmp_path / "l.sqlite") as ledger:
        ledger.record_month(result, {}, AT)
        assert year_data(ledger, 2026, include_drafts=True).worked == {"K002": ("2026-03",)}


def test_draft_recorded_twice_is_replaced(tmp_path):
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        ledger.record_month(november("100.00"), {"a.xlsx": "1" * 64}, AT)
        ledger.record_month(november("200.00"), {"b.xlsx": "2" * 64}, AT + dt.timedelta(hours=1))
        rec = ledger.month(KF, "2026-11")
        amounts = [x.amount for x in ledger.lines(KF, "2026-11") if x.worker_id == "K001"]
        counts = {t: ledger._conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("award_line", "revision")}
        counts |= {k: ledger._conn.execute("SELECT count(*) FROM fact WHERE kind = ?", (k,)).fetchone()[0]
                   for k in ("incident", "worker_month")}
    assert amounts == [Decimal("200.00"), Decimal("-0.10")]
    assert rec.outputs == {"b.xlsx": "2" * 64} and rec.run_at == AT + dt.timedelta(hours=1)
    assert counts == {"award_line": 4, "incident": 1, "worker_month": 3, "revision": 1}


def test_approved_month_refuses_a_new_run_and_keeps_everything(tmp_path):
    out = tmp_path / "2026-11"
    outputs = write_outputs(out)
    path = tmp_path / "ledger.sqlite"
    with Ledger.open(path) as ledger:
        ledger.record_month(november(), outputs, AT)
        rec = ledger.approve(
            KF, "2026-11", by="王经理", at=AT, folder=out, approval_sha=outputs["审批汇总表_2026-11.xlsx"]
        )
        assert rec.status == APPROVED and rec.approved_by == "王经理" and rec.status_label == "已批准"
    before = path.read_bytes()
    with Ledger.open(path) as ledger:
        with pytest.raises(MonthApproved, match="已批准"):
            ledger.record_month(november("999.99"), {}, AT)
        with pytest.raises(MonthApproved, match="不能重复批准"):
            ledger.approve(KF, "2026-11", by="赵总", at=AT)
        assert ledger.approved_lines(KF, "2026-11")[0].amount == Decimal("123.45")
    assert path.read_bytes() == before


def test_approve_checks_outputs_on_disk(tmp_path):
    out = tmp_path / "2026-11"
    outputs = write_outputs(out)
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        ledger.record_month(november(), outputs, AT)
        assert ledger.verify_outputs(KF, "2026-11", out) == []
        (out / "slips" / "K001_张三.html").write_text("edited by hand", encoding="utf-8")
        (out / "审批汇总表_2026-11.xlsx").unlink()
        mismatches = ledger.verify_outputs(KF, "2026-11", out)
        assert [(m.name, m.found is None) for m in mismatches] == [
            ("slips/K001_张三.html", False),
            ("审批汇总表_2026-11.xlsx", True),
        ]
        assert "被修改" in mismatches[0].message and "不存在" in mismatches[1].message
        with pytest.raises(OutputsChanged, match="不能批准"):
            ledger.approve(KF, "2026-11", by="王经理", at=AT, folder=out)
        with pytest.raises(LedgerError, match="不是账本记录"):
            ledger.approve(KF, "2026-11", by="王经理", at=AT, approval_sha="f" * 64)
        assert ledger.month(KF, "2026-11").status == DRAFT
        with pytest.raises(LedgerError, match="尚未批准"):
            ledger.approved_lines(KF, "2026-11")
        with pytest.raises(LedgerError, match="没有 2026-10"):
            ledger.approve(KF, "2026-10", by="王经理", at=AT)


def test_failure_inside_the_transaction_changes_nothing(tmp_path):
    path = tmp_path / "ledger.sqlite"
    with Ledger.open(path) as ledger:
        ledger.record_month(november("100.00"), {"a.xlsx": "1" * 64}, AT)
    before = path.read_bytes()
    broken = november("300.00")
    # the last line's amount is a binary float: the money check refuses it after the
    # month row, the revision and the first lines were already written
    broken.lines.append(replace(line("K009", "钱七", Award.TRAINING, "60.00"), amount=60.0))
    with Ledger.open(path) as ledger:
        with pytest.raises(TypeError):
            ledger.record_month(broken, {"b.xlsx": "2" * 64}, AT)
        assert ledger.lines(KF, "2026-11")[0].amount == Decimal("100.00")
        assert ledger.month(KF, "2026-11").outputs == {"a.xlsx": "1" * 64}
    assert path.read_bytes() == before


def test_corrections_are_numbered_and_become_the_baseline(tmp_path):
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        ledger.record_month(november("100.00"), {}, AT)
        with pytest.raises(LedgerError, match="尚未批准"):
            ledger.record_correction(november("150.00"), "补录", [], {}, AT)
        ledger.approve(KF, "2026-11", by="王经理", at=AT)
        first = november("150.00")
        n1 = ledger.record_correction(
            first,
            "补录结算单",
            diff_lines(ledger.approved_lines(KF, "2026-11"), first.lines),
            {"更正_01/x.xlsx": "c" * 64},
            AT,
        )
        second = november("140.00")
        diff2 = diff_lines(ledger.approved_lines(KF, "2026-11"), second.lines)
        n2 = ledger.record_correction(second, "再次更正", diff2, {}, AT)
        rec = ledger.month(KF, "2026-11")
        recorded = ledger.correction_lines(KF, "2026-11", 2)
    assert (n1, n2) == (1, 2)
    assert [c.difference for c in diff2] == [Decimal("-10.00")]  # against correction 1, not the original
    assert recorded == [
        (
            "K001",
            "张三",
            Award.COLLECTIVE,
            "GC-01",
            None,
            Decimal("150.00"),
            Decimal("140.00"),
            Decimal("-10.00"),
            "扣回",
        )
    ]
    assert rec.revision == 2 and [c.reason for c in rec.corrections] == ["补录结算单", "再次更正"]
    assert rec.status == APPROVED and "更正_01/x.xlsx" in rec.outputs


def test_older_schema_is_migrated_forward(tmp_path):
    path = tmp_path / "ledger.sqlite"
    with ledger_v4.Ledger.open(path) as ledger:   # recorded by the version-4 code
        ledger.record_month(november(), {}, AT)
    # make it a version-1 ledger, as the first release wrote it: no correction table
    conn = sqlite3.connect(path)
    conn.executescript("DROP INDEX award_line_worker; DROP TABLE correction_line; DROP TABLE quality_score; "
                       "ALTER TABLE worker_month DROP COLUMN longest_absence; PRAGMA user_version = 1;")
    conn.close()
    with Ledger.open(path) as ledger:
        assert ledger.schema_version == SCHEMA_VERSION == 5
        assert ledger.lines(KF, "2026-11")[0].amount == Decimal("123.45")
        ledger.approve(KF, "2026-11", by="王经理", at=AT)
        assert ledger.record_correction(november("1.00"), "试", [], {}, AT) == 1


def test_version_2_ledger_keeps_its_quality_scores(tmp_path):
    """Migration 3: a version-2 ledger kept only each project's monthly mean; it is
    carried over as one score row, and December's absence is unknown (NULL)."""
    path = tmp_path / "ledger.sqlite"
    with ledger_v4.Ledger.open(path) as ledger:   # recorded by the version-4 code
        ledger.record_month(november(), {}, AT)
        ledger.approve("2026-11", by="王经理", at=AT)
    conn = sqlite3.connect(path)
    conn.executescript("DROP TABLE quality_score; ALTER TABLE worker_month DROP COLUMN longest_absence; "
                       "DROP TABLE run_log; PRAGMA user_version = 2;")
    conn.close()
    with Ledger.open(path) as ledger:
        assert ledger.schema_version == 5
        (score,) = year_data(ledger, 2026).quality_scores
    assert (score.project_id, score.quality_sum, score.rows, score.quality) == (
        "GC-01", Decimal("88.5"), 1, Decimal("88.5"))


def test_newer_schema_is_refused_untouched(tmp_path):
    path = tmp_path / "ledger.sqlite"
    with Ledger.open(path) as ledger:
        ledger.record_month(november(), {}, AT)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 7")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(LedgerError, match="格式版本为 7，高于本程序支持的版本 5"):
        Ledger.open(path)
    assert path.read_bytes() == before


def test_not_a_ledger(tmp_path):
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(LedgerError, match="不是 kfbonus 账本"):
        Ledger.open(other)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(LedgerError, match="无法打开账本"):
        Ledger.open(junk)


def test_year_uses_latest_revision_and_lists_missing_months(tmp_path):
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        ledger.record_month(make_month("2026-01", workers=[ZHANG], settlement=[("GC-A", "K001")]), {}, AT)
        ledger.record_month(make_month("2025-12", workers=[LI], settlement=[("GC-Z", "K002")]), {}, AT)
        ledger.approve(KF, "2026-01", by="王经理", at=AT)
        ledger.record_correction(
            make_month("2026-01", workers=[ZHANG, LI], settlement=[("GC-A", "K001"), ("GC-B", "K002")]),
            "补录",
            [],
            {},
            AT,
        )
        year = year_data(ledger, 2026)
    assert dict(year.months) == {"2026-01": APPROVED}
    assert year.missing == tuple(f"2026-{m:02d}" for m in range(2, 13))
    assert year.worked == {"K001": ("2026-01",), "K002": ("2026-01",)}
    assert year.projects == {"K001": ("GC-A",), "K002": ("GC-B",)}


def test_discard_removes_every_row_of_a_draft_in_one_go(tmp_path):
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        ledger.record_month(november(), {"审批汇总表_2026-11.xlsx": "c" * 64}, AT)
        ledger.record_month(make_month("2026-10", workers=[ZHANG], settlement=[("GC-A", "K001")]), {}, AT)
        gone = ledger.discard(KF, "2026-11")
        assert gone.record.period == "2026-11" and gone.record.run_at == AT
        assert [f.name for f in gone.record.inputs] == ["结算单.xlsx", "考勤.xlsx"]
        # 123.45 − 0.10 + 80.00 + 0.00
        assert (gone.lines, gone.total) == (4, Decimal("203.35"))
        assert ledger.month(KF, "2026-11") is None and ledger.periods(KF) == ["2026-10"]
        # no table keeps a row of the period (any table with a period column, present or future)
        conn = ledger._conn
        tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            columns = [c[1] for c in conn.execute(f"PRAGMA table_info({table})")]
            if "period" in columns:
                left = conn.execute(f"SELECT count(*) FROM {table} WHERE period = '2026-11'").fetchone()
                assert left == (0,), table
        # the other month is untouched; the period can be run again
        assert len(ledger.lines(KF, "2026-10")) == 0 and ledger.month(KF, "2026-10") is not None
        ledger.record_month(november(), {}, AT)
        assert ledger.month(KF, "2026-11").status == DRAFT


def test_discard_refuses_an_approved_month_and_an_unknown_one(tmp_path):
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        ledger.record_month(november(), {}, AT)
        ledger.approve(KF, "2026-11", by="王经理", at=AT)
        with pytest.raises(MonthApproved, match="不能撤销"):
            ledger.discard(KF, "2026-11")
        assert ledger.month(KF, "2026-11").approved and len(ledger.lines(KF, "2026-11")) == 4
        with pytest.raises(LedgerError, match="账本中没有 2026-09 的记录"):
            ledger.discard(KF, "2026-09")


def test_year_counts_approved_months_unless_drafts_are_included(tmp_path):
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        ledger.record_month(make_month("2026-01", workers=[ZHANG], settlement=[("GC-A", "K001")]), {}, AT)
        ledger.approve(KF, "2026-01", by="王经理", at=AT)
        ledger.record_month(make_month("2026-02", workers=[LI], settlement=[("GC-B", "K002")],
                                       quality={"GC-B": "91"}), {}, AT)
        approved = year_data(ledger, 2026)
        everything = year_data(ledger, 2026, include_drafts=True)
    assert dict(approved.months) == {"2026-01": APPROVED, "2026-02": DRAFT}
    assert approved.counted == ("2026-01",) and approved.drafts == ("2026-02",)
    assert approved.worked == {"K001": ("2026-01",)} and approved.projects == {"K001": ("GC-A",)}
    assert approved.quality_scores == ()
    assert everything.counted == ("2026-01", "2026-02")
    assert everything.worked == {"K001": ("2026-01",), "K002": ("2026-02",)}
    assert [(s.project_id, s.quality) for s in everything.quality_scores] == [("GC-B", Decimal("91"))]


def test_month_keeps_score_row_sums_and_recorded_absence(tmp_path):
    month = make_month("2026-12", workers=[ZHANG, LI], settlement=[("GC-A", "K001")],
                       score_rows=[("GC-A", "90.5"), ("GC-A", "87"), ("GC-B", "99")],
                       attendance=[("K001", "20", "3"), ("K002", "0", "31")])
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        ledger.record_month(month, {}, AT)
        year = year_data(ledger, 2026, include_drafts=True)
        stored = ledger._conn.execute(
            "SELECT json_type(q.data, '$.quality_sum'), json_type(w.data, '$.longest_absence') "
            "FROM fact q, fact w WHERE q.kind = 'quality_score' AND w.kind = 'worker_month' LIMIT 1"
        ).fetchone()
    # GC-B was scored without a settlement line this month: its row is kept all the same
    assert [(s.project_id, s.quality_sum, s.rows) for s in year.quality_scores] == [
        ("GC-A", Decimal("177.5"), 2), ("GC-B", Decimal("99"), 1)]
    assert year.december_absence == {"K001": Decimal("3"), "K002": Decimal("31")}
    assert stored == ("text", "text")


def test_runs_of_a_period_are_numbered_and_survive_the_draft_being_replaced(tmp_path):
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        assert ledger.next_run_number(KF, "2026-11") == 1
        ledger.record_month(november("100.00"), {}, AT)
        assert ledger.next_run_number(KF, "2026-11") == 2
        ledger.record_month(november("200.00"), {}, AT + dt.timedelta(hours=1))
        assert ledger.next_run_number(KF, "2026-11") == 3
        assert ledger.next_run_number(KF, "2026-10") == 1


def test_a_version_2_ledger_counts_each_recorded_month_as_run_1(tmp_path):
    path = tmp_path / "ledger.sqlite"
    with ledger_v4.Ledger.open(path) as ledger:   # recorded by the version-4 code
        ledger.record_month(november(), {}, AT)
    conn = sqlite3.connect(path)
    conn.executescript("DROP TABLE run_log; DROP TABLE quality_score; "
                       "ALTER TABLE worker_month DROP COLUMN longest_absence; PRAGMA user_version = 2;")
    conn.close()
    with Ledger.open(path) as ledger:
        assert ledger.schema_version == 5
        assert ledger.next_run_number(KF, "2026-11") == 2


def test_lines_citing_more_places_than_the_text_cache_holds_read_back_exact(tmp_path, monkeypatch):
    """The texts of a line's places are made once and kept for the lines that follow; the
    cache is bounded (a big month's places are not all held) and starts again when full:
    every line still reads back with its own places, in order, shared or not."""
    import kfbonus.ledger as ledger_module

    monkeypatch.setattr(ledger_module, "_MADE_MAX", 3)
    places = [Source("结算单.xlsx", f"GC-{k:02d}", 5 + k, "C") for k in range(8)]
    lines = [replace(line("K001", "张三", Award.COLLECTIVE, "1.00", f"GC-{k:02d}"),
                     sources=(places[k], places[(k * 3) % 8], places[0]))
             for k in range(8)]
    result = make_month("2026-11", workers=[ZHANG], lines=lines)
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        ledger.record_month(result, {}, AT)
        back = ledger.lines(KF, "2026-11")
        shown = [r[0] for r in ledger._conn.execute("SELECT sources FROM award_line ORDER BY seq")]
    assert back == lines
    assert [x.sources for x in back] == [x.sources for x in lines]
    assert shown == ["; ".join(str(s) for s in x.sources) for x in lines]
