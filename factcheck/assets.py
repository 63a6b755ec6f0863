"""The pages' ES modules, fetched at once: ``module_graph("js/annotate.js")`` is every
module that script imports, directly or not, read from the files' ``import … from "./…"``
lines when the app starts. A page's head lists them as ``<link rel="modulepreload">``, so
the browser fetches the whole graph in parallel instead of discovering one level of
imports per round trip; a module added later is included without editing a template.
Dynamic ``import()`` is left out on purpose: what a page loads lazily stays lazy."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask, current_app

#: static imports only: ``import {a} from "./x.js"``, ``import "./x.js"``, ``export … from``
_IMPORT = re.compile(
    r"""^\s*(?:import|export)\s+(?:[^'";]*?\sfrom\s+)?["'](\.{1,2}/[^"']+\.js)["']""",
    re.MULTILINE,
)


def read_graph(static: Path) -> dict[str, list[str]]:
    """``"js/x.js"`` → the modules it imports statically, as paths under ``static``."""
    graph: dict[str, list[str]] = {}
    for path in sorted((static / "js").rglob("*.js")):
        name = path.relative_to(static).as_posix()
        text = path.read_text(encoding="utf-8")
        graph[name] = [
            (path.parent / found).resolve().relative_to(static.resolve()).as_posix()
            for found in _IMPORT.findall(text)
        ]
    return graph


def closure(graph: dict[str, list[str]], *entries: str) -> list[str]:
    """``entries`` and everything they import, each once, entries first then depth-first."""
    seen: dict[str, None] = {}
    stack = list(reversed(entries))
    while stack:
        name = stack.pop()
        if name in seen or name not in graph:
            continue
        seen[name] = None
        stack.extend(reversed(graph[name]))
    return list(seen)


def module_graph(*entries: str) -> list[str]:
    """The template global: the modules to preload for a page's entry scripts."""
    return closure(current_app.extensions["module_graph"], *entries)


def init_assets(app: Flask) -> None:
    app.extensions["module_graph"] = read_graph(Path(app.static_folder))
    app.add_template_global(module_graph, "module_graph")
