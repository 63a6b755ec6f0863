"""Create exactly once on the later features' create routes: projects, project members,
assignments, article revisions and past fact-checks, through the API (a repeated
``Idempotency-Key``) and through their HTML forms (a double submit of one rendering)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import (
    ArticleRevision,
    Assignment,
    FactCheck,
    IdempotencyKey,
    Project,
    ProjectMember,
)
from factcheck.permissions import Role

TEXT = "Le maire a déclaré que la dette atteint 40 milliards.\n\nL'opposition conteste."
REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "claimReviewed": "La dette atteint 40 milliards",
    "reviewRating": {"@type": "Rating", "alternateName": "Faux"},
    "url": "https://fact.example.org/dette",
    "author": {"@type": "Organization", "name": "Exemple"},
}


def count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def token_of(html: str, form_id: str | None = None) -> str:
    if form_id:
        html = html[html.index(f'id="{form_id}"') :]
    return re.search(r'name="idempotency_key" value="([0-9a-f]+)"', html).group(1)


@pytest.fixture
def world(make):
    admin = make.user("boss", roles=[Role.ADMIN])
    make.user("ann")
    make.user("bob")
    article = make.article(TEXT, title="La dette")
    return admin, article


def twice(client, url, key, **kw):
    headers = {"Idempotency-Key": key}
    first = client.post(url, headers=headers, **kw)
    second = client.post(url, headers=headers, **kw)
    assert first.status_code < 400, first.get_data(as_text=True)
    assert second.status_code == first.status_code
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert second.get_data() == first.get_data()
    return first


# --- the API --------------------------------------------------------------------------


def test_api_project_create_is_idempotent(client, login, world):
    login(world[0])
    before = count(Project)
    twice(client, "/api/v1/projects", "p-1", json={"name": "Élections", "slug": "elections"})
    assert count(Project) == before + 1


def test_api_member_add_is_idempotent(client, login, world, make):
    login(world[0])
    make.user("zoe")
    body = {"username": "zoe", "roles": ["reviewer"]}
    answer = twice(client, "/api/v1/projects/default/members", "m-1", json=body)
    assert answer.get_json()["roles"] == ["reviewer"]
    assert count(IdempotencyKey) == 1


def test_api_assignment_create_is_idempotent(client, login, world):
    admin, article = world
    login(admin)
    body = {
        "name": "Double",
        "article_ids": [article.id],
        "annotators": ["ann", "bob"],
        "per_article": 2,
    }
    answer = twice(client, "/api/v1/assignments", "a-1", json=body)
    assert answer.status_code == 201
    assert count(Assignment) == 1


def test_api_revision_create_is_idempotent(client, login, world):
    admin, article = world
    login(admin)
    body = {"text": TEXT + "\n\nAjout.", "note": "ajout", "revision": 1}
    answer = twice(client, f"/api/v1/articles/{article.id}/revisions", "r-1", json=body)
    assert answer.status_code == 201
    assert count(ArticleRevision) == 2  # the first text, and one revision


def test_api_factcheck_import_is_idempotent(client, login, world):
    login(world[0])
    answer = twice(client, "/api/v1/factchecks", "f-1", json=[REVIEW])
    assert answer.get_json()["created"] == 1  # the repeat answers as the first did
    assert count(FactCheck) == 1


def test_a_refused_create_keeps_the_key_free(client, login, world):
    login(world[0])
    bad = client.post(
        "/api/v1/projects",
        json={"name": "X", "slug": "Not A Slug"},
        headers={"Idempotency-Key": "k"},
    )
    assert bad.status_code == 422
    assert count(IdempotencyKey) == 0


# --- HTML forms: one token per rendering ----------------------------------------------------


def double_submit(client, url, data):
    first = client.post(url, data=data)
    second = client.post(url, data=data)
    assert first.status_code == second.status_code == 302, first.get_data(as_text=True)
    assert second.headers["Location"] == first.headers["Location"]
    assert second.headers.get("Idempotent-Replayed") == "true"


def test_project_form_double_submit_creates_once(client, login, world):
    login(world[0])
    token = token_of(client.get("/projects/").get_data(as_text=True), "new-project")
    before = count(Project)
    data = {"name": "Élections", "slug": "elections", "template": "newsroom"}
    double_submit(client, "/projects/", {**data, "idempotency_key": token})
    assert count(Project) == before + 1


def test_member_form_double_submit_saves_once(client, login, world, make):
    login(world[0])
    make.user("zoe")
    html = client.get("/projects/default/admin").get_data(as_text=True)
    token = token_of(html, "add-member")
    data = {"username": "zoe", "roles": ["reviewer"], "idempotency_key": token}
    double_submit(client, "/projects/default/members", data)
    assert count(IdempotencyKey) == 1
    assert db.session.scalar(select(func.count()).where(ProjectMember.role == "reviewer")) == 1


def test_assignment_form_double_submit_creates_once(client, login, world):
    admin, article = world
    login(admin)
    token = token_of(client.get("/assignments/").get_data(as_text=True))
    data = {
        "name": "Élection",
        "article_ids": [str(article.id)],
        "annotators": ["ann", "bob"],
        "per_article": "2",
        "idempotency_key": token,
    }
    double_submit(client, "/assignments/", data)
    assert count(Assignment) == 1


def test_revision_form_double_save_revises_once(client, login, world):
    admin, article = world
    login(admin)
    url = f"/articles/{article.id}/revise"
    token = token_of(client.get(url).get_data(as_text=True))
    data = {"text": TEXT + "\n\nAjout.", "note": "n", "revision": "1", "action": "save"}
    double_submit(client, url, {**data, "idempotency_key": token})
    assert count(ArticleRevision) == 2


def test_a_revision_preview_does_not_spend_the_token(client, login, world):
    admin, article = world
    login(admin)
    url = f"/articles/{article.id}/revise"
    token = token_of(client.get(url).get_data(as_text=True))
    data = {"text": TEXT + "\n\nAjout.", "note": "n", "revision": "1", "idempotency_key": token}
    preview = client.post(url, data={**data, "action": "preview"})
    assert preview.status_code == 200 and token not in preview.get_data(as_text=True)
    saved = client.post(url, data={**data, "action": "save"})
    assert saved.status_code == 302 and "Idempotent-Replayed" not in saved.headers
    assert count(ArticleRevision) == 2
