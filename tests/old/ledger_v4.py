"""The ledger module as kfbonus 5c13e0a shipped it (schema version 4), verbatim apart
from this docstring: tests/test_ledger_migration.py records months with it to build
real version-4 ledgers.  Never edit it; it is not part of kfbonus."""
# ruff: noqa
# fmt: off


from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from kfbonus.model import AwardLine, InputFile, MonthResult
from kfbonus.schemes.kf13.model import Award
from kfbonus.money import D
from kfbonus.problems import RowRef, Source

if TYPE_CHECKING:
    from kfbonus.correction import CorrectionLine

__all__ = [
    "APPROVED",
    "DRAFT",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "STATUS_LABELS",
    "CorrectionRecord",
    "DiscardRecord",
    "IncidentRecord",
    "Ledger",
    "LedgerError",
    "MonthApproved",
    "MonthRecord",
    "OutputMismatch",
    "OutputsChanged",
    "ProjectScore",
    "YearData",
    "hash_file",
    "hash_outputs",
    "longest_absences",
    "quality_rows",
    "sources_from_json",
    "sources_to_json",
    "worker_months",
]

DRAFT = "draft"
APPROVED = "approved"
STATUS_LABELS = {DRAFT: "草稿", APPROVED: "已批准"}

# Files in an output folder that are not outputs of a run.
NOT_OUTPUTS = frozenset({"ledger.sqlite", "ledger.sqlite-journal", "ledger.sqlite-wal", "ledger.sqlite-shm",
                         ".kfbonus.lock"})


# --- schema ---------------------------------------------------------------------------------

_V1 = """
CREATE TABLE month (
    period        TEXT PRIMARY KEY,          -- "2026-11" (or "2026" for a year-end run)
    status        TEXT NOT NULL CHECK (status IN ('draft', 'approved')),
    approved_by   TEXT,
    approved_at   TEXT,
    approval_sha  TEXT
);
CREATE TABLE revision (
    period        TEXT NOT NULL REFERENCES month(period),
    revision      INTEGER NOT NULL,           -- 0 = the run; n = correction n
    kind          TEXT NOT NULL CHECK (kind IN ('run', 'correction')),
    reason        TEXT NOT NULL DEFAULT '',
    scheme        TEXT NOT NULL,
    rules_file    TEXT NOT NULL,
    assess_date   TEXT NOT NULL,
    run_at        TEXT NOT NULL,
    PRIMARY KEY (period, revision)
);
CREATE TABLE input_file (
    period TEXT NOT NULL, revision INTEGER NOT NULL,
    name TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
    PRIMARY KEY (period, revision, name),
    FOREIGN KEY (period, revision) REFERENCES revision(period, revision)
);
CREATE TABLE award_line (
    period TEXT NOT NULL, revision INTEGER NOT NULL, seq INTEGER NOT NULL,
    worker_id TEXT NOT NULL, name TEXT NOT NULL, award TEXT NOT NULL,
    project_id TEXT, project_name TEXT, category TEXT,
    amount TEXT NOT NULL, unpaid TEXT NOT NULL,
    reason TEXT NOT NULL, formula TEXT NOT NULL, clause TEXT NOT NULL,
    sources TEXT NOT NULL,        -- as shown: "文件 › 工作表!C7; …"
    sources_json TEXT NOT NULL,   -- the same, exactly, to rebuild Source values
    PRIMARY KEY (period, revision, seq),
    FOREIGN KEY (period, revision) REFERENCES revision(period, revision)
);
CREATE TABLE project (
    period TEXT NOT NULL, revision INTEGER NOT NULL,
    project_id TEXT NOT NULL, project_name TEXT,
    piece_total TEXT NOT NULL,
    safety TEXT, quality TEXT, cooperation TEXT, discipline TEXT, total_score TEXT,
    collective_ratio TEXT, collective_pool TEXT, individual_ratio TEXT, individual_pool TEXT,
    PRIMARY KEY (period, revision, project_id),
    FOREIGN KEY (period, revision) REFERENCES revision(period, revision)
);
CREATE TABLE worker_month (
    period TEXT NOT NULL, revision INTEGER NOT NULL,
    worker_id TEXT NOT NULL, name TEXT NOT NULL,
    worked INTEGER NOT NULL,      -- 1: settlement lines or attendance with 实出勤天数 > 0
    excluded TEXT,                -- exclusion reason on the assessment date
    PRIMARY KEY (period, revision, worker_id),
    FOREIGN KEY (period, revision) REFERENCES revision(period, revision)
);
CREATE TABLE worker_project (
    period TEXT NOT NULL, revision INTEGER NOT NULL,
    worker_id TEXT NOT NULL, project_id TEXT NOT NULL,
    PRIMARY KEY (period, revision, worker_id, project_id),
    FOREIGN KEY (period, revision) REFERENCES revision(period, revision)
);
CREATE TABLE incident (
    period TEXT NOT NULL, revision INTEGER NOT NULL, seq INTEGER NOT NULL,
    date TEXT, incident_type TEXT NOT NULL, project_id TEXT, worker_id TEXT, note TEXT,
    source TEXT NOT NULL, source_json TEXT NOT NULL,
    PRIMARY KEY (period, revision, seq),
    FOREIGN KEY (period, revision) REFERENCES revision(period, revision)
);
CREATE TABLE output_file (
    period TEXT NOT NULL, revision INTEGER NOT NULL,
    name TEXT NOT NULL,           -- relative to the month's output folder, '/' separated
    sha256 TEXT NOT NULL,
    PRIMARY KEY (period, revision, name),
    FOREIGN KEY (period, revision) REFERENCES revision(period, revision)
);
"""

