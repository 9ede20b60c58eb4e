"""Who is excluded on the assessment date (适用范围, SCHEME.md "Who is excluded"), for every
scheme whose rules apply the exclusions (FS-MS-KF-13; the commission scheme when its rules
say so): ``exclusions.*`` parameters, a roster row and the worker's attendance row.

All reasons that hold are kept, in the order of SCHEME.md: 外包/临时, 试用期, 连续缺勤,
离职; they are shown joined by "；".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kfbonus.rules import Params, fmt_number

Row = Any   # a roster or attendance row: employment_type, regular_date, leave_date / longest_absence

__all__ = ["exclusion_reasons", "in_probation"]


def _text(value: object) -> str:
    return str(value).strip() if value is not None else ""


def in_probation(worker: Row, params: Params, assess_date: dt.date) -> str | None:
    """The probation reason (试用期内…) or None: 用工类型 in probation_types, or 转正日期
    later than the assessment date."""
    etype = _text(worker.employment_type)
    by_type = etype in params["exclusions.probation_types"]  # type: ignore[operator]
    regular: dt.date | None = worker.regular_date
    by_date = regular is not None and regular > assess_date
    if by_type and by_date:
        return f"试用期内（用工类型为{etype}，转正日期 {regular} 晚于考核日 {assess_date}）"
    if by_date:
        return f"试用期内（转正日期 {regular} 晚于考核日 {assess_date}）"
    if by_type:
        return f"试用期内（用工类型为{etype}）"
    return None


def exclusion_reasons(worker: Row, attendance: Row | None, params: Params, assess_date: dt.date) -> list[str]:
    """Every exclusion that holds for ``worker`` on ``assess_date`` (empty when none)."""
    reasons: list[str] = []
    etype = _text(worker.employment_type)
    if etype and etype in params["exclusions.outsourced_types"]:  # type: ignore[operator]
        reasons.append(f"用工类型为{etype}，不在激励范围")
    probation = in_probation(worker, params, assess_date)
    if probation:
        reasons.append(probation)
    if attendance is not None and attendance.longest_absence is not None:
        limit = Decimal(params["exclusions.min_absence_days"])  # type: ignore[arg-type]
        if attendance.longest_absence >= limit:
            reasons.append(f"连续缺勤 {fmt_number(attendance.longest_absence)} 天（达 {limit} 天及以上）")
    leave: dt.date | None = worker.leave_date
    if leave is not None and leave < assess_date:
        reasons.append(f"已离职（离职日期 {leave} 早于考核日 {assess_date}）")
    return reasons
