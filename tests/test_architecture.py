"""The architecture, checked on the source with ast (nothing is imported or run):

- the apps depend one way: submissions <- jury <- scoring <- frontend, config on top. A module
  never imports from an app above its own, not even inside a function;
- no project module is imported inside a function to dodge a cycle (AppConfig.ready, where
  Django wants start-up wiring, is the one place allowed);
- the pure modules (computation on plain data) import no Django, directly or through another
  project module;
- the pages import no API module: pages and the API call the same services and selectors;
- no module takes a private name (a leading underscore) from another module;
- no module is longer than 500 lines (tests and migrations aside).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {"submissions": 0, "jury": 1, "scoring": 2, "frontend": 3, "config": 4}
FRAMEWORKS = {"django", "rest_framework", "drf_spectacular", "django_filters", "storages", "celery"}
PURE = {
    "submissions.imports",
    "submissions.import_tables",
    "submissions.notices",
    "submissions.receipts",
    "submissions.sniffing",
    "submissions.demo.cities",
    "jury.conflicts",
    "jury.assignment",
    "jury.assignment_problem",
    "jury.assignment_flow",
    "jury.assignment_lp",
    "jury.assignment_explain",
    "scoring.validation",
    "scoring.queue",
    "scoring.totals",
    "scoring.fixed_effects",
    "scoring.aggregation",
    "scoring.agreement",
    "scoring.kendall",
    "scoring.uncertainty",
    "scoring.replicates",
    "scoring.design_checks",
    "scoring.cut",
    "scoring.agenda",
    "scoring.synthetic",
    "scoring.simulation",
    "scoring.standings",
    "scoring.charts",
    "scoring.report",
    "scoring.exports",
}


def _modules() -> dict[str, Path]:
    found = {}
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, ast.AST, list[ast.AST]]]:
    """(imported module, the import node, its enclosing function definitions) for each import."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []

    def visit(node, functions):
        for child in ast.iter_child_nodes(node):
            inside = functions
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                inside = [*functions, child]
            if isinstance(child, ast.Import):
                found.extend((alias.name, child, functions) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - (child.level - 1)]
                    target = ".".join([*base, *([child.module] if child.module else [])])
                else:
                    target = child.module
                found.append((target, child, functions))
                # "from . import x" imports a module x of the package, too
                found.extend(
                    (f"{target}.{alias.name}", child, functions)
                    for alias in child.names
                    if f"{target}.{alias.name}" in MODULES
                )
            visit(child, inside)

    visit(tree, [])
    return found


IMPORTS = {name: _imports(name, path) for name, path in MODULES.items()}


def test_the_apps_are_all_found():
    assert {name.split(".")[0] for name in MODULES} == set(LAYERS)
    assert len(MODULES) > 120


@pytest.mark.parametrize("app", list(LAYERS))
def test_no_app_imports_an_app_above_it(app):
    upward = [
        f"{MODULES[name].relative_to(ROOT)}:{node.lineno} imports {target}"
        for name, imports in IMPORTS.items()
        if name.split(".")[0] == app
        for target, node, _functions in imports
        if target.split(".")[0] in LAYERS and LAYERS[target.split(".")[0]] > LAYERS[app]
    ]
    assert upward == []


def test_no_project_module_is_imported_inside_a_function():
    hidden = [
        f"{MODULES[name].relative_to(ROOT)}:{node.lineno} imports {target} in {functions[-1].name}"
        for name, imports in IMPORTS.items()
        for target, node, functions in imports
        if functions
        and target.split(".")[0] in LAYERS
        and not (MODULES[name].name == "apps.py" and functions[0].name == "ready")
    ]
    assert hidden == []


def _reaches_a_framework(name: str, seen: set[str]) -> list[str]:
    """The chain from a module to the first framework it imports, if any."""
    for target, _node, _functions in IMPORTS.get(name, []):
        if target.split(".")[0] in FRAMEWORKS:
            return [name, target]
        if target in MODULES and target not in seen:
            seen.add(target)
            chain = _reaches_a_framework(target, seen)
            if chain:
                return [name, *chain]
    return []


@pytest.mark.parametrize("module", sorted(PURE))
def test_a_pure_module_imports_no_django(module):
    assert module in MODULES, f"{module} is listed as pure but does not exist"
    assert _reaches_a_framework(module, {module}) == []


def test_the_pages_import_no_api_module():
    through_the_api = [
        f"{MODULES[name].relative_to(ROOT)}:{node.lineno} imports {target}"
        for name, imports in IMPORTS.items()
        if name.startswith("frontend.")
        for target, node, _functions in imports
        if target.split(".")[0] in LAYERS and ".api" in f".{target.partition('.')[2]}"
    ]
    assert through_the_api == []


def test_no_module_takes_a_private_name_from_another():
    private = [
        f"{MODULES[name].relative_to(ROOT)}:{node.lineno} takes {alias.name} from {target}"
        for name, imports in IMPORTS.items()
        for target, node, _functions in imports
        if isinstance(node, ast.ImportFrom) and target.split(".")[0] in LAYERS
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]
    assert private == []


def test_no_module_is_longer_than_a_reader_takes_in_at_once():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in MODULES.values()
        if (lines := len(path.read_text().splitlines())) > 500
    }
    assert long == {}


def test_tests_take_nothing_from_a_conftest():
    """Fixtures come from conftest files by pytest's own wiring; helpers and worlds live in
    modules (tests/worlds.py, tests/factories.py, tests/support/) that tests import."""
    taken = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or "", *(alias.name for alias in node.names)]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            if any("conftest" in name for name in names):
                taken.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert taken == []
