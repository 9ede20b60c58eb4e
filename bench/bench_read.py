"""Time read_month and validate on a generated big month (prints figures, asserts nothing).

    python bench/bench_read.py [workers] [lines]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_month import make_big_month

from kfbonus.reader import read_month
from kfbonus.validate import validate


def main(workers: int = 2000, lines: int = 10000, repeat: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        folder = make_big_month(Path(tmp) / "month", workers=workers, lines=lines)
        print(f"生成测试月份：{time.perf_counter() - t0:.2f} 秒（{workers} 名员工，{lines} 行结算）")
        best_read = best_validate = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            month = read_month(folder)
            t1 = time.perf_counter()
            problems = validate(month)
            t2 = time.perf_counter()
            best_read, best_validate = min(best_read, t1 - t0), min(best_validate, t2 - t1)
        rows = {k: len(df) for k, df in month.tables.items()}
        print(f"读取 read_month：{best_read:.3f} 秒（{repeat} 次中最快）")
        print(f"校验 validate：  {best_validate:.3f} 秒")
        print(f"表格行数：{rows}")
        print(f"找到的表格：{len(month.found)} 个；读取问题 {len(month.problems)} 个；"
              f"校验问题 {len(problems)} 个")
        for p in (month.problems + problems)[:5]:
            print("  ", p)


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
