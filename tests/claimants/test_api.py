"""The claimants API: suggestions, list, create, read, edit, merge; bad input, races and
who may do what."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from factcheck.extensions import db
from factcheck.models import Annotation, Claimant, Role, Status
from factcheck.services import claimants


def test_suggestions_answer_the_contract_shape(client, make, login, claimant, claim):
    maire = claimant("Le maire", aliases=["Le maire sortant"], description="Maire de Lyon")
    claim(maire, status=Status.APPROVED)
    claim(maire, status=Status.DRAFT)  # somebody else's draft: not counted
    login(make.user(roles=[Role.ANNOTATOR]))
    answer = client.get("/api/v1/claimants?q=Mair")
    assert answer.status_code == 200
    [item] = answer.json["items"]
    assert item == {
        "id": maire.id,
        "name": "Le maire",
        "kind": "person",
        "description": "Maire de Lyon",
        "aliases": ["Le maire sortant"],
        "same_as": [],
        "merged_into": None,
        "version": 1,
        "claims": 1,
        "matched_alias": None,
    }
    assert client.get("/api/v1/claimants?q=sortant").json["items"][0]["matched_alias"] == (
        "Le maire sortant"
    )


def test_the_list_without_q_is_paginated(client, make, login, claimant):
    for name in ["Bernard", "Alice", "Chloé"]:
        claimant(name)
    login(make.user(roles=[Role.REVIEWER]))
    first = client.get("/api/v1/claimants?per_page=2").json
    assert [i["name"] for i in first["items"]] == ["Alice", "Bernard"]
    assert first["total"] == 3
    second = client.get("/api/v1/claimants?per_page=2&page=2").json
    assert [i["name"] for i in second["items"]] == ["Chloé"]


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/claimants?colour=red",
        "/api/v1/claimants?q=a&limit=0",
        "/api/v1/claimants?q=a&limit=x",
        "/api/v1/claimants?q=a&page=2",
        "/api/v1/claimants?per_page=5000",
    ],
)
def test_unknown_or_bad_parameters_are_refused(client, make, login, query):
    login(make.user(roles=[Role.ANNOTATOR]))
    answer = client.get(query)
    assert answer.status_code == 400
    assert answer.json["error"]["message"]


def test_annotator_creates_and_admin_edits(client, make, login_as):
    login_as(make.user(roles=[Role.ANNOTATOR]))
    created = client.post(
        "/api/v1/claimants",
        json={
            "name": "Ministère de la Santé",
            "kind": "organization",
            "aliases": ["Le ministère"],
            "same_as": ["https://www.wikidata.org/wiki/Q3145"],
        },
    )
    assert created.status_code == 201
    cid = created.json["id"]
    assert created.headers["Location"] == f"/api/v1/claimants/{cid}"
    assert (
        client.patch(f"/api/v1/claimants/{cid}", json={"version": 1, "name": "X"}).status_code
        == 403
    )
    login_as(make.user(roles=[Role.PROJECT_ADMIN]))
    changed = client.patch(f"/api/v1/claimants/{cid}", json={"version": 1, "description": "Paris"})
    assert changed.status_code == 200
    assert (changed.json["description"], changed.json["version"]) == ("Paris", 2)
    stale = client.patch(f"/api/v1/claimants/{cid}", json={"version": 1, "description": "Lyon"})
    assert stale.status_code == 409
    assert stale.json["error"]["current"]["version"] == 2
    assert client.get(f"/api/v1/claimants/{cid}").json["description"] == "Paris"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "same_as": ["ftp://x.example/"]}, "same_as"),
        ({"name": "X", "kind": "animal"}, "kind"),
        ({"name": "X", "nickname": "Y"}, "nickname"),
        ({"name": ["X"]}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "X", "aliases": "Y"}, "aliases"),
    ],
)
def test_bad_claimants_are_422_naming_the_field(client, make, login, body, field):
    login(make.user(roles=[Role.ANNOTATOR]))
    answer = client.post("/api/v1/claimants", json=body)
    assert answer.status_code == 422
    assert answer.json["error"]["field"] == field
    assert db.session.query(Claimant).count() == 0


def test_merge_through_the_api(client, make, login, claimant, claim):
    kept, other = claimant("Le maire"), claimant("Le maire sortant")
    moved = claim(other, status=Status.SUBMITTED)
    login(make.user(roles=[Role.ADMIN]))
    answer = client.post(
        f"/api/v1/claimants/{other.id}/merge", json={"into": kept.id, "version": 1}
    )
    assert answer.status_code == 200
    assert answer.json["id"] == kept.id
    assert answer.json["aliases"] == ["Le maire sortant"]
    assert answer.json["claims"] == 1
    assert db.session.get(Annotation, moved.id).claimant_id == kept.id
    gone = client.get(f"/api/v1/claimants/{other.id}").json
    assert gone["merged_into"] == kept.id
    # the same merge again (a second admin, a second click): the source moved on
    again = client.post(f"/api/v1/claimants/{other.id}/merge", json={"into": kept.id, "version": 1})
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"into": "self"}, 422, "into"),
        ({"into": "merged"}, 422, "into"),
        ({"into": "x", "version": 1}, 422, "into"),
        ({"into": 999999999, "version": 1}, 422, "into"),
        ({"into": "kept"}, 422, "version"),
        ({"into": "kept", "version": 1, "force": True}, 422, "force"),
    ],
)
def test_bad_merges(client, make, login, claimant, body, status, field):
    source, kept, merged = claimant("A"), claimant("B"), claimant("C")
    merged.merged_into_id = kept.id
    db.session.commit()
    ids = {"self": source.id, "merged": merged.id, "kept": kept.id}
    body = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    if body.get("into") in (source.id, merged.id):
        body["version"] = 1
    login(make.user(roles=[Role.ADMIN]))
    answer = client.post(f"/api/v1/claimants/{source.id}/merge", json=body)
    assert answer.status_code == status
    assert answer.json["error"]["field"] == field
    assert db.session.get(Claimant, source.id).merged_into_id is None


def test_two_admins_merging_at_once_one_wins_the_other_gets_409(app, claimant, claim):
    """Both read the claimant at version 1; the second's conditional UPDATE finds none."""
    source, first_target, second_target = claimant("A"), claimant("B"), claimant("C")
    moved = claim(source)
    other = Session(db.engine, expire_on_commit=False)
    try:
        seen = other.get(Claimant, source.id)  # the second admin's page, before the first's merge
        assert seen.version == 1
        other.commit()  # as a request does: its write transaction starts after reading
        claimants.merge(db.session, source, first_target.id, 1)
        db.session.commit()
        with pytest.raises(claimants.edit.Conflict):
            claimants.merge(other, seen, second_target.id, 1)
        other.rollback()
    finally:
        other.close()
    db.session.expire_all()
    assert db.session.get(Claimant, source.id).merged_into_id == first_target.id
    assert db.session.get(Annotation, moved.id).claimant_id == first_target.id
    assert db.session.get(Claimant, second_target.id).aliases == []


