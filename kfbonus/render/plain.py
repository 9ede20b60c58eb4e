"""The small print of a slip line (明细单): the line's full formula as a worker may read it.

Each scheme says a line in plain words itself (its presentation's ``plain_text``);
:func:`fine_print` is the full formula for the small print below it, with unrounded
intermediate values (``= 3,446.766225 →``) shown as ``≈`` and accountant-only notes
removed — and what a line without a plain sentence falls back to.
"""

from __future__ import annotations

import re

from kfbonus.model import AwardLine

__all__ = ["clean_formula", "fine_print"]

# "= 3,446.766225 → " or "= 596.407393… → ": an unrounded value before its rounding
_EXACT = re.compile(r"\s*=\s*-?[\d,]+\.\d{3,}…?\s*→\s*")
_EXACT_ELLIPSIS = re.compile(r"\s*=\s*-?[\d,]+(?:\.\d+)?…\s*")
# notes for the accountant, never for the worker
# notes for the accountant, never for the worker (nor colleagues' names: a team award's
# formula names the members left out)
_ACCOUNTANT = re.compile(r"（录入为 [^）]*）|（标准金额 [^）]*）|（不含不参与激励的[^）]*）")


def fine_print(line: AwardLine) -> str:
    """The line's full formula for the small print: amounts to the fen, no accountant notes."""
    return clean_formula(line.formula)


def clean_formula(formula: str) -> str:
    """A formula text as a worker may read it (see :func:`fine_print`)."""
    text = _ACCOUNTANT.sub("", formula)
    text = _EXACT.sub(" ≈ ", text)
    text = _EXACT_ELLIPSIS.sub(" ≈ ", text)
    # 实发 is net pay after tax in payroll; these lines are 应发 incentive
    return text.replace("（最大余数法）", "（分钱尾差按规定分配）").replace("本项实发", "本项发")


