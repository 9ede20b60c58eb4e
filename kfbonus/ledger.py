"""The ledger (账本): every period that was run, kept in one SQLite file, per scheme.

``<output>/ledger.sqlite`` (stdlib :mod:`sqlite3`, no server).  Every row is keyed by
the scheme's id (``FS-MS-KF-13``, ``SHKF-TC``: :attr:`MonthResult.scheme_id`) and then
the period, so two schemes' months of the same period live side by side.  A run
records its period in ONE transaction: the status (草稿 draft / 已批准 approved), the
scheme's label, rules file, assessment date and run time; every input file (name,
SHA-256, size); every award line, paid or not; the facts the scheme keeps for later
(:attr:`MonthResult.facts`: rows of named kinds, stored as JSON objects exactly as
given); the SHA-256 of every output file.  A draft can be removed whole
(:meth:`Ledger.discard`); an approved month never is.

The ledger stores, it never derives: it does not read input tables nor know what a
fact means.  What a scheme keeps (FS-MS-KF-13: worked months, projects, 质量得分 rows,
incidents — :mod:`kfbonus.schemes.kf13.facts`) and what it makes of them later (the year
end: :func:`kfbonus.schemes.kf13.annual.year_data`) is the scheme's own.  This module imports no
scheme.

Money and scores are stored as TEXT decimals and read back as exact
:class:`~decimal.Decimal` (never REAL); a fact's numbers are strings in its JSON.

A month is kept as *revisions*: revision 0 is the run (replaced while the month is a
draft), revision n ≥ 1 is correction n (更正第 n 号), recorded after approval.  Reads
(:meth:`Ledger.approved_lines`, :meth:`Ledger.facts`) use the latest revision: the
month as approved with every correction since applied.

The schema is versioned with ``PRAGMA user_version``; :data:`MIGRATIONS` lists the
steps from one version to the next.  An older ledger is migrated forward on open (in
one transaction); a newer one is refused with :class:`LedgerError`.

Usage::

    with Ledger.open(out / "ledger.sqlite") as ledger:
        ledger.record_month(result, hash_outputs(out / "2026-11"), at)
        ...
        ledger.approve("FS-MS-KF-13", "2026-11", by="王经理", at=at, folder=out / "2026-11")
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from kfbonus.model import AwardLine, InputFile, MonthResult
from kfbonus.money import D
from kfbonus.problems import Source

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
    "Ledger",
    "LedgerError",
    "MonthApproved",
    "MonthRecord",
    "OutputMismatch",
    "OutputsChanged",
    "fact_json",
    "hash_file",
    "hash_outputs",
    "sources_from_json",
    "sources_to_json",
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

# Keyed by scheme + period, and the ledger stores, never derives (issue 11 item 2).
# SQLite cannot alter a PRIMARY KEY: the old tables are renamed aside (their foreign
# keys follow), the new ones created, every row copied with the scheme id taken from
# its period's run (the label's text before its first space: "FS-MS-KF-13 A/2" →
# FS-MS-KF-13; ledgers before version 5 were only written by that scheme), then the
# old ones dropped, children first.  The scheme-specific tables (project, worker_month,
# worker_project, quality_score, incident) become rows of the generic ``fact`` table,
# each a JSON object with its keys sorted, exactly as kfbonus.schemes.kf13.facts writes it,
# in the same order (seq).
_V5 = """
ALTER TABLE month RENAME TO v4_month;
ALTER TABLE revision RENAME TO v4_revision;
ALTER TABLE input_file RENAME TO v4_input_file;
ALTER TABLE award_line RENAME TO v4_award_line;
ALTER TABLE output_file RENAME TO v4_output_file;
ALTER TABLE correction_line RENAME TO v4_correction_line;
ALTER TABLE run_log RENAME TO v4_run_log;
DROP INDEX award_line_worker;

CREATE TEMP TABLE v5_scheme AS
    SELECT m.period AS period,
           COALESCE((SELECT substr(r.scheme, 1, instr(r.scheme || ' ', ' ') - 1) FROM v4_revision r
                     WHERE r.period = m.period ORDER BY r.revision LIMIT 1), 'FS-MS-KF-13') AS id
    FROM v4_month m;