@pytest.mark.parametrize(
    ("roles", "read", "create", "edit"),
    [
        ([Role.ANNOTATOR], 200, 201, 403),
        ([Role.REVIEWER], 200, 403, 403),
        ([Role.PROJECT_ADMIN], 200, 201, 200),
        ([Role.ADMIN], 200, 201, 200),
        ([], 403, 403, 403),
    ],
)
def test_who_may_do_what(client, make, login, claimant, roles, read, create, edit):
    row, into = claimant("A"), claimant("B")
    login(make.user(roles=roles))
    assert client.get("/api/v1/claimants?q=a").status_code == read
    assert client.get(f"/api/v1/claimants/{row.id}").status_code == read
    assert client.post("/api/v1/claimants", json={"name": "N"}).status_code == create
    assert client.patch(f"/api/v1/claimants/{row.id}", json={"version": 1}).status_code == edit
    merge = client.post(f"/api/v1/claimants/{row.id}/merge", json={"into": into.id, "version": 2})
    assert merge.status_code == (403 if edit == 403 else 200)


def test_logged_out_gets_401(client, claimant):
    row = claimant("A")
    assert client.get("/api/v1/claimants?q=a").status_code == 401
    assert client.get(f"/api/v1/claimants/{row.id}").status_code == 401


def test_unknown_claimant_is_404(client, make, login):
    login(make.user(roles=[Role.ANNOTATOR]))
    assert client.get("/api/v1/claimants/12345").status_code == 404
