"""The facts FS-MS-KF-13 keeps for later: what the year-end run needs from each month.

:func:`month_facts` builds them from the month's tables and result, once, when the
month is computed (:func:`kfbonus.schemes.kf13.compute.compute_month`; the year-end run builds its
own the same way); the ledger records them as given (:attr:`MonthResult.facts`) and
never works them out itself.  :func:`kfbonus.schemes.kf13.annual.year_data` reads them back.

Each kind is a :class:`~kfbonus.model.FactRows`, rows that read as JSON-safe dicts
(str/int/bool/None; money and scores as their strings, dates ISO), in a fixed order:

- ``worker_month``: per worker of the month, sorted by 工号 — ``worker_id``, ``name``,
  ``worked`` (had settlement lines, or an attendance row with 实出勤天数 > 0:
  SCHEME.md §5), ``excluded`` (the exclusion reason on the assessment date),
  ``longest_absence`` (the 连续缺勤天数 the attendance recorded, the largest of the
  worker's rows). Workers are the roster's plus anyone in settlement or attendance.
- ``worker_project``: ``worker_id``, ``project_id`` of their settlement lines, sorted.
- ``project``: per project of the result, sorted — ``project_id``, ``project_name``,
  ``piece_total``, the four scores, ``total_score``, the ratios and pools.
- ``quality_score``: per project of the 工程评分 table, sorted — ``project_id``,
  ``quality_sum`` (the sum of its 质量得分 rows) and ``score_rows`` (how many: the
  year's mean is Σ sums ÷ Σ rows).  Without a scores table (a result built in code),
  each scored project's monthly 质量得分 counts as one row.
- ``incident``: the 事故投诉 rows — ``date``, ``incident_type``, ``project_id``,
  ``worker_id``, ``note`` and the row's place (``source_file``, ``source_sheet``,
  ``source_row``, ``source_col``, ``source_header``; all None without one).

Migration 5 of the ledger (:data:`kfbonus.ledger.MIGRATIONS`) turns the tables older
ledgers kept into exactly these rows: change a shape here and older ledgers' rows no
longer match it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kfbonus.model import Columns, FactRows, MonthResult
from kfbonus.money import D
from kfbonus.problems import RowRef, Source

__all__ = ["INCIDENT", "PROJECT", "QUALITY_SCORE", "WORKER_MONTH", "WORKER_PROJECT", "clean_text",
           "incident_rows", "longest_absences", "month_facts", "project_rows", "quality_rows",
           "source_of", "worker_months"]

WORKER_MONTH = "worker_month"
WORKER_PROJECT = "worker_project"
PROJECT = "project"
QUALITY_SCORE = "quality_score"
INCIDENT = "incident"


def month_facts(result: MonthResult) -> dict[str, FactRows]:
    """Every fact kind of the month ``result`` (its tables: ``result.inputs``)."""
    months = worker_months(result)
    absence = longest_absences(result)
    # each kind's rows as values under its keys (FactRows: a dict a row was 26 MiB at 10x)
    return {
        WORKER_MONTH: FactRows(("worker_id", "name", "worked", "excluded", "longest_absence"),
                               ((w, n, worked, excl, _text(absence.get(w)))
                                for w, n, worked, _, excl in months)),
        WORKER_PROJECT: FactRows(("worker_id", "project_id"),
                                 ((w, pid) for w, _, _, pids, _ in months for pid in pids)),
        PROJECT: FactRows.of(project_rows(result)),
        QUALITY_SCORE: FactRows(("project_id", "quality_sum", "score_rows"),
                                ((pid, _text(total), n) for pid, total, n in quality_rows(result))),
        INCIDENT: FactRows.of(incident_rows(result)),
    }


# --- helpers --------------------------------------------------------------------------------

def _text(value: Decimal | None) -> str | None:
    """Money or a score as exact text ('1234.50'); refuses floats (via D)."""
    return None if value is None else str(D(value))


def clean_text(value: object) -> str | None:
    """A table cell as text: None for blank / NaN."""
    if value is None:
        return None
    try:
        if value != value:  # NaN / NaT
            return None
    except (TypeError, ValueError):
        pass
    text = str(value).strip()
    return text or None


def _column(df: Columns | None, name: str) -> list:
    return [] if df is None else df.column(name)


def _tables(result: MonthResult) -> dict:
    return result.inputs.tables if result.inputs is not None else {}


def source_of(row: dict) -> Source | None:
    """The place an ``incident`` fact row came from (None when it has none)."""
    if row.get("source_file") is None:
        return None
    return Source(row["source_file"], row.get("source_sheet"), row.get("source_row"), row.get("source_col"),
                  row.get("source_header"))


# --- the kinds ------------------------------------------------------------------------------

def worker_months(result: MonthResult) -> list[tuple[str, str, bool, tuple[str, ...], str | None]]:
    """Per worker of the month: (工号, 姓名, worked, projects, exclusion reason), sorted by 工号.

    Worked = had settlement lines, or an attendance row with 实出勤天数 > 0 (SCHEME.md §5).
    Workers are the roster's plus anyone found in settlement or attendance.
    """
    projects: dict[str, set[str]] = {}
    worked: set[str] = set()
    names: dict[str, str] = {w: info.name for w, info in result.workers.items()}
    tables = _tables(result)
    settlement = tables.get("settlement")
    if settlement is not None and len(settlement):
        for wid, pid, name in zip(_column(settlement, "worker_id"), _column(settlement, "project_id"),
                                  _column(settlement, "name"), strict=True):
            wid = clean_text(wid)
            if wid is None:
                continue
            worked.add(wid)
            pid = clean_text(pid)
            if pid is not None:
                projects.setdefault(wid, set()).add(pid)
            names.setdefault(wid, clean_text(name) or "")
    attendance = tables.get("attendance")
    if attendance is not None and len(attendance):
        for wid, present, name in zip(_column(attendance, "worker_id"), _column(attendance, "present_days"),
                                      _column(attendance, "name"), strict=True):
            wid = clean_text(wid)
            if wid is None:
                continue
            names.setdefault(wid, clean_text(name) or "")
            if clean_text(present) is not None and D(present) > 0:
                worked.add(wid)
    out = []
    for wid in sorted(names):
        info = result.workers.get(wid)
        out.append((wid, names[wid], wid in worked, tuple(sorted(projects.get(wid, ()))),
                    info.excluded if info is not None else None))
    return out


def project_rows(result: MonthResult) -> list[dict]:
    """Per project of the result, sorted by 工程编号: its name and figures."""
    rows = []
    for p in sorted(result.projects, key=lambda p: p.project_id):
        s = p.scores or {}
        rows.append({"project_id": p.project_id, "project_name": p.project_name,
                     "piece_total": _text(p.piece_total), "safety": _text(s.get("safety")),
                     "quality": _text(s.get("quality")), "cooperation": _text(s.get("cooperation")),
                     "discipline": _text(s.get("discipline")), "total_score": _text(p.total_score),
                     "collective_ratio": _text(p.collective_ratio),
                     "collective_pool": _text(p.collective_pool),
                     "individual_ratio": _text(p.individual_ratio),
                     "individual_pool": _text(p.individual_pool)})
    return rows


def quality_rows(result: MonthResult) -> list[tuple[str, Decimal, int]]:
    """Per project of the month's 工程评分 table: (工程编号, sum of its 质量得分 rows, rows),
    sorted.  Without a scores table (a result built in code), each scored project's
    monthly 质量得分 counts as one row."""
    df = _tables(result).get("scores")
    sums: dict[str, list] = {}
    if df is not None and len(df):
        for pid, q in zip(_column(df, "project_id"), _column(df, "quality"), strict=True):
            pid = clean_text(pid)
            if pid is None or clean_text(q) is None:
                continue
            acc = sums.setdefault(pid, [Decimal(0), 0])
            acc[0] += D(q)
            acc[1] += 1
    else:
        for p in result.projects:
            q = (p.scores or {}).get("quality")
            if q is not None:
                sums[p.project_id] = [D(q), 1]
    return [(pid, total, n) for pid, (total, n) in sorted(sums.items())]


def longest_absences(result: MonthResult) -> dict[str, Decimal]:
    """工号 → the 连续缺勤天数 the month's attendance recorded (the largest, when a worker
    has several rows); workers with none recorded are left out."""
    df = _tables(result).get("attendance")
    out: dict[str, Decimal] = {}
    if df is None or not len(df):
        return out
    for wid, days in zip(_column(df, "worker_id"), _column(df, "longest_absence"), strict=True):
        wid = clean_text(wid)
        if wid is None or clean_text(days) is None:
            continue
        value = D(days)
        if wid not in out or value > out[wid]:
            out[wid] = value
    return out


def incident_rows(result: MonthResult) -> list[dict]:
    """The month's 事故投诉 rows, sorted by (date, type, 工程编号, 工号, 说明, place)."""
    df = _tables(result).get("incident")
    if df is None or not len(df):
        return []
    rows = []
    for date, kind, pid, wid, note, src in zip(
            _column(df, "date"), _column(df, "incident_type"), _column(df, "project_id"),
            _column(df, "worker_id"), _column(df, "note"), _column(df, "src"), strict=True):
        source = src.source if isinstance(src, RowRef) else src if isinstance(src, Source) else None
        row = {"date": date.isoformat() if isinstance(date, dt.date) else clean_text(date),
               "incident_type": clean_text(kind) or "", "project_id": clean_text(pid),
               "worker_id": clean_text(wid), "note": clean_text(note),
               "source_file": None, "source_sheet": None, "source_row": None, "source_col": None,
               "source_header": None}
        if source is not None:
            row.update(source_file=source.file, source_sheet=source.sheet, source_row=source.row,
                       source_col=source.col, source_header=source.header)
        rows.append((row, str(source) if source else ""))
    rows.sort(key=lambda r: (r[0]["date"] or "", r[0]["incident_type"], r[0]["project_id"] or "",
                             r[0]["worker_id"] or "", r[0]["note"] or "", r[1]))
    return [row for row, _ in rows]
