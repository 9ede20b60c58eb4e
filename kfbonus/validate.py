"""Cross-table checks every scheme needs on what the reader found: the roster is there,
its 工号 are unique, every 工号 in any table is on it, names match it, and no table is a
copy of another (a workbook left beside its copy would be counted twice).

Each invariant is one small function ``check_<invariant>(month) -> list[Problem]``,
all listed in :data:`CHECKS`; :func:`validate` runs them all.  Every check is
linear (dict/set lookups over the rows).  A scheme's own checks are in its package
(FS-MS-KF-13's: :mod:`kfbonus.schemes.kf13.checks`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from kfbonus.model import Columns, MonthInput
from kfbonus.problems import Problem, RowRef, SheetTable, error, warning

__all__ = ["CHECKS", "check_copied_tables", "check_known_workers", "check_names_match_roster",
           "check_roster_present", "check_unique_worker_ids", "identical_rows", "repeats", "row_values",
           "validate", "worker_tables"]


def worker_tables(month: MonthInput) -> list[str]:
    """The tables (other than the roster) whose rows name a worker by 工号."""
    return [kind for kind, df in month.tables.items() if kind != "roster" and "worker_id" in df.columns]


def row_values(df: Columns, *names: str) -> Iterator[tuple]:
    """(value, …, src) per row, None where a column is missing."""
    return zip(*(df.column(n) for n in names), df["src"], strict=True)


def sheets_without(df: Columns, *names: str) -> list[tuple[SheetTable, list[str]]]:
    """The sheets a table's rows come from that have no column (nor form label) for some of
    ``names``, each with those it lacks, in order: an optional column left out, whose absence
    the scheme may need to say."""
    seen: dict[int, SheetTable] = {}
    for src in df["src"]:
        seen.setdefault(id(src.table), src.table)
    out = []
    for table in seen.values():
        lacking = [n for n in names if n not in table.columns and n not in table.labels]
        if lacking:
            out.append((table, lacking))
    return out


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
    used: dict[str, None] = {}
    for kind in worker_tables(month):
        title = month.title(kind)
        for wid, src in row_values(month.tables[kind], "worker_id"):
            if wid is not None:
                used.setdefault(wid, None)
            if wid is not None and wid not in roster:
                out.append(error("unknown-worker",
                                 f"{title}中的工号「{wid}」不在人员名册中，请核对工号或在名册中补上此人",
                                 src.cell("worker_id")))
    unknown = sorted((wid for wid in used if wid not in roster), key=lambda w: (len(w), w))
    if len(unknown) >= _MOSTLY_UNKNOWN and 2 * len(unknown) > len(used):
        # most of the month's people are not on the roster: a roster left out (or another
        # department's), not as many typos — one error instead of one a row
        shown = "、".join(unknown[:5]) + ("…" if len(unknown) > 5 else "")
        files = "、".join(dict.fromkeys(src.table.file for src in month.tables["roster"]["src"]))
        return [error("roster-mostly-unknown",
                      f"本月各表用到的 {len(used)} 个工号中有 {len(unknown)} 个不在人员名册（{files}）中"
                      f"（如 {shown}，共 {len(out)} 行）：是否漏放了本部门的人员名册？"
                      "请放入包含这些人员的人员名册后重新运行")]
    return out


_MOSTLY_UNKNOWN = 5   # unknown 工号 from which "most of them unknown" is a roster left out


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
            if "".join(name.split()) != "".join(known[0].split()):   # 李 四, 张　三 (full-width)
                out.append(warning("name-mismatch",
                                   f"{title}中工号「{wid}」的姓名为「{name}」，人员名册中为「{known[0]}」"
                                   f"（{known[1]}），请核对",
                                   src.cell("name")))
    return out


def _rows_by_table(df: Columns) -> list[tuple[SheetTable, list[tuple], list[RowRef]]]:
    """Each sheet table's rows as tuples of their values (the place apart), in order."""
    names = [n for n in df.columns if n != "src"]
    out: dict[int, tuple[SheetTable, list[tuple], list[RowRef]]] = {}
    for *values, src in zip(*(df[n] for n in names), df["src"], strict=True):
        _, rows, srcs = out.setdefault(id(src.table), (src.table, [], []))
        rows.append(tuple(values))
        srcs.append(src)
    return list(out.values())


def _copies(tables: list[tuple[SheetTable, list[tuple], list[RowRef]]]) -> dict[int, SheetTable]:
    """id of each table of two rows or more equal row for row to an earlier one → that one
    (two one-row tables alike can be two real rows: those are the row checks' to say)."""
    first: dict[tuple, SheetTable] = {}
    out = {}
    for table, rows, _ in tables:
        if len(rows) >= 2:
            seen = first.setdefault(tuple(rows), table)
            if seen is not table:
                out[id(table)] = seen
    return out


def check_copied_tables(month: MonthInput) -> list[Problem]:
    """A table whose every row equals another table's of the same kind (a workbook left in
    the folder with its copy, 结算单 - 副本.xlsx) would be counted twice: an error."""
    out: list[Problem] = []
    for kind, df in month.tables.items():
        tables = _rows_by_table(df) if len(df) else []
        copies = _copies(tables)
        out += [error("copied-table",
                      f"此{month.title(kind)}（{len(rows)} 行）与 {copies[id(table)].where} 的完全相同，"
                      "像是同一张表的副本，两份都会计入；请删除或移走其中一份", table.where)
                for table, rows, _ in tables if id(table) in copies]
    return out


def identical_rows(month: MonthInput, kind: str) -> list[Problem]:
    """A warning for each row of ``kind`` equal in every value to an earlier row (a row
    pasted twice is paid twice); both are kept.  The rows of a table that is a copy of
    another are left to :func:`check_copied_tables`."""
    tables = _rows_by_table(month.tables[kind])
    copies = _copies(tables)
    seen: dict[tuple, RowRef] = {}
    out: list[Problem] = []
    for table, rows, srcs in tables:
        if id(table) in copies:
            continue
        for values, src in zip(rows, srcs, strict=True):
            first = seen.setdefault(values, src)
            if first is not src:
                out.append(warning("identical-row", f"此行与 {first} 完全相同，两行都会计入；"
                                                    "如为重复录入请删除一行", src.source))
    return out


CHECKS: tuple[Callable[[MonthInput], list[Problem]], ...] = (
    check_roster_present,
    check_unique_worker_ids,
    check_known_workers,
    check_names_match_roster,
    check_copied_tables,
)


def validate(month: MonthInput) -> list[Problem]:
    """Run every check of :data:`CHECKS`; the problems found, in check order."""
    out: list[Problem] = []
    for check in CHECKS:
        out.extend(check(month))
    return out