CREATE TABLE month (
    scheme        TEXT NOT NULL,              -- the scheme's id: "FS-MS-KF-13", "SHKF-TC"
    period        TEXT NOT NULL,              -- "2026-11" (or "2026" for a year-end run)
    status        TEXT NOT NULL CHECK (status IN ('draft', 'approved')),
    approved_by   TEXT,
    approved_at   TEXT,
    approval_sha  TEXT,
    PRIMARY KEY (scheme, period)
);
CREATE TABLE revision (
    scheme        TEXT NOT NULL,
    period        TEXT NOT NULL,
    revision      INTEGER NOT NULL,           -- 0 = the run; n = correction n
    kind          TEXT NOT NULL CHECK (kind IN ('run', 'correction')),
    reason        TEXT NOT NULL DEFAULT '',
    label         TEXT NOT NULL,              -- the scheme and rules version: "FS-MS-KF-13 A/2"
    rules_file    TEXT NOT NULL,
    assess_date   TEXT NOT NULL,
    run_at        TEXT NOT NULL,
    PRIMARY KEY (scheme, period, revision),
    FOREIGN KEY (scheme, period) REFERENCES month(scheme, period)
);
CREATE TABLE input_file (
    scheme TEXT NOT NULL, period TEXT NOT NULL, revision INTEGER NOT NULL,
    name TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
    PRIMARY KEY (scheme, period, revision, name),
    FOREIGN KEY (scheme, period, revision) REFERENCES revision(scheme, period, revision)
);
CREATE TABLE award_line (
    scheme TEXT NOT NULL, period TEXT NOT NULL, revision INTEGER NOT NULL, seq INTEGER NOT NULL,
    worker_id TEXT NOT NULL, name TEXT NOT NULL, award TEXT NOT NULL,
    project_id TEXT, project_name TEXT, category TEXT,
    amount TEXT NOT NULL, unpaid TEXT NOT NULL,
    reason TEXT NOT NULL, formula TEXT NOT NULL, clause TEXT NOT NULL,
    sources TEXT NOT NULL,        -- as shown: "文件 › 工作表!C7; …"
    sources_json TEXT NOT NULL,   -- the same, exactly, to rebuild Source values
    PRIMARY KEY (scheme, period, revision, seq),
    FOREIGN KEY (scheme, period, revision) REFERENCES revision(scheme, period, revision)
);
CREATE TABLE fact (
    scheme TEXT NOT NULL, period TEXT NOT NULL, revision INTEGER NOT NULL,
    kind TEXT NOT NULL,           -- the scheme's name for the rows: "worker_month", "incident", …
    seq INTEGER NOT NULL,         -- the order the scheme gave them in, per kind
    data TEXT NOT NULL,           -- one JSON object (keys sorted); money and scores as strings
    PRIMARY KEY (scheme, period, revision, kind, seq),
    FOREIGN KEY (scheme, period, revision) REFERENCES revision(scheme, period, revision)
);
CREATE TABLE output_file (
    scheme TEXT NOT NULL, period TEXT NOT NULL, revision INTEGER NOT NULL,
    name TEXT NOT NULL,           -- relative to the month's output folder, '/' separated
    sha256 TEXT NOT NULL,
    PRIMARY KEY (scheme, period, revision, name),
    FOREIGN KEY (scheme, period, revision) REFERENCES revision(scheme, period, revision)
);
CREATE TABLE correction_line (
    scheme TEXT NOT NULL, period TEXT NOT NULL, revision INTEGER NOT NULL, seq INTEGER NOT NULL,
    worker_id TEXT NOT NULL, name TEXT NOT NULL, award TEXT NOT NULL,
    project_id TEXT, project_name TEXT, category TEXT, ordinal INTEGER NOT NULL,
    approved TEXT NOT NULL, now TEXT NOT NULL, difference TEXT NOT NULL, kind TEXT NOT NULL,
    PRIMARY KEY (scheme, period, revision, seq),
    FOREIGN KEY (scheme, period, revision) REFERENCES revision(scheme, period, revision)
);
CREATE TABLE run_log (
    scheme TEXT NOT NULL, period TEXT NOT NULL, number INTEGER NOT NULL, run_at TEXT NOT NULL,
    PRIMARY KEY (scheme, period, number)
);

INSERT INTO month
    SELECT s.id, m.period, m.status, m.approved_by, m.approved_at, m.approval_sha
    FROM v4_month m JOIN v5_scheme s ON s.period = m.period;
INSERT INTO revision
    SELECT s.id, r.period, r.revision, r.kind, r.reason, r.scheme, r.rules_file, r.assess_date, r.run_at
    FROM v4_revision r JOIN v5_scheme s ON s.period = r.period;
