"""What a scheme gives the machinery (STYLE.md, "A scheme as a unit").

A scheme is one package under :mod:`kfbonus.schemes` holding everything that is its
own — its tables, its rules files and their parameter spec, its input checks, its
awards (one module each), the facts it keeps for later and its presentation — and
exposing one :class:`Scheme` value.  The machinery (reader, ledger, renderers, the
command) is handed that value and never names a scheme; :mod:`kfbonus.schemes`
lists the schemes there are (the one registration).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kfbonus.model import AwardKind, RunKind
from kfbonus.rules import RuleSpec
from kfbonus.schema import Table

__all__ = ["AwardKind", "Presentation", "Run", "RunKind", "Scheme"]


@dataclass(frozen=True)
class Run:
    """One run of one scheme: its kind, the scheme id, the period ("2026-11", or "2026"
    for a year-end run) and the assessment date (考核实施日)."""

    kind: RunKind
    scheme: str
    period: str
    assess_date: dt.date

    @property
    def year_end(self) -> bool:
        return self.kind is RunKind.YEAR_END


@dataclass(frozen=True)
class Presentation:
    """How a scheme's results look: the approval workbook's title, what the command says
    a run computed, the sign-off roles, the output folder's name, the approval workbook
    writer and the slips' plain wording of a line."""

    title: str                                   # 审批表 title, e.g. 售后客服、销售岗位业绩提成审批表
    what: str                                    # the command's words for a run: 综合激励 / 业绩提成
    signers: tuple                               # sign-off (action, role) pairs: (("编制", "…核算员"), …)
    folder: Callable[[str], str]                 # period → the output folder's name
    write_workbook: Callable[..., Path]          # (result, views, checks, path, generated_at) → path
    plain_text: Callable[[object], str] | None = None   # AwardLine → a plain sentence for slips
    checks: Callable[[object], list] | None = None      # MonthResult → the scheme's own 核对 checks
    slip_title: str = ""                         # the slips' heading (明细单)
    year_end_slip_title: str = ""                # the year-end run's slips' heading
    sign_clause: str = ""                        # the clause that sets the sign-off
    correction_title: str = ""                   # the correction workbook's heading (更正单)
    basis: Callable[[object], dict] | None = None   # MonthResult → 工号 → a sentence heading the slip
    item_heading: str = "工程"                  # the slips' column naming what a line is for


@dataclass(frozen=True)
class Scheme:
    """A scheme as the machinery sees it.

    ``tables`` the scheme's own input tables (the roster and 其他奖惩 are everyone's:
    :data:`kfbonus.schema.COMMON`); ``present_when`` the kinds whose rows in a month
    folder make the scheme run; ``requires`` the kinds that must then be there too;
    ``posts`` the roster 岗位 the scheme covers (None: every worker no other scheme
    claims); ``compute(month, params, run)`` the month's result; ``rules_dir`` and
    ``param_checks`` its rules files and the spec they are checked against.
    """

    id: str
    name: str
    tables: tuple[Table, ...]
    present_when: tuple[str, ...]
    requires: tuple[str, ...]
    awards: tuple[AwardKind, ...]
    rules_dir: Path
    param_checks: Mapping[str, Callable[[object], object]]
    compute: Callable[..., object]
    presentation: Presentation
    posts: frozenset[str] | None = None
    param_pairs: Sequence[tuple[str, str]] = ()
    show_value: Callable[[str, object], str | None] | None = None
    year_end: Callable[..., object] | None = None
    checks: tuple[Callable[..., list], ...] = ()   # its own input checks: (month as it sees it) → problems
    reads: tuple[str, ...] = ()                    # other schemes' tables it reads too (its workers' rows)

    def award(self, award_id: str) -> AwardKind:
        """The award type with ``award_id`` (a line read back from the ledger carries text)."""
        for a in self.awards:
            if a == award_id:
                return a
        raise KeyError(award_id)

    @property
    def rule_spec(self) -> RuleSpec:
        """What its rules files must hold (kfbonus.rules.load_rules checks them against it)."""
        return RuleSpec(self.param_checks, tuple(self.param_pairs), self.show_value, self.id)

    @property
    def labels(self) -> dict[str, str]:
        return {a.id: a.label for a in self.awards}
