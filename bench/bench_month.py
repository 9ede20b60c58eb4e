"""Time a whole month end to end on a generated big month (prints figures, asserts nothing).

    python bench/bench_month.py [workers] [lines]

Generates 2,000 workers and 10,000 settlement lines (bench/make_month.py), then
times each stage in-process (read, validate, compute, render) and the whole
command as a user runs it (``python run_month.py …`` in a subprocess).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from make_month import make_big_month

from kfbonus.reader import read_month
from kfbonus.render import render_month
from kfbonus.schemes.kf13.compute import compute_month
from kfbonus.schemes.kf13.params import load_rules
from kfbonus.validate import validate


def timed(label: str, fn, *args, **kwargs):
    t0 = time.perf_counter()
    value = fn(*args, **kwargs)
    print(f"  {label:<10}{time.perf_counter() - t0:7.3f} 秒")
    return value


def main(workers: int = 2000, lines: int = 10000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = make_big_month(Path(tmp) / "2026-11", workers=workers, lines=lines)
        print(f"测试月份：{workers} 名员工，{lines} 行结算")
        assess = dt.date(2026, 11, 30)
        t0 = time.perf_counter()
        month = timed("读取", read_month, folder)
        problems = timed("校验", validate, month)
        params = load_rules().in_force(assess)
        result = timed("计算", compute_month, month, params, assess, "2026-11")
        out = Path(tmp) / "render"
        out.mkdir()
        timed("输出", render_month, result, out, generated_at=dt.datetime(2026, 12, 1))
        print(f"  {'合计':<10}{time.perf_counter() - t0:7.3f} 秒（进程内，{len(result.lines)} 条明细，"
              f"问题 {len(problems) + len(result.problems)} 个）")

        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, str(ROOT / "run_month.py"), "2026-11", "--input", str(folder),
                               "--output", str(Path(tmp) / "out")], capture_output=True, text=True)
        print(f"命令行 run_month.py 全程：{time.perf_counter() - t0:.3f} 秒（退出码 {proc.returncode}）")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
