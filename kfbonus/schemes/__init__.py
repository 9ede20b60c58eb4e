"""The schemes kfbonus knows: the one place a scheme is registered.

Each entry names a package that exposes ``SCHEME`` (:class:`~kfbonus.schemes.base.Scheme`).
The machinery asks this module for the schemes and their tables and never imports a
scheme itself; a scheme is imported only when a run asks for the list.
"""

from __future__ import annotations

import importlib
from functools import cache

from kfbonus.schema import COMMON, Table
from kfbonus.schemes.base import Scheme

__all__ = ["REGISTERED", "all_schemes", "all_tables", "scheme_by_id"]

REGISTERED: tuple[str, ...] = (
    "kfbonus.schemes.kf13",     # FS-MS-KF-13 工程施工安装人员综合激励
    "kfbonus.schemes.shkf",     # SHKF-TC 售后客服、销售岗位业绩激励
)


@cache
def all_schemes() -> tuple[Scheme, ...]:
    """Every registered scheme, in registration order."""
    return tuple(importlib.import_module(name).SCHEME for name in REGISTERED)


@cache
def all_tables() -> tuple[Table, ...]:
    """The shared tables, then every scheme's own (a kind listed once)."""
    out: dict[str, Table] = {t.kind: t for t in COMMON}
    for scheme in all_schemes():
        for t in scheme.tables:
            out.setdefault(t.kind, t)
    return tuple(out.values())


def scheme_by_id(scheme_id: str) -> Scheme:
    """The scheme with ``scheme_id`` (KeyError when none is registered)."""
    for scheme in all_schemes():
        if scheme.id == scheme_id:
            return scheme
    raise KeyError(scheme_id)
