"""No import circles between Canal's modules, counting imports inside functions too: a circle hidden
behind a function-level import still ties two modules' designs together (docs/architecture.md)."""

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[3]


def _module_of(path: Path) -> str:
    parts = path.relative_to(SOURCE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    paths = [p for p in SOURCE.rglob("*.py") if not {"tests", "migrations"} & set(p.parts)]
    modules = {_module_of(path): path for path in paths}
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("canal"):
                names = {f"{node.module}.{alias.name}" for alias in node.names}
                imported |= {name for name in names if name in modules} or {node.module}
        # A package's own __init__ is not an edge: importing canal.x.y always runs canal.x first.
        graph[module] = {name for name in imported if name in modules and name != module}
    return graph


def test_no_module_imports_itself_through_others():
    try:
        TopologicalSorter(_imports()).prepare()
    except CycleError as error:
        raise AssertionError(f"import circle: {' -> '.join(error.args[1])}") from None