INSERT INTO input_file
    SELECT s.id, t.period, t.revision, t.name, t.sha256, t.size
    FROM v4_input_file t JOIN v5_scheme s ON s.period = t.period;
INSERT INTO award_line
    SELECT s.id, t.period, t.revision, t.seq, t.worker_id, t.name, t.award, t.project_id, t.project_name,
           t.category, t.amount, t.unpaid, t.reason, t.formula, t.clause, t.sources, t.sources_json
    FROM v4_award_line t JOIN v5_scheme s ON s.period = t.period;
INSERT INTO output_file
    SELECT s.id, t.period, t.revision, t.name, t.sha256
    FROM v4_output_file t JOIN v5_scheme s ON s.period = t.period;
INSERT INTO correction_line
    SELECT s.id, t.period, t.revision, t.seq, t.worker_id, t.name, t.award, t.project_id, t.project_name,
           t.category, t.ordinal, t.approved, t.now, t.difference, t.kind
    FROM v4_correction_line t JOIN v5_scheme s ON s.period = t.period;
INSERT INTO run_log
    SELECT COALESCE(s.id, 'FS-MS-KF-13'), t.period, t.number, t.run_at
    FROM v4_run_log t LEFT JOIN v5_scheme s ON s.period = t.period;

INSERT INTO fact
    SELECT s.id, t.period, t.revision, 'project',
           ROW_NUMBER() OVER (PARTITION BY t.period, t.revision ORDER BY t.project_id) - 1,
           json_object('collective_pool', t.collective_pool, 'collective_ratio', t.collective_ratio,
                       'cooperation', t.cooperation, 'discipline', t.discipline,
                       'individual_pool', t.individual_pool, 'individual_ratio', t.individual_ratio,
                       'piece_total', t.piece_total, 'project_id', t.project_id,
                       'project_name', t.project_name, 'quality', t.quality, 'safety', t.safety,
                       'total_score', t.total_score)
    FROM project t JOIN v5_scheme s ON s.period = t.period;
INSERT INTO fact
    SELECT s.id, t.period, t.revision, 'worker_month',
           ROW_NUMBER() OVER (PARTITION BY t.period, t.revision ORDER BY t.worker_id) - 1,
           json_object('excluded', t.excluded, 'longest_absence', t.longest_absence, 'name', t.name,
                       'worked', CASE WHEN t.worked THEN json('true') ELSE json('false') END,
                       'worker_id', t.worker_id)
    FROM worker_month t JOIN v5_scheme s ON s.period = t.period;
INSERT INTO fact
    SELECT s.id, t.period, t.revision, 'worker_project',
           ROW_NUMBER() OVER (PARTITION BY t.period, t.revision ORDER BY t.worker_id, t.project_id) - 1,
           json_object('project_id', t.project_id, 'worker_id', t.worker_id)
    FROM worker_project t JOIN v5_scheme s ON s.period = t.period;
INSERT INTO fact
    SELECT s.id, t.period, t.revision, 'quality_score',
           ROW_NUMBER() OVER (PARTITION BY t.period, t.revision ORDER BY t.project_id) - 1,
           json_object('project_id', t.project_id, 'quality_sum', t.quality_sum, 'score_rows', t.score_rows)
    FROM quality_score t JOIN v5_scheme s ON s.period = t.period;
INSERT INTO fact
    SELECT s.id, t.period, t.revision, 'incident',
           ROW_NUMBER() OVER (PARTITION BY t.period, t.revision ORDER BY t.seq) - 1,
           json_object('date', t.date, 'incident_type', t.incident_type, 'note', t.note,
                       'project_id', t.project_id,
                       'source_col', json_extract(t.source_json, '$.col'),
                       'source_file', json_extract(t.source_json, '$.file'),
                       'source_header', json_extract(t.source_json, '$.header'),
                       'source_row', json_extract(t.source_json, '$.row'),
                       'source_sheet', json_extract(t.source_json, '$.sheet'),
                       'worker_id', t.worker_id)
    FROM incident t JOIN v5_scheme s ON s.period = t.period;

