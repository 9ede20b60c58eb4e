"""Corrections: one changed input line → exact 补发/扣回 per line and per worker; the slip files."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import openpyxl

from kfbonus.correction import BACK, MORE, diff_lines
from kfbonus.ledger import APPROVED, MonthRecord
from kfbonus.model import AwardLine
from kfbonus.money import D, allocate
from kfbonus.problems import Source
from kfbonus.render.correction import render_correction
from kfbonus.schemes.kf13 import SCHEME as KF13
from kfbonus.schemes.kf13.model import Award
from tests.monthmaker import line

CREW = {"K001": "张三", "K002": "李四", "K003": "王五"}


def collective_lines(pool: str, days: dict[str, int]) -> list[AwardLine]:
    """A crew's collective shares, as SCHEME.md §2: pool ÷ Σdays × days, largest remainder."""
    total = sum(days.values())
    ids = sorted(days)
    shares = allocate([D(pool) * days[w] / total for w in ids], ids)
    return [line(w, CREW[w], Award.COLLECTIVE, str(s), "GC-01") for w, s in zip(ids, shares, strict=True)]


def test_one_changed_settlement_line_gives_exact_corrections():
    # Approved: pool 1,000.00, days 7 / 11 / 12 (Σ 30): exact 233.333…, 366.666…, 400 →
    # floors 233.33 + 366.66 + 400.00 = 999.99; the missing fen goes to the largest
    # remainder (K002: .00666 > K001: .00333) → 233.33, 366.67, 400.00.
    approved = collective_lines("1000.00", {"K001": 7, "K002": 11, "K003": 12})
    assert [x.amount for x in approved] == [D("233.33"), D("366.67"), D("400.00")]
    # Correction: K003's 个人工期天数 was typed 12 instead of 2 (Σ 20): 350, 550, 100 exactly.
    now = collective_lines("1000.00", {"K001": 7, "K002": 11, "K003": 2})
    diff = diff_lines(approved, now)
    assert [(c.worker_id, c.approved, c.now, c.difference, c.kind) for c in diff.lines] == [
        ("K001", D("233.33"), D("350.00"), D("116.67"), MORE),
        ("K002", D("366.67"), D("550.00"), D("183.33"), MORE),
        ("K003", D("400.00"), D("100.00"), D("-300.00"), BACK),
    ]
    assert [(w.worker_id, w.more, w.back, w.difference, w.kind) for w in diff.workers] == [
        ("K001", D("116.67"), D("0.00"), D("116.67"), MORE),
        ("K002", D("183.33"), D("0.00"), D("183.33"), MORE),
        ("K003", D("0.00"), D("-300.00"), D("-300.00"), BACK),
    ]
    assert diff.total == D("0.00") and diff.more == D("300.00") and diff.back == D("-300.00")
    assert diff.unchanged == 0


def test_unchanged_lines_are_counted_not_listed_and_projectless_rows_pair_by_amount():
    # K001 has two 优秀个人奖 rows of 500.00 (no project) and a 扣款; the second award is
    # lowered to 300.00 and the rows are listed in another order now.  Pairing first
    # matches equal amounts, so exactly one line 500.00 → 300.00 (扣回 200.00) is listed.
    approved = [
        line("K001", "张三", Award.ADJUSTMENT, "500.00", category="优秀个人奖", row=2),
        line("K001", "张三", Award.ADJUSTMENT, "500.00", category="优秀个人奖", row=3),
        line("K001", "张三", Award.ADJUSTMENT, "-50.00", category="扣款", row=4),
        line("K002", "李四", Award.SENIORITY, "80.00", category="3 年档"),
    ]
    now = [
        line("K002", "李四", Award.SENIORITY, "80.00", category="3 年档"),
        line("K001", "张三", Award.ADJUSTMENT, "300.00", category="优秀个人奖", row=2),
        line("K001", "张三", Award.ADJUSTMENT, "-50.00", category="扣款", row=4),
        line("K001", "张三", Award.ADJUSTMENT, "500.00", category="优秀个人奖", row=3),
        line("K003", "王五", Award.TRAINING, "120.00", category="带薪培训"),  # new line
    ]
    diff = diff_lines(approved, now)
    assert [(c.worker_id, c.category, c.approved, c.now, c.kind) for c in diff.lines] == [
        ("K001", "优秀个人奖", D("500.00"), D("300.00"), BACK),
        ("K003", "带薪培训", D("0.00"), D("120.00"), MORE),
    ]
    assert diff.unchanged == 3
    # the same comparison in any input order gives the same answer
    assert diff_lines(list(reversed(approved)), list(reversed(now))) == diff


