"""FS-MS-KF-13's year-end slips: each worker's 年度评议依据 in one sentence."""

from __future__ import annotations

from decimal import Decimal

from kfbonus.model import MonthResult
from kfbonus.render.view import months_text
from kfbonus.schemes.kf13.model import AnnualBasis

__all__ = ["basis_text", "bases"]


def _score(value) -> str:
    text = f"{value.quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def basis_text(b: AnnualBasis) -> str:
    """One worker's 年度评议依据 in a sentence, for the year-end slip."""
    quality = (f"质量得分均值 {_score(b.quality_mean)}（{b.scored_projects} 个评分工程）"
               if b.quality_mean is not None else "无评分工程")
    return (f"全年工作 {len(b.months)} 个月（{months_text(b.months)}），参与 {b.projects} 个工程，{quality}；"
            f"安全事故 {len(b.safety)} 起，质量投诉 {len(b.quality)} 起；年末：{b.status}")


def bases(result: MonthResult) -> dict[str, str]:
    """工号 → the worker's 评议依据 sentence (the year-end run; none in a month)."""
    return {b.worker_id: basis_text(b) for b in (result.annual.basis if result.annual else ())}
