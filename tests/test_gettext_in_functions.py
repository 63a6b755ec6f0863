"""Inside a service function a message is translated at once (``gettext``), in the
language of the request that asked; ``lazy_gettext`` is for module-level constants, whose
language is only known when they are shown."""

from __future__ import annotations

import ast
from pathlib import Path

SERVICES = Path(__file__).resolve().parents[1] / "factcheck" / "services"


def _lazy_calls_in_functions(source: str) -> list[int]:
    lines = []
    for function in ast.walk(ast.parse(source)):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in {"_l", "lazy_gettext"}
                ):
                    lines.append(node.lineno)
    return sorted(set(lines))


def test_the_finder_sees_a_lazy_call_in_a_function():
    assert _lazy_calls_in_functions("X = _l('a')\ndef f():\n    return _l('b')\n") == [3]


def test_no_service_function_translates_lazily():
    found = {
        path.relative_to(SERVICES).as_posix(): lines
        for path in SERVICES.rglob("*.py")
        if (lines := _lazy_calls_in_functions(path.read_text(encoding="utf-8")))
    }
    assert found == {}
