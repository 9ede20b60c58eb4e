"""The command: ``python run_month.py YYYY-MM [--input DIR] [--output DIR] [--check] …``.

A thin layer over :mod:`kfbonus.pipeline`.  Exit codes (a stable contract):

* 0 — done (with ``--check``: no errors in the inputs);
* 1 — input problems (errors): nothing is written, the problem list is printed;
* 2 — usage or configuration error (bad arguments, broken rules file).

No traceback ever reaches the user: an unexpected failure prints one Chinese
sentence and the path of the log file that holds the details.
"""

from __future__ import annotations

import argparse
import codecs
import datetime as dt
import re
import sys
import tempfile
import traceback
from pathlib import Path

from kfbonus import __version__

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2

EPILOG = """\
示例 / examples:
  python run_month.py 2026-11 --input input_samples/2026-11 --check
  python run_month.py 2026-11 --input input/2026-11
  python run_month.py 2026-11 --approve --by 王经理
  python run_month.py 2026-11 --correction "补录 GC-2611-03 结算单"
  python run_month.py 2026 --annual --input input/2026

exit codes: 0 done; 1 input problems (nothing written); 2 usage or rules error.
"""


class UsageError(Exception):
    """A bad argument: printed as one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would print English usage and exit 2
        raise UsageError(f"参数错误：{message}")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="run_month.py",
        description="按 FS-MS-KF-13 计算客户服务部工程施工安装人员的月度综合激励 "
                    "(compute a month of FS-MS-KF-13 incentives).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("period", help="month YYYY-MM (or year YYYY with --annual), e.g. 2026-11")
    p.add_argument("--input", metavar="DIR", type=Path,
                   help="folder of the month's workbooks (default: input/YYYY-MM)")
    p.add_argument("--output", metavar="DIR", type=Path, default=Path("output"),
                   help="results go under DIR/YYYY-MM/ (default: output)")
    p.add_argument("--check", action="store_true",
                   help="read and validate only; print the tables found and the problem list")
    p.add_argument("--rules", metavar="FILE", type=Path,
                   help="rules file or folder of rules files (default: the package's rules)")
    p.add_argument("--assess-date", metavar="YYYY-MM-DD",
                   help="assessment date 考核实施日 (default: last day of the month)")
    p.add_argument("--ledger", metavar="PATH", type=Path,
                   help="ledger database (default: DIR/ledger.sqlite under --output)")
    p.add_argument("--approve", action="store_true",
                   help="record the month as approved 已批准 (needs --by)")
    p.add_argument("--by", metavar="NAME", help="who approves, with --approve")
    p.add_argument("--correction", metavar="REASON",
                   help="recompute an approved month and write a correction (补发/扣回)")
    p.add_argument("--annual", action="store_true",
                   help="year-end run: annual safety and quality awards for the year YYYY")
    p.add_argument("--version", action="version", version=f"kfbonus {__version__}")
    return p


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
    """Write the traceback to a log file and return its path."""
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


def main(argv: list[str] | None = None) -> int:
    from kfbonus import pipeline

    _console_streams()
    output: Path | None = None
    try:
        args = build_parser().parse_args(argv)
        output = args.output
        period = parse_period(args.period, args.annual)
        if args.approve and not args.by:
            raise UsageError("参数错误：--approve 需要用 --by 写明批准人，如 --approve --by 王经理")
        if args.by and not args.approve:
            raise UsageError("参数错误：--by 只能与 --approve 一起使用")
        if sum(map(bool, (args.approve, args.correction, args.check))) > 1:
            raise UsageError("参数错误：--check、--approve、--correction 不能同时使用")
        opts = pipeline.Options(
            period=period,
            input_dir=args.input or Path("input") / period,
            output_dir=args.output,
            check=args.check,
            rules=args.rules,
            assess_date=parse_date(args.assess_date) if args.assess_date else None,
            ledger=args.ledger,
            approve_by=args.by if args.approve else None,
            correction=args.correction,
            annual=args.annual,
        )
        return pipeline.run(opts)
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
        return 3
