"""The values that pass between the stages: read → validate → compute → render.

Plain frozen dataclasses (and the reader's :class:`Columns`); no stage reaches back
into an earlier one's files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum

from kfbonus.money import ZERO
from kfbonus.problems import Problem, Source

__all__ = ["AwardKind", "AwardLine", "Columns", "FactRows", "FoundTable", "InputFile", "MonthInput",
           "MonthResult", "PreviousMonth", "RunKind", "RunStamp", "Shared", "WorkerInfo"]


class Shared:
    """Equal values held once: ``shared(value)`` gives back the first value it was given
    that equals ``value`` and is spelled the same — a str, or a Decimal by its text, so
    ``Decimal("22")`` and ``Decimal("22.0")``, ``0.00`` and ``-0.00`` stay apart — and any
    other value as it is.

    A month works out the same few texts and numbers on thousands of lines (a seniority
    tier's formula, an exclusion's reason, 22 应出勤天数, an excluded member's share …),
    each a new object unless the award that makes them passes them through one of these:
    ≈ 30 MiB at ten times the bench month, held twice once the approval workbook's process
    is forked.  The values are immutable, so which of two equal ones a line holds cannot
    be seen."""

    __slots__ = ("_numbers", "_texts")

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}
        self._numbers: dict[str, Decimal] = {}

    def __call__(self, value):
        kind = type(value)
        if kind is str:
            return self._texts.setdefault(value, value)
        if kind is Decimal:
            return self._numbers.setdefault(str(value), value)
        return value


class Columns:
    """The rows of one table kind as read, column by column: a list of values per field
    ``name`` (blank cells None) and ``src`` (each row's :class:`~kfbonus.problems.RowRef`),
    all of one length.

    The reader's container. It was a pandas DataFrame of objects, used as nothing more:
    the rows are turned into frozen dataclasses and grouped with dicts, so the import
    (0.3 s and 55 MiB a run) bought nothing. Never changed in place: :meth:`where`,
    :meth:`with_value` and :meth:`with_row` make new tables (the lists they keep are shared)."""

    __slots__ = ("_cols", "_len")

    def __init__(self, columns: Mapping[str, Sequence]) -> None:
        self._cols = {name: values if isinstance(values, list) else list(values)
                      for name, values in columns.items()}
        lengths = {len(v) for v in self._cols.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns of different lengths: {[(k, len(v)) for k, v in self._cols.items()]}")
        self._len = lengths.pop() if lengths else 0

    @classmethod
    def from_records(cls, names: Sequence[str], records: Sequence[Mapping]) -> Columns:
        """A table of ``names`` from one mapping per row (a missing key is a blank cell)."""
        return cls({n: [r.get(n) for r in records] for n in names})

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self._cols)

    def __len__(self) -> int:
        return self._len

    def __contains__(self, name: object) -> bool:
        return name in self._cols

    def __getitem__(self, name: str) -> list:
        """The column's values (the table's own list: do not change it)."""
        return self._cols[name]

    def column(self, name: str) -> list:
        """The column's values, blanks when the table has no such column."""
        values = self._cols.get(name)
        return [None] * self._len if values is None else values

    def rows(self) -> Iterator[tuple]:
        """One tuple a row, in the order of :attr:`columns`."""
        return zip(*self._cols.values(), strict=True) if self._cols else iter(())

    def records(self) -> list[dict]:
        names = self.columns
        return [dict(zip(names, row, strict=True)) for row in self.rows()]

    def where(self, keep: Sequence[bool]) -> Columns:
        """The rows whose ``keep`` is true, in order."""
        return Columns({n: [v for v, k in zip(vs, keep, strict=True) if k] for n, vs in self._cols.items()})

    def head(self, n: int) -> Columns:
        return Columns({name: vs[:n] for name, vs in self._cols.items()})

    def with_value(self, i: int, name: str, value: object) -> Columns:
        """A copy with row ``i``'s ``name`` set to ``value``."""
        cols = dict(self._cols)
        cols[name] = [*cols[name]]
        cols[name][i] = value
        return Columns(cols)

    def with_row(self, row: Mapping[str, object]) -> Columns:
        """A copy with ``row`` added at the end (a missing column is blank)."""
        return Columns({n: [*vs, row.get(n)] for n, vs in self._cols.items()})

    def __repr__(self) -> str:
        return f"Columns({', '.join(self.columns)}; {self._len} rows)"


@dataclass(frozen=True)
class FoundTable:
    """A table the reader recognised: ``file › sheet → kind, rows``."""

    file: str
    sheet: str
    kind: str
    header_row: int
    rows: int
    form_style: bool = False


@dataclass(frozen=True)
class InputFile:
    """An input workbook as read: its name (relative to the input folder) and SHA-256."""

    name: str
    sha256: str
    size: int


@dataclass
class MonthInput:
    """What the reader gives: one :class:`Columns` per table kind it was asked to read, with
    the fields' ``name`` as columns plus ``src`` (:class:`~kfbonus.problems.RowRef`);
    every kind is present, empty when no such table was found."""

    folder: str
    tables: dict[str, Columns]
    files: list[InputFile]
    found: list[FoundTable]
    problems: list[Problem]
    read: tuple = ()    # the tables (kfbonus.schema.Table) the reader recognised: their titles, fields

    def table(self, kind: str) -> Columns:
        return self.tables[kind]

    def title(self, kind: str) -> str:
        """The table's Chinese name (计件工资结算单 …)."""
        return next((t.title for t in self.read if t.kind == kind), kind)

    def has_table(self, kind: str) -> bool:
        """A table of ``kind`` was found in the folder (with rows, or its header only)."""
        df = self.tables.get(kind)
        return (df is not None and len(df) > 0) or any(f.kind == kind for f in self.found)

    def without_rows(self) -> MonthInput:
        """This input without its tables' rows (every kind present, empty): what the outputs
        and the ledger say of it — folder, files, tables found, problems — once the month is
        computed.  Holding the rows until the last file is written was a third of the peak
        memory of a big month."""
        empty = {kind: Columns({name: [] for name in table.columns}) for kind, table in self.tables.items()}
        return replace(self, tables=empty)


class FactRows(Sequence):
    """The rows of one fact kind (:attr:`MonthResult.facts`): each reads as a dict of the
    kind's keys, and is held as its values in one flat list under the kind's one tuple of
    keys (a dict a row was 26 MiB at ten times the bench month: 100,000 (工号, 工程编号)
    pairs alone; a tuple a row, 7 MiB).  Equal to a list of the same dicts."""

    __slots__ = ("_count", "_flat", "keys")

    def __init__(self, keys: Sequence[str], values: Iterable[Sequence[object]]) -> None:
        self.keys = tuple(keys)
        width, flat, count = len(self.keys), [], 0
        for row in values:
            if len(row) != width:
                raise ValueError(f"fact rows of {width} keys need as many values each")
            flat.extend(row)
            count += 1
        self._flat, self._count = flat, count

    @classmethod
    def of(cls, rows: Sequence[Mapping[str, object]]) -> FactRows:
        """Rows given as mappings, all with the same keys (in one order)."""
        keys = tuple(rows[0]) if rows else ()
        if any(tuple(row) != keys for row in rows):
            raise ValueError("fact rows of one kind must have the same keys")
        return cls(keys, (tuple(row.values()) for row in rows))

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("fact row index out of range")
        width = len(self.keys)
        return dict(zip(self.keys, self._flat[index * width:(index + 1) * width], strict=True))

    def __iter__(self) -> Iterator[dict[str, object]]:
        keys, flat, width = self.keys, self._flat, len(self.keys)
        for start in range(0, self._count * width, width) if width else range(self._count):
            yield dict(zip(keys, flat[start:start + width], strict=True))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FactRows | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None   # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FactRows({list(self)!r})"


class _NoFacts(Mapping):
    """The facts of a line that has none: one empty mapping shared by every such line (a dict
    a line was 10 MiB at ten times the bench month), pickled as itself."""

    __slots__ = ()

    def __getitem__(self, key: str) -> object:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def get(self, key: str, default: object = None) -> object:
        return default

    def __contains__(self, key: object) -> bool:
        return False

    def __reduce__(self) -> str:
        return "NO_FACTS"

    def __repr__(self) -> str:
        return "NO_FACTS"


NO_FACTS: Mapping[str, object] = _NoFacts()


class AwardKind(str):
    """An award type of a scheme: its id (the text its lines and the ledger carry — it *is*
    that string, so it compares and hashes as the id), the ``label`` people read, and
    whether it belongs to the year-end run (``annual``) rather than the month."""

    label: str
    annual: bool

    def __new__(cls, award_id: str, label: str, annual: bool = False) -> AwardKind:
        obj = super().__new__(cls, award_id)
        obj.label = label
        obj.annual = annual
        return obj

    @property
    def id(self) -> str:
        return str.__str__(self)

    def __reduce__(self):
        return (AwardKind, (str(self), self.label, self.annual))


class RunKind(StrEnum):
    """What a run is: a month, a year-end run, or a correction of an approved month."""

    MONTH = "month"
    YEAR_END = "year_end"
    CORRECTION = "correction"


@dataclass(frozen=True, slots=True, eq=False)
class AwardLine:
    """One line of one worker's month: paid, partly paid or not paid.

    ``amount`` is what is paid (0.00 when nothing is); ``unpaid`` is what the
    line would have paid on top of that had it not been refused (an excluded
    worker's share, the part over the cap, a nominee who does not qualify).
    ``formula`` has the numbers filled in; ``reason`` says why something is not
    paid (empty when all is); ``clause`` cites FS-MS-KF-13.

    ``formula`` is ``formula_head + formula_rest``: a part that many lines share (a
    project's pool worked out, on every crew member's collective-award line) is one
    string held once, not copied into each line's text (≈ 20 MiB at ten times the bench
    month, held twice once the workbook's process is forked).  Lines are equal when their
    formulas read the same, however split.

    ``facts`` holds the line's figures by name (``pool``, ``days``, ``total_days`` …,
    Decimal, int or str), so that a slip can say the line in a plain sentence without
    parsing ``formula`` (render.plain).  Optional: lines read back from the ledger have
    none and the slip falls back to the formula.  Not compared, not stored.
    """

    worker_id: str
    name: str
    award: str        # the award type: its id (the scheme's AwardKind or enum member, which has .label)
    amount: Decimal
    formula_rest: str   # the formula after formula_head: all of it when there is no head
    clause: str
    sources: tuple[Source, ...] = ()
    project_id: str | None = None
    project_name: str | None = None
    unpaid: Decimal = ZERO
    reason: str = ""
    category: str | None = None  # adjustment category (类别), training type, seniority tier …
    facts: Mapping[str, object] = field(default_factory=lambda: NO_FACTS, compare=False, repr=False)
    formula_head: str = field(default="", compare=False, repr=False)

    @property
    def formula(self) -> str:
        """The formula with the numbers filled in."""
        return self.formula_head + self.formula_rest if self.formula_head else self.formula_rest

    def _compared(self) -> tuple:
        return (self.worker_id, self.name, self.award, self.amount, self.formula, self.clause, self.sources,
                self.project_id, self.project_name, self.unpaid, self.reason, self.category)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._compared() == other._compared()   # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._compared())

    @property
    def paid(self) -> bool:
        return self.amount != 0

    @property
    def refused(self) -> bool:
        return self.unpaid != 0 or (self.amount == 0 and bool(self.reason))


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    """A roster worker as the outputs show them, with the exclusion found (if any); slotted
    (20,000 at ten times the bench month)."""

    worker_id: str
    name: str
    team: str | None
    position: str | None
    employment_type: str | None
    hire_date: dt.date | None
    service_years: int | None
    excluded: str | None = None   # the reason, in Chinese, when excluded
    source: Source | None = None


@dataclass(frozen=True)
class PreviousMonth:
    """The month before, as the ledger holds it (latest revision), for 上月 comparisons."""

    period: str
    status: str                      # 草稿 / 已批准
    lines: tuple[AwardLine, ...]


@dataclass(frozen=True)
class RunStamp:
    """What ties a printed page to its run: the run number of the period in the ledger
    (1, 2, … — every run of a draft counts), the status the outputs are written in, and
    the month looked up for 上月 comparisons (``previous`` None when the ledger has none)."""

    run_number: int
    status: str = "草稿"
    previous_period: str | None = None
    previous: PreviousMonth | None = None


@dataclass
class MonthResult:
    """Everything compute gives the renderers."""

    period: str                    # "2026-11" (or "2026" for the year-end run)
    assess_date: dt.date
    scheme: str                    # "FS-MS-KF-13 A/2"
    rules_file: str
    parameters: list[tuple]   # (key, value as shown, clause[, company_set[, Chinese label]])
    workers: dict[str, WorkerInfo]
    lines: list[AwardLine]
    projects: list                 # the scheme's per-project figures (FS-MS-KF-13: ProjectResult), if any
    problems: list[Problem] = field(default_factory=list)
    inputs: MonthInput | None = None
    annual: object | None = None       # the year-end run's plan (FS-MS-KF-13: AnnualPlan); None in a month
    stamp: RunStamp | None = None      # set by the pipeline from the ledger before rendering
    awards: tuple = ()                 # the scheme's award types in order (AwardKind-like: str with .label)
    kind: RunKind = RunKind.MONTH      # what the run is (never inferred from the period's shape)
    details: dict = field(default_factory=dict)   # scheme-specific figures for its presentation
    presentation: object = None        # the scheme's Presentation (title, signers, plain wording)
    scheme_id: str = ""                # the scheme's id (Scheme.id): the ledger's key with the period
    # What the scheme keeps for later, recorded in the ledger as given: kind → rows, each
    # a mapping of str/int/bool/None (money and scores as strings, dates ISO): FactRows or dicts.
    facts: dict[str, Sequence[Mapping[str, object]]] = field(default_factory=dict)

    def totals(self) -> dict[str, dict[str, Decimal]]:
        """Per worker (工号), per award type, the sum of paid amounts."""
        out: dict[str, dict[str, Decimal]] = {}
        for line in self.lines:
            per = out.setdefault(line.worker_id, {})
            per[line.award] = per.get(line.award, ZERO) + line.amount
        return out
