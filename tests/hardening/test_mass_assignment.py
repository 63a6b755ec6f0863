"""Mass assignment: a client never sets server-owned fields (status, author, reviewer,
version, ids, timestamps) through API payloads or HTML forms, and list endpoints accept
only the filter and sort fields they list."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Annotation, Article, Role, Status, User

#: server-owned fields and a forged value for each
FORGED = {
    "status": "approved",
    "author": "otto",
    "author_id": None,  # filled with the other user's id
    "reviewer": "rita",
    "reviewer_id": None,
    "version": 41,
    "id": 987654,
    "article_id": None,  # filled with another article's id
    "created_at": "2001-01-01T00:00:00Z",
}


def _forged(world, name):
    value = FORGED[name]
    if name in ("author_id", "reviewer_id"):
        return world.other.id
    if name == "article_id":
        return world.spare_article.id
    return value


def _annotation_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Annotation))


def _snapshot(annotation_id: int) -> dict:
    db.session.expire_all()
    a = db.session.get(Annotation, annotation_id)
    return {
        "id": a.id,
        "status": a.status,
        "author_id": a.author_id,
        "reviewer_id": a.reviewer_id,
        "version": a.version,
        "article_id": a.article_id,
        "created_at": a.created_at,
        "claim": a.claim,
    }


@pytest.mark.parametrize("name", sorted(FORGED))
def test_api_create_refuses_a_server_owned_field(client, login, world, name):
    login(world.annotator)
    before = _annotation_count()
    body = {"start": 0, "end": 13, "quote": world.draft.quote, name: _forged(world, name)}
    response = client.post(f"/api/v1/articles/{world.article.id}/annotations", json=body)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == name
    assert _annotation_count() == before


@pytest.mark.parametrize("name", sorted(set(FORGED) - {"version"}))
def test_api_patch_refuses_a_changed_server_owned_field(client, login, world, name):
    login(world.annotator)
    before = _snapshot(world.submitted.id)
    body = {"claim": "Changed.", "version": before["version"], name: _forged(world, name)}
    response = client.patch(f"/api/v1/annotations/{world.submitted.id}", json=body)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == name
    assert _snapshot(world.submitted.id) == before


def test_api_patch_version_is_the_lock_not_a_value(client, login, world):
    """Sending any version but the current one is a stale write (409); a good one bumps
    the version by exactly one, whatever else the body says."""
    login(world.annotator)
    before = _snapshot(world.submitted.id)
    stale = client.patch(
        f"/api/v1/annotations/{world.submitted.id}", json={"claim": "x", "version": 41}
    )
    assert stale.status_code == 409
    assert _snapshot(world.submitted.id) == before
    ok = client.patch(
        f"/api/v1/annotations/{world.submitted.id}",
        json={"claim": "Changed.", "version": before["version"]},
    )
    assert ok.status_code == 200
    assert ok.get_json()["version"] == before["version"] + 1


def test_api_patch_may_echo_back_read_only_fields_unchanged(client, login, world):
    login(world.annotator)
    current = client.get(f"/api/v1/annotations/{world.submitted.id}").get_json()
    current["claim"] = "Echoed and changed."
    del current["sources"]
    response = client.patch(f"/api/v1/annotations/{world.submitted.id}", json=current)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "submitted"


@pytest.mark.parametrize("action", ["create", "edit"])
def test_html_forms_ignore_server_owned_fields(client, login, world, action):
    login(world.annotator)
    forged = {name: str(_forged(world, name)) for name in FORGED if name != "version"}
    form = {
        "start": "0",
        "end": "13",
        "quote": world.draft.quote,
        "claim": "From the form.",
        "verdict": "false",
        "sources-0-url": "https://example.org/a",
        **forged,
    }
    if action == "create":
        before_ids = set(db.session.scalars(select(Annotation.id)))
        response = client.post(f"/articles/{world.article.id}/annotate", data=form)
        assert response.status_code == 302
        (new_id,) = set(db.session.scalars(select(Annotation.id))) - before_ids
        stored = _snapshot(new_id)
        assert stored["id"] != FORGED["id"]
        assert stored["status"] is Status.DRAFT
        assert stored["version"] == 1
    else:
        before = _snapshot(world.draft.id)
        form["version"] = str(before["version"])
        response = client.post(f"/annotations/{world.draft.id}/edit", data=form)
        assert response.status_code == 302
        stored = _snapshot(world.draft.id)
        assert stored["id"] == world.draft.id
        assert stored["status"] is Status.DRAFT
        assert stored["version"] == before["version"] + 1
        assert stored["created_at"] == before["created_at"]
    assert stored["claim"] == "From the form."
    assert stored["author_id"] == world.annotator.id
    assert stored["reviewer_id"] is None
    assert stored["article_id"] == world.article.id
    assert stored["created_at"].year != 2001


@pytest.mark.parametrize("name", ["id", "created_at", "text_sha256", "counts"])
def test_api_article_patch_refuses_server_owned_fields(client, login, world, name):
    login(world.admin)
    response = client.patch(
        f"/api/v1/articles/{world.spare_article.id}", json={"title": "New", name: "forged"}
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == name
    db.session.expire_all()
    assert db.session.get(Article, world.spare_article.id).title != "New"


@pytest.mark.parametrize("name", ["id", "created_at", "text_sha256", "imported_by_id"])
def test_api_article_import_refuses_server_owned_fields(client, login, world, name):
    login(world.admin)
    count = db.session.scalar(select(func.count()).select_from(Article))
    body = {"articles": [{"title": "T", "text": "Some text.", name: 1}], "strict": True}
    response = client.post("/api/v1/articles", json=body)
    assert response.status_code == 422
    assert name in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Article)) == count


def test_profile_form_cannot_grant_roles_or_rename(client, login, world):
    login(world.annotator)
    response = client.post(
        "/profile",
        data={
            "prefs-display_name": "Annie",
            "prefs-locale": "",
            "prefs-submit": "1",
            "roles": "admin",
            "prefs-roles": "admin",
            "username": "ada",
            "prefs-username": "ada",
            "active": "0",
            "session_token": "forged",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, world.annotator.id)
    assert user.display_name == "Annie"
    assert user.roles == {Role.ANNOTATOR}
    assert user.username == "annie"
    assert user.active
    assert user.session_token != "forged"


# --- list endpoints: only listed filter and sort fields -------------------------------

LISTS = [
    "/api/v1/articles",
    "/api/v1/articles/{article}/annotations",
    "/api/v1/verdicts",
    "/api/v1/export.csv",
    "/api/v1/export.jsonl",
    "/api/v1/export.claimreview.json",
]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("param", ["author", "status_in", "order_by", "sort[]"])
def test_list_endpoints_refuse_unknown_parameters(client, login, world, path, param):
    login(world.admin)
    url = path.format(article=world.article.id)
    response = client.get(url, query_string={param: "x"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "unknown_parameter"
    assert param in error["message"]


@pytest.mark.parametrize("sort", ["id; DROP TABLE article", "password_hash", "-id"])
def test_article_list_refuses_unlisted_sort_fields(client, login, world, sort):
    login(world.admin)
    response = client.get("/api/v1/articles", query_string={"sort": sort})
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "sort"


def test_listed_filters_still_work(client, login, world):
    login(world.admin)
    assert client.get("/api/v1/articles?q=matrix&sort=title&page=1").status_code == 200
    assert client.get(f"/api/v1/export.csv?status=all&article={world.article.id}").status_code == (
        200
    )
    _ = datetime.now(UTC)
