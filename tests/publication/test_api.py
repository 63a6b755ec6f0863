"""POST /api/v1/annotations/<id>/publish (and DELETE): the annotation's JSON, or a sentence."""

from __future__ import annotations

import pytest

from factcheck.extensions import db
from factcheck.models import ReviewEvent, Status

URL = "https://verif.example/2026/chomage"


def post(client, annotation, **body):
    return client.post(f"/api/v1/annotations/{annotation.id}/publish", json=body)


def test_publish_answers_the_annotation(client, login_as, desk):
    login_as(desk.reviewer)
    r = post(
        client, desk.approved, published_url=URL, published_at="2026-12-01T09:30:00Z", version=1
    )
    assert r.status_code == 200, r.json
    assert (r.json["id"], r.json["status"], r.json["version"]) == (desk.approved.id, "approved", 2)
    last = r.json["history"][-1]
    assert (last["from"], last["to"], last["by"]) == ("approved", "approved", "rita")
    assert last["comment"] == f"Published at {URL}"
    db.session.expire_all()
    assert desk.approved.published_url == URL
    assert desk.approved.published_at.isoformat() == "2026-12-01T09:30:00+00:00"


def test_token_clients_publish_too(client, make, desk):
    token = make.token(desk.reviewer)
    r = client.post(
        f"/api/v1/annotations/{desk.approved.id}/publish",
        json={"published_url": URL, "version": 1},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200, r.json


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"published_url": "javascript:alert(1)", "version": 1}, "published_url"),
        ({"published_url": "mailto:desk@verif.example", "version": 1}, "published_url"),
        ({"version": 1}, "published_url"),
        ({"published_url": ["https://x.example"], "version": 1}, "published_url"),
        ({"published_url": URL, "published_at": "lundi", "version": 1}, "published_at"),
        ({"published_url": URL, "published_at": 5, "version": 1}, "published_at"),
        ({"published_url": URL}, "version"),
        ({"published_url": URL, "version": "1"}, "version"),
    ],
)
def test_bad_bodies_are_422_naming_the_field(client, login_as, desk, body, field):
    login_as(desk.reviewer)
    r = post(client, desk.approved, **body)
    assert r.status_code == 422
    assert r.json["error"]["field"] == field
    assert r.json["error"]["message"]
    db.session.expire_all()
    assert desk.approved.published_url is None and desk.approved.version == 1


def test_not_approved_is_409_with_a_sentence(client, login_as, desk):
    login_as(desk.reviewer)
    r = post(client, desk.submitted, published_url=URL, version=1)
    assert r.status_code == 409
    assert r.json["error"]["code"] == "not_approved"
    assert "Only an approved claim can be published" in r.json["error"]["message"]
    assert r.json["error"]["current"]["status"] == "submitted"


def test_stale_version_is_409(client, login_as, desk):
    login_as(desk.reviewer)
    assert post(client, desk.approved, published_url=URL, version=1).status_code == 200
    r = post(client, desk.approved, published_url=URL + "/v2", version=1)
    assert r.status_code == 409
    assert r.json["error"]["code"] == "stale_version"
    assert r.json["error"]["current"]["version"] == 2
    db.session.expire_all()
    assert desk.approved.published_url == URL


def test_reviewer_of_another_project_finds_nothing(client, login_as, desk):
    login_as(desk.outsider)
    r = post(client, desk.approved, published_url=URL, version=1)
    assert r.status_code == 404


def test_annotator_is_403(client, login_as, desk):
    login_as(desk.annotator)
    r = post(client, desk.approved, published_url=URL, version=1)
    assert r.status_code == 403
    events = db.session.scalars(
        db.select(ReviewEvent).where(ReviewEvent.annotation_id == desk.approved.id)
    ).all()
    assert [e.action for e in events] == [None]


def test_archived_project_is_409(client, login_as, desk):
    desk.approved.project.archived = True
    db.session.commit()
    login_as(desk.reviewer)
    r = post(client, desk.approved, published_url=URL, version=1)
    assert r.status_code == 409
    assert r.json["error"]["code"] == "archived"


def test_logged_out_is_401(client, desk):
    assert post(client, desk.approved, published_url=URL, version=1).status_code == 401


def test_unpublish(client, login_as, desk):
    login_as(desk.reviewer)
    post(client, desk.approved, published_url=URL, version=1)
    r = client.delete(f"/api/v1/annotations/{desk.approved.id}/publish", json={"version": 2})
    assert r.status_code == 200
    assert r.json["version"] == 3
    assert r.json["history"][-1]["comment"] == f"Unpublished: {URL}"
    db.session.expire_all()
    assert desk.approved.published_url is None
    assert desk.approved.status is Status.APPROVED
