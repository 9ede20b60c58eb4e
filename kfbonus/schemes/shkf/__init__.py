"""SHKF-TC 售后客服、销售岗位业绩激励方案 (COMMISSION.md) as a scheme unit."""

from __future__ import annotations

from pathlib import Path

from kfbonus.schemes.base import AwardKind, Presentation, Run, Scheme
from kfbonus.schemes.shkf.params import PAIRS, SPEC, _show
from kfbonus.schemes.shkf.tables import DEALER, PURCHASE

__all__ = ["SCHEME"]

ID = "SHKF-TC"
TITLE = "售后客服、销售岗位业绩提成审批表"
SIGNERS = (("编制", "客户服务部核算员"), ("审核", "客户服务部经理"), ("批准", "光热事业部总经理"))


def _compute(month, params, run: Run):
    from kfbonus.schemes.shkf.compute import compute

    return compute(month, params, run)


def _write_workbook(result, views, checks, path: Path, generated_at) -> Path:
    from kfbonus.schemes.shkf.workbook import write_workbook

    return write_workbook(result, views, checks, path, generated_at)


def check_adjustments_not_pasted_twice(month) -> list:
    """A 其他奖惩 row of this scheme equal to an earlier one is paid twice: a warning on it."""
    from kfbonus.validate import identical_rows

    return identical_rows(month, "adjustment")


_ABSENT_MEANS = {   # (table kind, field) → what the table pays without that column
    ("purchase", "date"): "每一行都按本月计（其他月份的提货无从剔除）",
    ("purchase", "channel"): "每一行都按线下计，销售的云商城提成为 0",
    ("dealer", "sales_id"): "没有加盟商的签约销售，销售的云商城提成为 0",
}


def check_columns_that_decide_pay(month) -> list:
    """A 提货明细 without 日期 or 渠道, a 加盟商 table without 签约销售: optional columns whose
    absence pays differently (every row this month's, every purchase 线下, no sales
    commission), said once a sheet."""
    from kfbonus.problems import Source, warning
    from kfbonus.validate import sheets_without

    out = []
    for kind in ("purchase", "dealer"):
        table_def = DEALER if kind == "dealer" else PURCHASE
        fields = [f for k, f in _ABSENT_MEANS if k == kind]
        for table, lacking in sheets_without(month.tables[kind], *fields):
            for name in lacking:
                out.append(warning(
                    f"{kind}-column-absent",
                    f"{table_def.title}没有「{table_def.field(name).header}」列："
                    f"{_ABSENT_MEANS[(kind, name)]}；如有，请加上这一列",
                    Source(table.file, table.sheet, table.header_row)))
    return out


def _plain_text(line) -> str:
    from kfbonus.schemes.shkf.plain import plain_text

    return plain_text(line)


SCHEME = Scheme(
    id=ID,
    name="售后客服、销售岗位业绩激励方案",
    tables=(DEALER, PURCHASE),
    present_when=("dealer", "purchase"),
    requires=("dealer", "purchase"),
    awards=(
        AwardKind("base_salary", "底薪"),
        AwardKind("service_commission", "客服提成"),
        AwardKind("sales_commission", "销售提成"),
        AwardKind("adjustment", "其他奖惩"),
    ),
    rules_dir=Path(__file__).with_name("rules"),
    param_checks=SPEC.checks,
    checks=(check_adjustments_not_pasted_twice, check_columns_that_decide_pay),
    compute=_compute,
    presentation=Presentation(
        title=TITLE,
        what="业绩提成",
        signers=SIGNERS,
        folder=lambda period: f"{period}_业绩提成",
        write_workbook=_write_workbook,
        plain_text=_plain_text,
        slip_title="售后客服、销售业绩提成明细单",
        item_heading="加盟商",
        correction_title="售后客服、销售岗位业绩提成更正单",
    ),
    reads=("attendance",),   # the 30-day absence exclusion, for a worker who has an attendance row
    posts=frozenset({"售后客服", "销售"}),
    param_pairs=PAIRS,
    show_value=_show,
)
