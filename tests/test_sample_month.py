"""The sample month input_samples/2026-11 end to end (issue 3).

The command runs once for the module on a copy of the sample folder; the approval
workbook's sheet 汇总 is read back with openpyxl.  Every expected amount below was
worked out by hand from the sample's workbooks and SCHEME.md (arithmetic in the
comments), not copied from the program's output.  ``test_the_inputs_the_hand_figures_rest_on``
reads the input cells the arithmetic starts from, so a changed sample fails there first.

Rules used (SCHEME.md, A/2 defaults): pool = 总分 ÷ 100 × 计件工资总额 × k, rounded
half-up to the fen; share = pool ÷ Σ个人工期天数 × days × 个人百分比, exact, then the
crew's shares are floored to the fen and the fen missing to round(Σ exact) go to the
largest remainders (ties by 工号).  Assessment date 2026-11-30; 25 due days
(30 − 5 Sundays marked 休).
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kfbonus import cli
from tests.helpers import folder_digest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "input_samples" / "2026-11"
PERIOD = "2026-11"
COLUMNS = ["工号", "姓名", "个人奖", "集体奖", "培训补贴", "工龄奖", "其他奖惩", "合计"]
CENT = Decimal("0.01")


def money(value) -> Decimal:
    return Decimal(str(value if value is not None else 0)).quantize(CENT)


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    """Run the sample month once: (input copy, output month folder, exit code, digests)."""
    base = tmp_path_factory.mktemp("sample")
    folder = base / "in"
    shutil.copytree(SAMPLE, folder)
    sample_before = folder_digest(SAMPLE)
    before = folder_digest(folder)
    code = cli.main([PERIOD, "--input", str(folder), "--output", str(base / "out")])
    return {"in": folder, "out": base / "out" / PERIOD, "code": code,
            "unchanged": folder_digest(folder) == before and folder_digest(SAMPLE) == sample_before}


@pytest.fixture(scope="module")
def summary(sample_run):
    """Sheet 汇总: header, {工号: {column: value}}, the 合计 row (as dicts)."""
    wb = load_workbook(sample_run["out"] / "审批汇总表_2026-11.xlsx", data_only=True)
    rows = list(wb["汇总"].iter_rows(values_only=True))
    h = next(i for i, r in enumerate(rows) if r and r[0] == "工号")
    header = [str(v) if v is not None else "" for v in rows[h]]
    workers: dict[str, dict] = {}
    total = None
    for r in rows[h + 1:]:
        if r[0] == "合计":
            total = dict(zip(header, r, strict=True))
            break
        if r[0] is not None:
            assert str(r[0]) not in workers, f"two rows for {r[0]}"
            workers[str(r[0])] = dict(zip(header, r, strict=True))
    return header, workers, total


@pytest.fixture(scope="module")
def unpaid(sample_run):
    wb = load_workbook(sample_run["out"] / "审批汇总表_2026-11.xlsx", data_only=True)
    rows = list(wb["未发放"].iter_rows(values_only=True))
    h = next(i for i, r in enumerate(rows) if r and r[0] == "工号")
    header = list(rows[h])
    return [dict(zip(header, r, strict=True)) for r in rows[h + 1:] if r[0] not in (None, "合计")]


def amounts(row: dict) -> tuple[Decimal, ...]:
    return tuple(money(row[c]) for c in COLUMNS[2:])


def test_the_sample_month_runs_clean_and_leaves_its_inputs_alone(sample_run):
    assert sample_run["code"] == 0
    assert sample_run["unchanged"]
    for name in ("审批汇总表_2026-11.xlsx", "工资条_2026-11.xlsx", "slips/全部.html"):
        assert (sample_run["out"] / name).is_file()


def test_the_inputs_the_hand_figures_rest_on():
    """The cells the hand arithmetic below starts from, read from the sample's workbooks."""
    settle = load_workbook(SAMPLE / "计件工资结算单（2026年11月）.xlsx", read_only=True)
    ws = list(settle["GC-2611-01 顺德酒店"].iter_rows(values_only=True))
    crew01 = {str(r[1]): (r[4], Decimal(str(r[5])), r[6]) for r in ws[5:12]}
    assert crew01["1001"] == (14, Decimal("4617.7"), "110%")
    assert crew01["1007"] == (10, Decimal("2361.9"), "85%")
    assert ws[12][0] == "合计" and (ws[12][4], Decimal(str(ws[12][5]))) == (89, Decimal("24774.6"))
    ws = list(settle["GC-2611-03 中山学校宿舍"].iter_rows(values_only=True))
    assert [(str(r[1]), r[4]) for r in ws[5:12]] == [
        ("1008", 16), ("1009", 16), ("1010", 15), ("1011", 14), ("1012", 15), ("1013", 12), ("1014", 16)]
    assert all(r[6] is None for r in ws[5:12])                       # 个人百分比 blank → 100%
    assert Decimal(str(ws[12][5])) == Decimal("28814.8")
    ws = list(settle["GC-2611-05 东莞工厂宿舍"].iter_rows(values_only=True))
    assert Decimal(str(ws[14][5])) == Decimal("31182.5") and ws[14][4] == 110
    assert (str(ws[13][1]), ws[13][4], ws[13][6]) == ("1005", 10, 1)

    app = load_workbook(SAMPLE / "工程激励审批.xlsx", read_only=True)
    ws = {r[1]: r for r in app["激励申报"].iter_rows(min_row=3, values_only=True) if r[1]}
    assert (ws["GC-2611-01"][5], ws["GC-2611-01"][6]) == ("15%", "5%")
    assert (ws["GC-2611-03"][5], ws["GC-2611-03"][6]) == (18, 0.04)
    assert (ws["GC-2611-05"][5], ws["GC-2611-05"][6]) == ("20%", 3)
    scores = {r[1]: r[5:9] for r in app["工程评分"].iter_rows(min_row=3, values_only=True) if r[1]}
    assert scores["GC-2611-01"] == (95, 92, 90, 94)
    assert scores["GC-2611-03"] == (90, 94, 92, 90)
    form05 = [r[2:6] for r in app["GC-2611-05评分表"].iter_rows(min_row=5, max_row=6, values_only=True)]
    assert form05 == [(94, 95, 90, 96), (92, 91, 94, 90)]
    noms = [(r[1], str(r[2]), r[5], r[6]) for r in app["个人激励申报"].iter_rows(min_row=3, values_only=True)
            if r[2]]
    assert noms[:3] == [("GC-2611-01", "1001", "优秀", "¥200.00"), ("GC-2611-01", "1002", "优秀", 300),
                        ("GC-2611-01", "1005", "优秀", "380")]

    misc = load_workbook(SAMPLE / "月度奖惩及培训.xlsx", read_only=True)
    training = {str(r[0]): r[5] for r in misc["带薪培训"].iter_rows(min_row=2, values_only=True)}
    assert training == {"1005": 2, "1023": "1.5", "1034": 2, "1013": 3}
    adj = [(str(r[1]), r[3], r[4]) for r in misc["其他奖惩"].iter_rows(min_row=3, values_only=True)]
    assert adj == [("1001", "优秀个人奖", None), ("1011", "创新奖", 300), ("1029", "目标达成奖", None),
                   ("1020", "扣款", 200)]

    grid = load_workbook(SAMPLE / "2026年11月考勤表.xlsx", read_only=True)
    marks = {str(r[0]): r[3:33] for r in grid["11月考勤"].iter_rows(min_row=5, values_only=True) if r[0]}
    assert marks["1003"].count("√") == 23 and marks["1003"].count("事") == 2
    assert marks["1020"].count("√") == 22 and marks["1020"].count("事") == 3
    assert all(m.count("√") == 25 and m.count("休") == 5 for w, m in marks.items()
               if w in ("1001", "1005", "1007", "1014", "1023"))


