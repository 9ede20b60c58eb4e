"""The command's contract: exit codes, Chinese one-line messages, no tracebacks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kfbonus import cli, pipeline

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("period", ["2026-13", "202611", "26-11", "2026-1-1", "十一月"])
def test_bad_period_is_a_usage_error(capsys, tmp_path, period):
    code, _, err = run(capsys, period, "--input", str(tmp_path))
    assert code == 2
    assert "YYYY-MM" in err and period in err
    assert "Traceback" not in err


def test_one_digit_month_is_accepted_and_padded():
    assert cli.parse_period("2026-3", annual=False) == "2026-03"


def test_annual_needs_a_year(capsys, tmp_path):
    code, _, err = run(capsys, "2026-11", "--annual", "--input", str(tmp_path))
    assert code == 2 and "四位年份" in err


def test_missing_input_folder_is_a_usage_error(capsys, tmp_path):
    code, _, err = run(capsys, "2026-11", "--input", str(tmp_path / "nope"), "--output", str(tmp_path / "o"))
    assert code == 2
    assert "nope" in err and "--input" in err
    assert not (tmp_path / "o" / "2026-11").exists()


def test_approve_needs_by(capsys):
    code, _, err = run(capsys, "2026-11", "--approve")
    assert code == 2 and "--by" in err


def test_unknown_option_is_a_chinese_usage_error(capsys):
    code, _, err = run(capsys, "2026-11", "--frobnicate")
    assert code == 2 and "参数错误" in err


def test_bad_assess_date(capsys, tmp_path):
    code, _, err = run(capsys, "2026-11", "--assess-date", "2026-11-31", "--input", str(tmp_path))
    assert code == 2 and "2026-11-31" in err


def test_unexpected_failure_prints_one_sentence_and_logs(capsys, tmp_path, monkeypatch):
    def boom(opts):
        raise RuntimeError("internal detail")

    monkeypatch.setattr(pipeline, "run", boom)
    code, _, err = run(capsys, "2026-11", "--input", str(tmp_path), "--output", str(tmp_path / "o"))
    assert code == 3
    assert "Traceback" not in err and "internal detail" not in err
    log = Path(re.search(r"记录在 (\S+)", err).group(1))
    assert "RuntimeError: internal detail" in log.read_text(encoding="utf-8")


def test_every_option_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    options = [o for a in cli.build_parser()._actions for o in a.option_strings if o.startswith("--")]
    missing = [o for o in options if o not in readme]
    assert not missing, f"options not in README.md: {missing}"


def test_default_assess_date_is_the_last_day_of_the_month():
    assert str(pipeline.default_assess_date("2026-11")) == "2026-11-30"
    assert str(pipeline.default_assess_date("2028-02")) == "2028-02-29"
    assert str(pipeline.default_assess_date("2026")) == "2026-12-31"
