"""Which module may import which, over the whole tree (STYLE.md §1 and "A scheme as a unit").

- The stages run one way: read → validate → compute → render; the core modules (money,
  problems, schema) import nothing of kfbonus.
- A scheme is a unit: each package under ``kfbonus/schemes/`` may import the machinery,
  never another scheme, nor the registry that lists them all.
- The machinery knows no scheme by name: outside ``kfbonus/schemes/<scheme>/`` nothing
  imports a scheme package; only the command (pipeline, cli, whatif), the reader's
  default and the input templates ask the registry (``kfbonus.schemes``) for the list.
- The ledger imports no scheme at all, not even the registry (issue 11 item 2).

The test reads every import of every module with ast (top level, in functions, under
TYPE_CHECKING), so a slip fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "kfbonus"
SCHEMES = sorted(p.name for p in (PKG / "schemes").iterdir() if (p / "__init__.py").is_file())

# module (prefix) → kfbonus modules (prefixes) it must not import
STAGES = {
    "kfbonus.money": ("kfbonus",),
    "kfbonus.problems": ("kfbonus",),
    "kfbonus.schema": ("kfbonus",),
    "kfbonus.values": ("kfbonus.reader", "kfbonus.render", "kfbonus.pipeline", "kfbonus.schemes"),
    "kfbonus.reader": ("kfbonus.render", "kfbonus.rules", "kfbonus.pipeline", "kfbonus.ledger"),
    "kfbonus.validate": ("kfbonus.render", "kfbonus.pipeline", "kfbonus.ledger", "kfbonus.schemes"),
    "kfbonus.rules": ("kfbonus.reader", "kfbonus.render", "kfbonus.pipeline", "kfbonus.schemes"),
    "kfbonus.render": ("kfbonus.reader", "kfbonus.validate", "kfbonus.pipeline", "kfbonus.schemes"),
    "kfbonus.ledger": ("kfbonus.schemes", "kfbonus.reader", "kfbonus.rules", "kfbonus.render",
                       "kfbonus.pipeline"),
    "kfbonus.scoping": ("kfbonus.reader", "kfbonus.render", "kfbonus.pipeline", "kfbonus.ledger"),
}
# the machinery that may ask the registry (kfbonus.schemes / kfbonus.schemes.base) for the schemes
ASKS_REGISTRY = ("kfbonus.pipeline", "kfbonus.cli", "kfbonus.whatif", "kfbonus.reader",
                 "kfbonus.input_templates", "kfbonus.scoping")


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


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def slips_of(mod: str, names: set[str]) -> list[str]:
    """Every rule ``mod`` breaks by importing ``names``."""
    out = []
    scheme = next((s for s in SCHEMES if _under(mod, f"kfbonus.schemes.{s}")), None)
    for name in sorted(names):
        for prefix, banned in STAGES.items():
            if _under(mod, prefix) and any(_under(name, b) for b in banned) and not _under(name, mod):
                out.append(f"{mod} imports {name} (stages run one way)")
        other = next((s for s in SCHEMES if _under(name, f"kfbonus.schemes.{s}")), None)
        if scheme is not None:
            if other is not None and other != scheme:
                out.append(f"{mod} imports {name} (a scheme never imports another scheme)")
            if name in ("kfbonus.schemes", "kfbonus.schemes.all_schemes", "kfbonus.schemes.all_tables"):
                out.append(f"{mod} imports {name} (a scheme never asks the registry)")
        elif other is not None and mod != "kfbonus.schemes":
            out.append(f"{mod} imports {name} (the machinery knows no scheme by name)")
        elif (_under(name, "kfbonus.schemes") and not _under(name, "kfbonus.schemes.base")
              and mod != "kfbonus.schemes" and not any(_under(mod, m) for m in ASKS_REGISTRY)):
            out.append(f"{mod} imports {name} (only the command asks the registry)")
    return out


def test_the_whole_tree_keeps_its_layers():
    slips = []
    for path in sorted(PKG.rglob("*.py")):
        mod = module_name(path)
        slips += slips_of(mod, imports(path))
    assert not slips, "\n".join(slips)


def test_there_are_schemes_to_check():
    assert {"kf13", "shkf"} <= set(SCHEMES)


def test_the_rules_catch_each_kind_of_slip(tmp_path):
    bad = tmp_path / "x.py"
    bad.write_text("def f():\n    from kfbonus.reader import read_month\n", encoding="utf-8")
    assert imports(bad) == {"kfbonus.reader", "kfbonus.reader.read_month"}
    assert slips_of("kfbonus.render.slips", {"kfbonus.reader"})
    assert slips_of("kfbonus.render.slips", {"kfbonus.schemes.kf13.plain"})
    assert slips_of("kfbonus.ledger", {"kfbonus.schemes"})
    assert slips_of("kfbonus.schemes.shkf.compute", {"kfbonus.schemes.kf13.awards.adjustment"})
    assert slips_of("kfbonus.schemes.kf13.compute", {"kfbonus.schemes"})
    assert not slips_of("kfbonus.schemes.kf13.compute", {"kfbonus.schemes.kf13.common", "kfbonus.render.xlsx",
                                                         "kfbonus.schemes.base"})
    assert not slips_of("kfbonus.pipeline", {"kfbonus.schemes", "kfbonus.schemes.base"})


def test_the_ledger_imports_no_scheme():
    """Every import of kfbonus/ledger.py: no scheme module and not the registry."""
    found = imports(PKG / "ledger.py")
    assert found, "the ledger imports kfbonus.model at least: the check reads its imports"
    assert not [name for name in found if _under(name, "kfbonus.schemes")]


def test_award_modules_check_no_input():
    """An award is pure maths plus formula text (issue 11): every input problem is its
    scheme's checks.py's, so no module under ``awards/`` makes a Problem."""
    makers = {"kfbonus.problems.error", "kfbonus.problems.warning", "kfbonus.problems.Problem"}
    found = {module_name(path): sorted(imports(path) & makers)
             for scheme in SCHEMES for path in sorted((PKG / "schemes" / scheme / "awards").glob("*.py"))}
    assert len(found) >= 10, found   # the check sees both schemes' award modules
    assert not {mod: names for mod, names in found.items() if names}
