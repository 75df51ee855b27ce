"""oncall's packages import each other in one direction only (the order is in oncall/__init__.py).

Every import counts, at module level or inside a function (a deferred import is still a circle,
only a hidden one); imports under ``if TYPE_CHECKING:`` do not run and are skipped.
"""

from __future__ import annotations

import ast
from pathlib import Path

import oncall

APP = Path(oncall.__file__).parent
# Lowest first: a package may import the ones before it, never the ones after it.
CAPABILITIES = ("people", "schedules", "alerts", "escalation", "review", "channels")
SHARED = {
    "oncall.access",
    "oncall.api_support",
    "oncall.claims",
    "oncall.forms",
    "oncall.pagination",
    "oncall.queue",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def oncall_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for path in sorted(APP.rglob("*.py"))
        if "migrations" not in path.relative_to(APP).parts
    }


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(source: str, known: set[str], this: str = "") -> set[str]:
    """The oncall modules a source imports (``from oncall.x import y`` means ``oncall.x.y`` when
    that is a module, else ``oncall.x``)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:
                package = this.split(".")[: -node.level] if node.level else []
                base = ".".join([*package, node.module])
            for alias in node.names:
                if f"{base}.{alias.name}" in known:
                    found.add(f"{base}.{alias.name}")
                elif base in known:
                    found.add(base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    found.discard(this)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = oncall_modules()
    known = set(modules)
    return {
        name: imports_of(path.read_text(encoding="utf-8"), known, name)
        for name, path in modules.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as [a, b, ..., a], or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def kind(module: str) -> tuple[str, int]:
    """("shared", 0), ("package", rank from 1) or ("face", 99) for a module of oncall."""
    if module in SHARED:
        return "shared", 0
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in CAPABILITIES:
        return "package", CAPABILITIES.index(parts[1]) + 1
    return "face", 99


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    problems = []
    for source, targets in sorted(graph.items()):
        source_kind, source_rank = kind(source)
        for target in sorted(targets):
            target_kind, target_rank = kind(target)
            if source_kind == "face" or target_kind == "shared" or target == "oncall":
                continue
            if target_kind == "face":
                problems.append(f"{source} imports the face {target}")
            elif source_kind == "shared":
                problems.append(f"shared helper {source} imports the package module {target}")
            elif target_rank > source_rank:
                problems.append(f"{source} imports {target}, a higher capability")
    return problems


def test_oncall_has_no_import_circle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import circle inside oncall/: " + " -> ".join(cycle)


def test_a_lower_capability_never_imports_a_higher_one_nor_a_face():
    problems = layer_violations(import_graph())
    assert not problems, "oncall/ layering (see oncall/__init__.py):\n" + "\n".join(problems)


def test_every_capability_package_exists_and_is_walked():
    graph = import_graph()
    for capability in CAPABILITIES:
        assert f"oncall.{capability}.models" in graph
        assert f"oncall.{capability}.services" in graph or capability == "alerts"
    # The walk sees deferred imports too: paging imports notification_send from people.
    assert "oncall.people.services" in graph["oncall.escalation.paging"]


def test_the_checks_catch_a_circle_a_deferred_import_and_an_upward_import():
    known = {"oncall.people.services", "oncall.review.services", "oncall.services"}
    deferred = "def f():\n    from oncall.review.services import alert_review_close\n"
    graph = {
        "oncall.people.services": imports_of(deferred, known, "oncall.people.services"),
        "oncall.review.services": {"oncall.people.services"},
        "oncall.services": {"oncall.people.services"},
    }
    assert find_cycle(graph) == [
        "oncall.people.services",
        "oncall.review.services",
        "oncall.people.services",
    ]
    assert layer_violations(graph) == [
        "oncall.people.services imports oncall.review.services, a higher capability"
    ]
    assert layer_violations({"oncall.review.services": {"oncall.services"}}) == [
        "oncall.review.services imports the face oncall.services"
    ]
    skipped = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import oncall.services\n"
    assert imports_of(skipped, known) == set()
