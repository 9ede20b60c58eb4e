"""Every input check of SHKF-TC (COMMISSION.md § Inputs), each a small named function
returning Problems (stable kebab-case codes, Chinese messages naming the cell).

The reader has already checked each cell against its kind (折扣, money, dates …);
these are the checks across cells, rows and tables.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal

from kfbonus.adjustments import adjustment_error, nonstandard_amount
from kfbonus.money import fmt_money
from kfbonus.problems import Problem, Source, error, warning
from kfbonus.rules import Params
from kfbonus.schemes.shkf.awards.adjustment import team_members
from kfbonus.schemes.shkf.awards.dealer_month import computed_amount
from kfbonus.schemes.shkf.rows import AdjustmentRow, DealerRow, MonthRows, PurchaseRow, WorkerRow
from kfbonus.schemes.shkf.tables import CHANNELS
from kfbonus.values import Percentage

__all__ = [
    "SERVICE_POST",
    "SALES_POST",
    "check_all",
    "check_amounts",
    "check_channels",
    "check_dealer_sales",
    "check_dealer_service",
    "check_duplicate_dealers",
    "check_other_month",
    "check_purchase_dealers",
    "in_month",
    "usable_adjustments",
    "usable_purchases",
]

SERVICE_POST = "售后客服"
SALES_POST = "销售"


def _post(w: WorkerRow) -> str:
    return str(w.position or "").strip()


def _check_staff(
    dealers: tuple[DealerRow, ...], roster: dict[str, WorkerRow], field: str, post: str, what: str
) -> list[Problem]:
    out: list[Problem] = []
    for d in dealers:
        wid = getattr(d, field)
        if wid is None:
            continue
        w = roster.get(wid)
        if w is None:
            out.append(
                error(
                    f"dealer-{field.split('_')[0]}-not-in-roster",
                    f"加盟商 {d.dealer_id} 的{what}工号 {wid} 不是人员名册中岗位为「{post}」的人员"
                    f"（不在名册中，或岗位不是售后客服、销售）",
                    d.src.cell(field),
                )
            )
        elif _post(w) != post:
            shown = _post(w) or "空"
            out.append(
                error(
                    f"dealer-{field.split('_')[0]}-wrong-post",
                    f"加盟商 {d.dealer_id} 的{what}为工号 {wid} {w.name}，但此人在人员名册中的岗位为"
                    f"「{shown}」，应为「{post}」",
                    d.src.cell(field),
                )
            )
    return out


def check_dealer_service(dealers: tuple[DealerRow, ...], roster: dict[str, WorkerRow]) -> list[Problem]:
    """售后客服 names a roster worker whose 岗位 is 售后客服."""
    return _check_staff(dealers, roster, "service_id", SERVICE_POST, "售后客服")


def check_dealer_sales(dealers: tuple[DealerRow, ...], roster: dict[str, WorkerRow]) -> list[Problem]:
    """签约销售 (when given) names a roster worker whose 岗位 is 销售."""
    return _check_staff(dealers, roster, "sales_id", SALES_POST, "签约销售")


def check_duplicate_dealers(dealers: tuple[DealerRow, ...]) -> list[Problem]:
    """A dealer listed twice in the dealer table."""
    first: dict[str, DealerRow] = {}
    out: list[Problem] = []
    for d in dealers:
        if d.dealer_id in first:
            out.append(
                error(
                    "dealer-duplicate",
                    f"加盟商 {d.dealer_id} 在加盟商表中出现多次（另见 {first[d.dealer_id].src}），"
                    "每个加盟商只应有一行",
                    d.src.cell("dealer_id"),
                )
            )
        else:
            first[d.dealer_id] = d
    return out


def check_purchase_dealers(
    purchases: tuple[PurchaseRow, ...], dealers: tuple[DealerRow, ...]
) -> list[Problem]:
    """A purchase of a dealer not in the dealer table."""
    known = {d.dealer_id for d in dealers}
    return [
        error(
            "purchase-unknown-dealer",
            f"提货明细中的加盟商 {p.dealer_id} 不在加盟商表中，无法确定其售后客服",
            p.src.cell("dealer_id"),
        )
        for p in purchases
        if p.dealer_id not in known
    ]


def check_channels(purchases: tuple[PurchaseRow, ...]) -> list[Problem]:
    """渠道 is 云商城 or 线下 (blank = 线下)."""
    return [
        error(
            "purchase-bad-channel",
            f"渠道「{p.channel}」无法识别，应为「云商城」或「线下」（空着按线下）",
            p.src.cell("channel"),
        )
        for p in purchases
        if _bad_channel(p)
    ]


def _bad_channel(p: PurchaseRow) -> bool:
    return p.channel is not None and str(p.channel).strip() not in CHANNELS


def _amount_state(p: PurchaseRow) -> tuple[str | None, Decimal | None]:
    """(``"mismatch"``, ``"missing"`` or None, round(销售额 × 折扣) when both are given)."""
    computed = computed_amount(p)
    if p.amount is not None and computed is not None and computed != p.amount:
        return "mismatch", computed
    if p.amount is None and computed is None:
        return "missing", None
    return None, computed


def check_amounts(purchases: tuple[PurchaseRow, ...]) -> list[Problem]:
    """提货额 given and ≠ round(销售额 × 折扣); neither 提货额 nor 销售额 and 折扣."""
    out: list[Problem] = []
    for p in purchases:
        state, computed = _amount_state(p)
        if state == "mismatch":
            out.append(
                error(
                    "purchase-amount-mismatch",
                    f"提货额 {fmt_money(p.amount)} 与 销售额 {fmt_money(p.sales)} × 折扣 "  # type: ignore[arg-type]
                    f"{p.discount.normalize():f} = {fmt_money(computed)} 不符",  # type: ignore[union-attr]
                    p.src.cell("amount"),
                )
            )
        elif state == "missing":
            missing = "、".join(n for n, v in (("销售额", p.sales), ("折扣", p.discount)) if v is None)
            out.append(
                error(
                    "purchase-amount-missing",
                    f"加盟商 {p.dealer_id} 的提货行既没有提货额，也缺少{missing}，无法算出提货额",
                    p.src.cell("amount"),
                )
            )
    return out


def in_month(p: PurchaseRow, period: str) -> bool:
    """A blank date belongs to the month."""
    if p.date is None:
        return True
    d = p.date if isinstance(p.date, dt.date) else None
    return d is None or f"{d.year:04d}-{d.month:02d}" == period


def check_other_month(purchases: tuple[PurchaseRow, ...], period: str) -> list[Problem]:
    """Rows dated outside the month are left out: one warning per sheet with the count."""
    count: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], PurchaseRow] = {}
    for p in purchases:
        if not in_month(p, period):
            key = (p.src.table.file, p.src.table.sheet)
            count[key] += 1
            first.setdefault(key, p)
    out: list[Problem] = []
    for key, n in count.items():
        src = first[key].src.source
        out.append(
            warning(
                "purchase-other-month",
                f"提货明细中有 {n} 行的日期不在 {period}，未计入本月提货额",
                Source(src.file, src.sheet),
            )
        )
    return out


def check_all(rows: MonthRows, period: str) -> list[Problem]:
    roster = {w.worker_id: w for w in rows.roster}
    return [
        *check_duplicate_dealers(rows.dealers),
        *check_dealer_service(rows.dealers, roster),
        *check_dealer_sales(rows.dealers, roster),
        *check_purchase_dealers(rows.purchases, rows.dealers),
        *check_channels(rows.purchases),
        *check_amounts(rows.purchases),
        *check_other_month(rows.purchases, period),
    ]


def usable_purchases(rows: MonthRows, period: str) -> dict[str, list[PurchaseRow]]:
    """The purchase rows counted, by dealer: in the month, of a known dealer, with a
    recognised channel and a 提货额 (given and consistent, or computed) — the rows the
    checks above find nothing wrong with (the same predicates)."""
    known = {d.dealer_id for d in rows.dealers}
    out: dict[str, list[PurchaseRow]] = defaultdict(list)
    for p in rows.purchases:
        counted = in_month(p, period) and p.dealer_id in known
        if counted and not _bad_channel(p) and _amount_state(p)[0] is None:
            out[p.dealer_id].append(p)
    return dict(out)


def usable_adjustments(
    rows: Sequence[AdjustmentRow],
    staff: Mapping[str, WorkerRow],
    roster: Mapping[str, WorkerRow],
    params: Params,
    exclusions: Mapping[str, str],
) -> tuple[list[Problem], list[AdjustmentRow]]:
    """This scheme's 其他奖惩 rows (its staff's, or a 班组 of its staff) and their problems:
    the rows to pay, and why the others are not (a row of another scheme's worker or
    班组 is that scheme's, not reported here)."""
    standard: Mapping[str, object] = params["adjustment.standard_amounts"]  # type: ignore[assignment]
    deductions = params["adjustment.deduction_categories"]
    problems: list[Problem] = []
    usable: list[AdjustmentRow] = []
    for r in rows:
        team = str(r.team or "").strip()
        if r.worker_id is not None:
            if r.worker_id not in staff:
                continue  # another scheme's row (or an unknown 工号, which that scheme reports)
        elif not team_members(team, staff) and any(str(w.team or "").strip() == team
                                                   for w in roster.values()):
            continue  # another scheme's team
        category = str(r.category or "").strip()
        who = f"工号 {r.worker_id}" if r.worker_id else f"班组 {r.team}"
        given = r.amount
        found = adjustment_error(who, category, given, standard, deductions,  # type: ignore[arg-type]
                                 r.src.cell("category"), r.src.cell("amount"))
        if found is None and isinstance(given, Percentage):
            found = error("adjustment-percent-not-allowed",
                          f"{who} 的{category}填写为百分比 {given}：售后客服、销售岗位没有计件工资，"
                          "不能按比例扣除，请填写金额", r.src.cell("amount"))
        if found is not None:
            problems.append(found)
            continue
        odd = nonstandard_amount(who, category, given, standard, deductions,  # type: ignore[arg-type]
                                 r.src.cell("amount"))
        if odd is not None:
            problems.append(odd)
        if r.worker_id is None and not [w for w in team_members(team, staff) if not exclusions.get(w)]:
            why = ("人员名册中没有本方案（售后客服、销售）的该班组人员" if not team_members(team, staff)
                   else "该班组的人员在考核日均不参与激励")
            problems.append(error("adjustment-team-empty",
                                  f"{category}发给班组「{team}」，但{why}，无法平分；请核对班组名称",
                                  r.src.cell("team")))
            continue
        usable.append(r)
    return problems, usable
