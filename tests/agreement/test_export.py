"""What the export says of double annotation: the annotators' versions of adjudicated
claims, and every annotator's own claims on request."""

from __future__ import annotations

import json

from factcheck.cli.exporting import export_command
from factcheck.extensions import db
from factcheck.models import Role
from factcheck.services import adjudication, assignments

from .test_api import TEXT


def _adjudicated(make):
    admin = make.user("admin", roles=[Role.ADMIN])
    ann, bob = make.user("ann"), make.user("bob")
    rev = make.user("rev", roles=[Role.REVIEWER])
    article = make.article(TEXT)
    assignment = assignments.create(
        db.session,
        admin,
        {"name": "E", "article_ids": [article.id], "annotators": ["ann", "bob"], "per_article": 2},
    )
    a = make.annotation(article=article, author=ann, start=0, end=30, verdict="false")
    b = make.annotation(article=article, author=bob, start=0, end=30, verdict="mixed")
    make.annotation(article=article, author=bob, start=65, end=90, verdict="true")
    for user in (ann, bob):
        assignments.mark_done(db.session, assignment, article.id, user)
    aa = adjudication.get(db.session, assignment.id, article.id)
    adjudication.decide(
        db.session, aa, rev, {"start": 0, "end": 30, "decision": "accept", "annotation_id": b.id}
    )
    db.session.commit()
    return assignment, a, b


def _lines(result):
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.strip()]


def test_jsonl_carries_the_versions_of_an_adjudicated_claim(app, make):
    assignment, a, b = _adjudicated(make)
    result = app.test_cli_runner().invoke(export_command, ["--format", "jsonl"])
    (record,) = _lines(result)
    assert record["adjudication"]["accepted_version"] == b.id
    assert record["adjudication"]["adjudicator"] == "rev"
    versions = {v["annotator"]: v["verdict"] for v in record["adjudication"]["versions"]}
    assert versions == {"ann": "false", "bob": "mixed"}


def test_include_unadjudicated_adds_every_annotators_own_claims(app, make):
    assignment, a, b = _adjudicated(make)
    result = app.test_cli_runner().invoke(
        export_command, ["--format", "jsonl", "--include-unadjudicated"]
    )
    lines = _lines(result)
    versions = [line for line in lines if line.get("record") == "annotator_version"]
    assert len(lines) == 4 and len(versions) == 3
    assert {(v["annotator"], v["verdict"], v["accepted"]) for v in versions} == {
        ("ann", "false", False),
        ("bob", "mixed", True),
        ("bob", "true", False),
    }
    assert all(v["assignment_id"] == assignment.id for v in versions)


def test_include_unadjudicated_is_for_json_lines_only(app, make):
    result = app.test_cli_runner().invoke(export_command, ["--include-unadjudicated"])
    assert result.exit_code != 0
    assert "--format jsonl" in result.output
