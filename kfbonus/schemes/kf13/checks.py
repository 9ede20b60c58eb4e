"""FS-MS-KF-13's own cross-table checks (keys, duplicates, consistency of projects).

Each invariant is one small function ``check_<invariant>(month) -> list[Problem]``,
listed in :data:`CHECKS` (the scheme's ``checks``, run on the month as the scheme sees
it).  Decisions where INPUTS.md is silent:

- A worker twice on the same project's settlement is a WARNING
  (``duplicate-settlement-line``): both lines are kept and count (a worker can
  be settled twice for two phases of one project), the accountant is asked to
  make sure it is not a copied line.
- Application/scores/nominations for a project with no settlement line are a
  WARNING (``unknown-project``): nothing can be paid on them.
- Two application rows for one project are an ERROR (``duplicate-application``):
  which ratio counts is not for the program to guess.  Several score rows for
  one project are allowed: SCHEME.md §2 takes the mean of each category.
"""

from __future__ import annotations

from collections.abc import Callable

from kfbonus.model import MonthInput
from kfbonus.problems import Problem, RowRef, error, warning
from kfbonus.validate import repeats, row_values

__all__ = ["CHECKS", "check_consistent_projects", "check_known_projects", "check_one_application_per_project",
           "check_one_attendance_row_per_worker", "check_one_settlement_line_per_worker_and_project"]


def check_one_application_per_project(month: MonthInput) -> list[Problem]:
    """One 工程激励申报 row per project."""
    return [error("duplicate-application",
                  f"工程「{pid}」在{month.title('application')}中重复出现（另见 {first}），"
                  "每个工程只能有一行",
                  src.cell("project_id"))
            for (pid,), src, first in repeats(month, "application", "project_id")]


def check_one_settlement_line_per_worker_and_project(month: MonthInput) -> list[Problem]:
    """A worker appears once per project in the settlement (warning; both lines count)."""
    return [warning("duplicate-settlement-line",
                    f"工号「{wid}」在工程「{pid}」的计件工资结算单中出现两次（另见 {first}），"
                    "两行都会计入；如为重复录入请删除一行",
                    src.cell("worker_id"))
            for (pid, wid), src, first in repeats(month, "settlement", "project_id", "worker_id")]


def check_consistent_projects(month: MonthInput) -> list[Problem]:
    """All settlement lines of a project agree on 工程名称 and 工期总天数."""
    out: list[Problem] = []
    for name, label in (("project_name", "工程名称"), ("total_days", "工期总天数")):
        first: dict[str, tuple[object, RowRef]] = {}
        reported: set[str] = set()
        for pid, value, src in row_values(month.tables["settlement"], "project_id", name):
            if pid is None or value is None:
                continue
            if pid not in first:
                first[pid] = (value, src)
            elif value != first[pid][0] and pid not in reported:
                reported.add(pid)
                out.append(warning("project-mismatch",
                                   f"工程「{pid}」的{label}前后不一致：此处为「{value}」，"
                                   f"{first[pid][1]} 为「{first[pid][0]}」",
                                   src.cell(name)))
    return out


def check_known_projects(month: MonthInput) -> list[Problem]:
    """Application, scores and nominations name projects that have settlement lines."""
    settled = {pid for pid in month.tables["settlement"]["project_id"].tolist() if pid is not None}
    if not settled:
        return []
    out: list[Problem] = []
    for kind in ("application", "scores", "nomination"):
        title = month.title(kind)
        for pid, src in row_values(month.tables[kind], "project_id"):
            if pid is not None and pid not in settled:
                out.append(warning("unknown-project",
                                   f"{title}中的工程「{pid}」在本月计件工资结算单中没有任何记录",
                                   src.cell("project_id")))
    return out




def check_one_attendance_row_per_worker(month: MonthInput) -> list[Problem]:
    """One 考勤 row per worker and month."""
    return [error("attendance-duplicate",
                  f"工号「{wid}」在考勤中重复出现（另见 {first}），每人每月应只有一行",
                  src.cell("worker_id"))
            for (wid,), src, first in repeats(month, "attendance", "worker_id")]


CHECKS: tuple[Callable[[MonthInput], list[Problem]], ...] = (
    check_one_application_per_project,
    check_one_attendance_row_per_worker,
    check_one_settlement_line_per_worker_and_project,
    check_consistent_projects,
    check_known_projects,
)
