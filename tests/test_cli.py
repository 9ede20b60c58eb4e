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
    assert str(pipeline.default_assess_date("2026", year_end=True)) == "2026-12-31"


# --- the terminal in Chinese (issue 12 item 9) -------------------------------------------

ARGPARSE_ENGLISH = ("usage", "options", "positional", "show this help", "error:", "expected one argument",
                    "invalid choice", "unrecognized arguments", "the following arguments", "argument ",
                    "ambiguous option", "not allowed with", "ignored explicit")


def test_help_is_chinese_with_every_exit_code_and_examples(capsys):
    code, out, err = run(capsys, "--help")
    assert code == 0 and err == ""
    lowered = out.lower()
    assert not [w for w in ARGPARSE_ENGLISH if w in lowered]
    assert out.startswith("用法：run_month.py") and "\n选项：\n" in out and "\n期间：\n" in out
    assert "示例：" in out
    for line in ("0  完成", "1  输入有问题", "2  用法或规则错误", "3  意外错误"):
        assert line in out, line
    # every option has a Chinese help text
    for action in cli.build_parser()._actions:
        assert action.help and re.search(r"[\u4e00-\u9fff]", action.help), action.option_strings


def test_help_lines_fit_an_80_column_terminal(capsys, monkeypatch):
    from kfbonus.cli import _columns

    monkeypatch.setenv("COLUMNS", "80")
    _, out, _ = run(capsys, "-h")
    wide = [line for line in out.splitlines() if _columns(line) > 80 and "python run_month.py" not in line]
    assert not wide


@pytest.mark.parametrize(("argv", "says"), [
    (["2026-11", "--foo"], "参数错误：未知选项 --foo"),
    (["2026-11", "--out", "x"], "参数错误：未知选项 --out"),           # no silent abbreviations
    (["2026-11", "--input"], "参数错误：选项 --input 后面需要一个值"),
    ([], "参数错误：缺少期间"),
    (["2026-11", "--check=yes"], "参数错误：选项 --check 不带值（收到「yes」）"),
    (["2026-11", "2026-12"], "参数错误：多余的参数 2026-12"),
])
def test_argparse_errors_are_chinese(capsys, argv, says):
    code, out, err = run(capsys, *argv)
    assert code == 2 and says in err and out == ""
    assert not [w for w in ARGPARSE_ENGLISH if w in err.lower()]


@pytest.mark.parametrize(("message", "says"), [
    ("argument --scheme: invalid choice: 'x' (choose from 'a', 'b')",
     "选项 --scheme 的值「x」无效，可选：'a', 'b'"),
    ("ambiguous option: --a could match --approve, --annual", "选项 --a 不明确"),
    ("argument --x: not allowed with argument --y", "选项 --x 不能与 --y 同时使用"),
    ("argument --n: invalid int value: 'q'", "选项 --n 的值「q」无效"),
    ("something argparse may say one day", "命令行参数无法识别"),
])
def test_every_argparse_message_has_a_chinese_form(message, says):
    text = cli._translate(message)
    assert says in text and not re.search(r"[A-Za-z]{4,}", re.sub(r"--[a-z-]+", "", text))


@pytest.mark.parametrize(("argv", "says"), [
    (["2026", "--annual", "--correction", "改"], "--annual 与 --correction 不能同时使用"),
    (["2026-11", "--check", "--approve", "--by", "王经理"], "--check 只读取检查、不写本月结果"),
    (["2026-11", "--check", "--correction", "改"], "不能与 --correction 同时使用"),
    (["2026-11", "--check", "--discard"], "不能与 --discard 同时使用"),
    (["2026-11", "--discard", "--approve", "--by", "王经理"], "--discard 撤销草稿，不能与 --approve"),
    (["2026-11", "--discard", "--correction", "改"], "--discard 撤销草稿，不能与 --correction 同时使用"),
    (["2026-11", "--approve", "--by", "王经理", "--correction", "改"], "二者不能同时使用"),
    (["2026-11", "--include-drafts"], "--include-drafts 只用于年度运行"),
    (["2026", "--annual", "--approve", "--by", "总经理", "--include-drafts"], "不能与 --approve 同时使用"),
    (["2026", "--annual", "--discard", "--include-drafts"], "不能与 --discard 同时使用"),
    (["2026-11", "--by", "王经理"], "--by 只能与 --approve 一起使用"),
    (["2026-11", "--approve", "--by", "  "], "--approve 需要用 --by 写明批准人"),
    (["2026-11", "--correction", ""], "--correction 需要写明更正原因"),
])
def test_contradictory_options_exit_2_saying_why(capsys, tmp_path, monkeypatch, argv, says):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *argv)
    assert code == 2 and says in err, err
    assert list(tmp_path.iterdir()) == []          # nothing written, not even an output folder


