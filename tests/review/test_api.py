"""The review routes of the JSON API."""

from __future__ import annotations

import pytest

from factcheck.extensions import db
from factcheck.models import Role, Status

FIELDS = {
    "id", "article_id", "start", "end", "quote", "prefix", "suffix", "claim", "claimant",
    "verdict", "rationale", "sources", "status", "version", "author", "reviewer",
    "review_comment", "created_at", "updated_at", "submitted_at", "reviewed_at", "history",
    "anchor", "article_revision", "previous",
    "project", "guidelines_version",
    "claimant_id", "claim_date", "claim_medium", "appearances", "published_url", "published_at",
}  # fmt: skip


def post_review(client, annotation, **body):
    return client.post(f"/api/v1/annotations/{annotation.id}/review", json=body)


def test_approve_answers_the_annotation_with_history(client, login_as, cast, submitted):
    (a,) = submitted(1)
    login_as(cast.reviewer)
    r = post_review(client, a, decision="approve", version=1)
    assert r.status_code == 200
    assert set(r.json) == FIELDS
    assert (r.json["status"], r.json["version"], r.json["reviewer"]) == ("approved", 2, "rita")
    assert r.json["reviewed_at"].endswith("Z")
    assert [h["to"] for h in r.json["history"]] == ["submitted", "approved"]
    assert r.json["sources"][0] | {"source_id": None} == {
        "url": "https://example.org/source/0",
        "title": "Source 0",
        "note": "",
        "source_id": None,
        "stance": None,
        "excerpts": [],
    }


def test_reject_with_comment_goes_back_to_author(client, login_as, cast, submitted):
    (a,) = submitted(1)
    login_as(cast.reviewer)
    r = post_review(client, a, decision="reject", version=1, comment="Which report?")
    assert r.status_code == 200
    assert (r.json["status"], r.json["review_comment"]) == ("rejected", "Which report?")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "reject", "version": 1}, "comment"),
        ({"decision": "reject", "version": 1, "comment": "  "}, "comment"),
        ({"decision": "maybe", "version": 1}, "decision"),
        ({"version": 1}, "decision"),
        ({"decision": "approve"}, "version"),
        ({"decision": "approve", "version": "1"}, "version"),
        ({"decision": "approve", "version": True}, "version"),
        ({"decision": "approve", "version": 1, "comment": 5}, "comment"),
    ],
)
def test_bad_bodies_are_422_naming_the_field(client, login_as, cast, submitted, body, field):
    (a,) = submitted(1)
    login_as(cast.reviewer)
    r = post_review(client, a, **body)
    assert r.status_code == 422
    assert r.json["error"]["field"] == field
    db.session.refresh(a)
    assert a.status is Status.SUBMITTED


def test_not_json_is_400(client, login_as, cast, submitted):
    (a,) = submitted(1)
    login_as(cast.reviewer)
    r = client.post(f"/api/v1/annotations/{a.id}/review", data="approve")
    assert r.status_code == 400


@pytest.mark.parametrize("roles", [[Role.REVIEWER, Role.ANNOTATOR], [Role.ADMIN]])
def test_four_eyes_through_the_api(client, login_as, make, cast, roles):
    author = make.user(roles=roles)
    a = make.annotation(article=cast.article, author=author, status=Status.SUBMITTED)
    login_as(author)
    r = post_review(client, a, decision="approve", version=1)
    assert r.status_code == 403
    assert r.json["error"]["code"] == "four_eyes"
    assert "own" in r.json["error"]["message"]
    db.session.refresh(a)
    assert a.status is Status.SUBMITTED


