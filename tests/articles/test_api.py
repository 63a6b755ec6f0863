"""/api/v1/articles: list with filters, import one or a batch, read, PATCH, DELETE."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Article, Role, Status


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Article))


def test_list_is_paginated_and_filtered(client, login, make):
    viewer = make.user()
    for i in range(5):
        make.article(title=f"fr {i}")
    english = make.article(title="english", language="en", text="Unemployment fell.")
    make.annotation(article=english, author=viewer, status=Status.SUBMITTED)
    login(viewer)
    answer = client.get("/api/v1/articles?per_page=2&page=2&sort=oldest").get_json()
    assert answer["total"] == 6 and answer["page"] == 2 and answer["per_page"] == 2
    assert [a["title"] for a in answer["items"]] == ["fr 2", "fr 3"]
    assert "text" not in answer["items"][0]
    filtered = client.get("/api/v1/articles?language=en&has_claims=true&needs_review=1")
    (item,) = filtered.get_json()["items"]
    assert item["id"] == english.id
    assert item["counts"] == {"submitted": 1}
    found = client.get("/api/v1/articles?q=UNEMPLOYMENT").get_json()
    assert [a["title"] for a in found["items"]] == ["english"]


@pytest.mark.parametrize("query", ["colour=red", "sort=random", "has_claims=maybe", "per_page=0"])
def test_bad_list_parameters_are_400(client, login, make, query):
    login(make.user())
    response = client.get(f"/api/v1/articles?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["message"]


def test_list_needs_a_login(client):
    assert client.get("/api/v1/articles").status_code == 401


def test_one_article_with_its_text_and_fields(client, login, make):
    article = make.article(external_id="ext", url="https://exemple.org/a")
    login(make.user())
    data = client.get(f"/api/v1/articles/{article.id}").get_json()
    assert data["text"] == article.text
    assert data["external_id"] == "ext" and data["url"] == "https://exemple.org/a"
    assert data["created_at"].endswith("Z")
    assert set(data) == {
        "id",
        "title",
        "url",
        "published_at",
        "language",
        "external_id",
        "created_at",
        "text_sha256",
        "counts",
        "text",
        "revision",
        "project",
    }
    assert data["revision"] == 1
    assert client.get("/api/v1/articles/999999").status_code == 404


def test_admin_imports_one_object(client, login, admin):
    login(admin)
    response = client.post(
        "/api/v1/articles",
        json={"title": "Un", "text": "Texte", "published_at": "2024-03-01", "language": "fr"},
    )
    assert response.status_code == 201
    report = response.get_json()
    assert report["imported"] == 1 and len(report["ids"]) == 1
    data = client.get(f"/api/v1/articles/{report['ids'][0]}").get_json()
    assert data["published_at"] == "2024-03-01T00:00:00Z"


def test_batch_reports_errors_and_duplicates(client, login, admin, make):
    make.article(external_id="known")
    login(admin)
    batch = [
        {"title": "A", "text": "a", "external_id": "known"},
        {"title": "B", "text": "b"},
        {"title": "", "text": "c"},
    ]
    response = client.post("/api/v1/articles", json={"articles": batch})
    assert response.status_code == 201
    report = response.get_json()
    assert report["imported"] == 1
    assert report["duplicates"][0]["line"] == 1
    assert report["errors"][0]["line"] == 3
    # the same as a plain JSON list
    assert client.post("/api/v1/articles", json=[{"title": "C", "text": "c"}]).status_code == 201


def test_strict_batch_imports_nothing_and_answers_422(client, login, admin):
    login(admin)
    batch = [{"title": "A", "text": "a"}, {"title": "B", "text": "b", "url": "ftp://x"}]
    response = client.post("/api/v1/articles", json={"articles": batch, "strict": True})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["report"]["errors"][0]["line"] == 2
    assert count() == 0


def test_nothing_valid_is_422(client, login, admin):
    login(admin)
    response = client.post("/api/v1/articles", json={"title": "A", "text": "  "})
    assert response.status_code == 422
    assert "empty" in response.get_json()["error"]["report"]["errors"][0]["message"]


@pytest.mark.parametrize("body", [[], {"articles": "x"}, [1, 2], "text"])
def test_malformed_bodies_are_400(client, login, admin, body):
    login(admin)
    assert client.post("/api/v1/articles", json=body).status_code == 400


@pytest.mark.parametrize("roles", [[Role.ANNOTATOR], [Role.REVIEWER]])
def test_import_edit_delete_are_admin_only(client, login, make, roles):
    article = make.article()
    login(make.user(roles=roles))
    assert client.post("/api/v1/articles", json={"title": "x", "text": "y"}).status_code == 403
    url = f"/api/v1/articles/{article.id}"
    assert client.patch(url, json={"title": "x"}).status_code == 403
    assert client.delete(url).status_code == 403
    assert count() == 1


def test_token_import(client, make):
    admin = make.user(roles=[Role.ADMIN])
    token = make.token(admin)
    response = client.post(
        "/api/v1/articles",
        json={"title": "T", "text": "x"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201


def test_patch_metadata_and_text_until_annotated(client, login, admin, make):
    article = make.article()
    login(admin)
    url = f"/api/v1/articles/{article.id}"
    response = client.patch(url, json={"title": "Neuf", "text": "Autre\r\ntexte"})
    assert response.status_code == 200
    assert response.get_json()["text"] == "Autre\ntexte"
    make.annotation(article=article, start=0, end=5)
    response = client.patch(url, json={"text": "encore autre"})
    assert response.status_code == 409
    assert "annotations" in response.get_json()["error"]["message"]
    assert client.patch(url, json={"language": "en"}).get_json()["language"] == "en"
    assert client.patch(url, json={"url": "javascript:x"}).status_code == 422
    assert client.patch(url, json={"colour": "red"}).status_code == 422


def test_delete_until_annotated(client, login, admin, make):
    free, used = make.article(), make.article()
    make.annotation(article=used)
    login(admin)
    assert client.delete(f"/api/v1/articles/{free.id}").status_code == 204
    response = client.delete(f"/api/v1/articles/{used.id}")
    assert response.status_code == 409
    assert "cannot be deleted" in response.get_json()["error"]["message"]
    assert count() == 1