def test_every_option_is_in_the_readme_option_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = {m.group(1) for m in re.finditer(r"^\| `(--[a-z-]+)", readme, re.M)}
    table |= {m for row in re.findall(r"^\| `--version`, `--help` \|.*$", readme, re.M)
              for m in ("--version", "--help")}
    options = {o for a in cli.build_parser()._actions for o in a.option_strings if o.startswith("--")}
    assert options - table == set()


@pytest.mark.parametrize(("arg", "typed"), [
    ("output", "output"),
    ("D:/激励/2026", "D:/激励/2026"),
    ("my out", '"my out"'),
    ("it's $HOME", "'it'\"'\"'s $HOME'"),
])
def test_suggested_arguments_are_quoted_to_be_typed_literally(arg, typed):
    import shlex

    assert pipeline.quote_arg(arg) == typed
    assert shlex.split(pipeline.quote_arg(arg)) == [arg]


def _suggested(stdout: str, marker: str) -> list[str]:
    """The command a run printed after ``marker``, split as a shell would."""
    import shlex

    line = next(ln for ln in stdout.splitlines() if marker in ln)
    words = shlex.split(line[line.index("python run_month.py"):])
    assert words[:2] == ["python", "run_month.py"]
    return words[2:]


def test_printed_next_commands_work_when_typed_literally(capsys, tmp_path, monkeypatch):
    """A run with a custom --output (with a space) and --ledger, from another folder: the
    approve command it prints, typed as printed, approves that month and leaves no stray
    output/ folder; so does the correction command printed on a rerun."""
    from tests.test_run_month import write_month

    elsewhere = tmp_path / "桌面"
    elsewhere.mkdir()
    write_month(elsewhere / "本月 输入")
    monkeypatch.chdir(elsewhere)
    code, out, _ = run(capsys, "2026-11", "--input", "本月 输入", "--output", "激励 结果",
                       "--ledger", "账本/ledger 2026.sqlite")
    assert code == 0
    approve = _suggested(out, "--approve")
    assert approve == ["2026-11", "--approve", "--by", "批准人", "--output", "激励 结果",
                       "--ledger", "账本/ledger 2026.sqlite"]
    code, out, _ = run(capsys, *approve)
    assert code == 0 and "批准" in out
    assert sorted(p.name for p in elsewhere.iterdir()) == ["本月 输入", "激励 结果", "账本"]

    code, out, _ = run(capsys, "2026-11", "--input", "本月 输入", "--output", "激励 结果",
                       "--ledger", "账本/ledger 2026.sqlite")
    assert code == 1 and "已锁定" in out
    correction = _suggested(out, "--correction")
    assert correction[:5] == ["2026-11", "--correction", "更正原因", "--input", "本月 输入"]
    code, out, _ = run(capsys, *correction)
    assert code == 0 and "无需更正" in out
    assert sorted(p.name for p in elsewhere.iterdir()) == ["本月 输入", "激励 结果", "账本"]


def test_default_folders_are_not_repeated(capsys, tmp_path, monkeypatch):
    from tests.test_run_month import write_month

    monkeypatch.chdir(tmp_path)
    write_month(tmp_path / "input" / "2026-11")
    code, out, _ = run(capsys, "2026-11")
    assert code == 0
    assert "请运行 python run_month.py 2026-11 --approve --by 批准人\n" in out
