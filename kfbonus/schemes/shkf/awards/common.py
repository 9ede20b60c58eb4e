"""Small helpers the award modules share: formula numbers and exclusion reasons (SCHEME.md's,
the same for every scheme: :func:`kfbonus.exclusions.exclusion_reasons`)."""

from __future__ import annotations

from kfbonus.exclusions import exclusion_reasons
from kfbonus.rules import fmt_number, fmt_percent

__all__ = ["exclusion_reasons", "fmt_number", "fmt_percent", "label_of"]


def label_of(d_id: str, name: str | None) -> str:
    return f"{d_id} {name}" if name else d_id