_V2 = """
CREATE TABLE correction_line (
    period TEXT NOT NULL, revision INTEGER NOT NULL, seq INTEGER NOT NULL,
    worker_id TEXT NOT NULL, name TEXT NOT NULL, award TEXT NOT NULL,
    project_id TEXT, project_name TEXT, category TEXT, ordinal INTEGER NOT NULL,
    approved TEXT NOT NULL, now TEXT NOT NULL, difference TEXT NOT NULL, kind TEXT NOT NULL,
    PRIMARY KEY (period, revision, seq),
    FOREIGN KEY (period, revision) REFERENCES revision(period, revision)
);
CREATE INDEX award_line_worker ON award_line (worker_id);
"""

_V3 = """
CREATE TABLE quality_score (
    period TEXT NOT NULL, revision INTEGER NOT NULL,
    project_id TEXT NOT NULL,
    quality_sum TEXT NOT NULL,    -- the sum of the month's 质量得分 rows of the project
    score_rows INTEGER NOT NULL,  -- how many rows (the year mean is Σ sums ÷ Σ rows, SCHEME.md §5)
    PRIMARY KEY (period, revision, project_id),
    FOREIGN KEY (period, revision) REFERENCES revision(period, revision)
);
INSERT INTO quality_score (period, revision, project_id, quality_sum, score_rows)
    SELECT period, revision, project_id, quality, 1 FROM project WHERE quality IS NOT NULL;
ALTER TABLE worker_month ADD COLUMN longest_absence TEXT;
"""
# _V3: ledgers written before it kept only each project's monthly mean; it is carried
# over as one row (the best that is known).  longest_absence (连续缺勤天数 as the
# month's attendance recorded it) is NULL for those months.

# Every run of a period, kept when a draft is replaced: the run number printed on the
# outputs (第 n 次运行).  A ledger from before counts each recorded month as its run 1.
_V4 = """
CREATE TABLE IF NOT EXISTS run_log (
    period TEXT NOT NULL, number INTEGER NOT NULL, run_at TEXT NOT NULL,
    PRIMARY KEY (period, number)
);
INSERT OR IGNORE INTO run_log (period, number, run_at)
    SELECT period, 1, run_at FROM revision WHERE revision = 0;
"""

# Step n takes a ledger from version n-1 to version n.  Append, never edit a step.
MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("账本初版：月份、输入文件、奖励明细、工程、人员月度、事故投诉、输出文件", _V1),
    ("更正单：更正明细表", _V2),
    ("年度奖：每个工程每月的质量得分行数与合计；人员月度的连续缺勤天数", _V3),
    ("运行次数：每次运行编号", _V4),
)
SCHEMA_VERSION = len(MIGRATIONS)

_TABLES = ("input_file", "award_line", "project", "worker_month", "worker_project", "incident",
           "output_file", "correction_line", "quality_score")


# --- errors ---------------------------------------------------------------------------------

class LedgerError(Exception):
    """The ledger cannot do what was asked; the message (Chinese) says why."""


