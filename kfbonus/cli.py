"""The command: ``python run_month.py YYYY-MM [--input DIR] [--output DIR] [--check] …``.

A thin layer over :mod:`kfbonus.pipeline`.  Exit codes (a stable contract):

* 0 — done (with ``--check``: no errors in the inputs);
* 1 — input problems, or a state that does not allow the command (an approved month,
  a month not in the ledger, another run holding the folder): nothing is written;
* 2 — usage or configuration error (bad or contradictory arguments, a missing
  folder, a broken rules file);
* 3 — an unexpected failure (a bug): one Chinese sentence and the log file's path.

Everything a person reads is Chinese, ``--help`` and argparse's own messages included:
:class:`_Parser` translates argparse's errors, :class:`_Formatter` its usage line and
the options title; no traceback ever reaches the user.
"""

from __future__ import annotations

import argparse
import codecs
import datetime as dt
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

from kfbonus import __version__, timings

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3

DESCRIPTION = """\
按 FS-MS-KF-13（工程施工安装人员综合激励方案）计算月度综合激励，
按 SHKF-TC（售后客服、销售岗位业绩激励方案）计算业绩提成。
读取本月工作簿：文件夹中有哪个方案的表格就计算哪个方案，各自生成
审批汇总表、工资条和每人一张明细单，并记入账本；年终按账本中已批准
的月份计算年度安全奖、质量奖评议方案。"""

EPILOG = """\
示例：
  python run_month.py 2026-11 --input input/2026-11 --check     只检查，不计算结果
  python run_month.py 2026-11 --input input/2026-11             计算本月（草稿）
  python run_month.py 2026-11 --approve --by 王经理              批准并锁定本月
  python run_month.py 2026-11 --correction "补录 GC-2611-03 结算单"   已批准月份的更正单
  python run_month.py 2026-11 --discard                          撤销误算的草稿月份
  python run_month.py 2026-11 --scheme SHKF-TC                   只算售后客服、销售业绩提成
  python run_month.py 2026 --annual --input input/2026           年度安全、质量奖评议方案
  python run_month.py 2026 --annual --approve --by 总经理         批准年度方案

测算对比（只写一份对比表，不改动本月结果和账本）：
  python run_month.py 2026-11 --compare-set collective.ratio_max=0.25
  python run_month.py 2026-11 --compare-input 工程激励申报.GC-2611-05.集体激励比例=15%
  python run_month.py 2026-11 --compare 新规则.toml
  python run_month.py 2026 --annual --compare-set annual.safety_amount=1500

退出码：
  0  完成
  1  输入有问题，或当前状态不允许（如已批准、账本中无此月），未写入任何结果
  2  用法或规则错误（参数有误或互相矛盾、文件夹不存在、规则文件有误）
  3  意外错误（程序缺陷），详细信息见屏幕上给出的日志文件
"""


class UsageError(Exception):
    """A bad argument: printed as one line, exit 2."""


def _translate(message: str) -> str:
    """argparse's English error message → the Chinese one a user reads (never English)."""
    m = re.fullmatch(r"unrecognized arguments: (.*)", message)
    if m:
        words = m.group(1).split()
        options = [w for w in words if w.startswith("-")]
        if options:
            return f"未知选项 {' '.join(options)}（全部选项见 --help）"
        return f"多余的参数 {' '.join(words)}：只能给一个期间"
    m = re.fullmatch(r"the following arguments are required: (.*)", message)
    if m:
        return "缺少期间：请写明月份 YYYY-MM（如 2026-11），或与 --annual 一起写年份 YYYY"
    m = re.fullmatch(r"argument ([^:]+): (.*)", message)
    if m:
        option = m.group(1).split("/")[-1]
        detail = m.group(2)
        if detail.startswith("expected"):
            return f"选项 {option} 后面需要一个值"
        d = re.fullmatch(r"ignored explicit argument '(.*)'", detail)
        if d:
            return f"选项 {option} 不带值（收到「{d.group(1)}」）"
        d = re.fullmatch(r"invalid choice: '(.*)' \(choose from (.*)\)", detail)
        if d:
            return f"选项 {option} 的值「{d.group(1)}」无效，可选：{d.group(2)}"
        d = re.fullmatch(r"invalid \S+ value: '(.*)'", detail)
        if d:
            return f"选项 {option} 的值「{d.group(1)}」无效"
        d = re.fullmatch(r"not allowed with argument (.*)", detail)
        if d:
            return f"选项 {option} 不能与 {d.group(1)} 同时使用"
        return f"选项 {option} 的用法有误"
    m = re.fullmatch(r"ambiguous option: (\S+) could match (.*)", message)
    if m:
        return f"选项 {m.group(1)} 不明确，可能是：{m.group(2)}"
    return "命令行参数无法识别（全部选项见 --help）"


