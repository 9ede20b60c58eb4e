"""Where kfbonus finds the files it ships beside its code.

The slip templates live in the repository's top-level ``templates/`` folder; a wheel
or ``pip install .`` carries them as the package data ``kfbonus/templates/``
(pyproject.toml maps the one to the other).  The rules files are package data in
``kfbonus/rules/`` either way (:data:`kfbonus.rules.RULES_DIR`).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["template_dir"]

_PACKAGE = Path(__file__).resolve().parent


def template_dir() -> Path:
    """``kfbonus/templates`` when installed as a package, else the checkout's ``templates/``."""
    installed = _PACKAGE / "templates"
    return installed if installed.is_dir() else _PACKAGE.parent / "templates"