class MonthApproved(LedgerError):
    """The month is approved: it is never silently recomputed (use a correction)."""


@dataclass(frozen=True)
class OutputMismatch:
    """An output file whose bytes on disk differ from what the ledger recorded."""

    name: str
    expected: str
    found: str | None   # None: the file is missing

    @property
    def message(self) -> str:
        if self.found is None:
            return f"输出文件「{self.name}」已不存在（账本记录 SHA-256 {self.expected[:12]}…）"
        return (f"输出文件「{self.name}」与账本记录不一致：记录 SHA-256 {self.expected[:12]}…，"
                f"现为 {self.found[:12]}…（文件在运行后被修改过）")

    def __str__(self) -> str:
        return self.message


class OutputsChanged(LedgerError):
    """Approval refused: the output files on disk no longer match the ledger."""

    def __init__(self, period: str, mismatches: list[OutputMismatch]):
        self.mismatches = mismatches
        lines = "\n".join(f"  {m.message}" for m in mismatches)
        super().__init__(f"{period} 的输出文件与账本记录不一致，不能批准；请重新运行本月后再批准：\n{lines}")


# --- records --------------------------------------------------------------------------------

@dataclass(frozen=True)
class CorrectionRecord:
    number: int
    reason: str
    at: dt.datetime


@dataclass(frozen=True)
class MonthRecord:
    """A month as the ledger holds it (latest revision for scheme, dates and inputs)."""

    period: str
    status: str                        # DRAFT / APPROVED
    scheme: str
    rules_file: str
    assess_date: dt.date
    run_at: dt.datetime                # when revision 0 was recorded
    approved_by: str | None
    approved_at: dt.datetime | None
    approval_sha: str | None
    revision: int                      # latest revision (0 = no correction yet)
    inputs: tuple[InputFile, ...]      # of the latest revision
    outputs: Mapping[str, str]         # every revision's outputs: name → SHA-256
    corrections: tuple[CorrectionRecord, ...] = ()

    @property
    def approved(self) -> bool:
        return self.status == APPROVED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class IncidentRecord:
    """One 事故投诉 row: from a month in the ledger (``period``) or the annual folder (None)."""

    period: str | None
    date: dt.date | None
    incident_type: str
    project_id: str | None
    worker_id: str | None
    note: str | None
    source: Source | None


@dataclass(frozen=True)
class ProjectScore:
    """A project's 质量得分 rows in one month it was scored: ``quality_sum`` over
    ``rows`` rows (``quality`` is that month's mean)."""

    period: str
    project_id: str
    project_name: str | None
    quality_sum: Decimal
    rows: int = 1

    @property
    def quality(self) -> Decimal:
        return self.quality_sum / self.rows


@dataclass(frozen=True)
class DiscardRecord:
    """What :meth:`Ledger.discard` removed: the draft's record, its lines and their total."""

    record: MonthRecord
    lines: int
    total: Decimal


@dataclass(frozen=True)
class YearData:
    """What the year-end run needs from the ledger (latest revision of each month).

    ``months`` maps each month of the year found in the ledger to its status;
    ``counted`` the months whose facts are below (the approved ones, and the drafts
    too when asked); ``worked`` maps 工号 → the counted months worked (sorted);
    ``projects`` 工号 → the projects of their settlement lines in the counted months
    (sorted); ``names`` 工号 → the latest 姓名; ``december_absence`` 工号 → the
    连续缺勤天数 recorded in December's attendance (when December is counted).
    """

    year: int
    months: Mapping[str, str]
    worked: Mapping[str, tuple[str, ...]]
    projects: Mapping[str, tuple[str, ...]]
    names: Mapping[str, str]
    quality_scores: tuple[ProjectScore, ...] = ()
    incidents: tuple[IncidentRecord, ...] = ()
    ledger_name: str = "ledger.sqlite"
    counted: tuple[str, ...] | None = None      # None: every month in ``months``
    december_absence: Mapping[str, Decimal] = field(default_factory=dict)

    @property
    def counted_months(self) -> tuple[str, ...]:
        return tuple(self.months) if self.counted is None else self.counted

    @property
    def drafts(self) -> tuple[str, ...]:
        """Months of the year in the ledger that are not approved (草稿)."""
        return tuple(p for p, status in self.months.items() if status != APPROVED)

    @property
    def missing(self) -> tuple[str, ...]:
        """Months of the year with no run in the ledger."""
        return tuple(p for p in (f"{self.year}-{m:02d}" for m in range(1, 13)) if p not in self.months)