def test_four_eyes_with_an_api_token(client, make, cast):
    author = make.user(roles=[Role.REVIEWER, Role.ANNOTATOR])
    a = make.annotation(article=cast.article, author=author, status=Status.SUBMITTED)
    token = make.token(author)
    r = client.post(
        f"/api/v1/annotations/{a.id}/review",
        json={"decision": "approve", "version": 1},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 403


def test_annotator_is_not_a_reviewer(client, login_as, make, cast, submitted):
    (a,) = submitted(1)
    login_as(make.user(roles=[Role.ANNOTATOR]))
    assert post_review(client, a, decision="approve", version=1).status_code == 403


def test_others_drafts_are_404_and_unknown_ids_too(client, login_as, make, cast):
    draft = make.annotation(article=cast.article, author=cast.annotator)
    for user in (cast.reviewer, cast.admin):
        login_as(user)
        assert post_review(client, draft, decision="approve", version=1).status_code == 404
    login_as(cast.annotator)  # the author's own draft: the workflow says why not
    r = post_review(client, draft, decision="approve", version=1)
    assert r.status_code == 409 and r.json["error"]["code"] == "invalid_transition"
    r = client.post("/api/v1/annotations/999999/review", json={"decision": "approve", "version": 1})
    assert r.status_code == 404


def test_stale_version_is_409_with_current_state(client, login_as, cast, submitted):
    (a,) = submitted(1)
    login_as(cast.reviewer)
    r = post_review(client, a, decision="approve", version=0)
    assert r.status_code == 409
    assert r.json["error"]["code"] == "stale_version"
    assert r.json["error"]["current"]["status"] == "submitted"
    assert r.json["error"]["current"]["version"] == 1


def test_double_click_records_one_decision(client, login_as, cast, submitted):
    (a,) = submitted(1)
    login_as(cast.reviewer)
    assert post_review(client, a, decision="approve", version=1).status_code == 200
    r = post_review(client, a, decision="approve", version=1)
    assert r.status_code == 409
    assert r.json["error"]["code"] == "already_decided"
    assert "Already approved by you" in r.json["error"]["message"]
    assert r.json["error"]["current"]["status"] == "approved"
    db.session.refresh(a)
    assert len(a.events) == 2


def test_other_reviewer_decided_first(client, login_as, cast, submitted):
    (a,) = submitted(1)
    login_as(cast.reviewer)
    assert post_review(client, a, decision="approve", version=1).status_code == 200
    login_as(cast.reviewer2)
    r = post_review(client, a, decision="reject", version=1, comment="no")
    assert r.status_code == 409
    assert r.json["error"]["code"] != "already_decided"


def test_next_reserves_and_answers_item_or_null(client, login_as, cast, submitted):
    a, b = submitted(2)
    login_as(cast.reviewer)
    r = client.get("/api/v1/review/next")
    assert r.status_code == 200 and r.json["item"]["id"] == a.id
    assert r.json["reserved_until"].endswith("Z")
    assert client.get("/api/v1/review/next").json["item"]["id"] == a.id  # own first
    assert client.get(f"/api/v1/review/next?skip={a.id}").json["item"]["id"] == b.id
    assert client.get(f"/api/v1/review/next?skip={a.id},{b.id}").json == {"item": None}
    assert client.get("/api/v1/review/next?skip=x").status_code == 400
    assert client.get("/api/v1/review/next?nope=1").status_code == 400


def test_next_is_for_reviewers(client, login_as, make, cast, submitted):
    submitted(1)
    login_as(make.user(roles=[Role.ANNOTATOR]))
    assert client.get("/api/v1/review/next").status_code == 403


def test_next_needs_login(client):
    assert client.get("/api/v1/review/next").status_code == 401


def test_reopen_admin_only_with_reason(client, login_as, make, cast):
    a = make.annotation(article=cast.article, author=cast.annotator, status=Status.APPROVED)
    login_as(cast.reviewer)
    r = client.post(f"/api/v1/annotations/{a.id}/reopen", json={"reason": "x", "version": 1})
    assert r.status_code == 403
    login_as(cast.admin)
    r = client.post(f"/api/v1/annotations/{a.id}/reopen", json={"version": 1})
    assert r.status_code == 422 and r.json["error"]["field"] == "comment"
    r = client.post(
        f"/api/v1/annotations/{a.id}/reopen", json={"reason": "Wrong date.", "version": 1}
    )
    assert r.status_code == 200
    assert r.json["status"] == "submitted"
    assert r.json["history"][-1]["comment"] == "Wrong date."


@pytest.mark.csrf
def test_browser_session_needs_csrf(client, login_as, cast, submitted):
    (a,) = submitted(1)
    login_as(cast.reviewer)
    r = post_review(client, a, decision="approve", version=1)
    assert r.status_code == 400
    assert r.json["error"]["code"] == "csrf_failed"
