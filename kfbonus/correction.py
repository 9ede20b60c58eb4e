"""Corrections of an approved month (更正): what to pay more (补发) or claw back (扣回).

An approved month is never silently recomputed.  When its inputs change, the month
is computed again and compared line by line with what was approved
(:func:`diff_lines`); the differences go on a correction slip (更正单) and into the
ledger as correction n.

Pairing lines.  A line is identified by (工号, award, 工程编号, 类别); lines that
share that key (two 优秀个人奖 adjustments of one worker, say — adjustments have no
project) are paired deterministically: first every approved line with a line of the
same amount now (those are unchanged), then the rest in source order (file, sheet,
row), then by amount; what is left over on one side is a line added (approved 0.00)
or removed (now 0.00).  Per-worker totals do not depend on the pairing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from kfbonus.model import AwardLine
from kfbonus.money import ZERO

__all__ = ["BACK", "MORE", "NONE", "CorrectionDiff", "CorrectionLine", "WorkerCorrection", "diff_lines"]

MORE = "补发"   # pay more: now > approved
BACK = "扣回"   # claw back: now < approved
NONE = "无变化"



def kind_of(difference: Decimal) -> str:
    return MORE if difference > 0 else BACK if difference < 0 else NONE


@dataclass(frozen=True)
class CorrectionLine:
    """One line whose paid amount changed: approved (原批准) vs now (更正后)."""

    worker_id: str
    name: str
    award: str    # the award type (AwardKind: its id, with .label)
    project_id: str | None
    project_name: str | None
    category: str | None
    ordinal: int            # 1, 2 … among lines sharing (工号, award, 工程编号, 类别)
    approved: Decimal
    now: Decimal
    formula: str = ""       # the formula now (or as approved, for a line removed)
    reason: str = ""        # why not paid now, if so

    @property
    def difference(self) -> Decimal:
        return self.now - self.approved

    @property
    def kind(self) -> str:
        return kind_of(self.difference)


@dataclass(frozen=True)
class WorkerCorrection:
    """A worker's net correction: 补发 (more), 扣回 (back) and the difference."""

    worker_id: str
    name: str
    more: Decimal
    back: Decimal           # negative or zero
    lines: int

    @property
    def difference(self) -> Decimal:
        return self.more + self.back

    @property
    def kind(self) -> str:
        return kind_of(self.difference)


@dataclass(frozen=True)
class CorrectionDiff:
    """Changed lines (sorted by 工号, award, 工程编号, 类别, ordinal), how many lines were
    unchanged, and the per-worker totals."""

    lines: tuple[CorrectionLine, ...]
    unchanged: int

    def __iter__(self):
        return iter(self.lines)

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def workers(self) -> tuple[WorkerCorrection, ...]:
        per: dict[str, list[CorrectionLine]] = {}
        for c in self.lines:
            per.setdefault(c.worker_id, []).append(c)
        out = []
        for wid in sorted(per):
            cs = per[wid]
            out.append(WorkerCorrection(
                wid, cs[-1].name,
                sum((c.difference for c in cs if c.difference > 0), ZERO),
                sum((c.difference for c in cs if c.difference < 0), ZERO), len(cs)))
        return tuple(out)

    @property
    def total(self) -> Decimal:
        return sum((c.difference for c in self.lines), ZERO)

    @property
    def more(self) -> Decimal:
        return sum((c.difference for c in self.lines if c.difference > 0), ZERO)

    @property
    def back(self) -> Decimal:
        return sum((c.difference for c in self.lines if c.difference < 0), ZERO)


def _key(line: AwardLine) -> tuple[str, str, str, str]:
    return (line.worker_id, line.award, line.project_id or "", line.category or "")


def _order(line: AwardLine) -> tuple:
    first = line.sources[0] if line.sources else None
    where = (first.file, first.sheet or "", first.row or 0) if first else ("", "", 0)
    return (where, line.amount, line.formula)


def _pair(approved: Sequence[AwardLine], now: Sequence[AwardLine]
          ) -> tuple[list[tuple[AwardLine | None, AwardLine | None]], int]:
    """Pair one key's lines; returns the changed pairs and the count of unchanged ones."""
    rest_now = sorted(now, key=_order)
    rest_approved = []
    unchanged = 0
    for a in sorted(approved, key=_order):
        match = next((i for i, n in enumerate(rest_now) if n.amount == a.amount), None)
        if match is None:
            rest_approved.append(a)
        else:
            rest_now.pop(match)
            unchanged += 1
    pairs: list[tuple[AwardLine | None, AwardLine | None]] = []
    for i in range(max(len(rest_approved), len(rest_now))):
        pairs.append((rest_approved[i] if i < len(rest_approved) else None,
                      rest_now[i] if i < len(rest_now) else None))
    return pairs, unchanged


def diff_lines(approved: Iterable[AwardLine], now: Iterable[AwardLine],
               awards: Sequence = ()) -> CorrectionDiff:
    """Compare the approved lines with the lines computed now (see the module docstring).

    Only the paid ``amount`` counts: a line whose amount is the same is unchanged even
    when its formula or reason text changed.
    """
    groups: dict[tuple, tuple[list[AwardLine], list[AwardLine]]] = {}
    for line in approved:
        groups.setdefault(_key(line), ([], []))[0].append(line)
    for line in now:
        groups.setdefault(_key(line), ([], []))[1].append(line)
    out: list[CorrectionLine] = []
    unchanged_total = 0
    order = {str(a): i for i, a in enumerate(awards)}   # the scheme's award order (others after, by id)
    for key in sorted(groups, key=lambda k: (k[0], order.get(str(k[1]), len(order)), str(k[1]), k[2], k[3])):
        olds, news = groups[key]
        pairs, unchanged = _pair(olds, news)
        unchanged_total += unchanged
        ordinal = unchanged
        for old, new in pairs:
            ordinal += 1
            ref = new or old
            assert ref is not None
            a_amt = old.amount if old is not None else ZERO
            n_amt = new.amount if new is not None else ZERO
            if a_amt == n_amt:          # e.g. a 0.00 line that appeared or disappeared
                unchanged_total += 1
                continue
            out.append(CorrectionLine(
                worker_id=ref.worker_id, name=ref.name, award=ref.award, project_id=ref.project_id,
                project_name=ref.project_name, category=ref.category, ordinal=ordinal,
                approved=a_amt, now=n_amt, formula=ref.formula,
                reason=new.reason if new is not None else "更正后无此项"))
    return CorrectionDiff(tuple(out), unchanged_total)