def test_removed_line_is_clawed_back_and_zero_lines_do_not_count():
    approved = [
        line("K001", "张三", Award.INDIVIDUAL, "500.00", "GC-02"),
        line("K002", "李四", Award.INDIVIDUAL, "0.00", "GC-02", unpaid="200.00", reason="不符合条件"),
    ]
    now = [line("K003", "王五", Award.COLLECTIVE, "0.00", "GC-02", unpaid="10.00", reason="离职")]
    diff = diff_lines(approved, now)
    assert [(c.worker_id, c.difference, c.kind, c.reason) for c in diff.lines] == [
        ("K001", D("-500.00"), BACK, "更正后无此项")
    ]
    assert diff.unchanged == 2


def approved_record() -> MonthRecord:
    return MonthRecord(
        "2026-11",
        APPROVED,
        "FS-MS-KF-13 A/2",
        "FS-MS-KF-13_A2.toml",
        dt.date(2026, 11, 30),
        dt.datetime(2026, 12, 1, 9, 0),
        "王经理",
        dt.datetime(2026, 12, 2, 10, 30),
        None,
        0,
        (),
        {},
    )


def test_render_correction_workbook_and_slips(tmp_path):
    approved = collective_lines("1000.00", {"K001": 7, "K002": 11, "K003": 12})
    now = collective_lines("1000.00", {"K001": 7, "K002": 11, "K003": 2})
    now[0] = replace(now[0], name="张三<script>")
    diff = diff_lines(approved, now)
    at = dt.datetime(2026, 12, 20, 8, 0)
    files = render_correction("2026-11", 1, "补录 GC-01 结算单 & 工期", approved_record(), diff, tmp_path, at,
                              KF13.presentation)
    rel = [p.relative_to(tmp_path).as_posix() for p in files]
    assert rel == [
        "更正_01/更正单_2026-11_01.xlsx",
        "更正_01/slips/K001_张三_script.html",
        "更正_01/slips/K002_李四.html",
        "更正_01/slips/K003_王五.html",
    ]

    wb = openpyxl.load_workbook(files[0])
    assert wb.sheetnames == ["更正汇总", "更正明细"]
    ws = wb["更正汇总"]
    cells = {c.coordinate: c for row in ws.iter_rows() for c in row if c.value is not None}
    texts = " ".join(str(c.value) for c in cells.values())
    assert (
        "第 01 号" in texts
        and "王经理 于 2026-12-02 10:30 批准" in texts
        and "补录 GC-01 结算单 & 工期" in texts
    )
    for role in ("客户服务部核算员", "客户服务部经理", "光热事业部总经理"):
        assert role in texts
    assert ws.freeze_panes == "A8" and ws.page_setup.paperSize == 9
    row = next(r for r in ws.iter_rows(min_row=8) if r[0].value == "K003")
    assert row[3].value == -300 and row[5].value == "扣回"
    assert row[3].number_format == '#,##0.00;[Red]-#,##0.00;"-"'   # the accounting format (kfbonus.settings)
    detail = wb["更正明细"]
    data = [[c.value for c in r] for r in detail.iter_rows(min_row=4, max_row=6)]
    assert [(r[0], r[6], r[7], r[8], r[9]) for r in data] == [
        ("K001", 233.33, 350, 116.67, "补发"),
        ("K002", 366.67, 550, 183.33, "补发"),
        ("K003", 400, 100, -300, "扣回"),
    ]
    assert detail.freeze_panes == "A4"

    slip = files[1].read_text(encoding="utf-8")
    assert "&lt;script&gt;" in slip and "<script>" not in slip
    assert "应补发 116.67 元（壹佰壹拾陆元陆角柒分）" in slip
    assert "应扣回 300.00 元" in files[3].read_text(encoding="utf-8")
    # the month's 更正原因 may name colleagues: the notice shows the worker's own lines only
    assert "补录 GC-01 结算单" not in slip and "&amp; 工期" not in slip
    assert "你的以下项目金额有变动" in slip and "签收人" in slip
    assert "如有疑问，请于 2026年12月10日 前向客户服务部核算员提出" in slip
    assert "K002" not in slip and "李四" not in slip

    again = render_correction(
        "2026-11", 1, "补录 GC-01 结算单 & 工期", approved_record(), diff, tmp_path / "again", at,
        KF13.presentation)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in files]


def test_ordinal_and_sources_are_kept_for_the_ledger():
    a = AwardLine(
        "K001",
        "张三",
        Award.ADJUSTMENT,
        Decimal("100.00"),
        "f",
        "c",
        (Source("奖惩.xlsx", "奖惩", 5),),
        category="创新奖",
    )
    b = AwardLine(
        "K001",
        "张三",
        Award.ADJUSTMENT,
        Decimal("200.00"),
        "f",
        "c",
        (Source("奖惩.xlsx", "奖惩", 6),),
        category="创新奖",
    )
    diff = diff_lines(
        [a, b],
        [
            replace(a, amount=Decimal("150.00")),
            replace(b, amount=Decimal("250.00")),
        ],
    )
    assert [(c.ordinal, c.approved, c.now) for c in diff.lines] == [
        (1, D("100.00"), D("150.00")),
        (2, D("200.00"), D("250.00")),
    ]
