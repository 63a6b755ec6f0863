"""Confirming "same claim": stored on the annotation, in its history, in the exports."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import ClaimLink, FactCheck, ReviewEvent, Role, Status

URL = "https://fact.example.org/2024/putin-election"


@pytest.fixture
def setup(make):
    author = make.user("author", roles=[Role.ANNOTATOR])
    other = make.user("other", roles=[Role.ANNOTATOR])
    reviewer = make.user("reviewer", roles=[Role.REVIEWER])
    mine = make.annotation(author=author, status=Status.SUBMITTED, claim="Poutine n'a rien fait")
    known = make.annotation(author=other, status=Status.APPROVED, claim="Putin did nothing")
    draft = make.annotation(author=other, status=Status.DRAFT, claim="Putin did nothing")
    make.session.add(FactCheck(url=URL, claim="Putin did nothing", rating="False"))
    make.session.commit()
    return {"author": author, "reviewer": reviewer, "mine": mine, "known": known, "draft": draft}


def _post(client, annotation, target, version, method="post"):
    call = getattr(client, method)
    return call(
        f"/api/v1/annotations/{annotation.id}/same_as",
        json={"target": target, "version": version},
    )


def test_confirming_bumps_version_writes_history_and_exports(client, login, setup):
    mine, known = setup["mine"], setup["known"]
    login(setup["author"])
    response = _post(client, mine, f"annotation:{known.id}", mine.version)
    assert response.status_code == 201
    assert response.get_json()["same_as"] == [f"annotation:{known.id}"]
    response = _post(client, mine, URL, response.get_json()["version"])
    assert response.status_code == 201
    answer = response.get_json()
    assert answer["version"] == 3
    assert answer["same_as"] == [f"annotation:{known.id}", URL]
    events = db.session.scalars(
        select(ReviewEvent).where(ReviewEvent.annotation_id == mine.id).order_by(ReviewEvent.id)
    ).all()
    assert [e.comment for e in events[-2:]] == [
        f"same claim as annotation:{known.id}",
        f"same claim as {URL}",
    ]
    assert events[-1].from_status is events[-1].to_status is Status.SUBMITTED
    assert events[-1].version == 3

    login(setup["reviewer"])
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/export.csv?status=all").text)))
    by_id = {row["annotation_id"]: row for row in rows}
    assert list(rows[0])[22] == "same_as"
    assert by_id[str(mine.id)]["same_as"] == f"annotation:{known.id} {URL}"
    assert by_id[str(known.id)]["same_as"] == ""
    lines = client.get("/api/v1/export.jsonl?status=all").text.splitlines()
    records = {r["annotation_id"]: r for r in map(json.loads, lines)}
    assert records[mine.id]["same_as"] == [f"annotation:{known.id}", URL]


def test_removing_a_link(client, login, setup):
    mine, known = setup["mine"], setup["known"]
    login(setup["author"])
    version = _post(client, mine, f"annotation:{known.id}", mine.version).get_json()["version"]
    response = _post(client, mine, f"annotation:{known.id}", version, method="delete")
    assert response.status_code == 200
    assert response.get_json() == {"id": mine.id, "version": version + 1, "same_as": []}
    assert db.session.scalars(select(ClaimLink)).all() == []
    again = _post(client, mine, f"annotation:{known.id}", version + 1, method="delete")
    assert again.status_code == 404


def test_stale_version_is_409_and_nothing_stored(client, login, setup):
    login(setup["author"])
    response = _post(client, setup["mine"], f"annotation:{setup['known'].id}", 99)
    assert response.status_code == 409
    assert db.session.scalars(select(ClaimLink)).all() == []


@pytest.mark.parametrize(
    "target",
    ["", "annotation:x", "annotation:999999", "https://unknown.example.org/x", "self", "draft"],
)
def test_bad_targets_are_422_naming_target(client, login, setup, target):
    mine = setup["mine"]
    target = {"self": f"annotation:{mine.id}", "draft": f"annotation:{setup['draft'].id}"}.get(
        target, target
    )
    login(setup["author"])
    response = _post(client, mine, target, mine.version)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "target"


def test_only_the_author_or_a_reviewer_confirms(client, login, make, setup):
    stranger = make.user("stranger", roles=[Role.ANNOTATOR])
    login(stranger)
    response = _post(client, setup["mine"], f"annotation:{setup['known'].id}", 1)
    assert response.status_code == 403
    login(setup["reviewer"])
    response = _post(client, setup["mine"], f"annotation:{setup['known'].id}", 1)
    assert response.status_code == 201
