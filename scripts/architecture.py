"""Counts how the apps under src/aiom depend on each other (issue 16's figures).

    python scripts/architecture.py [--json] [--list late|mutual|core|loops]

An import statement between two apps is *load-time* when it sits at module level
(outside `if TYPE_CHECKING:`), *late* when it sits inside a function, and *typing* when
it only runs for the type checker. Migrations are left out. A *module loop* is a group of
modules that reach each other through imports, late ones included (a strongly connected
component of the module graph with more than one member); an *app loop* is the same
over apps. Stage-key literals are counted by tests/architecture/test_vocabulary.py.
"""

import argparse
import ast
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
ROOT = SRC / "aiom"


@dataclass(frozen=True)
class Edge:
    source: str  # module, dotted
    target: str  # module, dotted
    kind: str  # "load" | "late" | "typing"
    line: int


@dataclass
class Graph:
    modules: set[str] = field(default_factory=set)
    edges: list[Edge] = field(default_factory=list)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def app_of(module: str) -> str:
    """`aiom.insights.analytics.spans` -> `insights`; top-level modules (`aiom.urls`) -> `aiom`."""
    parts = module.split(".")
    if len(parts) >= 2 and (ROOT / parts[1]).is_dir():
        return parts[1]
    return "aiom"


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    if not prefix.startswith("aiom"):
        return []
    # `from aiom.x import y` names a module when y is one, else the module x itself
    targets = []
    for alias in node.names:
        candidate = f"{prefix}.{alias.name}"
        path = SRC / Path(*candidate.split("."))
        targets.append(candidate if path.with_suffix(".py").exists() or path.is_dir() else prefix)
    return targets


def _walk(tree: ast.AST, module: str, is_package: bool) -> list[Edge]:
    edges: list[Edge] = []

    def visit(node: ast.AST, kind: str) -> None:
        for child in ast.iter_child_nodes(node):
            child_kind = kind
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                child_kind = "late" if kind == "load" else kind
            elif isinstance(child, ast.If) and _is_type_checking(child):
                for sub in child.body:
                    visit_one(sub, "typing")
                for sub in child.orelse:
                    visit_one(sub, kind)
                continue
            visit_one(child, child_kind)

    def visit_one(node: ast.AST, kind: str) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("aiom"):
                    edges.append(Edge(module, alias.name, kind, node.lineno))
        elif isinstance(node, ast.ImportFrom):
            for target in _resolve(module, is_package, node):
                edges.append(Edge(module, target, kind, node.lineno))
        visit(node, kind)

    visit(tree, "load")
    return edges


def build() -> Graph:
    graph = Graph()
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = module_name(path)
        graph.modules.add(module)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph.edges.extend(_walk(tree, module, path.name == "__init__.py"))
    return graph


def _sccs(nodes: set[str], succ: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's strongly connected components, iteratively."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    counter = 0
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(succ.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(succ.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(component)
    return found


def _owner_module(graph: Graph, target: str) -> str:
    """The module an import lands in (`aiom.x.y.name` -> `aiom.x.y` when name is not one)."""
    while target and target not in graph.modules:
        target = target.rpartition(".")[0]
    return target


def figures(graph: Graph) -> dict[str, object]:
    cross = [
        e
        for e in graph.edges
        if app_of(e.source) != app_of(e.target)
        and "aiom" not in (app_of(e.source), app_of(e.target))
    ]
    module_succ: dict[str, set[str]] = defaultdict(set)
    app_succ: dict[str, set[str]] = defaultdict(set)
    for e in graph.edges:
        if e.kind == "typing":
            continue
        target = _owner_module(graph, e.target)
        if target and target != e.source:
            module_succ[e.source].add(target)
    for e in cross:
        if e.kind != "typing":
            app_succ[app_of(e.source)].add(app_of(e.target))
    apps = {app_of(m) for m in graph.modules} - {"aiom"}
    module_loops = _sccs(graph.modules, module_succ)
    app_loops = _sccs(apps, app_succ)
    mutual = sorted(
        f"{a} <-> {b}"
        for a in apps
        for b in apps
        if a < b and b in app_succ[a] and a in app_succ[b]
    )
    core_imports = sorted({app_of(e.target) for e in cross if app_of(e.source) == "core"})

    def statements(kind: str) -> int:
        return len({(e.source, e.line) for e in cross if e.kind == kind})

    load_succ: dict[str, set[str]] = defaultdict(set)
    for e in cross:
        if e.kind == "load":
            load_succ[app_of(e.source)].add(app_of(e.target))
    mutual_load = sorted(
        f"{a} <-> {b}"
        for a in apps
        for b in apps
        if a < b and b in load_succ[a] and a in load_succ[b]
    )
    return {
        "cross_app_import_statements_load_time": statements("load"),
        "cross_app_import_statements_late": statements("late"),
        "cross_app_import_statements_typing_only": statements("typing"),
        "module_loops": len(module_loops),
        "module_loop_sizes": sorted((len(c) for c in module_loops), reverse=True),
        "mutually_importing_app_pairs_load_time": len(mutual_load),
        "mutually_importing_app_pairs_late_included": len(mutual),
        "largest_app_loop_load_time": max((len(c) for c in _sccs(apps, load_succ)), default=0),
        "largest_app_loop_late_included": max((len(c) for c in app_loops), default=0),
        "core_imports_apps": core_imports,
        "_late": sorted(f"{e.source}:{e.line} -> {e.target}" for e in cross if e.kind == "late"),
        "_mutual": [p + ("" if p in mutual_load else "  (late only)") for p in mutual],
        "_loops": [sorted(c) for c in module_loops],
        "_core": sorted(
            f"{e.source}:{e.line} -> {e.target}" for e in cross if app_of(e.source) == "core"
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--list", choices=["late", "mutual", "core", "loops"])
    args = parser.parse_args()
    found = figures(build())
    if args.list:
        for line in found[f"_{args.list}"]:  # type: ignore[attr-defined]
            print(line)
        return 0
    shown = {k: v for k, v in found.items() if not k.startswith("_")}
    if args.json:
        print(json.dumps(shown, indent=2))
    else:
        for key, value in shown.items():
            print(f"{key.replace('_', ' ')}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
