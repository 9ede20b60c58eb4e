"""Small helpers the award modules share: formula numbers, exclusion reasons (SCHEME.md's,
the same for every scheme: :func:`kfbonus.exclusions.exclusion_reasons`) and the line that
pays an amount or, for a reason, does not."""

from __future__ import annotations

from decimal import Decimal

from kfbonus.exclusions import exclusion_reasons
from kfbonus.model import AwardLine
from kfbonus.money import ZERO
from kfbonus.problems import Source
from kfbonus.rules import fmt_number, fmt_percent

__all__ = ["exclusion_reasons", "fmt_number", "fmt_percent", "label_of", "paid_or_refused"]


def paid_or_refused(worker_id: str, name: str, award: str, amount: Decimal, formula: str, clause: str,
                    sources: tuple[Source, ...], reason: str | None, **more) -> AwardLine:
    """The line paying ``amount``; with a ``reason``, the line refusing it (nothing paid,
    ``amount`` unpaid, the formula ending 不予发放)."""
    if reason:
        return AwardLine(worker_id, name, award, ZERO, formula + "；不予发放", clause, sources,
                         unpaid=amount, reason=reason, **more)
    return AwardLine(worker_id, name, award, amount, formula, clause, sources, **more)


def label_of(d_id: str, name: str | None) -> str:
    return f"{d_id} {name}" if name else d_id
