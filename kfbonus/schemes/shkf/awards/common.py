"""Small helpers the award modules share: formula numbers and exclusion reasons."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kfbonus.rules import Params, fmt_number, fmt_percent
from kfbonus.schemes.shkf.rows import AttendanceRow, WorkerRow

__all__ = ["exclusion_reasons", "fmt_number", "fmt_percent", "label_of"]


def label_of(d_id: str, name: str | None) -> str:
    return f"{d_id} {name}" if name else d_id


def exclusion_reasons(
    w: WorkerRow, attendance: AttendanceRow | None, params: Params, assess_date: dt.date
) -> list[str]:
    """SCHEME.md's exclusions on the assessment date (外包/临时, 试用期, 连续缺勤, 离职);
    the absence rule only for a worker with an attendance row."""
    reasons: list[str] = []
    etype = str(w.employment_type or "").strip()
    if etype and etype in params["exclusions.outsourced_types"]:  # type: ignore[operator]
        reasons.append(f"用工类型为{etype}，不在激励范围")
    by_type = bool(etype) and etype in params["exclusions.probation_types"]  # type: ignore[operator]
    by_date = w.regular_date is not None and w.regular_date > assess_date
    if by_date:
        reasons.append(f"试用期内（转正日期 {w.regular_date} 晚于考核日 {assess_date}）")
    elif by_type:
        reasons.append(f"试用期内（用工类型为{etype}）")
    if attendance is not None and attendance.longest_absence is not None:
        limit = Decimal(params["exclusions.min_absence_days"])  # type: ignore[arg-type]
        if attendance.longest_absence >= limit:
            reasons.append(f"连续缺勤 {fmt_number(attendance.longest_absence)} 天（达 {limit} 天及以上）")
    if w.leave_date is not None and w.leave_date < assess_date:
        reasons.append(f"已离职（离职日期 {w.leave_date} 早于考核日 {assess_date}）")
    return reasons
