"""The whole command against the I/O floor of the same size (prints figures, asserts nothing).

    python bench/bench_floor.py [--scale N] [--repeat 3] [--pdf both|on|off] [--no-stages]

Issue 14's yardstick.  Makes the month of bench/make_month.py (2,000 workers and
10,000 settlement lines, times ``--scale``), then, each in a fresh subprocess and
alternated (command, floor, command, floor, …):

* **the command** as a user runs it: ``python run_month.py 2026-11 --input … --output …``
  into a fresh output folder (interpreter start, imports, ledger and hashes included);
* **the I/O floor** of the same size: read every cell of every input workbook with
  python-calamine; write with xlsxwriter (``constant_memory``, no formats) as many
  workbooks as the command wrote, each with the same number of cells (string cells as
  strings, the rest numbers); write as many slip files as the command wrote, of the same
  total bytes — the HTML files as text, the PDF files as bytes (the floor of a PDF is
  writing it, not laying it out).  No ledger, no hashing, no computing.

``--pdf`` runs the command as shipped (``on``: PDF slips, when a Chinese font is found),
with ``pdf.enabled = false`` (``off``, through a KFBONUS_SETTINGS file; the floor then
writes no PDFs), or both (default).  Prints the median of ``--repeat`` runs of each:
wall time, the ratio to the floor, and the child's peak memory (``os.wait4``'s
``ru_maxrss``, or on Linux the peak of its process tree's summed PSS sampled every 20 ms
when larger: the command writes the approval workbook in a forked second process; the
month is generated, and the output's cells counted, in children too, since on Linux a
child's peak counts the parent's resident memory at the fork);
then the sample month (input_samples/2026-11) warm, start-up included; then, unless
``--no-stages``, one more run with ``--timings`` for the per-stage times.

POSIX only (``os.wait4`` gives one child's peak RSS); elsewhere it says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PERIOD = "2026-11"
MIB = 1024 * 1024


# --- the floor, in its own process ---------------------------------------------------------

def floor_child(spec_path: str) -> None:
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    cells = 0
    for path in sorted(Path(spec["input"]).glob("*.xls*")):
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            for row in book.get_sheet_by_name(name).to_python():
                cells += sum(1 for v in row if v != "")
    out = Path(spec["output"])
    out.mkdir(parents=True)
    for i, book_spec in enumerate(spec["workbooks"]):
        wb = xlsxwriter.Workbook(str(out / f"book{i}.xlsx"), {"constant_memory": True})
        ws = wb.add_worksheet()
        strings, total = book_spec["strings"], book_spec["cells"]
        for k in range(total):
            r, c = divmod(k, 20)
            if k < strings:
                ws.write_string(r, c, f"文本{k % 5000}")
            else:
                ws.write_number(r, c, k * 1.25)
        wb.close()
    slips = out / "slips"
    slips.mkdir()
    for kind in ("html", "pdf"):
        count, size = spec[kind]["count"], spec[kind]["bytes"]
        if not count:
            continue
        each = size // count
        text = ("激励明细" * (each // 12 + 1)).encode("utf-8")[:each]
        for k in range(count):
            extra = size - each * count if k == 0 else 0
            data = text + b" " * extra
            if kind == "html":
                (slips / f"{k}.html").write_text(data.decode("utf-8", "ignore"), encoding="utf-8")
            else:
                (slips / f"{k}.pdf").write_bytes(data)
    print(json.dumps({"input_cells": cells}))


# --- the parent ------------------------------------------------------------------------------

def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def _tree_pss(pid: int) -> int:
    """The summed proportional set size (bytes) of ``pid``'s process tree: pages a forked
    child shares with its parent counted once between them."""
    total = 0
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            pass
    return total


def run_child(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int, int, str]:
    """Run ``argv``; return (wall seconds, peak memory in bytes, exit code, stdout).

    Peak memory: the larger of the process's own peak RSS (``wait4``) and the peak of its
    process tree's summed PSS, sampled every 20 ms on Linux (the command writes the approval
    workbook in a forked second process: the two are resident at once)."""
    import threading

    peak_tree = [0]
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.02):
                peak_tree[0] = max(peak_tree[0], _tree_pss(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        if sys.platform.startswith("linux"):
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        done.set()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)   # bytes on macOS, KiB on Linux
    return wall, max(rss, peak_tree[0]), proc.returncode, text


def output_sizes(month_dir: Path) -> dict:
    """What the command wrote: per workbook its cells (and string cells), and the slips'
    count and bytes by kind."""
    books = []
    for path in sorted(month_dir.glob("*.xlsx")):
        cells = strings = 0
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
                    xml = z.read(name)
                    cells += len(re.findall(rb"<c ", xml))
                    strings += len(re.findall(rb'<c [^>]*t="s"', xml))
        books.append({"name": path.name, "cells": cells, "strings": strings})
    slips = {}
    for kind in ("html", "pdf"):
        files = list((month_dir / "slips").glob(f"*.{kind}"))
        slips[kind] = {"count": len(files), "bytes": sum(f.stat().st_size for f in files)}
    return {"workbooks": books, **slips}


def child_env(settings: Path | None) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(
        os.pathsep))
    env.pop("KFBONUS_SETTINGS", None)
    env.pop("SOURCE_DATE_EPOCH", None)
    # as a user's Python runs: compiled modules kept (.pyc), so a warm start does not compile
    # kfbonus again (some CI and sandbox environments set this, costing 70–90 ms a start)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if settings is not None:
        env["KFBONUS_SETTINGS"] = str(settings)
    return env


def command(folder: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, str(ROOT / "run_month.py"), PERIOD, "--input", str(folder), "--output", str(out),
            *extra]


def fmt_runs(values: list[float], unit: str, scale: float = 1.0) -> str:
    return " / ".join(f"{v / scale:.2f}" if unit == "s" else f"{v / scale:.0f}" for v in values)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, default=1, help="times 2,000 workers / 10,000 lines (default 1)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each, the median printed (default 3)")
    ap.add_argument("--pdf", choices=("both", "on", "off"), default="both",
                    help="the command with PDF slips as shipped (on), without (off), or both (default)")
    ap.add_argument("--no-stages", action="store_true", help="skip the extra run with --timings")
    ap.add_argument("--floor-child", metavar="SPEC", help=argparse.SUPPRESS)
    ap.add_argument("--sizes-child", metavar="DIR", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.sizes_child:
        print(json.dumps(output_sizes(Path(args.sizes_child))))
        return 0
    if args.floor_child:
        floor_child(args.floor_child)
        return 0
    if not hasattr(os, "wait4"):
        print("bench_floor.py 只能在 POSIX 系统（Linux、macOS）上运行：子进程的峰值内存取自 os.wait4。")
        return 0
    import resource

    workers, lines = 2000 * args.scale, 10000 * args.scale
    with tempfile.TemporaryDirectory(prefix="kfbonus-bench-") as tmp_name:
        tmp = Path(tmp_name)
        t0 = time.perf_counter()
        folder = tmp / "in" / PERIOD
        # in a child: on Linux a child's peak RSS counts the parent's resident memory at the
        # fork (and exec), so this process stays small (no xlsxwriter, no month in memory)
        subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                        "from make_month import make_big_month; "
                        "make_big_month(sys.argv[2], workers=int(sys.argv[3]), lines=int(sys.argv[4]))",
                        str(ROOT / "bench"), str(folder), str(workers), str(lines)], check=True)
        print(f"测试月份 {args.scale}×：{workers:,} 名员工，{lines:,} 行结算"
              f"（生成 {time.perf_counter() - t0:.1f} 秒）；{os.cpu_count()} 核，"
              f"Python {sys.version.split()[0]}")
        no_pdf = tmp / "no-pdf.toml"
        no_pdf.write_text("[pdf]\nenabled = false\n", encoding="utf-8")
        variants = {"on": ("PDF 明细单（默认设置）", None),
                    "off": ("不写 PDF（pdf.enabled = false）", no_pdf)}
        chosen = ["on", "off"] if args.pdf == "both" else [args.pdf]
        runs: dict[str, dict[str, list[tuple[float, int]]]] = {v: {"cmd": [], "floor": []} for v in chosen}
        sizes: dict[str, dict] = {}
        n = 0
        for r in range(args.repeat):
            for v in chosen:
                n += 1
                out = tmp / f"out{n}"
                wall, rss, code, text = run_child(command(folder, out), child_env(variants[v][1]), tmp)
                if code != 0:
                    print(f"命令失败（退出码 {code}）：\n{text[-2000:]}")
                    return 1
                runs[v]["cmd"].append((wall, rss))
                if v not in sizes:   # counted in a child: reading the sheets here would grow this process
                    sizes[v] = json.loads(subprocess.run(
                        [sys.executable, str(Path(__file__).resolve()), "--sizes-child", str(out / PERIOD)],
                        check=True, capture_output=True, text=True).stdout)
                shutil.rmtree(out)
                spec = tmp / f"floor-{v}-{r}.json"
                floor_out = tmp / f"floor{n}"
                spec.write_text(json.dumps({"input": str(folder), "output": str(floor_out), **sizes[v]}),
                                encoding="utf-8")
                floor_argv = [sys.executable, str(Path(__file__).resolve()), "--floor-child", str(spec)]
                wall, rss, code, text = run_child(floor_argv, child_env(None), tmp)
                if code != 0:
                    print(f"下限进程失败（退出码 {code}）：\n{text[-2000:]}")
                    return 1
                runs[v]["floor"].append((wall, rss))
                input_cells = json.loads(text.strip().splitlines()[-1])["input_cells"]
                shutil.rmtree(floor_out)
                print(f"  第 {r + 1} 轮 {v}: 命令 {runs[v]['cmd'][-1][0]:.2f} 秒，下限 {wall:.2f} 秒",
                      flush=True)

        print(f"\n输入：{len(list(folder.glob('*.xlsx')))} 个工作簿，"
              f"{input_cells:,} 个非空单元格（下限逐格读取）")
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
        print(f"（本进程峰值内存 {own / MIB:.0f} MiB：子进程的峰值内存从它算起，不会更低）")
        for v in chosen:
            s = sizes[v]
            books = "，".join(f"{b['name']} {b['cells']:,} 格" for b in s["workbooks"])
            print(f"\n{variants[v][0]}")
            print(f"  输出：{books}；HTML {s['html']['count']:,} 个 {s['html']['bytes'] / MIB:.1f} MiB，"
                  f"PDF {s['pdf']['count']:,} 个 {s['pdf']['bytes'] / MIB:.1f} MiB")
            cmd_t = [w for w, _ in runs[v]["cmd"]]
            floor_t = [w for w, _ in runs[v]["floor"]]
            cmd_m = [m for _, m in runs[v]["cmd"]]
            floor_m = [m for _, m in runs[v]["floor"]]
            ct, ft = statistics.median(cmd_t), statistics.median(floor_t)
            cm, fm = statistics.median(cmd_m), statistics.median(floor_m)
            print(f"  用时     命令 {ct:7.2f} 秒   下限 {ft:6.2f} 秒   比 {ct / ft:5.2f}×"
                  f"   （各次：{fmt_runs(cmd_t, 's')}｜{fmt_runs(floor_t, 's')}）")
            print(f"  峰值内存 命令 {cm / MIB:7.0f} MiB  下限 {fm / MIB:6.0f} MiB  比 {cm / fm:5.2f}×"
                  f"   （各次：{fmt_runs(cmd_m, 'm', MIB)}｜{fmt_runs(floor_m, 'm', MIB)}）")
            print("           （进程自身峰值 RSS 与其进程树 PSS 合计峰值中的较大者："
                  "命令的第二个进程也算在内）")

        sample = ROOT / "input_samples" / PERIOD
        print(f"\n样例月份 input_samples/{PERIOD}（热启动，含解释器启动；"
              f"先运行一次预热，取 {args.repeat} 次中位数）")
        for v in chosen:
            times, mems = [], []
            for k in range(args.repeat + 1):
                out = tmp / f"sample-{v}-{k}"
                wall, rss, code, text = run_child(command(sample, out), child_env(variants[v][1]), tmp)
                if code != 0:
                    print(f"样例月份失败（退出码 {code}）：\n{text[-2000:]}")
                    return 1
                if k:
                    times.append(wall)
                    mems.append(rss)
            print(f"  {variants[v][0]}：{statistics.median(times):.2f} 秒，峰值内存 "
                  f"{statistics.median(mems) / MIB:.0f} MiB（各次：{fmt_runs(times, 's')}）")

        if not args.no_stages:
            for v in chosen:
                out = tmp / f"stages-{v}"
                _, _, _, text = run_child(command(folder, out, "--timings"), child_env(variants[v][1]), tmp)
                table = text[text.find("各阶段用时"):] if "各阶段用时" in text else text[-2000:]
                print(f"\n{args.scale}× 各阶段（--timings，{variants[v][0]}，一次）：\n{table.rstrip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
