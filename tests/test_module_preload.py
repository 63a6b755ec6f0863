"""The annotate page preloads its scripts' whole module graph, read from the files
(factcheck/assets.py): every module a script imports, directly or not, and only those."""

from __future__ import annotations

import re
from pathlib import Path

from factcheck.assets import closure, read_graph
from factcheck.models import Role

STATIC = Path(__file__).resolve().parents[1] / "static"


def test_the_graph_is_read_from_the_import_lines(tmp_path):
    js = tmp_path / "js"
    js.mkdir()
    (js / "a.js").write_text('import { b } from "./b.js";\nimport "./c.js";\nconst x = 1;\n')
    (js / "b.js").write_text('export { c } from "./c.js";\nconst later = () => import("./d.js");\n')
    (js / "c.js").write_text("export const c = 1;\n")
    (js / "d.js").write_text("export const d = 1;\n")
    graph = read_graph(tmp_path)
    assert graph["js/a.js"] == ["js/b.js", "js/c.js"]
    assert graph["js/b.js"] == ["js/c.js"]  # the dynamic import() stays lazy
    assert closure(graph, "js/a.js") == ["js/a.js", "js/b.js", "js/c.js"]


def test_the_annotate_page_preloads_every_module_it_imports(client, make, login):
    me = make.user(roles=[Role.ANNOTATOR])
    article = make.article()
    login(me)
    html = client.get(f"/articles/{article.id}/annotate").get_data(as_text=True)
    preloaded = set(re.findall(r'rel="modulepreload" href="/static/(js/[^"?]+)', html))
    scripts = re.findall(r'<script type="module" src="/static/(js/[^"?]+)', html)
    assert "js/annotate.js" in scripts
    wanted = set(closure(read_graph(STATIC), *scripts))
    assert {"js/annotate-state.js", "js/selection.js", "js/api.js"} <= wanted
    assert preloaded == wanted
