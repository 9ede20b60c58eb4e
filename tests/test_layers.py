"""The stages run one way: read → validate → compute → render (STYLE.md §1).

Each rule lists modules a module must NOT import from kfbonus; the test reads
the imports of every module with ast, so a layering slip fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "kfbonus"

# module (prefix) → kfbonus modules (prefixes) it must not import
FORBIDDEN = {
    "kfbonus.money": ("kfbonus.",),
    "kfbonus.problems": ("kfbonus.",),
    "kfbonus.schema": ("kfbonus.",),
    "kfbonus.values": ("kfbonus.reader", "kfbonus.compute", "kfbonus.render", "kfbonus.pipeline"),
    "kfbonus.reader": ("kfbonus.compute", "kfbonus.render", "kfbonus.rules", "kfbonus.pipeline",
                       "kfbonus.ledger"),
    "kfbonus.validate": ("kfbonus.compute", "kfbonus.render", "kfbonus.pipeline", "kfbonus.ledger"),
    "kfbonus.rules": ("kfbonus.reader", "kfbonus.compute", "kfbonus.render", "kfbonus.pipeline"),
    "kfbonus.compute": ("kfbonus.reader", "kfbonus.validate", "kfbonus.render", "kfbonus.pipeline",
                        "kfbonus.ledger"),
    "kfbonus.render": ("kfbonus.reader", "kfbonus.validate", "kfbonus.compute", "kfbonus.pipeline"),
    # the ledger stores what a scheme gives; it knows no scheme (issue 11 item 2)
    "kfbonus.ledger": ("kfbonus.compute", "kfbonus.annual", "kfbonus.schemes", "kfbonus.reader",
                       "kfbonus.rules", "kfbonus.render", "kfbonus.pipeline"),
}


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return {name for name in found if name.startswith("kfbonus")}


def test_layers_import_only_downstream():
    slips = []
    for path in sorted(PKG.rglob("*.py")):
        mod = module_name(path)
        for prefix, banned in FORBIDDEN.items():
            if mod == prefix or mod.startswith(prefix + "."):
                for name in imports(path):
                    if any(name == b.rstrip(".") or name.startswith(b if b.endswith(".") else b + ".")
                           or name == b for b in banned):
                        slips.append(f"{mod} imports {name}")
    assert not slips, "\n".join(slips)


def test_the_rule_catches_a_slip(tmp_path):
    bad = tmp_path / "x.py"
    bad.write_text("from kfbonus.reader import read_month\n", encoding="utf-8")
    assert imports(bad) == {"kfbonus.reader", "kfbonus.reader.read_month"}


def test_the_ledger_imports_no_scheme():
    """Every import of kfbonus/ledger.py (top level, in functions, under TYPE_CHECKING):
    no scheme module, whatever the layer rules above say."""
    found = imports(PKG / "ledger.py")
    assert found, "the ledger imports kfbonus.model at least: the check reads its imports"
    schemes = ("kfbonus.compute", "kfbonus.annual", "kfbonus.schemes")
    scheme = [name for name in found if name in schemes or name.startswith(tuple(s + "." for s in schemes))]
    assert not scheme, scheme
