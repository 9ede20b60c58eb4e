"""带薪培训补贴 (FS-MS-KF-13 §壹(一)3(2); SCHEME.md §3): 培训天数 × training.daily_rate,
one line per training row."""

from __future__ import annotations

from decimal import Decimal

from kfbonus.model import AwardLine
from kfbonus.money import ZERO, fmt_money, round_money
from kfbonus.schemes.kf13.common import Context, fmt_number, row_source
from kfbonus.schemes.kf13.model import Award

__all__ = ["compute_training"]


def compute_training(ctx: Context) -> list[AwardLine]:
    rate: Decimal = ctx.params["training.daily_rate"]  # type: ignore[assignment]
    clause = ctx.clause("training.daily_rate")
    lines = []
    for r in ctx.data.training:
        days = r.days or ZERO
        amount = round_money(days * rate)
        formula = f"培训天数 {fmt_number(days)} × {fmt_money(rate)}/天 = {fmt_money(amount)}"
        sources = (row_source(r), *ctx.roster_source(r.worker_id))
        excluded = ctx.excluded_for("training", r.worker_id)
        name = ctx.name(r.worker_id, r.name)
        category = r.training_type or None
        facts = {"days": days, "rate": rate}
        if excluded:
            lines.append(AwardLine(r.worker_id, name, Award.TRAINING, ZERO, formula + "；不予发放", clause,
                                   sources, unpaid=amount, reason=excluded, category=category, facts=facts))
        else:
            lines.append(AwardLine(r.worker_id, name, Award.TRAINING, amount, formula, clause, sources,
                                   category=category, facts=facts))
    return lines
