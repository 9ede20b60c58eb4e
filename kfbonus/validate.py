"""Cross-table checks on what the reader found (keys, duplicates, consistency).

Each invariant is one small function ``check_<invariant>(month) -> list[Problem]``,
all listed in :data:`CHECKS`; :func:`validate` runs them all.  Every check is
linear (dict/set lookups over the rows).  Decisions where INPUTS.md is silent:

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

from collections.abc import Callable, Iterator

import pandas as pd

from kfbonus.model import MonthInput
from kfbonus.problems import Problem, RowRef, error, warning
from kfbonus.schema import TABLE_BY_KIND

__all__ = ["CHECKS", "check_consistent_projects", "check_known_projects", "check_known_workers",
           "check_names_match_roster", "check_one_application_per_project",
           "check_one_settlement_line_per_worker_and_project", "check_roster_present",
           "check_unique_worker_ids", "validate"]

WORKER_TABLES = ("settlement", "nomination", "attendance", "training", "adjustment", "incident")


def _rows(df: pd.DataFrame, *names: str) -> Iterator[tuple]:
    """(value, …, src) per row, None where a column is missing."""
    cols = [df[n].tolist() if n in df.columns else [None] * len(df) for n in names]
    return zip(*cols, df["src"].tolist(), strict=True)


def _roster(month: MonthInput) -> dict[str, tuple[str | None, RowRef]]:
    """工号 → (姓名, first row) of the roster."""
    out: dict[str, tuple[str | None, RowRef]] = {}
    for wid, name, src in _rows(month.tables["roster"], "worker_id", "name"):
        if wid is not None and wid not in out:
            out[wid] = (name, src)
    return out


def check_roster_present(month: MonthInput) -> list[Problem]:
    """A month without a roster (人员名册) cannot be computed."""
    if any(f.kind == "roster" for f in month.found) or len(month.tables["roster"]):
        return []
    return [error("missing-roster",
                  "没有找到人员名册（表头含「工号」「姓名」「入职日期」的表格），无法核对人员，请放入人员名册")]


def check_unique_worker_ids(month: MonthInput) -> list[Problem]:
    """工号 is unique in the roster."""
    seen: dict[str, RowRef] = {}
    out: list[Problem] = []
    for wid, src in _rows(month.tables["roster"], "worker_id"):
        if wid is None:
            continue
        if wid in seen:
            out.append(error("duplicate-worker",
                             f"工号「{wid}」在人员名册中重复出现（另见 {seen[wid]}），每个工号只能有一行",
                             src.cell("worker_id")))
        else:
            seen[wid] = src
    return out


def _one_per_project(month: MonthInput, kind: str, code: str) -> list[Problem]:
    title = TABLE_BY_KIND[kind].title
    seen: dict[str, RowRef] = {}
    out: list[Problem] = []
    for pid, src in _rows(month.tables[kind], "project_id"):
        if pid is None:
            continue
        if pid in seen:
            out.append(error(code,
                             f"工程「{pid}」在{title}中重复出现（另见 {seen[pid]}），每个工程只能有一行",
                             src.cell("project_id")))
        else:
            seen[pid] = src
    return out


def check_one_application_per_project(month: MonthInput) -> list[Problem]:
    """One 工程激励申报 row per project."""
    return _one_per_project(month, "application", "duplicate-application")


def check_known_workers(month: MonthInput) -> list[Problem]:
    """Every 工号 used in any table is in the roster (skipped when there is no roster)."""
    roster = _roster(month)
    if not roster:
        return []
    out: list[Problem] = []
    for kind in WORKER_TABLES:
        title = TABLE_BY_KIND[kind].title
        for wid, src in _rows(month.tables[kind], "worker_id"):
            if wid is not None and wid not in roster:
                out.append(error("unknown-worker",
                                 f"{title}中的工号「{wid}」不在人员名册中，请核对工号或在名册中补上此人",
                                 src.cell("worker_id")))
    return out


def check_names_match_roster(month: MonthInput) -> list[Problem]:
    """A 姓名 given next to a 工号 matches the roster's."""
    roster = _roster(month)
    out: list[Problem] = []
    for kind in WORKER_TABLES:
        df = month.tables[kind]
        if "name" not in df.columns:
            continue
        title = TABLE_BY_KIND[kind].title
        for wid, name, src in _rows(df, "worker_id", "name"):
            known = roster.get(wid)
            if name is None or known is None or known[0] is None:
                continue
            if name.replace(" ", "") != known[0].replace(" ", ""):
                out.append(warning("name-mismatch",
                                   f"{title}中工号「{wid}」的姓名为「{name}」，人员名册中为「{known[0]}」"
                                   f"（{known[1]}），请核对",
                                   src.cell("name")))
    return out


def check_one_settlement_line_per_worker_and_project(month: MonthInput) -> list[Problem]:
    """A worker appears once per project in the settlement (warning; both lines count)."""
    seen: dict[tuple[str, str], RowRef] = {}
    out: list[Problem] = []
    for pid, wid, src in _rows(month.tables["settlement"], "project_id", "worker_id"):
        if pid is None or wid is None:
            continue
        key = (pid, wid)
        if key in seen:
            out.append(warning("duplicate-settlement-line",
                               f"工号「{wid}」在工程「{pid}」的计件工资结算单中出现两次（另见 {seen[key]}），"
                               "两行都会计入；如为重复录入请删除一行",
                               src.cell("worker_id")))
        else:
            seen[key] = src
    return out


def check_consistent_projects(month: MonthInput) -> list[Problem]:
    """All settlement lines of a project agree on 工程名称 and 工期总天数."""
    out: list[Problem] = []
    for name, label in (("project_name", "工程名称"), ("total_days", "工期总天数")):
        first: dict[str, tuple[object, RowRef]] = {}
        reported: set[str] = set()
        for pid, value, src in _rows(month.tables["settlement"], "project_id", name):
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
        title = TABLE_BY_KIND[kind].title
        for pid, src in _rows(month.tables[kind], "project_id"):
            if pid is not None and pid not in settled:
                out.append(warning("unknown-project",
                                   f"{title}中的工程「{pid}」在本月计件工资结算单中没有任何记录",
                                   src.cell("project_id")))
    return out


CHECKS: tuple[Callable[[MonthInput], list[Problem]], ...] = (
    check_roster_present,
    check_unique_worker_ids,
    check_one_application_per_project,
    check_known_workers,
    check_names_match_roster,
    check_one_settlement_line_per_worker_and_project,
    check_consistent_projects,
    check_known_projects,
)


def validate(month: MonthInput) -> list[Problem]:
    """Run every check of :data:`CHECKS`; the problems found, in check order."""
    out: list[Problem] = []
    for check in CHECKS:
        out.extend(check(month))
    return out
