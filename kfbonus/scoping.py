"""Which schemes a month folder holds, and what each of them sees of it.

The reader reads a folder once, recognising every registered scheme's tables.  Then:

- :func:`schemes_present` — a scheme runs when the folder has rows in one of its
  ``present_when`` tables; it then needs its ``requires`` tables too (an error naming
  the missing one).  A folder holding no scheme's tables is an error that says which
  tables were expected.  ``--scheme ID`` restricts the run to one.
- :func:`scoped` — each worker belongs to one scheme: the scheme that lists their
  roster 岗位 in ``posts``, else the scheme without ``posts`` (the installation crews).
  A scheme sees the roster rows of its workers, the 其他奖惩 rows of its workers (a row
  naming a 班组 goes to the scheme its members belong to), and, of its own tables and
  those it ``reads``, the rows of its workers.  A row of a scheme's own table that
  names another scheme's worker is left out of that scheme with a warning — unless the
  worker's scheme reads that table itself (attendance, for instance).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from kfbonus.model import Columns, MonthInput
from kfbonus.problems import Problem, error, warning
from kfbonus.schema import COMMON
from kfbonus.schemes.base import Scheme

__all__ = ["owners", "schemes_present", "scoped"]

_COMMON_KINDS = tuple(t.kind for t in COMMON)


def _title(schemes: Sequence[Scheme], kind: str) -> str:
    for s in schemes:
        for t in s.tables:
            if t.kind == kind:
                return t.title
    return kind


def _titles(schemes: Sequence[Scheme], kinds: Sequence[str]) -> str:
    return "、".join(_title(schemes, k) for k in kinds)


def schemes_present(month: MonthInput, registered: Sequence[Scheme],
                    only: str | None = None) -> tuple[list[Scheme], list[Problem]]:
    """The schemes whose tables the folder holds (restricted to ``only``, a scheme id,
    when given), and the problems: a required table missing, or no scheme at all."""
    candidates = [s for s in registered if only is None or s.id == only]
    present = [s for s in candidates if any(month.has_table(k) for k in s.present_when)]
    problems: list[Problem] = []
    for s in present:
        for kind in s.requires:
            if not month.has_table(kind):
                have = "、".join(_title(registered, k) for k in s.present_when
                                if month.has_table(k))
                problems.append(error(
                    "scheme-table-missing",
                    f"找到了{have}，但没有{_title(registered, kind)}：{s.id}（{s.name}）需要两者才能计算"))
    if not present:
        expected = "；".join(f"{s.id}（{s.name}）：{_titles(registered, s.present_when)}" for s in candidates)
        problems.append(error(
            "no-scheme-tables",
            f"输入文件夹中没有找到任何方案的表格（除人员名册、其他奖惩外）。应有：{expected}"))
    return present, problems


def owners(month: MonthInput, registered: Sequence[Scheme]) -> dict[str, str]:
    """工号 → the id of the scheme the worker belongs to, by their roster 岗位."""
    by_post = {post: s.id for s in registered for post in (s.posts or ())}
    default = next((s.id for s in registered if s.posts is None), None)
    roster = month.tables.get("roster")
    out: dict[str, str] = {}
    if roster is None or not len(roster):
        return out
    positions = roster["position"] if "position" in roster.columns else [None] * len(roster)
    for wid, post in zip(roster["worker_id"], positions, strict=True):
        if wid is None or wid in out:
            continue
        owner = by_post.get(str(post).strip()) if post is not None else None
        owner = owner or default
        if owner is not None:
            out[wid] = owner
    return out


def _team_owners(month: MonthInput, who: Mapping[str, str], default: str | None) -> dict[str, str]:
    """班组 → the scheme its roster members belong to (the default scheme when they are of several)."""
    roster = month.tables.get("roster")
    teams: dict[str, set[str]] = {}
    if roster is not None and len(roster) and "team" in roster.columns:
        for wid, team in zip(roster["worker_id"], roster["team"], strict=True):
            if wid is not None and team is not None and wid in who:
                teams.setdefault(str(team).strip(), set()).add(who[wid])
    return {t: next(iter(s)) if len(s) == 1 else (default or next(iter(s))) for t, s in teams.items()}


def scoped(month: MonthInput, scheme: Scheme, registered: Sequence[Scheme],
           who: Mapping[str, str] | None = None) -> tuple[MonthInput, list[Problem]]:
    """``month`` as ``scheme`` sees it (see the module docstring), and the warnings for rows
    of its own tables left out because they name another scheme's worker."""
    who = owners(month, registered) if who is None else who
    default = next((s.id for s in registered if s.posts is None), None)
    by_id = {s.id: s for s in registered}
    own_kinds = {t.kind for t in scheme.tables}
    kinds = set(_COMMON_KINDS) | own_kinds | set(scheme.reads)
    problems: list[Problem] = []
    tables: dict[str, Columns] = {}
    teams = _team_owners(month, who, default)
    for kind, df in month.tables.items():
        if kind not in kinds:
            tables[kind] = df.head(0)
            continue
        if not len(df) or "worker_id" not in df.columns:
            tables[kind] = df
            continue
        owner = [who.get(w) if w is not None else None for w in df["worker_id"]]
        if kind == "adjustment" and "team" in df.columns:
            owner = [o if w is not None else teams.get(str(t).strip(), default) if t is not None else None
                     for o, w, t in zip(owner, df["worker_id"], df["team"], strict=True)]
        # a worker not on the roster (an error reported by validation) stays with the default scheme
        mine = [o == scheme.id or (o is None and scheme.id == default) for o in owner]
        if kind in own_kinds and kind not in _COMMON_KINDS:
            for (wid, other, src, m) in zip(df["worker_id"], owner, df["src"], mine, strict=True):
                if m:
                    continue
                theirs = by_id.get(other)
                if theirs is None or kind in theirs.reads:
                    continue
                title = next(t.title for t in scheme.tables if t.kind == kind)
                problems.append(warning(
                    "worker-other-scheme",
                    f"{title}中的工号「{wid}」属于 {theirs.id}（{theirs.name}）的岗位，"
                    f"不参与 {scheme.id}，此行未计算；如岗位有误请改正人员名册",
                    src.cell("worker_id")))
        tables[kind] = df if all(mine) else df.where(mine)
    return replace(month, tables=tables), problems
