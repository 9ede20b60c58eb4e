"""Slips in plain words (issue 12.5): each line a short sentence with amounts to the fen,
the formula in small print, 本月激励合计（应发）, a slip number and whom to ask by when.

The sample month is read and computed once (the lines then carry their ``facts``), and
its slips are rendered and read back as text.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from pathlib import Path

import pytest

from kfbonus.model import AwardLine
from kfbonus.money import D
from kfbonus.pipeline import default_assess_date, read_inputs
from kfbonus.render.plain import fine_print
from kfbonus.render.slips import write_slips
from kfbonus.render.view import worker_views
from kfbonus.schemes.kf13.compute import compute_month
from kfbonus.schemes.kf13.model import Award
from kfbonus.schemes.kf13.params import load_rules
from kfbonus.schemes.kf13.plain import plain_text
from kfbonus.settings import Settings, load_settings, query_deadline

SAMPLE = Path(__file__).resolve().parents[1] / "input_samples" / "2026-11"
PERIOD = "2026-11"
_TAG = re.compile(r"<[^>]+>")


@pytest.fixture(scope="module")
def sample_result():
    assess = default_assess_date(PERIOD)
    month, problems = read_inputs(SAMPLE, PERIOD)
    assert not any(p.is_error for p in problems)
    return compute_month(month, load_rules(None).in_force(assess), assess, PERIOD)


@pytest.fixture(scope="module")
def slips(sample_result, tmp_path_factory):
    folder = tmp_path_factory.mktemp("slips")
    write_slips(sample_result, worker_views(sample_result), folder, dt.datetime(2026, 12, 1, 9, 0))
    return {p.name.split("_")[0]: p.read_text(encoding="utf-8") for p in folder.glob("*_*.html")}


def main_texts(html: str) -> list[str]:
    """The plain sentences of a slip (the main text of each line)."""
    return [htmllib.unescape(t) for t in re.findall(r'<span class="plain">(.*?)</span>', html, re.S)]


def test_lines_are_plain_sentences_with_amounts_to_the_fen(slips):
    every = [t for html in slips.values() for t in main_texts(html)]
    assert "工程集体奖池 3,446.77 元，你干 12 天，全组共 89 人·天 → 464.73 元" in every
    assert ("工程集体奖池 3,446.77 元，你干 14 天（分配比例 110%），全组共 89 人·天 → 596.41 元"
            in main_texts(slips["1001"]))
    for worker, html in slips.items():
        texts = main_texts(html)
        assert texts, worker
        for text in texts:
            for jargon in ("…", "最大余数法", "个人工期天数之和", "录入为", "一律计为负数"):
                assert jargon not in text, (worker, text)
        visible = htmllib.unescape(_TAG.sub(" ", html))
        # no unrounded amount and no accountant's note anywhere on the slip, small print included
        assert "…" not in visible and "录入为" not in visible, worker
        assert not re.search(r"\d,\d{3}\.\d{3,}|\b\d+\.\d{4,}", visible), worker


def test_the_formula_stays_in_small_print(slips):
    html = slips["1001"]
    assert '<span class="fine">算法：' in html
    assert "计件工资总额 24,774.60 × 15% ≈ 集体奖池 3,446.77" in html


def test_total_heading_number_and_whom_to_ask(slips):
    for worker, html in slips.items():
        assert "本月激励合计（应发）" in html and "实发" not in html
        assert f"明细单编号 {PERIOD}-{worker}" in html
        assert "如有疑问，请于 2026年12月10日 前向客户服务部核算员提出。" in html


def test_deduction_says_what_is_deducted_without_the_input_note():
    line = AwardLine("1001", "甲", Award.ADJUSTMENT, D("-200.00"),
                     "扣款 -200.00（未系安全带）（录入为 200.00，扣款一律计为负数）", "c",
                     category="扣款", facts={"note": "未系安全带", "deduction": True})
    assert plain_text(line) == "扣款：扣 200.00 元（未系安全带）"
    assert "录入为" not in fine_print(line)


def test_seniority_and_training_sentences(sample_result):
    texts = {plain_text(line) for line in sample_result.lines if line.award is Award.SENIORITY}
    pattern = r"工龄 \d+ 年，每月工龄奖 [\d,.]+ 元，本月应出勤 \d+ 天，你出勤 [\d.]+ 天 → [\d,.]+ 元.*"
    assert any(re.fullmatch(pattern, t)
               for t in texts)
    line = AwardLine("1", "甲", Award.TRAINING, D("90.00"), "x", "c",
                     facts={"days": D("1.5"), "rate": D("60.00")})
    assert plain_text(line) == "培训 1.5 天，每天 60.00 元 → 90.00 元"


def test_a_line_without_facts_falls_back_to_its_cleaned_formula():
    line = AwardLine("1", "甲", Award.COLLECTIVE, D("596.41"),
                     "集体奖池 3,446.77 ÷ 工期总天数 89 × 14 × 110% = 596.407393… → 596.41", "c")
    assert plain_text(line) == "集体奖池 3,446.77 ÷ 工期总天数 89 × 14 × 110% ≈ 596.41"


def test_settings_deadline_and_override(tmp_path, monkeypatch):
    assert query_deadline("2026-11", Settings()) == dt.date(2026, 12, 10)
    assert query_deadline("2026", Settings()) == dt.date(2027, 1, 10)
    assert query_deadline("2026-02", Settings(query_days=5)) == dt.date(2026, 3, 5)
    custom = tmp_path / "设置.toml"
    custom.write_text('[slip]\ncontact = "安装一部 王会计"\nquery_days = 7\n', encoding="utf-8")
    monkeypatch.setenv("KFBONUS_SETTINGS", str(custom))
    s = load_settings()
    assert (s.contact, s.query_days, s.company) == ("安装一部 王会计", 7, "广东五星太阳能有限公司")
    broken = tmp_path / "broken.toml"
    broken.write_text("[slip\n", encoding="utf-8")
    monkeypatch.setenv("KFBONUS_SETTINGS", str(broken))
    assert load_settings().contact == "客户服务部核算员"   # a broken file never stops a run


def test_year_end_lines_in_plain_words():
    paid = AwardLine("K1", "甲", Award.ANNUAL_SAFETY, D("750.00"), "1,000.00 × 工作月数 9 ÷ 12 = 750.00", "c")
    assert plain_text(paid) == "年度安全奖 750.00 元（按全年工作月数折算）"
    refused = AwardLine("K1", "甲", Award.ANNUAL_QUALITY, D("0.00"), "1,000.00（全年定额；工作月数 5）", "c",
                        unpaid=D("1000.00"), reason="全年工作月数 5 个月，不足 6 个月")
    assert plain_text(refused) == "年度质量奖 1,000.00 元，本年不发"


def test_team_award_in_plain_words_names_no_colleague():
    line = AwardLine("1002", "乙", Award.ADJUSTMENT, D("666.67"),
                     "优秀团队奖 标准金额 2,000.00，由班组 安装一组 的 3 人平分：2,000.00 ÷ 3 = 666.666666…"
                     "（不含不参与激励的 1003 张伟明） → 666.67", "c", category="优秀团队奖",
                     facts={"note": "", "deduction": False, "team": "安装一组", "split": 3,
                            "whole": D("2000.00")})
    assert plain_text(line) == "优秀团队奖：安装一组共发 2,000.00 元，3 人平分，你得 666.67 元"
    assert "张伟明" not in fine_print(line) and "…" not in fine_print(line)


def test_the_company_is_a_setting_on_every_output(tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from kfbonus import cli
    from tests.test_run_month import write_month

    custom = tmp_path / "设置.toml"
    custom.write_text('[slip]\ncompany = "某某新能源有限公司"\ndepartment = "售后服务部"\n'
                      '[signers]\n"客户服务部经理" = "王经理"\n', encoding="utf-8")
    monkeypatch.setenv("KFBONUS_SETTINGS", str(custom))
    out = tmp_path / "out"
    assert cli.main(["2026-11", "--input", str(write_month(tmp_path / "in")), "--output", str(out)]) == 0
    book = load_workbook(out / "2026-11" / "审批汇总表_2026-11.xlsx")
    assert "某某新能源有限公司 售后服务部" in book["汇总"].oddHeader.left.text
    assert book.properties.creator == "kfbonus"
    cells = [c.value for row in book["汇总"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "客户服务部经理　王经理" in cells and "客户服务部核算员" in cells   # a name only where given
    strips = load_workbook(out / "2026-11" / "工资条_2026-11.xlsx")
    assert "某某新能源有限公司 售后服务部" in strips.active.oddHeader.left.text
    slip = next((out / "2026-11" / "slips").glob("1001_*.html")).read_text(encoding="utf-8")
    assert "某某新能源有限公司" in slip and "广东五星" not in slip


def test_a_broken_settings_file_is_said_not_silently_ignored(tmp_path, monkeypatch, capsys):
    from kfbonus import cli
    from tests.test_run_month import write_month

    broken = tmp_path / "设置.toml"
    broken.write_text('[signers]\n客户服务部经理 = "王经理"\n', encoding="utf-8")   # a Chinese key unquoted
    monkeypatch.setenv("KFBONUS_SETTINGS", str(broken))
    folder = write_month(tmp_path / "in")
    code = cli.main(["2026-11", "--input", str(folder), "--output", str(tmp_path / "o")])
    out = capsys.readouterr().out
    assert code == 0 and "settings-unreadable" in out and "中文的键要加引号" in out


def test_a_crew_shares_its_formulas_head_and_project_facts(sample_result):
    """A collective line's facts read as a mapping, the project's part one object for the
    crew; its formula is the crew's shared head (one string) and its own numbers."""
    crew = [x for x in sample_result.lines if x.award is Award.COLLECTIVE and x.project_id == "GC-2611-01"]
    mine = next(x for x in crew if x.worker_id == "1001")
    assert dict(mine.facts) == {"pool": D("3446.77"), "total_days": D(89), "days_mode": "person_days",
                                "days": D(14), "percent": D("1.1")}
    assert len(mine.facts) == 5 and "pool" in mine.facts and mine.facts.get("cap") is None
    assert len(crew) > 2 and len({id(x.formula_head) for x in crew}) == 1
    assert len({id(x.facts.project) for x in crew}) == 1
    assert mine.formula == mine.formula_head + mine.formula_rest
    assert mine.formula.endswith("个人工期天数 14 × 个人百分比 110% = 596.407393… → 596.41")
