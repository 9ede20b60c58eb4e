"""Who is excluded on the assessment date (适用范围, SCHEME.md "Who is excluded"), for every
scheme whose rules apply the exclusions (FS-MS-KF-13; the commission scheme when its rules
say so): ``exclusions.*`` parameters, a roster row and the worker's attendance row.

All reasons that hold are kept, in the order of SCHEME.md: 外包/临时, 试用期, 连续缺勤,
离职; they are shown joined by "；".

用工类型 as people type it: a type of the rules (外包, 临时, 试用) or 正式, alone or with a
common ending (临时工, 外包人员, 试用期, 正式员工), is that type; anything else (劳务派遣,
实习) is not a type kfbonus knows: it excludes nothing, and :func:`unknown_type_warnings`
lets the scheme's checks say so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from kfbonus.problems import Problem, warning
from kfbonus.rules import Params, fmt_number

Row = Any   # a roster or attendance row: employment_type, regular_date, leave_date / longest_absence

__all__ = ["REGULAR_TYPES", "employment_kind", "exclusion_reasons", "in_probation", "unknown_type_warnings"]

REGULAR_TYPES = ("正式",)   # INPUTS.md's 用工类型 besides the ones the rules exclude
_ENDINGS = ("工", "员工", "人员", "期", "期员工", "期人员", "用工", "制")


def _text(value: object) -> str:
    return "".join(str(value).split()) if value is not None else ""


def _known_types(params: Params) -> tuple[str, ...]:
    """正式, then the rules' probation and outsourced types."""
    return (*REGULAR_TYPES, *params["exclusions.probation_types"],  # type: ignore[misc]
            *params["exclusions.outsourced_types"])  # type: ignore[misc]


def employment_kind(value: object, params: Params) -> str:
    """The 用工类型 a roster cell means: a type of the rules or 正式 when the text is one,
    alone or with a common ending (临时工 → 临时); else the text itself ("" when blank)."""
    text = _text(value)
    for kind in _known_types(params):
        if text == kind or (text.startswith(kind) and text[len(kind):] in _ENDINGS):
            return kind
    return text


def unknown_type_warnings(workers: Iterable[tuple[str, str, Row]], params: Params) -> list[Problem]:
    """A warning for each worker (工号, 姓名, roster row) whose 用工类型 is none of the known
    types, so excludes nothing: a 劳务派遣 or 实习 worker is not paid without the accountant
    having seen it.  None when the rules apply the exclusions to no award."""
    if not params["exclusions.applies_to"]:
        return []
    outsourced: tuple[str, ...] = tuple(params["exclusions.outsourced_types"])  # type: ignore[arg-type]
    known = _known_types(params)
    out = []
    for wid, name, worker in workers:
        text = _text(worker.employment_type)
        if text and employment_kind(text, params) not in known:
            out.append(warning(
                "unknown-employment-type",
                f"工号 {wid} {name} 的用工类型「{text}」不是{'、'.join(known)}之一，按正式员工计算"
                f"（不因用工类型排除）；如不应参与激励，请改为{'或'.join(outsourced)}",
                worker.src.cell("employment_type")))
    return out


def in_probation(worker: Row, params: Params, assess_date: dt.date) -> str | None:
    """The probation reason (试用期内…) or None: 用工类型 in probation_types, or 转正日期
    later than the assessment date."""
    etype = _text(worker.employment_type)
    by_type = employment_kind(etype, params) in params["exclusions.probation_types"]  # type: ignore[operator]
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
    if etype and employment_kind(etype, params) in params["exclusions.outsourced_types"]:  # type: ignore[operator]
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
