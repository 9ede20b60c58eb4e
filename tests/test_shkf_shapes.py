"""Commission tables in shapes the sample lacks: a dealer table in two stacked parts with a
note line between, a purchase table with a 小计 and a 合计, a blank date, a 销售 on an
installation settlement line.  Every row comes out as data, a checked total or a problem."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import load_workbook

from kfbonus import cli
from tests.helpers import write_xlsx

ROSTER = [["工号", "姓名", "入职日期", "岗位", "班组"], ["1001", "张三", "2020-01-01", "安装工", "一组"],
          ["2001", "陈客服", "2021-01-01", "售后客服", "售后组"],
          ["3001", "周销售", "2021-01-01", "销售", "售后组"]]
DEALERS = [["2026年11月加盟商"], ["加盟商编号", "加盟商名称", "售后客服", "签约销售"],
           ["D1", "甲店", "2001", "3001"], ["D2", "乙店", "2001", None], ["说明：D2 为新签"], [None],
           ["加盟商编号", "加盟商名称", "售后客服", "签约销售"], ["D3", "丙店", "2001", "3001"],
           ["D4", "丁店", "2001", None]]
PURCHASES = [["加盟商编号", "日期", "渠道", "销售额", "折扣", "提货额"],
             ["D1", "2026-11-02", "云商城", 20000, "9折", None],
             ["D2", "2026-11-05", None, None, None, 12000],
             ["D4", "2026-11-06", None, None, None, 500], ["D1", "2026-11-07", "线下", None, None, 100],
             ["D2", "2026-11-08", None, 1000, "9折", None], ["小计", None, None, None, None, 12600],
             ["D3", None, None, None, None, 50], ["合计", None, None, None, None, 12650]]


def _folder(tmp_path, purchases=PURCHASES):
    folder = tmp_path / "in"
    write_xlsx(folder / "名册.xlsx", {"花名册": ROSTER})
    write_xlsx(folder / "结算.xlsx", {"结算": [["工程编号", "工号", "个人工期天数", "计件工资"],
                                               ["GC-1", "1001", 10, 1000], ["GC-1", "3001", 2, 100]]})
    write_xlsx(folder / "加盟商.xlsx", {"加盟商": DEALERS})
    write_xlsx(folder / "提货.xlsx", {"提货": purchases})
    write_xlsx(folder / "考勤.xlsx", {"考勤": [["工号", "应出勤天数", "实出勤天数"], ["1001", 22, 22]],
                                      "申报": [["工程编号", "重点工程", "集体激励比例"]]})
    return folder


def test_every_purchase_row_is_counted_in_its_dealers_month(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["2026-11", "--input", str(_folder(tmp_path)), "--output", str(out)]) == 0
    text = capsys.readouterr().out
    assert "worker-other-scheme" in text and "「3001」" in text   # the 销售's settlement line, said
    wb = load_workbook(out / "2026-11_业绩提成" / "审批汇总表_2026-11.xlsx", data_only=True)
    months = {r[0]: Decimal(str(r[2])) for r in wb["加盟商"].iter_rows(values_only=True)
              if r and isinstance(r[0], str) and r[0][:1] == "D" and r[0][1:].isdigit()}
    # D1 20,000 × 9折 + 100; D2 12,000 + 1,000 × 9折; D3 (blank date: this month); D4
    assert months == {"D1": Decimal("18100"), "D2": Decimal("12900"), "D3": Decimal("50"),
                      "D4": Decimal("500")}
    assert sum(months.values()) == Decimal("31550")


def test_a_subtotal_that_does_not_add_up_is_an_error_on_its_cell(tmp_path, capsys):
    bad = [list(r) for r in PURCHASES]
    bad[6][5] = 12000
    out = tmp_path / "out"
    assert cli.main(["2026-11", "--input", str(_folder(tmp_path, bad)), "--output", str(out)]) == 1
    text = capsys.readouterr().out
    assert "total-mismatch" in text and "提货!F7" in text
    assert not (out / "2026-11_业绩提成").exists()