def test_summary_has_the_scheme_columns_and_one_row_per_paid_worker(summary):
    header, workers, total = summary
    assert [c for c in header if c in COLUMNS] == COLUMNS
    # Everyone on the roster (1001–1035) has a non-zero line except the six who are
    # excluded or have nothing: 1013 试用, 1019 转正 after 11-30, 1021 外包, 1027 临时,
    # 1033 left 11-20 (their collective shares unpaid), 1024 病 all month (no lines).
    roster = {str(w) for w in range(1001, 1036)}
    assert set(workers) == roster - {"1013", "1019", "1021", "1024", "1027", "1033"}
    assert total is not None
    for row in workers.values():          # 合计 = 个人奖 + 集体奖 + 培训补贴 + 工龄奖 + 其他奖惩
        *parts, row_total = amounts(row)
        assert sum(parts) == row_total


def test_grand_total(summary):
    _, workers, total = summary
    # 个人奖: 01 declared 200 + 300 + 380 = 880.00; 03 pool 4% × 28,814.80 = 1,152.592 → 1,152.59
    #   (split 384.20/384.20/384.19); 05 3% × 31,182.50 = 935.475 → 935.48, split 311.83 (1004),
    #   311.83 (1005, of which only 120.00 paid: cap), 311.82 (1030) → paid 743.65;
    #   08 3.5% × 14,510.80 = 507.878 → 507.88, two qualifying → 253.94 + 253.94.
    #   880.00 + 1,152.59 + 743.65 + 507.88 = 3,284.12
    # 集体奖: per project round(Σ exact shares): 01 3,444.83; 02 1,730.57; 03 4,745.80; 04 1,800.19;
    #   05 5,758.06; 06 2,282.18; 07 1,252.17; 08 1,714.09 → 22,727.89, less the excluded members'
    #   shares 1013 547.59 + 1019 221.94 + 377.10 + 1021 295.92 + 1027 399.89 + 1033 420.68
    #   = 2,263.12 → 20,464.77
    # 培训补贴: (2 + 1.5 + 2) × 60 = 330.00 (1013's 3 days excluded)
    # 工龄奖: 150 × 8 (1001 1002 1008 1009 1015 1016 1022 1029) = 1,200.00;
    #   120 × 4 (1006 1014 1030 1031) + 1003 120 × 23/25 = 110.40 + 1020 120 × 22/25 = 105.60
    #   (1028 旷 → 0) = 696.00; 80 × 5 (1004 1011 1018 1023 1035) = 400.00;
    #   50 + 50 + 48 + 48 (1010 1025; 1012 1032 one 事 day: 50 × 24/25) = 196.00;
    #   30 + 30 + 27.60 (1005 1034; 1017 two 病 days) = 87.60 → 2,579.60
    # 其他奖惩: 500 (优秀个人奖, standard) + 300 + 1,000 (目标达成奖, standard) − 200 = 1,600.00
    # 合计: 3,284.12 + 20,464.77 + 330.00 + 2,579.60 + 1,600.00 = 28,258.49
    assert amounts(total) == tuple(map(Decimal, ("3284.12", "20464.77", "330.00", "2579.60", "1600.00",
                                                  "28258.49")))
    # and the 合计 row is the sum of the worker rows, column by column
    for i, col in enumerate(COLUMNS[2:]):
        assert sum(amounts(r)[i] for r in workers.values()) == money(total[col]), col


