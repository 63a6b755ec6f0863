"""Blind second verdict through the JSON API: nothing leaks the annotator's verdict or
rationale to a reviewer before they commit theirs; then the decision works as before."""

from __future__ import annotations

import pytest

from factcheck.extensions import db
from factcheck.models import SecondVerdict, Status
from factcheck.permissions import Role
from factcheck.services import projects

SECRET = "Insee-7.3-SECRET-RATIONALE"


@pytest.fixture
def claim(submitted):
    (a,) = submitted(1, verdict="misleading", rationale=SECRET)
    return a


def assert_no_leak(response):
    text = response.get_data(as_text=True)
    assert "misleading" not in text
    assert SECRET not in text


def test_review_next_hides_the_verdict_until_commit(client, login_as, cast, claim, blind):
    login_as(cast.reviewer)
    r = client.get("/api/v1/review/next")
    assert r.status_code == 200
    item = r.json["item"]
    assert item["id"] == claim.id
    assert (item["verdict"], item["rationale"]) == (None, None)
    assert item["second_verdict"] == {
        "required": True,
        "hidden": ["verdict", "rationale"],
        "mine": None,
    }
    assert_no_leak(r)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/annotations/{id}", "/api/v1/articles/{article}/annotations"],
)
def test_every_annotation_read_hides_it_too(client, login_as, cast, claim, blind, path):
    login_as(cast.reviewer)
    r = client.get(path.format(id=claim.id, article=claim.article_id))
    assert r.status_code == 200
    assert_no_leak(r)


def test_a_decision_before_commit_is_409_and_leaks_nothing(client, login_as, cast, claim, blind):
    login_as(cast.reviewer)
    for body in ({"decision": "approve"}, {"decision": "reject", "comment": "No."}):
        r = client.post(
            f"/api/v1/annotations/{claim.id}/review", json={**body, "version": claim.version}
        )
        assert r.status_code == 409
        assert r.json["error"]["code"] == "second_verdict_required"
        assert_no_leak(r)
    db.session.refresh(claim)
    assert claim.status is Status.SUBMITTED


def test_commit_then_see_then_decide(client, login_as, cast, claim, blind):
    login_as(cast.reviewer)
    r = client.post(
        f"/api/v1/annotations/{claim.id}/second-verdict",
        json={"verdict": "false", "version": claim.version},
    )
    assert r.status_code == 200, r.json
    assert (r.json["verdict"], r.json["rationale"]) == ("misleading", SECRET)
    assert r.json["second_verdict"] == {"required": False, "hidden": [], "mine": "false"}
    again = client.get(f"/api/v1/annotations/{claim.id}")
    assert again.json["verdict"] == "misleading"
    r = client.post(
        f"/api/v1/annotations/{claim.id}/review",
        json={"decision": "approve", "version": claim.version},
    )
    assert r.status_code == 200, r.json
    assert r.json["status"] == "approved"
    row = db.session.query(SecondVerdict).one()
    assert (row.verdict, row.annotator_verdict, row.reviewer_id) == (
        "false",
        "misleading",
        cast.reviewer.id,
    )


def test_a_second_reviewer_still_sees_nothing(client, login_as, cast, claim, blind):
    login_as(cast.reviewer)
    client.post(f"/api/v1/annotations/{claim.id}/second-verdict", json={"verdict": "true"})
    login_as(cast.reviewer2)
    assert_no_leak(client.get(f"/api/v1/annotations/{claim.id}"))


def test_the_author_sees_their_own_verdict(client, login_as, cast, claim, blind):
    login_as(cast.annotator)
    r = client.get(f"/api/v1/annotations/{claim.id}")
    assert (r.json["verdict"], r.json["rationale"]) == ("misleading", SECRET)
    assert "second_verdict" not in r.json
    r = client.post(f"/api/v1/annotations/{claim.id}/second-verdict", json={"verdict": "true"})
    assert r.status_code == 403
    assert r.json["error"]["code"] == "four_eyes"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"verdict": "nonsense"}, 422, "invalid"),
        ({}, 422, "invalid"),
        ({"verdict": "true", "version": "1"}, 422, "invalid"),
        ({"verdict": "true", "version": 99}, 409, "stale_version"),
    ],
)
def test_bad_commits(client, login_as, cast, claim, blind, body, status, code):
    login_as(cast.reviewer)
    r = client.post(f"/api/v1/annotations/{claim.id}/second-verdict", json=body)
    assert r.status_code == status
    assert r.json["error"]["code"] == code
    assert_no_leak(r)
    assert db.session.query(SecondVerdict).count() == 0


def test_a_changed_verdict_is_409_a_repeated_one_200(client, login_as, cast, claim, blind):
    login_as(cast.reviewer)
    url = f"/api/v1/annotations/{claim.id}/second-verdict"
    assert client.post(url, json={"verdict": "true"}).status_code == 200
    assert client.post(url, json={"verdict": "true"}).status_code == 200
    r = client.post(url, json={"verdict": "false"})
    assert r.status_code == 409
    assert r.json["error"]["code"] == "already_committed"


def test_a_non_member_gets_404(client, login_as, make, cast, claim, blind):
    from factcheck.services.projects import create_project

    stranger = make.user("sam", roles=[])
    other = create_project(db.session, name="Other", slug="other")
    projects.set_member_roles(db.session, other, stranger, [Role.REVIEWER])
    db.session.commit()
    login_as(stranger)
    r = client.post(f"/api/v1/annotations/{claim.id}/second-verdict", json={"verdict": "true"})
    assert r.status_code == 404


def test_setting_off_changes_nothing_in_the_json(client, login_as, cast, claim):
    login_as(cast.reviewer)
    r = client.get("/api/v1/review/next")
    assert r.json["item"]["verdict"] == "misleading"
    assert "second_verdict" not in r.json["item"]
    r = client.post(f"/api/v1/annotations/{claim.id}/second-verdict", json={"verdict": "true"})
    assert r.status_code == 409
    assert r.json["error"]["code"] == "not_blind"


def test_the_setting_through_the_projects_api(client, login_as, cast):
    login_as(cast.admin)
    r = client.patch("/api/v1/projects/default", json={"blind_second_verdict": True})
    assert r.status_code == 200, r.json
    assert r.json["settings"]["blind_second_verdict"] is True
    r = client.patch("/api/v1/projects/default", json={"blind_second_verdict": "maybe"})
    assert r.status_code == 422
