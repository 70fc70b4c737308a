"""Print the package import graph of ``portal/`` and fail on a circle (issue 16).

A node is a package: a feature (``portal.auth``) or a sub-feature (``portal.trainings.ledger``). An edge
A → B means a module of A imports a module of B, at the top of the module or inside a function
(a lazy import is still a dependency: it only hides the circle from the interpreter). Imports
under ``if TYPE_CHECKING:`` are left out (annotations only).

View modules (``views.py``, ``*_views.py``) are left out as importers: a page may show what
several sub-features hold, and no module imports a page. Below them, the layers that hold the
rules (models, workflows, services, queries, forms) must import each other without a circle.

The shared layer (the top-level modules of ``portal/``: access, audit, notify, uploads …, and
``portal/util/``) is no node: every feature uses it, and ``create_app``, ``portal/models.py`` and
the audit labels name every feature. A feature and its own sub-packages may import each other
(``portal.trainings`` holds the blueprint and the feature's shared tables).

Usage: ``python scripts/import_graph.py [--dot]`` — prints the edges (or Graphviz), then the
circles; exit status 1 when there is one.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORTAL = ROOT / "portal"
#: the shared layer: ``portal`` itself (its top-level modules) and ``portal.util``
SHARED = {"portal", "portal.util"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_package(name: str) -> bool:
    return (ROOT / name.replace(".", "/") / "__init__.py").exists()


def node_of(module: str) -> str | None:
    """The package a module belongs to: a feature or a sub-feature. The shared layer (the
    top-level modules of ``portal/`` and ``portal/util/``) is no node: every feature uses it."""
    if not is_package(module):
        module = module.rsplit(".", 1)[0]
    if module in SHARED:
        return None
    return module


def is_view_module(path: Path) -> bool:
    """A module of pages (``views.py``, ``*_views.py``): the top of the house, which composes a
    page from several sub-features and which nothing imports but its feature's ``VIEWS`` list."""
    return path.name == "views.py" or path.name.endswith("_views.py")


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _type_checking(node):
            skip.update(id(n) for n in ast.walk(node))
    found = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("portal"))
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            if not node.module.startswith("portal"):
                continue
            for alias in node.names:  # `from portal.x import y`: y may be a module
                sub = f"{node.module}.{alias.name}"
                exists = (ROOT / sub.replace(".", "/")).with_suffix(".py").exists()
                found.add(sub if exists or is_package(sub) else node.module)
    return found


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for path in sorted(PORTAL.rglob("*.py")):
        if is_view_module(path):
            continue
        source = node_of(module_name(path))
        for target_module in imports_of(path):
            target = node_of(target_module)
            if source is None or target is None or target == source or _allowed(source, target):
                continue
            edges[source].add(target)
    return edges


def _allowed(source: str, target: str) -> bool:
    # a feature and its own sub-packages
    return target.startswith(source + ".") or source.startswith(target + ".")


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for v in sorted(set(edges) | {w for ws in edges.values() for w in ws}):
        if v not in index:
            visit(v)
    return found


def main(argv: list[str]) -> int:
    edges = graph()
    if "--dot" in argv:
        print("digraph portal {")
        for source in sorted(edges):
            for target in sorted(edges[source]):
                print(f'  "{source}" -> "{target}";')
        print("}")
    else:
        for source in sorted(edges):
            print(f"{source} -> {', '.join(sorted(edges[source]))}")
    found = circles(edges)
    for component in found:
        print("circle:", " ↔ ".join(component), file=sys.stderr)
    print(f"{sum(map(len, edges.values()))} edges between {len(edges)} packages; "
          f"{len(found)} circle(s)", file=sys.stderr)  # fmt: skip
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