# (工号, 个人奖, 集体奖, 培训补贴, 工龄奖, 其他奖惩, 合计) — each worked out in the test below
HAND = {
    # Collective share, GC-2611-01: 总分 (95 + 92 + 90 + 94) ÷ 4 = 92.75; 计件工资总额 24,774.60;
    # k 15%: pool 0.9275 × 24,774.60 × 0.15 = 3,446.766225 → 3,446.77.  Σdays 89; weighted days
    # (days × %) 15.4 14.7 12 12.35 12 14 8.5 = 88.95.  Unit 3,446.77 ÷ 89 = 38.727752…
    # 1007: 10 days × 85% → 38.727752… × 8.5 = 329.185898… → floor 329.18.  Crew floors
    # 596.40 569.29 464.73 478.28 464.73 542.18 329.18 = 3,444.79; target round(3,444.8336) =
    # 3,444.83 → 4 fen to the largest remainders .00854 (1006), .00797 (1002), .00775 (1004),
    # .00739 (1001); 1007's .00590 gets none → 329.18.  1007 hired 2026-03-02: < 1 year, no
    # seniority award; no other line.
    "1007": ("0", "329.18", "0", "0", "0", "329.18"),
    # Declared individual award: 1001 申报金额 ¥200.00 on 01 (declared 200 + 300 + 380 = 880 ≤
    # pool 5% × 24,774.60 = 1,238.73) → 200.00.  Collective on 01: 38.727752… × 15.4 =
    # 596.407393… → 596.40 + 1 fen (remainder .00739 is 4th largest) = 596.41.  Seniority:
    # hired 2012-03-05, 14 years → tier 150, 25/25 days → 150.00.  优秀个人奖 with blank 金额 →
    # standard 500.00.  200.00 + 596.41 + 150.00 + 500.00 = 1,446.41
    "1001": ("200.00", "596.41", "0", "150.00", "500.00", "1446.41"),
    # Equal split: 03 pool 0.04 × 28,814.80 = 1,152.592 → 1,152.59 among 1008 (电工), 1009 (焊工),
    # 1014 (no skill, hired 2020-10-08: 6 years ≥ 3); 1010 (2 years, no skill) and 1012 (良好)
    # do not qualify.  1,152.59 ÷ 3 = 384.1966… → floors 384.19 × 3 = 1,152.57; 2 fen, equal
    # remainders → by 工号: 1008, 1009 → 1014 gets 384.19.
    # Collective 03: 总分 (90 + 94 + 92 + 90) ÷ 4 = 91.5; k 18 → 18%; pool 0.915 × 28,814.80 ×
    # 0.18 = 4,745.79756 → 4,745.80; Σdays 104, all 100%: unit 45.632692…; 1014 16 days →
    # 730.123076… → 730.12 (floors sum 4,745.78; the 2 fen go to 1011 .00769 and 1008 .00308,
    # 1008 before 1014 on the tie).  Collective 07: 总分 (91 + 82 + 88 + 90) ÷ 4 = 87.75; k 12%;
    # 计件工资总额 11,947.00 → pool 0.8775 × 11,947.00 × 0.12 = 1,258.0191 → 1,258.02; Σdays 43;
    # unit 29.256279…; weighted 8.4 7 8 8 6 5.4 = 42.8 → Σ exact 1,252.1687 → 1,252.17; floors
    # 245.75 204.79 234.05 234.05 175.53 157.98 = 1,252.15; 2 fen to 1014 (.00767) and 1009
    # (.00395) → 1014 175.54.  730.12 + 175.54 = 905.66.  Seniority 6 years → 120.00.
    # 384.19 + 905.66 + 120.00 = 1,409.85
    "1014": ("384.19", "905.66", "0", "120.00", "0", "1409.85"),
    # Cap crossing: 1005 declared 380.00 on 01, then 05 (工程编号 order): 05 pool 3% × 31,182.50
    # = 935.475 → 935.48; 1004, 1005, 1030 qualify; 935.48 ÷ 3 = 311.8266… → 311.82 × 3 = 935.46,
    # 2 fen by 工号 → 1004, 1005 get 311.83.  380.00 + 311.83 = 691.83 > 500: pays 120.00,
    # 191.83 超出封顶.  Individual 500.00.
    # Collective: 01 12 days × 100% → 38.727752… × 12 = 464.733033… → 464.73 (remainder .00303,
    # no extra fen).  05: scores, mean of the two form rows: (93 + 93 + 92 + 93) ÷ 4 = 92.75; k 20%:
    # 0.9275 × 31,182.50 × 0.2 = 5,784.35375 → 5,784.35; Σdays 110 → unit 52.585 exactly; 1005
    # 10 days × 100% = 525.85 (no remainder).  464.73 + 525.85 = 990.58.  Training 技能考证 2 days ×
    # 60 = 120.00.  Seniority: hired 2025-06-16, 1 year → 30, 25/25 → 30.00.
    # 500.00 + 990.58 + 120.00 + 30.00 = 1,640.58
    "1005": ("500.00", "990.58", "120.00", "30.00", "0", "1640.58"),
    # Seniority prorated: 1003 hired 2021-04-12 → 5 years → tier 120; 事 on 16 and 17 Nov →
    # 实出勤 23 of 25 → 120 × 23 ÷ 25 = 110.40.  Collective 01: 12 days × 100% = 464.73 (as
    # 1005).  464.73 + 110.40 = 575.13
    "1003": ("0", "464.73", "0", "110.40", "0", "575.13"),
    # 扣款 typed as a positive 200 → −200.00.  Collective 04: 总分 (88 + 90 + 86 + 92) ÷ 4 = 89;
    # k 10%; 计件工资总额 20,781.00 → pool 1,849.509 → 1,849.51; Σdays 75; 1020 10 days × 90% →
    # 1,849.51 ÷ 75 × 9 = 221.9412 → 221.94 (the crew's one extra fen goes to 1015, remainder
    # .0016).  08: 总分 (96 + 94 + 93 + 95) ÷ 4 = 94.5; k 12.5%; 14,510.80 → 1,714.08825 →
    # 1,714.09; Σdays 50; 9 days → 308.5362 → 308.53, floors sum 1,714.06, 3 fen to 1019 (.0098),
    # 1018 (.008), 1020 (.0062) → 308.54.  221.94 + 308.54 = 530.48.  Seniority: hired
    # 2019-09-23, 7 years → 120; 事 23–25 Nov → 22/25 → 105.60.  530.48 + 105.60 − 200.00 = 436.08
    "1020": ("0", "530.48", "0", "105.60", "-200.00", "436.08"),
    # Training typed "1.5" days → 1.5 × 60 = 90.00.  Collective 02: two score rows → means
    # 94, 90.5, 90.5, 89 → 总分 91; k 0.12; 16,073.30 → 0.91 × 16,073.30 × 0.12 = 1,755.20436 →
    # 1,755.20; Σdays 57; 1023 12 days × 100% → 30.792982… × 12 = 369.515789… → 369.51; crew
    # floors sum 1,730.54, target round(1,730.5656) = 1,730.57: fen to 1022 (.00737), then 1023
    # and 1028 (.00579 each) → 369.52.  06: 总分 (93 + 90 + 95 + 91.5) ÷ 4 = 92.375; k 0.16;
    # 15,577.70 → 2,302.38406 → 2,302.38; Σdays 57; 9 days → 363.533684… → 363.53 (the 3 fen go
    # to 1022, 1027, 1025).  369.52 + 363.53 = 733.05.  Seniority: hired 2022-01-10, 4 years →
    # 80.00.  733.05 + 90.00 + 80.00 = 903.05
    "1023": ("0", "733.05", "90.00", "80.00", "0", "903.05"),
}


