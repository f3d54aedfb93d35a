"""How the modules of the unga package depend on one another (read from their source).

The loading package has a core that knows no source kind, one module per kind that imports
only the core, and a registry that imports the kinds; imports flow one way across the whole
package (no circle), no module reaches for another's private names, and nothing on the load
path branches on the name of a source kind.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from testkit import REPO

PACKAGE = REPO / "scripts" / "unga"
KINDS = ("undl", "unvotes", "voeten", "dgacm")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str) -> set[str]:
    """The unga modules `name` imports (a `from package import module` counts as the module)."""
    tree = ast.parse(MODULES[name].read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "unga"}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("unga"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in MODULES else node.module)
    return found


def test_the_loading_package_is_there() -> None:
    assert {f"unga.loading.{k}" for k in KINDS} <= set(MODULES)
    assert {"unga.loading.registry", "unga.loading.core.csvfile"} <= set(MODULES)


@pytest.mark.parametrize("kind", KINDS)
def test_a_kind_imports_only_the_core(kind: str) -> None:
    outside = {
        m
        for m in imports(f"unga.loading.{kind}")
        if not m.startswith("unga.loading.core") and m != "unga.errors"
    }
    assert outside == set()


def test_the_core_knows_no_kind() -> None:
    core = [m for m in MODULES if m.startswith("unga.loading.core")]
    for name in core:
        outside = {
            m
            for m in imports(name)
            if not m.startswith("unga.loading.core") and m not in ("unga", "unga.errors")
        }
        assert outside == set(), name


def test_the_registry_holds_every_kind() -> None:
    assert {f"unga.loading.{k}" for k in KINDS} <= imports("unga.loading.registry")


def test_the_command_line_and_the_build_load_through_the_registry() -> None:
    for name in ("unga.cli", "unga.pipeline"):
        loading = {m for m in imports(name) if m.startswith("unga.loading")}
        assert loading <= {"unga.loading", "unga.loading.registry", "unga.loading.core.warehouse"}
        assert not {f"unga.loading.{k}" for k in KINDS} & imports(name)


def test_no_import_circle() -> None:
    graph = {name: imports(name) & set(MODULES) - {name} for name in MODULES}
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, " -> ".join((*path, name))
        if name in done:
            return
        for target in graph[name]:
            visit(target, (*path, name))
        done.add(name)

    for name in graph:
        visit(name, ())


def test_no_private_name_crosses_modules() -> None:
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text())
        modules_here = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("unga"):
                private = [
                    a.name
                    for a in node.names
                    if a.name.startswith("_") and not a.name.startswith("__")
                ]
                assert private == [], f"{name} imports {private} from {node.module}"
                modules_here |= {a.asname or a.name for a in node.names}
            elif isinstance(node, ast.Import):
                modules_here |= {a.asname or a.name for a in node.names if a.name in MODULES}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in modules_here
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                raise AssertionError(f"{name} uses {node.value.id}.{node.attr}")


def test_no_branch_on_the_name_of_a_kind() -> None:
    """Not in the load path: what differs between kinds is in their SourceKind."""
    load_path = {"unga.cli", "unga.pipeline", "unga.fetch"}
    for name, path in MODULES.items():
        if not (name.startswith("unga.loading") or name in load_path):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Compare):
                constants = [
                    c.value
                    for c in (node.left, *node.comparators)
                    if isinstance(c, ast.Constant) and isinstance(c.value, str)
                ]
                assert not set(constants) & set(KINDS), f"{name}: {ast.unparse(node)}"