DROP TABLE project;
DROP TABLE worker_month;
DROP TABLE worker_project;
DROP TABLE quality_score;
DROP TABLE incident;
DROP TABLE v4_input_file;
DROP TABLE v4_award_line;
DROP TABLE v4_output_file;
DROP TABLE v4_correction_line;
DROP TABLE v4_run_log;
DROP TABLE v4_revision;
DROP TABLE v4_month;
DROP TABLE v5_scheme;
CREATE INDEX award_line_worker ON award_line (worker_id);
"""

# Step n takes a ledger from version n-1 to version n.  Append, never edit a step.
MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("账本初版：月份、输入文件、奖励明细、工程、人员月度、事故投诉、输出文件", _V1),
    ("更正单：更正明细表", _V2),
    ("年度奖：每个工程每月的质量得分行数与合计；人员月度的连续缺勤天数", _V3),
    ("运行次数：每次运行编号", _V4),
    ("按方案与期间记账：各表以方案编号开头；工程、人员月度、质量得分、事故投诉改存为方案给出的事实行", _V5),
)
SCHEMA_VERSION = len(MIGRATIONS)

# The tables keyed by (scheme, period, revision): a period's rows, children of ``revision``.
_TABLES = ("input_file", "award_line", "fact", "output_file", "correction_line")


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
    """A month as the ledger holds it (latest revision for the label, dates and inputs)."""

    period: str
    status: str                        # DRAFT / APPROVED
    scheme: str                        # the label of the scheme and rules version: "FS-MS-KF-13 A/2"
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
    scheme_id: str = ""                # the key: "FS-MS-KF-13"

    @property
    def approved(self) -> bool:
        return self.status == APPROVED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class DiscardRecord:
    """What :meth:`Ledger.discard` removed: the draft's record, its lines and their total."""

    record: MonthRecord
    lines: int
    total: Decimal


# --- helpers --------------------------------------------------------------------------------

def hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def hash_outputs(folder: Path | str, under: str | None = None,
                 known: Mapping[Path, str] | None = None) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (or its subfolder ``under``), keyed by the
    path relative to ``folder`` ('/' separated), sorted; the ledger and lock files and
    hidden files are skipped.  ``known``: hashes already taken of some of the files (by
    their path), used instead of reading those again."""
    known_by = {os.fspath(p): sha for p, sha in (known or {}).items()}
    folder = Path(folder)
    if under and any(part.startswith(".") for part in Path(under).parts):
        return {}
    files: list[tuple[tuple[str, ...], str]] = []   # (relative path's parts, path)

    def walk(path: str, rel: tuple[str, ...]) -> None:
        # os.scandir rather than Path.rglob: a month has 20,000 slips at 10x (0.5 s of pathlib)
        try:
            entries = list(os.scandir(path))
        except (FileNotFoundError, NotADirectoryError):
            return
        for e in entries:
            if e.name.startswith("."):
                continue
            if e.is_dir():
                walk(e.path, (*rel, e.name))
            elif e.is_file() and e.name not in NOT_OUTPUTS:
                files.append(((*rel, e.name), e.path))

    walk(os.fspath(folder / under) if under else os.fspath(folder), Path(under).parts if under else ())
    out: dict[str, str] = {}
    for parts, path in sorted(files):
        sha = known_by.get(path)
        out["/".join(parts)] = sha if sha is not None else hash_file(Path(path))
    return out


def _source_dict(s: Source) -> dict:
    return {"file": s.file, "sheet": s.sheet, "row": s.row, "col": s.col, "header": s.header}


def _source_json(s: Source) -> str:
    """``_SOURCE_JSON.encode(_source_dict(s))``, spelled directly for the usual types (the
    encoder took a fifth of recording a big month's lines): keys sorted, ``", "`` and
    ``": "`` between, texts quoted as the encoder quotes them (Chinese as is)."""
    col, file, header, row, sheet = s.col, s.file, s.header, s.row, s.sheet
    if not (type(file) is str and (row is None or type(row) is int) and (col is None or type(col) is str)
            and (header is None or type(header) is str) and (sheet is None or type(sheet) is str)):
        return _SOURCE_JSON.encode(_source_dict(s))
    return (f'{{"col": {"null" if col is None else _quote(col)}, "file": {_quote(file)}, '
            f'"header": {"null" if header is None else _quote(header)}, '
            f'"row": {"null" if row is None else row}, '
            f'"sheet": {"null" if sheet is None else _quote(sheet)}}}')


def sources_to_json(sources: Iterable[Source]) -> str:
    return json.dumps([_source_dict(s) for s in sources], ensure_ascii=False, sort_keys=True)


def sources_from_json(text: str) -> tuple[Source, ...]:
    return tuple(Source(**d) for d in json.loads(text))


def _text(value: Decimal | None) -> str | None:
    """Money or a score as exact TEXT ('1234.50'); refuses floats (via D)."""
    return None if value is None else str(D(value))


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def fact_json(row: Mapping[str, object]) -> str:
    """A fact row as stored: one JSON object, keys sorted, no spaces, Chinese as is.

    Values must be str, int, bool or None (money and scores as their strings, dates
    ISO): anything else — a float, a Decimal, a date, a list — is refused with
    :class:`TypeError`, so what is read back is exactly what was given."""
    if not isinstance(row, Mapping):
        raise TypeError(f"a fact row must be a mapping, not {type(row).__name__}")
    for key, value in row.items():
        if not isinstance(key, str):
            raise TypeError(f"a fact key must be a str, not {key!r}")
        if value is not None and not isinstance(value, str | int):   # bool is an int
            raise TypeError(f"fact {key!r}: {type(value).__name__} {value!r} is not str/int/bool/None")
    return _FACT_JSON.encode(dict(row))


# json.dumps with these options, made once (json.dumps makes an encoder per call for them)
_FACT_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
_SOURCE_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False)
_quote = json.encoder.encode_basestring   # how _SOURCE_JSON writes a str (ensure_ascii=False)


_MADE_MAX = 4096


def _line_rows(lines: Iterable[AwardLine]) -> Iterator[tuple]:
    """The award_line rows (the formula as UTF-8 bytes, cast to TEXT by the INSERT).  A
    place in the inputs recurs on many lines (a project's settlement rows on each of its
    crew's): its text and its JSON are made once, and a line's sources column is put
    together from them — the same text as :func:`sources_to_json` and ``"; ".join(str(s) …)``."""
    # by id: the lines share their places' objects (holding s keeps its id from being reused
    # while this runs).  A place recurs on lines near each other (a worker's roster row) or
    # spread over the month (a project's ratio cell on each crew member's line): the places
    # of the last _MADE_MAX, and of the _MADE_MAX before those, are kept
    made: dict[int, tuple[Source, str, str]] = {}
    before: dict[int, tuple[Source, str, str]] = {}

    def texts(sources) -> tuple[str, str]:
        nonlocal made, before
        shown, stored = [], []
        for s in sources:
            known = made.get(id(s))
            if known is None:
                known = before.get(id(s))
                if known is None:
                    known = (s, str(s), _source_json(s))
                if len(made) >= _MADE_MAX:
                    before, made = made, {}
                made[id(s)] = known
            shown.append(known[1])
            stored.append(known[2])
        return "; ".join(shown), f"[{', '.join(stored)}]"

    # one row at a time into SQLite: the rows of a big month are not all held at once
    return ((line.worker_id, line.name, str(line.award), line.project_id, line.project_name, line.category,
             _text(line.amount), _text(line.unpaid), line.reason, line.formula.encode(), line.clause,
             *texts(line.sources))
            for line in lines)


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

    def periods(self, scheme: str) -> list[str]:
        """Every period of ``scheme`` in the ledger, sorted."""
        return [r[0] for r in self._conn.execute("SELECT period FROM month WHERE scheme = ? ORDER BY period",
                                                 (scheme,))]

    def months(self, scheme: str, like: str) -> dict[str, str]:
        """The periods of ``scheme`` matching the SQL LIKE pattern ``like`` (``"2026-__"``:
        the months of 2026) → their status (DRAFT / APPROVED), sorted by period."""
        return dict(self._conn.execute(
            "SELECT period, status FROM month WHERE scheme = ? AND period LIKE ? ORDER BY period",
            (scheme, like)))

    def _latest(self, scheme: str, period: str) -> int | None:
        row = self._conn.execute("SELECT MAX(revision) FROM revision WHERE scheme = ? AND period = ?",
                                 (scheme, period)).fetchone()
        return row[0]

    def month(self, scheme: str, period: str) -> MonthRecord | None:
        """The month as recorded, or None when it was never run."""
        key = (scheme, period)
        row = self._conn.execute(
            "SELECT status, approved_by, approved_at, approval_sha FROM month "
            "WHERE scheme = ? AND period = ?", key).fetchone()
        if row is None:
            return None
        status, approved_by, approved_at, approval_sha = row
        rev = self._latest(scheme, period)
        label, rules_file, assess_date = self._conn.execute(
            "SELECT label, rules_file, assess_date FROM revision "
            "WHERE scheme = ? AND period = ? AND revision = ?", (*key, rev)).fetchone()
        run_at = self._conn.execute(
            "SELECT run_at FROM revision WHERE scheme = ? AND period = ? AND revision = 0", key).fetchone()[0]
        inputs = tuple(InputFile(n, s, z) for n, s, z in self._conn.execute(
            "SELECT name, sha256, size FROM input_file WHERE scheme = ? AND period = ? AND revision = ? "
            "ORDER BY name", (*key, rev)))
        outputs = dict(self._conn.execute(
            "SELECT name, sha256 FROM output_file WHERE scheme = ? AND period = ? ORDER BY revision, name",
            key))
        corrections = tuple(CorrectionRecord(n, reason, dt.datetime.fromisoformat(at)) for n, reason, at in
                            self._conn.execute(
                                "SELECT revision, reason, run_at FROM revision WHERE scheme = ? "
                                "AND period = ? AND kind = 'correction' ORDER BY revision", key))
        return MonthRecord(period, status, label, rules_file, dt.date.fromisoformat(assess_date),
                           dt.datetime.fromisoformat(run_at), approved_by,
                           dt.datetime.fromisoformat(approved_at) if approved_at else None, approval_sha,
                           rev, inputs, outputs, corrections, scheme_id=scheme)

    def next_run_number(self, scheme: str, period: str) -> int:
        """The number the next run of ``period`` gets: runs recorded so far + 1."""
        row = self._conn.execute("SELECT MAX(number) FROM run_log WHERE scheme = ? AND period = ?",
                                 (scheme, period)).fetchone()
        return (row[0] or 0) + 1

    def lines(self, scheme: str, period: str, revision: int | None = None,
              awards: Iterable[str] = ()) -> list[AwardLine]:
        """The award lines of a month (latest revision unless given), in recorded order.
        Each line's award is the recorded id, or the one of ``awards`` (the scheme's award
        types, which carry their labels) equal to it."""
        rev = self._latest(scheme, period) if revision is None else revision
        if rev is None:
            raise LedgerError(f"账本中没有 {scheme} {period} 的记录")
        kinds = {str(a): a for a in awards}
        return [AwardLine(worker_id=w, name=n, award=kinds.get(a, a), amount=Decimal(amt), formula_rest=f,
                          clause=c,
                          sources=sources_from_json(sj), project_id=pid, project_name=pn,
                          unpaid=Decimal(unp), reason=r, category=cat)
                for w, n, a, pid, pn, cat, amt, unp, r, f, c, sj in self._conn.execute(
                    "SELECT worker_id, name, award, project_id, project_name, category, amount, unpaid, "
                    "reason, formula, clause, sources_json FROM award_line "
                    "WHERE scheme = ? AND period = ? AND revision = ? ORDER BY seq", (scheme, period, rev))]

    def approved_lines(self, scheme: str, period: str, awards: Iterable[str] = ()) -> list[AwardLine]:
        """The lines as approved, with every correction recorded since applied (the
        baseline of the next correction).  LedgerError when the month is not approved."""
        record = self.month(scheme, period)
        if record is None or not record.approved:
            raise LedgerError(f"{period} 尚未批准，没有已批准的明细")
        return self.lines(scheme, period, awards=awards)

    def facts(self, scheme: str, periods: Iterable[str], kind: str) -> list[tuple[str, dict]]:
        """The ``kind`` fact rows of ``scheme``'s ``periods`` (each month's latest
        revision), as (period, row) in (period, seq) order; rows are the dicts recorded
        (:attr:`MonthResult.facts`).  Periods not in the ledger give nothing."""
        periods = sorted(set(periods))
        if not periods:
            return []
        marks = ",".join("?" * len(periods))
        rows = self._conn.execute(
            "WITH latest AS (SELECT period, MAX(revision) AS rev FROM revision "
            f"WHERE scheme = ? AND period IN ({marks}) GROUP BY period) "
            "SELECT f.period, f.data FROM fact f JOIN latest l ON f.period = l.period AND f.revision = l.rev "
            "WHERE f.scheme = ? AND f.kind = ? ORDER BY f.period, f.seq", (scheme, *periods, scheme, kind))
        return [(period, json.loads(data)) for period, data in rows]

    def verify_outputs(self, scheme: str, period: str, folder: Path | str) -> list[OutputMismatch]:
        """Compare every recorded output of the month with the file in ``folder`` now."""
        folder = Path(folder)
        out = []
        for name, sha in self._conn.execute(
                "SELECT name, sha256 FROM output_file WHERE scheme = ? AND period = ? "
                "ORDER BY name, revision", (scheme, period)):
            path = folder / name
            found = hash_file(path) if path.is_file() else None
            if found != sha:
                out.append(OutputMismatch(name, sha, found))
        return out

    # -- writing --

    def record_month(self, result: MonthResult, outputs: Mapping[str, str], at: dt.datetime) -> None:
        """Record a run of ``result.period`` of scheme ``result.scheme_id`` as a draft (草稿),
        replacing a previous draft of it.

        ``outputs`` maps each output file (relative to the month's output folder) to its
        SHA-256 (:func:`hash_outputs`).  Raises :class:`MonthApproved` when the month is
        approved; then nothing is changed.
        """
        with self._tx():
            self.record_draft(result, at)
            self.record_draft_outputs(result.scheme_id, result.period, outputs, at)

    def record_draft(self, result: MonthResult, at: dt.datetime) -> None:
        """The first half of :meth:`record_month`: the month as a draft with its lines and
        facts, replacing a previous draft; its output files are the second half
        (:meth:`record_draft_outputs`), in the same transaction.  A run records this while
        its approval workbook is still being written (:func:`kfbonus.pipeline.write_outputs`)."""
        key = (result.scheme_id, result.period)
        period = result.period
        with self._tx() as conn:
            row = conn.execute("SELECT status FROM month WHERE scheme = ? AND period = ?", key).fetchone()
            if row is not None and row[0] == APPROVED:
                raise MonthApproved(
                    f"{period} 已批准，不能重新计算覆盖；"
                    f"如需更正，请用 --correction \"原因\" 生成更正单（补发/扣回）")
            if row is not None:
                for table in (*_TABLES, "revision"):
                    conn.execute(f"DELETE FROM {table} WHERE scheme = ? AND period = ?", key)
            else:
                conn.execute("INSERT INTO month (scheme, period, status) VALUES (?, ?, ?)", (*key, DRAFT))
            self._insert_revision(result, 0, "run", "", at)

    def record_draft_outputs(self, scheme: str, period: str, outputs: Mapping[str, str],
                             at: dt.datetime) -> None:
        """The second half of :meth:`record_month`: the draft's output files and the run's
        entry in the run log."""
        key = (scheme, period)
        with self._tx() as conn:
            self._insert_outputs(*key, 0, outputs)
            conn.execute("INSERT INTO run_log SELECT ?, ?, COALESCE(MAX(number), 0) + 1, ? FROM run_log "
                         "WHERE scheme = ? AND period = ?", (*key, _iso(at), *key))

    def approve(self, scheme: str, period: str, by: str, at: dt.datetime, approval_sha: str | None = None,
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
        record = self.month(scheme, period)
        if record is None:
            raise LedgerError(f"账本中没有 {period} 的记录：请先运行该月，再批准")
        if record.approved:
            raise MonthApproved(
                f"{period} 已于 {record.approved_at} 由 {record.approved_by} 批准，不能重复批准")
        if folder is not None:
            mismatches = self.verify_outputs(scheme, period, folder)
            if mismatches:
                raise OutputsChanged(period, mismatches)
        if approval_sha is not None and approval_sha not in record.outputs.values():
            raise LedgerError(
                f"{period} 的审批汇总表（SHA-256 {approval_sha[:12]}…）不是账本记录的本月输出，不能批准")
        with self._tx() as conn:
            conn.execute("UPDATE month SET status = ?, approved_by = ?, approved_at = ?, approval_sha = ? "
                         "WHERE scheme = ? AND period = ? AND status = ?",
                         (APPROVED, by, _iso(at), approval_sha, scheme, period, DRAFT))
        return self.month(scheme, period)  # type: ignore[return-value]

    def record_correction(self, result: MonthResult, reason: str, diff: Iterable[CorrectionLine],
                          outputs: Mapping[str, str], at: dt.datetime) -> int:
        """Record correction n (更正第 n 号) of an approved month (``result.scheme_id``,
        ``result.period``): the recomputed month (``result``), the changed lines (``diff``,
        from :func:`kfbonus.correction.diff_lines`) and the correction's output files.
        Returns n (1, 2, …)."""
        scheme, period = result.scheme_id, result.period
        reason = (reason or "").strip()
        if not reason:
            raise LedgerError("更正需要写明原因")
        with self._tx() as conn:
            row = conn.execute("SELECT status FROM month WHERE scheme = ? AND period = ?",
                               (scheme, period)).fetchone()
            if row is None or row[0] != APPROVED:
                raise LedgerError(f"{period} 尚未批准，无需更正：直接重新运行该月即可")
            number = self._latest(scheme, period) + 1
            self._insert_revision(result, number, "correction", reason, at)
            conn.executemany(
                "INSERT INTO correction_line VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(scheme, period, number, seq, c.worker_id, c.name, str(c.award), c.project_id,
                  c.project_name, c.category, c.ordinal, _text(c.approved), _text(c.now),
                  _text(c.difference), c.kind)
                 for seq, c in enumerate(diff)])
            self._insert_outputs(scheme, period, number, outputs)
        return number

    def correction_lines(self, scheme: str, period: str, number: int,
                         awards: Iterable[str] = ()) -> list[tuple]:
        """Correction ``number``'s changed lines as recorded: (工号, 姓名, award, 工程编号,
        类别, 原批准, 更正后, 差额, 补发/扣回)."""
        kinds = {str(a): a for a in awards}
        return [(w, n, kinds.get(a, a), pid, cat, Decimal(ap), Decimal(nw), Decimal(df), k)
                for w, n, a, pid, cat, ap, nw, df, k in self._conn.execute(
                    "SELECT worker_id, name, award, project_id, category, approved, now, difference, kind "
                    "FROM correction_line WHERE scheme = ? AND period = ? AND revision = ? ORDER BY seq",
                    (scheme, period, number))]

    def _insert_revision(self, result: MonthResult, rev: int, kind: str, reason: str,
                         at: dt.datetime) -> None:
        conn, key = self._conn, (result.scheme_id, result.period)
        conn.execute("INSERT INTO revision VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (*key, rev, kind, reason, result.scheme, result.rules_file,
                      _iso(result.assess_date), _iso(at)))
        files = result.inputs.files if result.inputs is not None else []
        conn.executemany("INSERT INTO input_file VALUES (?, ?, ?, ?, ?, ?)",
                         sorted((*key, rev, f.name, f.sha256, f.size) for f in files))
        # the formula is bound as its UTF-8 bytes, cast back to the same TEXT: binding a str
        # leaves its UTF-8 copy cached on the line's formula for the rest of the run (30 MiB at 10x)
        conn.executemany("INSERT INTO award_line VALUES "
                         "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TEXT), ?, ?, ?)",
                         ((*key, rev, seq, *row) for seq, row in enumerate(_line_rows(result.lines))))
        conn.executemany("INSERT INTO fact VALUES (?, ?, ?, ?, ?, ?)",
                         ((*key, rev, kind_, seq, fact_json(row))
                          for kind_ in sorted(result.facts) for seq, row in enumerate(result.facts[kind_])))

    def _insert_outputs(self, scheme: str, period: str, rev: int, outputs: Mapping[str, str]) -> None:
        self._conn.executemany("INSERT INTO output_file VALUES (?, ?, ?, ?, ?)",
                               [(scheme, period, rev, name, outputs[name]) for name in sorted(outputs)])

    # -- discarding --

    def discard(self, scheme: str, period: str) -> DiscardRecord:
        """Remove a draft period (a month, or a year-end run) of ``scheme`` from the ledger:
        every row of every table keyed by it, in one transaction.  :class:`MonthApproved`
        for an approved period, :class:`LedgerError` for one not in the ledger; then
        nothing is changed.  Another scheme's same period is not touched."""
        with self._tx() as conn:
            record = self.month(scheme, period)
            if record is None:
                raise LedgerError(f"账本中没有 {period} 的记录")
            if record.approved:
                raise MonthApproved(
                    f"{period} 已于 {record.approved_at:%Y-%m-%d %H:%M} 由 {record.approved_by} 批准，"
                    f"不能撤销；如需更正，请用 --correction \"原因\" 生成更正单")
            lines = self.lines(scheme, period)
            for table in (*_TABLES, "revision", "run_log", "month"):   # the run numbers go too
                conn.execute(f"DELETE FROM {table} WHERE scheme = ? AND period = ?", (scheme, period))
        return DiscardRecord(record, len(lines), sum((x.amount for x in lines), Decimal(0)))


def _statements(script: str) -> list[str]:
    """Split a migration script into statements: comments dropped first, then split on ';'
    (our statements have no ';' or '--' inside literals)."""
    code = "\n".join(ln.split("--", 1)[0].rstrip() for ln in script.splitlines())
    return [stmt.strip() for stmt in code.split(";") if stmt.strip()]

