"""Articles from a link: `POST /api/v1/articles {"url"}` and `factcheck import URL`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Article, Capture, EvidenceSource, Role

from .conftest import HTML

ENGLISH = (
    "<html><head><title>Jobs report</title></head><body><article><h1>Jobs report</h1>"
    "<p>Unemployment fell to 7.3 percent in the last quarter, the statistics office said on "
    "Tuesday, the first fall in a year.</p></article></body></html>"
)


@pytest.fixture
def admin(make):
    return make.user(roles=[Role.ADMIN])


def test_an_article_from_a_link_keeps_its_page_and_capture(client, login, admin, pages):
    url = pages.route("/chomage", HTML)
    login(admin)
    response = client.post("/api/v1/articles", json={"url": url})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    article = db.session.get(Article, body["article_id"])
    assert article.title == "Le chômage baisse" and article.url == url
    assert article.text.startswith("Le chômage baisse\nLe taux de chômage est passé")
    assert "Accueil" not in article.text
    assert article.published_at == datetime(2024, 3, 5, tzinfo=UTC)
    assert article.language == "fr" and body["author"] == "Marie Dupont"
    capture = db.session.get(Capture, article.capture_id)
    assert capture.author == "Marie Dupont" and capture.content == HTML.encode()
    source = db.session.get(EvidenceSource, capture.source_id)
    assert source.url == url and body["source_id"] == source.id


def test_the_language_is_detected_or_taken_as_given(client, login, admin, pages):
    url = pages.route("/jobs", ENGLISH)
    login(admin)
    detected = client.post("/api/v1/articles", json={"url": url}).get_json()
    assert detected["language"] == "en"
    given = client.post(
        "/api/v1/articles", json={"url": url, "language": "fr", "external_id": "jobs-fr"}
    ).get_json()
    assert given["language"] == "fr"


@pytest.mark.parametrize(
    ("setting", "words"),
    [({}, "answered 404"), ({"FETCH_ALLOWED_NETWORKS": ""}, "loopback")],
)
def test_a_page_that_cannot_be_fetched_is_a_422_naming_url(
    app, client, login, admin, pages, setting, words
):
    app.config.update(setting)
    login(admin)
    response = client.post("/api/v1/articles", json={"url": pages.url("/missing")})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["field"] == "url" and words in error["message"]
    assert db.session.scalar(select(func.count()).select_from(Article)) == 0


def test_an_annotator_cannot_import_from_a_link(client, login, annotator, pages):
    login(annotator)
    response = client.post("/api/v1/articles", json={"url": pages.route("/a", HTML)})
    assert response.status_code == 403
    assert pages.requests == []


def test_a_record_with_its_text_is_still_an_ordinary_import(client, login, admin, pages):
    login(admin)
    record = {"title": "T", "text": "Un texte.", "url": pages.url("/never")}
    assert client.post("/api/v1/articles", json=record).status_code == 201
    assert pages.requests == []  # nothing fetched


def test_cli_imports_files_and_links_together(app, pages, tmp_path, app_ctx):
    url = pages.route("/chomage", HTML)
    text_file = tmp_path / "a.txt"
    text_file.write_text("Titre\n\nUn article en texte.", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import", str(text_file), url])
    assert result.exit_code == 0, result.output
    assert f"{url}: article" in result.output and "capture" in result.output
    db.session.commit()
    titles = set(db.session.scalars(select(Article.title)))
    assert "Le chômage baisse" in titles and len(titles) == 2


def test_cli_says_why_a_link_failed_and_exits_1(app, pages, app_ctx):
    result = app.test_cli_runner().invoke(args=["import", pages.url("/missing")])
    assert result.exit_code == 1
    assert "the page answered 404 (not found)" in result.output


def test_a_page_longer_than_an_article_may_be_is_refused_with_the_reason(
    app, client, login, admin, pages
):
    app.config["MAX_ARTICLE_CHARS"] = 50
    login(admin)
    response = client.post("/api/v1/articles", json={"url": pages.route("/long", HTML)})
    assert response.status_code == 422
    assert response.get_json()["error"]["message"].startswith("Nothing was imported:")
    assert db.session.scalar(select(func.count()).select_from(Article)) == 0
