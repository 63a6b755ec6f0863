"""The format registry: every entry point reads it, every writer yields bytes, and the
export package's imports run one way."""

from __future__ import annotations

import ast
import json
from datetime import date
from pathlib import Path

import pytest

import factcheck.services.export as package
from factcheck.cli.exporting import export_command
from factcheck.extensions import db
from factcheck.models import Role, Status
from factcheck.services import export
from factcheck.services.errors import BadRequest


def test_the_formats():
    assert [(f.name, f.suffix, f.media_type) for f in export.FORMATS.values()] == [
        ("csv", "csv", "text/csv; charset=utf-8"),
        ("jsonl", "jsonl", "application/jsonl; charset=utf-8"),
        ("claimreview", "claimreview.json", "application/ld+json; charset=utf-8"),
    ]
    assert [f.name for f in export.FORMATS.values() if f.approved_only] == ["claimreview"]
    assert [f.name for f in export.FORMATS.values() if f.spreadsheet_mode] == ["csv"]


@pytest.mark.parametrize("fmt", list(export.FORMATS.values()), ids=lambda f: f.name)
def test_each_format_streams_bytes_with_its_media_type_and_name(
    client, login, reviewer, reviewed, fmt
):
    reviewed(claim="Noël « été » 🎉")
    reviewed(status=Status.SUBMITTED)
    login(reviewer)
    for url in (f"/api/v1/export.{fmt.suffix}", f"/export/download.{fmt.suffix}?mode=exact"):
        response = client.get(url + ("&" if "?" in url else "?") + "status=all")
        assert response.status_code == 200, url
        assert response.headers["Content-Type"] == fmt.media_type
        disposition = response.headers["Content-Disposition"]
        assert disposition.endswith(f'-all-exact.{fmt.suffix}"')
        assert "Noël « été » 🎉".encode() in response.data
    filters = export.parse_filters({"status": "all"})
    pairs = list(export.chunks(db.session, fmt.name, filters))
    assert pairs and all(isinstance(data, bytes) for _n, data in pairs)
    rows = sum(n for n, _data in pairs)
    assert (
        rows == export.count_for(db.session, fmt.name, filters) == (1 if fmt.approved_only else 2)
    )


def test_an_unknown_suffix_is_not_a_download(client, login, reviewer):
    login(reviewer)
    assert client.get("/export/download.xml").status_code == 404
    assert client.get("/export/download.claimreview").status_code == 404
    assert client.get("/api/v1/export.xml").status_code == 404


def test_an_unknown_format_names_the_known_ones(app_ctx):
    with pytest.raises(BadRequest) as raised:
        export.chunks(db.session, "xml", export.parse_filters({}))
    assert raised.value.message == "Unknown format xml: use csv, jsonl, claimreview."


def test_the_cli_offers_the_registry(app):
    option = next(p for p in export_command.params if p.name == "fmt")
    assert list(option.type.choices) == list(export.FORMATS)
    help_text = app.test_cli_runner().invoke(export_command, ["--help"]).output
    for fmt in export.FORMATS.values():
        assert fmt.name in help_text


def test_file_names_take_the_suffix():
    day = date(2026, 11, 30)
    names = [export.filename(name, day) for name in export.FORMATS]
    assert names == [
        "factcheck-export-2026-11-30-exact.csv",
        "factcheck-export-2026-11-30-exact.jsonl",
        "factcheck-export-2026-11-30-exact.claimreview.json",
    ]


def test_json_lines_hold_no_private_keys(client, login, reviewer, reviewed):
    reviewed()
    login(reviewer)
    (record,) = map(json.loads, client.get("/api/v1/export.jsonl").data.splitlines())
    assert not [key for key in record if key.startswith("_")]
    # new keys go after the old ones (issue 26: the desk's memory)
    assert list(record)[-7:] == [
        "adjudication",
        "claimant_id",
        "claim_date",
        "claim_medium",
        "appearances",
        "published_url",
        "published_at",
    ]


def _imports(path: Path) -> set[str]:
    """The sibling modules ``path`` imports (``from .x import``, ``from . import x``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        names = {alias.name for alias in node.names}
        back = (node.level == 2 and (node.module == "export" or "export" in names)) or (
            node.level == 0 and (node.module or "").startswith("factcheck.services.export")
        )
        if back:
            found.add("__init__")  # the package itself
    return found


def test_the_package_imports_run_one_way():
    """No cycle among the export modules, and no module imports the package back."""
    folder = Path(package.__file__).parent
    graph = {p.stem: _imports(p) for p in folder.glob("*.py") if p.stem != "__init__"}
    assert all("__init__" not in deps for deps in graph.values())
    order: list[str] = []
    while graph:
        ready = sorted(name for name, deps in graph.items() if not deps & graph.keys())
        assert ready, f"import cycle among {sorted(graph)}"
        order += ready
        for name in ready:
            del graph[name]
    assert order.index("filters") < order.index("query") < order.index("csv")
    assert order[-1] == "registry"


def test_download_names_say_which_project_they_hold(app_ctx, client, login, make):
    """A desk exporting two projects tells the files apart (issue 23, item 31)."""
    from factcheck.services import project_members, projects

    other = projects.create_project(db.session, name="Vérifs locales", slug="locales")
    user = make.user(roles=[Role.REVIEWER])
    project_members.add_member_roles(db.session, other, user, [Role.REVIEWER])
    db.session.commit()
    login(user)

    def name(query: str) -> str:
        disposition = client.get(f"/api/v1/export.csv{query}").headers["Content-Disposition"]
        return disposition.removeprefix('attachment; filename="').split("-20")[0]

    assert name("?project=locales") == "factcheck-locales"
    assert name("?project=default") == "factcheck-default"
    assert name("") == "factcheck-all-projects"  # a reviewer of both
    assert export.filename("csv", date(2026, 11, 30), project="locales") == (
        "factcheck-locales-2026-11-30-exact.csv"
    )
