"""The floors follow the pipeline (docs/architecture.md): an app imports only
the apps on floors below it, never one above, not even inside a function.
Read from the source with `ast`, so an import hidden in a function body
counts as much as one at the top of a file."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Lowest first. Each app may import the apps before it in this list.
FLOORS = [
    "oasis",
    "accounts",
    "notifications",
    "proposals",  # the pipeline core and the free proposal
    "answers",
    "debates",
    "meetings",
    "tracking",
    "panel",  # the citizen panel (상상누리단) and its ratings
    "awards",  # rewards for adopted proposers, 이달의 상상지기, yearly best policies
    "themes",  # themed calls for proposals (테마상상)
    "polls",  # city polls (서울시가 묻습니다)
    "mileage",
    "pipeline",  # the conductor
    "stats",  # open statistics and the monthly and yearly reports
    "institutions",  # partner institutions' spaces (/org/<slug>/) and their registration
    "opendata",  # nightly bulk files and their data dictionary
    "api",  # the read API (/api/v1/)
    "demo",
    "bench",
]


def _imported_apps(path: Path) -> set[tuple[str, int]]:
    """(top-level package, line) of every absolute import in `path`."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update((alias.name.partition(".")[0], node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add((node.module.partition(".")[0], node.lineno))
    return found


def test_no_app_imports_an_app_above_it():
    upward = []
    for floor, app in enumerate(FLOORS):
        folder = ROOT / app
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            for imported, line in sorted(_imported_apps(path)):
                if imported in FLOORS and FLOORS.index(imported) > floor:
                    upward.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    assert upward == []


def test_every_project_app_has_a_floor():
    apps = {name.partition(".")[0] for name in settings.INSTALLED_APPS}
    local = {app for app in apps if (ROOT / app / "apps.py").exists() or (ROOT / app).is_dir()}
    local = {app for app in local if (ROOT / app / "__init__.py").exists()}
    assert local - set(FLOORS) == set()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _project_modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for app in FLOORS
        if (ROOT / app).is_dir()
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    }


def _imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules `name` imports, wherever in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from x import y` imports x.y when y is a module, else x.
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            targets = [t for t in targets if t in modules][:1] or [base]
        else:
            continue
        found.update(t for t in targets if t in modules and t != name)
    return found


def test_no_import_loop_between_files():
    """No two files import each other, directly or round a circle, not even
    through an import inside a function (which would only hide the loop)."""
    modules = _project_modules()
    graph = {name: _imports_of(name, path, modules) for name, path in modules.items()}
    loops, done = [], set()

    def visit(name, trail):
        if name in trail:
            loops.append(" -> ".join([*trail[trail.index(name) :], name]))
            return
        if name in done:
            return
        for imported in sorted(graph[name]):
            visit(imported, [*trail, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    assert loops == []
