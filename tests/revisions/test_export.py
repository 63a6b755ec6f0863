"""The export after a revision: exact rows only by default, the others on request."""

from __future__ import annotations

import csv
import io
import json

from factcheck.extensions import db
from factcheck.models import Status
from factcheck.services import export
from tests.export.oracle import fast, reference

from .conftest import DEBT, INQUIRY, JOBS, TEXT

NEW = "Mise à jour : une précision.\n\n" + TEXT.replace("créés", "crées").replace(
    "L'opposition conteste ces chiffres et demande une enquête parlementaire.",
    "L'opposition se tait.",
)


def setup_revision(client, login, admin, article, claim):
    ids = {
        "ok": claim(DEBT, status=Status.APPROVED).id,
        "relocated": claim(JOBS, status=Status.APPROVED).id,
        "orphaned": claim(INQUIRY, status=Status.APPROVED).id,
    }
    login(admin)
    response = client.post(f"/api/v1/articles/{article.id}/revisions", json={"text": NEW})
    assert response.status_code == 201
    return ids


def rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8"), newline="")))


def test_the_exact_export_holds_only_ok_rows_whose_offsets_index_the_current_text(
    client, login, admin, article, claim
):
    ids = setup_revision(client, login, admin, article, claim)
    found = rows(client.get("/api/v1/export.csv?status=all"))
    assert [int(r["annotation_id"]) for r in found] == [ids["ok"]]
    (row,) = found
    assert list(row)[21] == "article_revision" and row["article_revision"] == "2"
    assert NEW[int(row["start"]) : int(row["end"])] == row["quote"]


def test_the_anchor_filter_gives_the_others(client, login, admin, article, claim):
    ids = setup_revision(client, login, admin, article, claim)
    every = rows(client.get("/api/v1/export.csv?status=all&anchor=all"))
    assert {int(r["annotation_id"]) for r in every} == set(ids.values())
    orphans = rows(client.get("/api/v1/export.csv?status=all&anchor=orphaned"))
    assert [(int(r["annotation_id"]), r["article_revision"]) for r in orphans] == [
        (ids["orphaned"], "1")
    ]
    bad = client.get("/api/v1/export.csv?anchor=lost")
    assert bad.status_code == 422
    assert bad.json["error"]["field"] == "anchor"


def test_json_lines_carry_anchor_revision_and_the_previous_span(
    client, login, admin, article, claim
):
    ids = setup_revision(client, login, admin, article, claim)
    response = client.get("/api/v1/export.jsonl?status=all&anchor=all")
    records = {r["annotation_id"]: r for r in map(json.loads, response.data.splitlines())}
    ok, moved = records[ids["ok"]], records[ids["relocated"]]
    assert (ok["anchor"], ok["article_revision"], ok["previous"]) == ("ok", 2, None)
    assert moved["anchor"] == "relocated" and moved["article_revision"] == 2
    assert moved["previous"] == {
        "start": TEXT.index(JOBS),
        "end": TEXT.index(JOBS) + len(JOBS),
        "quote": JOBS,
        "revision": 1,
    }
    assert records[ids["orphaned"]]["article_revision"] == 1


def test_the_fast_csv_path_and_the_reference_writer_agree_after_a_revision(
    client, login, admin, article, claim
):
    setup_revision(client, login, admin, article, claim)
    for anchor in ("ok", "all", "relocated,orphaned"):
        filters = export.parse_filters({"status": "all", "anchor": anchor})
        assert fast(db.session, filters) == reference(db.session, filters)
        assert fast(db.session, filters, safe=True) == reference(db.session, filters, safe=True)


def test_the_cli_export_takes_the_anchor_filter(app, client, login, admin, article, claim):
    ids = setup_revision(client, login, admin, article, claim)
    result = app.test_cli_runner().invoke(
        args=["export", "--status", "all", "--anchor", "relocated"]
    )
    assert result.exit_code == 0, result.output
    found = list(csv.DictReader(io.StringIO(result.output)))
    assert [int(r["annotation_id"]) for r in found] == [ids["relocated"]]
