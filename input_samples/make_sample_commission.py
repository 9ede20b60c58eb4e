"""Generate the commission scheme's workbooks (SHKF-TC, COMMISSION.md) for a sample month.

    python input_samples/make_sample_commission.py [--out DIR]

The same customer-service department keeps, beside the installation crews' workbooks,
three of its after-sales office's own (written into ``input_samples/2026-11`` by default):

- ``售后人员名册及奖惩.xlsx``: the after-sales support (售后客服) and sales (销售) staff on a
  roster of their own (a second 人员名册 in the folder, with 岗位 saying who is who), and
  their 其他奖惩 on a second sheet;
- ``加盟商客户表.xlsx``: every franchised dealer (加盟商) with the 售后客服 who serves it and
  the 销售 who signed it, under the header names the office uses (客户编号, 服务客服,
  招商人员 — aliases of INPUTS.md's);
- ``提货明细_2026年11月.xlsx``: the month's purchases, as the office types them: 提货额
  given, or 销售额 with a 折扣 in every form people use (0.85, 80, 80%, 8.5折, 85折), both
  given and agreeing, channel 云商城/线下/blank, and one October row typed in late
  (left out with a warning).

Each dealer's month sits on or next to a tier boundary (9,999.99 / 10,000.00 / 79,999.99 /
80,000.00 / 149,999.99 / 150,000.00); one 售后客服 serves no dealer (底薪 3,200.00 only), one
销售 signed three dealers.  The worked figures are in ``tests/expected_commission.py``.
Fixed data, fixed document properties and zip timestamps: two runs write the same bytes.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_sample import (
    CENTER,
    COMPANY,
    DEPT,
    MONEY_FMT,
    RIGHT,
    _box,
    _date_cell,
    _header,
    _merge_text,
    _new_workbook,
    _save,
    _title,
    _widths,
)

OUT = Path(__file__).resolve().parent / "2026-11"

# 工号, 姓名, 入职日期, 用工类型, 岗位
STAFF = (
    ("2001", "陈思琪", date(2020, 3, 1), "正式", "售后客服"),
    ("2002", "林晓燕", date(2021, 6, 15), "正式", "售后客服"),
    ("2003", "黄嘉欣", date(2024, 2, 1), "正式", "售后客服"),
    ("3001", "周建国", date(2019, 5, 10), "正式", "销售"),
    ("3002", "吴志强", date(2023, 9, 1), "正式", "销售"),
)

# 客户编号, 客户名称, 服务客服, 招商人员
DEALERS = (
    ("JM001", "佛山顺德五星专卖店", "2001", "3001"),
    ("JM002", "广州番禺五星专卖店", "2001", "3001"),
    ("JM003", "中山小榄五星专卖店", "2002", "3001"),
    ("JM004", "江门新会五星专卖店", "2002", "3002"),
    ("JM005", "肇庆端州五星专卖店", "2002", None),
    ("JM006", "清远清城五星专卖店", "2001", "3002"),
)

# 加盟商编号, 日期, 渠道, 销售额, 折扣 (as typed), 提货额
PURCHASES = (
    ("JM001", date(2026, 11, 3), "线下", Decimal("100000.00"), 0.85, None),           # 85,000.00
    ("JM001", date(2026, 11, 18), "云商城", None, None, Decimal("65000.00")),
    ("JM002", date(2026, 11, 5), None, Decimal("50000.00"), "8.5折", None),          # 42,500.00
    ("JM002", date(2026, 11, 21), "云商城", None, None, Decimal("37499.99")),
    ("JM003", date(2026, 11, 9), "线下", Decimal("100000.00"), "80%", Decimal("80000.00")),
    ("JM004", date(2026, 11, 12), "云商城", None, None, Decimal("9999.99")),
    ("JM005", date(2026, 11, 15), None, Decimal("12500.00"), 80, None),               # 10,000.00
    ("JM006", date(2026, 10, 28), "线下", None, None, Decimal("5000.00")),           # October: left out
    ("JM006", date(2026, 11, 25), "线下", Decimal("176470.58"), "85折", None),        # 149,999.993 → .99
    ("JM001", None, "线下", None, None, Decimal("0.00")),                             # blank date: this month
)

# 工号, 类别, 金额, 说明
ADJUSTMENTS = (
    ("2002", "目标达成奖", Decimal("300.00"), "第四季度回访满意度第一"),
    ("3002", "扣款", Decimal("100.00"), "客户资料未按时归档"),
)


def write_staff(folder: Path) -> Path:
    wb = _new_workbook()
    ws = wb.create_sheet("人员名册")
    headers = ["序号", "工号", "姓名", "岗位", "用工类型", "入职日期"]
    _title(ws, 1, f"{COMPANY}{DEPT}售后客服、销售人员名册", len(headers), 14)
    _header(ws, 2, headers, 22)
    row = 2
    for i, (wid, name, hired, kind, post) in enumerate(STAFF, 1):
        row += 1
        for c, v in ((1, i), (2, wid), (3, name), (4, post), (5, kind)):
            ws.cell(row, c, v).alignment = CENTER
        ws.cell(row, 2).number_format = "@"
        _date_cell(ws, row, 6, hired, "yyyy-mm-dd")
    _box(ws, 3, row, len(headers))
    _widths(ws, (6, 8, 9, 10, 10, 12))

    ws = wb.create_sheet("其他奖惩")
    headers = ["工号", "姓名", "类别", "金额", "说明"]
    _title(ws, 1, "2026年11月售后客服、销售其他奖惩", len(headers), 14)
    _header(ws, 2, headers, 22)
    row = 2
    names = {s[0]: s[1] for s in STAFF}
    for wid, cat, amount, note in ADJUSTMENTS:
        row += 1
        ws.cell(row, 1, wid).number_format = "@"
        ws.cell(row, 2, names[wid]).alignment = CENTER
        ws.cell(row, 3, cat).alignment = CENTER
        ws.cell(row, 4, amount).number_format = MONEY_FMT
        ws.cell(row, 5, note)
    _box(ws, 3, row, len(headers))
    _widths(ws, (8, 9, 12, 11, 30))
    path = folder / "售后人员名册及奖惩.xlsx"
    _save(wb, path)
    return path


def write_dealers(folder: Path) -> Path:
    wb = _new_workbook()
    ws = wb.create_sheet("加盟商")
    headers = ["客户编号", "客户名称", "服务客服", "招商人员", "所在地区"]
    _title(ws, 1, "加盟商客户表", len(headers), 14)
    _merge_text(ws, 2, 1, len(headers), "更新日期：2026年11月1日", RIGHT)
    _header(ws, 3, headers, 22)
    row = 3
    for dealer, name, service, sales in DEALERS:
        row += 1
        ws.cell(row, 1, dealer).alignment = CENTER
        ws.cell(row, 2, name)
        ws.cell(row, 3, service).number_format = "@"
        if sales is not None:
            ws.cell(row, 4, sales).number_format = "@"
        ws.cell(row, 5, name[:4])
    _box(ws, 4, row, len(headers))
    _widths(ws, (10, 22, 10, 10, 10))
    path = folder / "加盟商客户表.xlsx"
    _save(wb, path)
    return path


def write_purchases(folder: Path) -> Path:
    wb = _new_workbook()
    ws = wb.create_sheet("提货明细")
    headers = ["加盟商编号", "提货日期", "下单渠道", "零售额", "折扣", "提货金额", "备注"]
    _title(ws, 1, "2026年11月加盟商提货明细", len(headers), 14)
    _header(ws, 2, headers, 22)
    row = 2
    for dealer, day, channel, sales, discount, amount in PURCHASES:
        row += 1
        ws.cell(row, 1, dealer).alignment = CENTER
        if day is not None:
            _date_cell(ws, row, 2, day, "yyyy-mm-dd")
        ws.cell(row, 3, channel).alignment = CENTER
        if sales is not None:
            ws.cell(row, 4, sales).number_format = MONEY_FMT
        if discount is not None:
            ws.cell(row, 5, discount).alignment = CENTER
        if amount is not None:
            ws.cell(row, 6, amount).number_format = MONEY_FMT
        if day is not None and day.month != 11:
            ws.cell(row, 7, "10月单据补录")
        elif day is None:
            ws.cell(row, 7, "退货冲抵后为零")
    _box(ws, 3, row, len(headers))
    _widths(ws, (11, 12, 10, 13, 8, 13, 16))
    path = folder / "提货明细_2026年11月.xlsx"
    _save(wb, path)
    return path


def make(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_staff(folder), write_dealers(folder), write_purchases(folder)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    for path in make(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