def _columns(text: str) -> int:
    """Display width on a terminal: a Chinese character takes two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """The help's usage line in Chinese (argparse would say "usage:"), and option help
    wrapped by display width (argparse counts a Chinese character as one column)."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def _split_lines(self, text: str, width: int) -> list[str]:
        lines, line = [], ""
        # an ASCII word stays whole; closing punctuation never starts a line
        for token in re.findall(r"[!-~]+|\s+|.", " ".join(text.split())):
            if _columns(line + token) > width and line.strip() and token not in "，。；：、）)" :
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        return [*lines, line.rstrip()] if line.strip() else lines


class _HelpExit(Exception):
    """--help or --version was printed: exit 0."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


class _Parser(argparse.ArgumentParser):
    def __init__(self, **kwargs):
        super().__init__(formatter_class=_Formatter, add_help=False, allow_abbrev=False, **kwargs)
        self._positionals.title = "期间"
        self._optionals.title = "选项"

    def format_help(self) -> str:
        text = super().format_help()
        for group in self._action_groups:   # argparse ends a section title with an ASCII colon
            text = text.replace(f"\n{group.title}:\n", f"\n{group.title}：\n")
        return text

    def error(self, message: str) -> None:  # argparse would print English usage and exit 2
        raise UsageError(f"参数错误：{_translate(message)}")

    def exit(self, status: int = 0, message: str | None = None) -> None:  # after --help / --version
        if message:
            print(message, file=sys.stderr)
        raise _HelpExit(status)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="run_month.py", description=DESCRIPTION, epilog=EPILOG)
    p.add_argument("period", metavar="YYYY-MM",
                   help="期间：月份 YYYY-MM（如 2026-11）；与 --annual 一起时为年份 YYYY（如 2026）")
    p.add_argument("--input", metavar="DIR", type=Path,
                   help="本月工作簿所在的文件夹（默认 input/YYYY-MM）；"
                        "年度运行时为年末花名册和事故投诉表所在的文件夹")
    p.add_argument("--output", metavar="DIR", type=Path, default=Path("output"),
                   help="结果写在 DIR/YYYY-MM/ 下（默认 output）")
    p.add_argument("--check", action="store_true",
                   help="只读取并检查输入：列出识别到的表和全部问题（有问题时另存为问题清单工作簿），"
                        "不写本月结果")
    p.add_argument("--rules", metavar="FILE", type=Path,
                   help="规则文件或规则文件夹（默认使用程序自带的 kfbonus/rules/）")
    p.add_argument("--assess-date", metavar="YYYY-MM-DD",
                   help="考核实施日（默认为该月最后一天；年度运行为 12 月 31 日）")
    p.add_argument("--ledger", metavar="FILE", type=Path,
                   help="账本文件（默认为 --output 文件夹下的 ledger.sqlite）")
    p.add_argument("--approve", action="store_true",
                   help="批准并锁定该期间（已批准），须同时用 --by 写明批准人")
    p.add_argument("--by", metavar="NAME", help="批准人姓名，与 --approve 一起使用")
    p.add_argument("--correction", metavar="REASON",
                   help="按当前输入重算已批准的月份，生成更正单（补发/扣回）")
    p.add_argument("--discard", action="store_true",
                   help="撤销一个草稿期间：先列出将删除的内容（输出文件夹及账本记录），随即删除；已批准的期间不能撤销")
    p.add_argument("--annual", action="store_true",
                   help="年度运行：按账本中该年已批准的月份计算年度安全奖、质量奖评议方案")
    p.add_argument("--include-drafts", action="store_true",
                   help="与 --annual 一起：草稿月份也计入年度奖（在方案上标为草稿）")
    p.add_argument("--compare", metavar="RULES", type=Path, action="append", default=[],
                   help="测算对比：按另一规则文件（或规则文件夹）重算本期，与现行结果并列写入 "
                        "对比_YYYY-MM_<名称>.xlsx（可给多次，每个一个方案）；不改动本期结果和账本")
    p.add_argument("--compare-set", metavar="KEY=VALUE", action="append", default=[],
                   help="测算对比：改一个参数，如 collective.ratio_max=0.25、"
                        "seniority.tiers=[[1,40],[2,60],[3,100],[5,150],[8,200]]（可给多次，合为一个方案）")
    p.add_argument("--compare-input", metavar="表.键.列=值", action="append", default=[],
                   help="测算对比：改一个输入值，如 工程激励申报.GC-2611-05.集体激励比例=15%%、"
                        "考勤.1002.实出勤天数=20（可给多次，与 --compare-set 合为一个方案）")
    p.add_argument("--scheme", metavar="ID",
                   help="只计算这一个方案（如 FS-MS-KF-13、SHKF-TC）；不写时计算文件夹中找到表格的每个方案")
    p.add_argument("--timings", action="store_true",
                   help="运行结束后列出各阶段用时（启动与导入、读取、校验、计算、各项输出、校验和、账本），"
                        "便于查明某月为何运行较慢")
    p.add_argument("--version", action="version", version=f"kfbonus {__version__}",
                   help="显示版本号后退出")
    p.add_argument("-h", "--help", action="help", help="显示本帮助后退出")
    p.add_argument("--template", metavar="DIR", type=Path,  # issue 12.8; the period is optional with it
                   help="把各输入表的空白工作簿（填表模板）写到 DIR，可不写期间；"
                        "写了月份 YYYY-MM 时另附该月按日考勤表")
    next(a for a in p._actions if a.dest == "period").__dict__.update(nargs="?", required=False)
    return p


def check_combination(args: argparse.Namespace) -> None:
    """Contradictory options: a :class:`UsageError` saying why (exit 2)."""
    def fail(text: str) -> None:
        raise UsageError(f"参数错误：{text}")

    if args.check:
        for option, given in (("--approve", args.approve), ("--correction", args.correction is not None),
                              ("--discard", args.discard)):
            if given:
                fail(f"--check 只读取检查、不写本月结果，不能与 {option} 同时使用")
    if args.discard:
        for option, given in (("--approve", args.approve), ("--correction", args.correction is not None)):
            if given:
                fail(f"--discard 撤销草稿，不能与 {option} 同时使用")
    if args.approve and args.correction is not None:
        fail("--approve 批准的是已算好的结果，--correction 用于已批准的月份，二者不能同时使用")
    if args.annual and args.correction is not None:
        fail("--annual 与 --correction 不能同时使用：年度评议方案没有更正单；"
             "草稿方案直接重新运行即可，已批准的方案不再重新计算")
    if args.include_drafts and not args.annual:
        fail("--include-drafts 只用于年度运行，须与 --annual 一起使用")
    if args.include_drafts and (args.approve or args.discard or args.check):
        option = "--approve" if args.approve else "--discard" if args.discard else "--check"
        fail(f"--include-drafts 只影响年度方案的计算，不能与 {option} 同时使用")
    if args.approve and not (args.by or "").strip():
        fail("--approve 需要用 --by 写明批准人，如 --approve --by 王经理")
    if args.by is not None and not args.approve:
        fail("--by 只能与 --approve 一起使用")
    comparing = args.compare or args.compare_set or args.compare_input
    if comparing:
        option = ("--compare" if args.compare else "--compare-set" if args.compare_set
                  else "--compare-input")
        for other, given in (("--check", args.check), ("--approve", args.approve),
                             ("--correction", args.correction is not None), ("--discard", args.discard)):
            if given:
                fail(f"{option} 只写一份测算对比表，不能与 {other} 同时使用")
    if args.compare_input and args.annual:
        fail("--compare-input 只用于月度对比：年度方案按账本中的月份计算，没有可修改的输入值；"
             "年度对比请用 --compare 或 --compare-set")
    if args.correction is not None and not args.correction.strip():
        fail("--correction 需要写明更正原因，如 --correction \"补录 GC-2611-03 结算单\"")


def parse_period(text: str, annual: bool) -> str:
    if annual:
        if not re.fullmatch(r"\d{4}", text):
            raise UsageError(f"参数错误：年度运行的期间应为四位年份，如 2026，而不是「{text}」")
        return text
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise UsageError(f"参数错误：月份应写作 YYYY-MM，如 2026-11，而不是「{text}」")
    return f"{m.group(1)}-{int(m.group(2)):02d}"


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"参数错误：考核日期应写作 YYYY-MM-DD，如 2026-11-30，而不是「{text}」") from None


CONSOLE_SUBSTITUTES = {"›": ">", "✓": "√", "✗": "×", "¥": "￥", "•": "·", "–": "-", "‐": "-",
                       "“": "\"", "”": "\"", "‘": "'", "’": "'", "\u00a0": " "}
"""Characters printed by kfbonus or found in inputs that a console's encoding may lack
(GBK, code page 936, lacks › ✓ ¥), and what is printed instead; anything else it
lacks becomes ``?``."""


def _console_substitute(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    text = exc.object[exc.start:exc.end]
    out = []
    for ch in text:
        sub = CONSOLE_SUBSTITUTES.get(ch, "?")
        try:
            sub.encode(exc.encoding)
        except (UnicodeError, LookupError):
            sub = "?"
        out.append(sub)
    return "".join(out), exc.end


codecs.register_error("kfbonus-console", _console_substitute)


def _console_streams() -> None:
    """Print in the encoding the console or file expects, and never fail on a character.

    A Chinese Windows console (or a file or pipe it is redirected to) expects GBK, code
    page 936: that is kept, so ``type`` and Notepad read the text right, and a character
    GBK lacks is printed as its nearest equivalent (``›`` → ``>``).  Python's own
    console writer (an interactive Windows console) and UTF-8 streams print everything.
    Only a stream whose encoding cannot hold Chinese at all (ASCII, Latin-1) is switched
    to UTF-8.
    """
    for stream in (sys.stdout, sys.stderr):
        if not hasattr(stream, "reconfigure"):
            continue
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            "金额合计".encode(encoding)
        except (UnicodeError, LookupError):
            encoding = "utf-8"
        stream.reconfigure(encoding=encoding, errors="kfbonus-console")


def _log_failure(output: Path | None) -> Path:
    """Write the traceback to a log file and return its path (traceback is imported only
    here: a run that does not fail never needs it)."""
    import traceback

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = (f"kfbonus {__version__} {dt.datetime.now().isoformat()}\n"
            f"argv: {sys.argv}\n\n{traceback.format_exc()}")
    for folder in ([output / "logs"] if output else []) + [Path(tempfile.gettempdir())]:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"kfbonus-error-{stamp}.log"
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return Path("(无法写入日志)")


def _start_timings() -> None:
    """--timings: record stage times; the modules a month's run uses are imported now, so
    that 启动与导入 holds the imports rather than the first stage that needs each."""
    timings.enable()
    import kfbonus.ledger
    import kfbonus.outputs
    import kfbonus.reader
    import kfbonus.render
    import kfbonus.validate  # noqa: F401
    from kfbonus.schemes import all_schemes

    all_schemes()
    timings.mark("启动与导入")


def main(argv: list[str] | None = None) -> int:
    from kfbonus import pipeline

    _console_streams()
    output: Path | None = None
    try:
        try:
            args = build_parser().parse_args(argv)
        except _HelpExit as done:
            return done.status
        output = args.output
        if args.timings:
            _start_timings()
        if args.template:
            from kfbonus.input_templates import run_template
            period = args.period and parse_period(args.period, args.annual)
            return run_template(args.template, period, args.rules)
        if args.period is None:
            raise UsageError("参数错误：缺少期间：请写明月份 YYYY-MM（如 2026-11），"
                             "或与 --annual 一起写年份 YYYY")
        period = parse_period(args.period, args.annual)
        check_combination(args)
        opts = pipeline.Options(
            period=period,
            input_dir=args.input or Path("input") / period,
            output_dir=args.output,
            check=args.check,
            rules=args.rules,
            assess_date=parse_date(args.assess_date) if args.assess_date else None,
            ledger=args.ledger,
            approve_by=args.by.strip() if args.approve else None,
            correction=args.correction,
            annual=args.annual,
            discard=args.discard,
            include_drafts=args.include_drafts,
            scheme=args.scheme.strip() if args.scheme else None,
        )
        if args.compare or args.compare_set or args.compare_input:
            from kfbonus.whatif import CompareOptions, run_compare

            code = run_compare(opts, CompareOptions(tuple(args.compare), tuple(args.compare_set),
                                                    tuple(args.compare_input)))
        else:
            code = pipeline.run(opts)
        if args.timings:
            print(timings.report(), flush=True)
        return code
    except UsageError as exc:
        print(exc, file=sys.stderr)
        print("用法见：python run_month.py --help", file=sys.stderr)
        return EXIT_USAGE
    except pipeline.ConfigError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("已中断，未写入任何结果。", file=sys.stderr)
        return 130
    except Exception:  # the edge: no traceback reaches the user
        log = _log_failure(output)
        print(f"运行出现意外错误，本月结果未写入；详细信息已记录在 {log}", file=sys.stderr)
        return EXIT_BUG