# --- helpers --------------------------------------------------------------------------------

def hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def hash_outputs(folder: Path | str, under: str | None = None) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (or its subfolder ``under``), keyed by the
    path relative to ``folder`` ('/' separated), sorted; the ledger and lock files and
    hidden files are skipped."""
    folder = Path(folder)
    root = folder / under if under else folder
    out: dict[str, str] = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(folder)
        if not p.is_file() or p.name in NOT_OUTPUTS or any(part.startswith(".") for part in rel.parts):
            continue
        out[rel.as_posix()] = hash_file(p)
    return out


def _source_dict(s: Source) -> dict:
    return {"file": s.file, "sheet": s.sheet, "row": s.row, "col": s.col, "header": s.header}


def _as_source(src: object) -> Source | None:
    if isinstance(src, RowRef):
        return src.source
    if isinstance(src, Source):
        return src
    return None


def sources_to_json(sources: Iterable[Source]) -> str:
    return json.dumps([_source_dict(s) for s in sources], ensure_ascii=False, sort_keys=True)


def sources_from_json(text: str) -> tuple[Source, ...]:
    return tuple(Source(**d) for d in json.loads(text))


def _text(value: Decimal | None) -> str | None:
    """Money or a score as exact TEXT ('1234.50'); refuses floats (via D)."""
    return None if value is None else str(D(value))


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


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


def _column(df, name: str) -> list:
    if df is None or name not in getattr(df, "columns", ()):
        return [None] * (0 if df is None else len(df))
    return list(df[name])


def worker_months(result: MonthResult) -> list[tuple[str, str, bool, tuple[str, ...], str | None]]:
    """Per worker of the month: (工号, 姓名, worked, projects, exclusion reason), sorted by 工号.

    Worked = had settlement lines, or an attendance row with 实出勤天数 > 0 (SCHEME.md §5).
    Workers are the roster's plus anyone found in settlement or attendance.
    """
    projects: dict[str, set[str]] = {}
    worked: set[str] = set()
    names: dict[str, str] = {w: info.name for w, info in result.workers.items()}
    tables = result.inputs.tables if result.inputs is not None else {}
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


def quality_rows(result: MonthResult) -> list[tuple[str, Decimal, int]]:
    """Per project of the month's 工程评分 table: (工程编号, sum of its 质量得分 rows, rows),
    sorted.  Without a scores table (a result built in code), each scored project's
    monthly 质量得分 counts as one row."""
    tables = result.inputs.tables if result.inputs is not None else {}
    df = tables.get("scores")
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
    tables = result.inputs.tables if result.inputs is not None else {}
    df = tables.get("attendance")
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


def _incident_rows(result: MonthResult) -> list[tuple]:
    tables = result.inputs.tables if result.inputs is not None else {}
    df = tables.get("incident")
    if df is None or not len(df):
        return []
    rows = []
    for date, kind, pid, wid, note, src in zip(
            _column(df, "date"), _column(df, "incident_type"), _column(df, "project_id"),
            _column(df, "worker_id"), _column(df, "note"), _column(df, "src"), strict=True):
        source = _as_source(src)
        rows.append((_iso(date) if isinstance(date, dt.date) else clean_text(date), clean_text(kind) or "",
                     clean_text(pid), clean_text(wid), clean_text(note),
                     str(source) if source else "", json.dumps(_source_dict(source) if source else None,
                                                               ensure_ascii=False, sort_keys=True)))
    rows.sort(key=lambda r: (r[0] or "", r[1], r[2] or "", r[3] or "", r[4] or "", r[5]))
    return rows


def _line_rows(lines: Iterable[AwardLine]) -> list[tuple]:
    return [(line.worker_id, line.name, str(line.award), line.project_id, line.project_name, line.category,
             _text(line.amount), _text(line.unpaid), line.reason, line.formula, line.clause,
             "; ".join(str(s) for s in line.sources), sources_to_json(line.sources))
            for line in lines]


# --- the ledger -----------------------------------------------------------------------------

class Ledger:
    """One ledger file.  Open with :meth:`open` (a context manager closes it)."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self._conn = conn
        self.path = path

    # -- opening and migrating --

    @classmethod
    def open(cls, path: Path | str) -> Ledger:
        """Open (creating if needed) and migrate the ledger at ``path``.

        Raises :class:`LedgerError` for a file that is not a kfbonus ledger, or one
        written by a newer kfbonus (schema version above :data:`SCHEMA_VERSION`).
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=10)
        except sqlite3.Error as exc:
            raise LedgerError(f"无法打开账本「{path}」：{exc}") from None
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            ledger = cls(conn, path)
            ledger._migrate()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise LedgerError(f"无法打开账本「{path}」：{exc}（不是有效的账本文件？）") from None
        except BaseException:
            conn.close()
            raise
        return ledger

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self._conn.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self, target: int = SCHEMA_VERSION) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise LedgerError(
                f"账本「{self.path}」的格式版本为 {version}，高于本程序支持的版本 {SCHEMA_VERSION}："
                f"它由更新版本的 kfbonus 写入。请升级 kfbonus 后再使用；账本未作任何修改。")
        if version == 0:
            tables = self._conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
            if tables:
                raise LedgerError(
                    f"文件「{self.path}」不是 kfbonus 账本（含有其他数据表）；账本未作任何修改。")
        if version >= target:
            return
        with self._tx():
            for step in range(version, target):
                for statement in _statements(MIGRATIONS[step][1]):
                    self._conn.execute(statement)
            self._conn.execute(f"PRAGMA user_version = {int(target)}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One transaction: everything inside commits together or not at all.  The
        writing methods called inside join it, so a run records its month, moves its
        files into place and only then commits (:mod:`kfbonus.outputs`)."""
        with self._tx() as conn:
            yield conn

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One transaction, or the one already open (whose owner commits or rolls back)."""
        if self._conn.in_transaction:
            yield self._conn
            return
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    # -- reading --

    def periods(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT period FROM month ORDER BY period")]

    def _latest(self, period: str) -> int | None:
        row = self._conn.execute("SELECT MAX(revision) FROM revision WHERE period = ?", (period,)).fetchone()
        return row[0]

    def month(self, period: str) -> MonthRecord | None:
        """The month as recorded, or None when it was never run."""
        row = self._conn.execute(
            "SELECT status, approved_by, approved_at, approval_sha FROM month WHERE period = ?",
            (period,)).fetchone()
        if row is None:
            return None
        status, approved_by, approved_at, approval_sha = row
        rev = self._latest(period)
        scheme, rules_file, assess_date = self._conn.execute(
            "SELECT scheme, rules_file, assess_date FROM revision WHERE period = ? AND revision = ?",
            (period, rev)).fetchone()
        run_at = self._conn.execute("SELECT run_at FROM revision WHERE period = ? AND revision = 0",
                                    (period,)).fetchone()[0]
        inputs = tuple(InputFile(n, s, z) for n, s, z in self._conn.execute(
            "SELECT name, sha256, size FROM input_file WHERE period = ? AND revision = ? ORDER BY name",
            (period, rev)))
        outputs = dict(self._conn.execute(
            "SELECT name, sha256 FROM output_file WHERE period = ? ORDER BY revision, name", (period,)))
        corrections = tuple(CorrectionRecord(n, reason, dt.datetime.fromisoformat(at)) for n, reason, at in
                            self._conn.execute(
                                "SELECT revision, reason, run_at FROM revision WHERE period = ? "
                                "AND kind = 'correction' ORDER BY revision", (period,)))
        return MonthRecord(period, status, scheme, rules_file, dt.date.fromisoformat(assess_date),
                           dt.datetime.fromisoformat(run_at), approved_by,
                           dt.datetime.fromisoformat(approved_at) if approved_at else None, approval_sha,
                           rev, inputs, outputs, corrections)

    def next_run_number(self, period: str) -> int:
        """The number the next run of ``period`` gets: runs recorded so far + 1."""
        row = self._conn.execute("SELECT MAX(number) FROM run_log WHERE period = ?", (period,)).fetchone()
        return (row[0] or 0) + 1

    def lines(self, period: str, revision: int | None = None) -> list[AwardLine]:
        """The award lines of a month (latest revision unless given), in recorded order."""
        rev = self._latest(period) if revision is None else revision
        if rev is None:
            raise LedgerError(f"账本中没有 {period} 的记录")
        return [AwardLine(worker_id=w, name=n, award=Award(a), amount=Decimal(amt), formula_rest=f, clause=c,
                          sources=sources_from_json(sj), project_id=pid, project_name=pn,
                          unpaid=Decimal(unp), reason=r, category=cat)
                for w, n, a, pid, pn, cat, amt, unp, r, f, c, sj in self._conn.execute(
                    "SELECT worker_id, name, award, project_id, project_name, category, amount, unpaid, "
                    "reason, formula, clause, sources_json FROM award_line "
                    "WHERE period = ? AND revision = ? ORDER BY seq", (period, rev))]

    def approved_lines(self, period: str) -> list[AwardLine]:
        """The lines as approved, with every correction recorded since applied (the
        baseline of the next correction).  LedgerError when the month is not approved."""
        record = self.month(period)
        if record is None or not record.approved:
            raise LedgerError(f"{period} 尚未批准，没有已批准的明细")
        return self.lines(period)

    def verify_outputs(self, period: str, folder: Path | str) -> list[OutputMismatch]:
        """Compare every recorded output of the month with the file in ``folder`` now."""
        folder = Path(folder)
        out = []
        for name, sha in self._conn.execute(
                "SELECT name, sha256 FROM output_file WHERE period = ? ORDER BY name, revision", (period,)):
            path = folder / name
            found = hash_file(path) if path.is_file() else None
            if found != sha:
                out.append(OutputMismatch(name, sha, found))
        return out

    # -- writing --

    def record_month(self, result: MonthResult, outputs: Mapping[str, str], at: dt.datetime) -> None:
        """Record a run of ``result.period`` as a draft (草稿), replacing a previous draft.

        ``outputs`` maps each output file (relative to the month's output folder) to its
        SHA-256 (:func:`hash_outputs`).  Raises :class:`MonthApproved` when the month is
        approved; then nothing is changed.
        """
        period = result.period
        with self._tx() as conn:
            row = conn.execute("SELECT status FROM month WHERE period = ?", (period,)).fetchone()
            if row is not None and row[0] == APPROVED:
                raise MonthApproved(
                    f"{period} 已批准，不能重新计算覆盖；"
                    f"如需更正，请用 --correction \"原因\" 生成更正单（补发/扣回）")
            if row is not None:
                for table in (*_TABLES, "revision"):
                    conn.execute(f"DELETE FROM {table} WHERE period = ?", (period,))
            else:
                conn.execute("INSERT INTO month (period, status) VALUES (?, ?)", (period, DRAFT))
            self._insert_revision(result, 0, "run", "", at)
            self._insert_outputs(period, 0, outputs)
            conn.execute("INSERT INTO run_log SELECT ?, COALESCE(MAX(number), 0) + 1, ? FROM run_log "
                         "WHERE period = ?", (period, _iso(at), period))

    def approve(self, period: str, by: str, at: dt.datetime, approval_sha: str | None = None,
                folder: Path | str | None = None) -> MonthRecord:
        """Mark a draft month approved (已批准) by ``by``.

        ``folder``: the month's output folder; when given, every recorded output must
        still match the file there (:class:`OutputsChanged` otherwise).
        ``approval_sha``: the SHA-256 of the approval workbook the approver signed; it
        must be one of the month's recorded outputs.
        """
        by = (by or "").strip()
        if not by:
            raise LedgerError("批准需要写明批准人")
        record = self.month(period)
        if record is None:
            raise LedgerError(f"账本中没有 {period} 的记录：请先运行该月，再批准")
        if record.approved:
            raise MonthApproved(
                f"{period} 已于 {record.approved_at} 由 {record.approved_by} 批准，不能重复批准")
        if folder is not None:
            mismatches = self.verify_outputs(period, folder)
            if mismatches:
                raise OutputsChanged(period, mismatches)
        if approval_sha is not None and approval_sha not in record.outputs.values():
            raise LedgerError(
                f"{period} 的审批汇总表（SHA-256 {approval_sha[:12]}…）不是账本记录的本月输出，不能批准")
        with self._tx() as conn:
            conn.execute("UPDATE month SET status = ?, approved_by = ?, approved_at = ?, approval_sha = ? "
                         "WHERE period = ? AND status = ?",
                         (APPROVED, by, _iso(at), approval_sha, period, DRAFT))
        return self.month(period)  # type: ignore[return-value]

    def record_correction(self, result: MonthResult, reason: str, diff: Iterable[CorrectionLine],
                          outputs: Mapping[str, str], at: dt.datetime) -> int:
        """Record correction n (更正第 n 号) of an approved month: the recomputed month
        (``result``), the changed lines (``diff``, from :func:`kfbonus.correction.diff_lines`)
        and the correction's output files.  Returns n (1, 2, …)."""
        period = result.period
        reason = (reason or "").strip()
        if not reason:
            raise LedgerError("更正需要写明原因")
        with self._tx() as conn:
            row = conn.execute("SELECT status FROM month WHERE period = ?", (period,)).fetchone()
            if row is None or row[0] != APPROVED:
                raise LedgerError(f"{period} 尚未批准，无需更正：直接重新运行该月即可")
            number = self._latest(period) + 1
            self._insert_revision(result, number, "correction", reason, at)
            conn.executemany(
                "INSERT INTO correction_line VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(period, number, seq, c.worker_id, c.name, str(c.award), c.project_id, c.project_name,
                  c.category, c.ordinal, _text(c.approved), _text(c.now), _text(c.difference), c.kind)
                 for seq, c in enumerate(diff)])
            self._insert_outputs(period, number, outputs)
        return number

    def correction_lines(self, period: str, number: int) -> list[tuple]:
        """Correction ``number``'s changed lines as recorded: (工号, 姓名, award, 工程编号,
        类别, 原批准, 更正后, 差额, 补发/扣回)."""
        return [(w, n, Award(a), pid, cat, Decimal(ap), Decimal(nw), Decimal(df), k)
                for w, n, a, pid, cat, ap, nw, df, k in self._conn.execute(
                    "SELECT worker_id, name, award, project_id, category, approved, now, difference, kind "
                    "FROM correction_line WHERE period = ? AND revision = ? ORDER BY seq", (period, number))]

    def _insert_revision(self, result: MonthResult, rev: int, kind: str, reason: str,
                         at: dt.datetime) -> None:
        conn, period = self._conn, result.period
        conn.execute("INSERT INTO revision VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (period, rev, kind, reason, result.scheme, result.rules_file,
                      _iso(result.assess_date), _iso(at)))
        files = result.inputs.files if result.inputs is not None else []
        conn.executemany("INSERT INTO input_file VALUES (?, ?, ?, ?, ?)",
                         sorted((period, rev, f.name, f.sha256, f.size) for f in files))
        conn.executemany("INSERT INTO award_line VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [(period, rev, seq, *row) for seq, row in enumerate(_line_rows(result.lines))])
        projects = []
        for p in sorted(result.projects, key=lambda p: p.project_id):
            s = p.scores or {}
            projects.append((period, rev, p.project_id, p.project_name, _text(p.piece_total),
                             _text(s.get("safety")), _text(s.get("quality")), _text(s.get("cooperation")),
                             _text(s.get("discipline")), _text(p.total_score), _text(p.collective_ratio),
                             _text(p.collective_pool), _text(p.individual_ratio), _text(p.individual_pool)))
        conn.executemany("INSERT INTO project VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", projects)
        months = worker_months(result)
        absence = longest_absences(result)
        conn.executemany("INSERT INTO worker_month VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [(period, rev, w, n, int(worked), excl, _text(absence.get(w)))
                          for w, n, worked, _, excl in months])
        conn.executemany("INSERT INTO quality_score VALUES (?, ?, ?, ?, ?)",
                         [(period, rev, pid, _text(total), n) for pid, total, n in quality_rows(result)])
        conn.executemany("INSERT INTO worker_project VALUES (?, ?, ?, ?)",
                         [(period, rev, w, pid) for w, _, _, pids, _ in months for pid in pids])
        conn.executemany("INSERT INTO incident VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [(period, rev, seq, *row) for seq, row in enumerate(_incident_rows(result))])

    def _insert_outputs(self, period: str, rev: int, outputs: Mapping[str, str]) -> None:
        self._conn.executemany("INSERT INTO output_file VALUES (?, ?, ?, ?)",
                               [(period, rev, name, outputs[name]) for name in sorted(outputs)])

    # -- the year --

    def year(self, year: int, include_drafts: bool = False) -> YearData:
        """Everything the year-end run needs from the months of ``year`` (latest revisions).

        Only approved months are counted (SCHEME.md §5) unless ``include_drafts``; every
        month found is still listed in ``months`` with its status.
        """
        conn = self._conn
        pattern = f"{int(year):04d}-__"
        months = dict(conn.execute("SELECT period, status FROM month WHERE period LIKE ? ORDER BY period",
                                   (pattern,)))
        counted = tuple(p for p, status in months.items() if include_drafts or status == APPROVED)
        marks = ",".join("?" * len(counted))
        latest = ("WITH latest AS (SELECT period, MAX(revision) AS rev FROM revision "
                  f"WHERE period IN ({marks}) GROUP BY period) ")
        join = "JOIN latest l ON t.period = l.period AND t.revision = l.rev "
        worked: dict[str, list[str]] = {}
        names: dict[str, str] = {}
        december: dict[str, Decimal] = {}
        for wid, name, period, was_worked, absence in conn.execute(
                latest + "SELECT t.worker_id, t.name, t.period, t.worked, t.longest_absence "
                "FROM worker_month t " + join + "ORDER BY t.worker_id, t.period", counted):
            if name:
                names[wid] = name   # ordered by period: the latest name wins
            else:
                names.setdefault(wid, "")
            if was_worked:
                worked.setdefault(wid, []).append(period)
            if period.endswith("-12") and absence is not None:
                december[wid] = Decimal(absence)
        projects: dict[str, set[str]] = {}
        for wid, pid in conn.execute(
                latest + "SELECT t.worker_id, t.project_id FROM worker_project t " + join, counted):
            projects.setdefault(wid, set()).add(pid)
        scores = tuple(ProjectScore(period, pid, pname, Decimal(total), n)
                       for period, pid, pname, total, n in conn.execute(
            latest + "SELECT t.period, t.project_id, p.project_name, t.quality_sum, t.score_rows "
            "FROM quality_score t " + join + "LEFT JOIN project p ON p.period = t.period "
            "AND p.revision = t.revision AND p.project_id = t.project_id "
            "ORDER BY t.project_id, t.period", counted))
        incidents = []
        for period, date, kind, pid, wid, note, sj in conn.execute(
                latest + "SELECT t.period, t.date, t.incident_type, t.project_id, t.worker_id, t.note, "
                "t.source_json FROM incident t " + join + "ORDER BY t.period, t.seq", counted):
            sd = json.loads(sj)
            incidents.append(IncidentRecord(period, dt.date.fromisoformat(date) if date else None, kind, pid,
                                            wid, note, Source(**sd) if sd else None))
        return YearData(year=int(year), months=months,
                        worked={w: tuple(ps) for w, ps in sorted(worked.items())},
                        projects={w: tuple(sorted(ps)) for w, ps in sorted(projects.items())},
                        names=dict(sorted(names.items())), quality_scores=scores,
                        incidents=tuple(incidents), ledger_name=self.path.name, counted=counted,
                        december_absence=dict(sorted(december.items())))

    # -- discarding --

    def discard(self, period: str) -> DiscardRecord:
        """Remove a draft period (a month, or a year-end run) from the ledger: every row of
        every table keyed by it, in one transaction.  :class:`MonthApproved` for an approved
        period, :class:`LedgerError` for one not in the ledger; then nothing is changed."""
        with self._tx() as conn:
            record = self.month(period)
            if record is None:
                raise LedgerError(f"账本中没有 {period} 的记录")
            if record.approved:
                raise MonthApproved(
                    f"{period} 已于 {record.approved_at:%Y-%m-%d %H:%M} 由 {record.approved_by} 批准，"
                    f"不能撤销；如需更正，请用 --correction \"原因\" 生成更正单")
            lines = self.lines(period)
            for table in (*_TABLES, "revision", "run_log", "month"):   # the run numbers go too
                conn.execute(f"DELETE FROM {table} WHERE period = ?", (period,))
        return DiscardRecord(record, len(lines), sum((x.amount for x in lines), Decimal(0)))


def _statements(script: str) -> list[str]:
    """Split a migration script into statements: comments dropped first, then split on ';'
    (our statements have no ';' or '--' inside literals)."""
    code = "\n".join(ln.split("--", 1)[0].rstrip() for ln in script.splitlines())
    return [stmt.strip() for stmt in code.split(";") if stmt.strip()]