@pytest.mark.parametrize("worker_id", list(HAND))
def test_worker_lines_match_the_hand_figures(summary, worker_id):
    _, workers, _ = summary
    assert amounts(workers[worker_id]) == tuple(Decimal(v).quantize(CENT) for v in HAND[worker_id])


def test_excluded_worker_is_paid_nothing_and_shown_unpaid(summary, unpaid):
    _, workers, _ = summary
    # 1019 彭家乐: 用工类型 正式 but 转正日期 2026-12-01 is after 2026-11-30 → in probation.
    # Shares computed and not paid: 04 9 days × 100% → 1,849.51 ÷ 75 × 9 = 221.9412 → 221.94;
    # 08 11 days → 1,714.09 ÷ 50 × 11 = 377.0998 → 377.09 + 1 fen (largest remainder .0098) =
    # 377.10.  His nomination on 08 is not paid (probation).
    assert "1019" not in workers
    rows = [r for r in unpaid if str(r["工号"]) == "1019"]
    collective = {r["工程编号"]: money(r["未发金额"]) for r in rows if r["奖项"] == "集体奖"}
    assert collective == {"GC-2611-04": Decimal("221.94"), "GC-2611-08": Decimal("377.10")}
    assert all(money(r["已发金额"]) == 0 for r in rows)
    assert all("试用期" in r["原因"] and "2026-12-01" in r["原因"] for r in rows if r["奖项"] == "集体奖")
    assert any(r["奖项"] == "个人奖" and r["工程编号"] == "GC-2611-08" for r in rows)
    # 1005's cap: 05 pays 120.00 and leaves 311.83 − 120.00 = 191.83 unpaid as 超出封顶
    cap = [r for r in unpaid if str(r["工号"]) == "1005" and r["奖项"] == "个人奖"]
    paid_unpaid = [(money(r["已发金额"]), money(r["未发金额"])) for r in cap]
    assert paid_unpaid == [(Decimal("120.00"), Decimal("191.83"))]
    assert "超出封顶" in cap[0]["原因"]


def test_the_sample_slips_print_one_page_per_worker(sample_run, summary, tmp_path):
    """全部.html printed by Chromium: one A4 page per slip, each with its worker's name and
    total (the 汇总 合计 for paid workers), nothing spilling onto a second page."""
    from kfbonus.money import fmt_money
    from tests.render_tools import chromium_pdf, pdf_page_text, pdf_pages

    slips = sorted(p.stem for p in (sample_run["out"] / "slips").glob("*.html") if p.stem != "全部")
    pdf = chromium_pdf(sample_run["out"] / "slips" / "全部.html", tmp_path / "all.pdf", tmp_path / "profile")
    assert pdf_pages(pdf) == len(slips)
    _, workers, _ = summary
    pages = [pdf_page_text(pdf, n) for n in range(1, len(slips) + 1)]
    for stem, text in zip(sorted(slips, key=lambda s: int(s.split("_")[0])), pages, strict=True):
        worker_id, name = stem.split("_", 1)
        assert worker_id in text and name in text, stem
        total = money(workers[worker_id]["合计"]) if worker_id in workers else Decimal("0.00")
        assert f"¥{fmt_money(total)}" in text.replace(" ", ""), (stem, total)
