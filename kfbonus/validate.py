"""Cross-table checks every scheme needs on what the reader found: the roster is there,
its 工号 are unique, every 工号 in any table is on it, and names match it.

Each invariant is one small function ``check_<invariant>(month) -> list[Problem]``,
all listed in :data:`CHECKS`; :func:`validate` runs them all.  Every check is
linear (dict/set lookups over the rows).  A scheme's own checks are in its package
(FS-MS-KF-13's: :mod:`kfbonus.schemes.kf13.checks`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from kfbonus.model import Columns, MonthInput
from kfbonus.problems import Problem, RowRef, error, warning

__all__ = ["CHECKS", "check_known_workers", "check_names_match_roster", "check_roster_present",
           "check_unique_worker_ids", "repeats", "row_values", "validate", "worker_tables"]


def worker_tables(month: MonthInput) -> list[str]:
    """The tables (other than the roster) whose rows name a worker by 工号."""
    return [kind for kind, df in month.tables.items() if kind != "roster" and "worker_id" in df.columns]


def row_values(df: Columns, *names: str) -> Iterator[tuple]:
    """(value, …, src) per row, None where a column is missing."""
    return zip(*(df.column(n) for n in names), df["src"], strict=True)


def _roster(month: MonthInput) -> dict[str, tuple[str | None, RowRef]]:
    """工号 → (姓名, first row) of the roster."""
    out: dict[str, tuple[str | None, RowRef]] = {}
    for wid, name, src in row_values(month.tables["roster"], "worker_id", "name"):
        if wid is not None and wid not in out:
            out[wid] = (name, src)
    return out


def check_roster_present(month: MonthInput) -> list[Problem]:
    """A month without a roster (人员名册) cannot be computed."""
    if any(f.kind == "roster" for f in month.found) or len(month.tables["roster"]):
        return []
    return [error("missing-roster",
                  "没有找到人员名册（表头含「工号」「姓名」「入职日期」的表格），无法核对人员，请放入人员名册")]


def repeats(month: MonthInput, kind: str, *names: str) -> Iterator[tuple[tuple, RowRef, RowRef]]:
    """(key, row, first row) for every row of ``kind`` whose ``names`` fields (none blank)
    repeat an earlier row's; in row order."""
    seen: dict[tuple, RowRef] = {}
    for *key, src in row_values(month.tables[kind], *names):
        if any(k is None for k in key):
            continue
        first = seen.setdefault(tuple(key), src)
        if first is not src:
            yield tuple(key), src, first


def check_unique_worker_ids(month: MonthInput) -> list[Problem]:
    """工号 is unique in the roster."""
    return [error("duplicate-worker",
                  f"工号「{wid}」在人员名册中重复出现（另见 {first}），每个工号只能有一行",
                  src.cell("worker_id"))
            for (wid,), src, first in repeats(month, "roster", "worker_id")]


def check_known_workers(month: MonthInput) -> list[Problem]:
    """Every 工号 used in any table is in the roster (skipped when there is no roster)."""
    roster = _roster(month)
    if not roster:
        return []
    out: list[Problem] = []
    for kind in worker_tables(month):
        title = month.title(kind)
        for wid, src in row_values(month.tables[kind], "worker_id"):
            if wid is not None and wid not in roster:
                out.append(error("unknown-worker",
                                 f"{title}中的工号「{wid}」不在人员名册中，请核对工号或在名册中补上此人",
                                 src.cell("worker_id")))
    return out


def check_names_match_roster(month: MonthInput) -> list[Problem]:
    """A 姓名 given next to a 工号 matches the roster's."""
    roster = _roster(month)
    out: list[Problem] = []
    for kind in worker_tables(month):
        df = month.tables[kind]
        if "name" not in df.columns:
            continue
        title = month.title(kind)
        for wid, name, src in row_values(df, "worker_id", "name"):
            known = roster.get(wid)
            if name is None or known is None or known[0] is None:
                continue
            if name.replace(" ", "") != known[0].replace(" ", ""):
                out.append(warning("name-mismatch",
                                   f"{title}中工号「{wid}」的姓名为「{name}」，人员名册中为「{known[0]}」"
                                   f"（{known[1]}），请核对",
                                   src.cell("name")))
    return out


CHECKS: tuple[Callable[[MonthInput], list[Problem]], ...] = (
    check_roster_present,
    check_unique_worker_ids,
    check_known_workers,
    check_names_match_roster,
)


def validate(month: MonthInput) -> list[Problem]:
    """Run every check of :data:`CHECKS`; the problems found, in check order."""
    out: list[Problem] = []
    for check in CHECKS:
        out.extend(check(month))
    return out
