"""A claim's sources as citations: the project's source, a stance, excerpts checked
against the capture's text, and the project setting ``evidence_required``."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Capture, EvidenceSource, Excerpt, Project

TEXT = "Bravo 👍🏽 à tous. Le taux est passé de 7,4 % à 7,3 %. Fin."
QUOTE = "Le taux est passé de 7,4 % à 7,3 %."


@pytest.fixture
def article(make):
    return make.article(text="Le ministre a dit : « Le chômage a baissé. »")


@pytest.fixture
def cited(pages):
    return pages.route("/insee", TEXT, content_type="text/plain; charset=utf-8")


def claim(article, sources, **overrides):
    quote = "Le chômage a baissé."
    start = article.text.index(quote)
    return {
        "start": start,
        "end": start + len(quote),
        "quote": quote,
        "claim": "Le chômage a baissé.",
        "claimant": "Le ministre",
        "verdict": "mostly_true",
        "sources": sources,
        **overrides,
    }


def post(client, article, data):
    return client.post(f"/api/v1/articles/{article.id}/annotations", json=data)


def field(response) -> str | None:
    return response.get_json()["error"].get("field")


def test_citing_a_url_creates_the_source_and_captures_it(client, login, annotator, article, cited):
    login(annotator)
    response = post(client, article, claim(article, [{"url": cited, "title": "Insee"}]))
    assert response.status_code == 201, response.get_json()
    (citation,) = response.get_json()["sources"]
    source = db.session.get(EvidenceSource, citation["source_id"])
    assert source.url == cited and citation["stance"] is None and citation["excerpts"] == []
    (capture,) = db.session.scalars(select(Capture).where(Capture.source_id == source.id))
    assert capture.text == TEXT and capture.status == 200 and not capture.error


def test_the_same_page_cited_twice_is_one_source(client, login, annotator, article, cited):
    login(annotator)
    other = cited.replace("http://127.0.0.1", "HTTP://127.0.0.1") + "?utm_source=x#top"
    first = post(client, article, claim(article, [{"url": cited}])).get_json()
    second = post(client, article, claim(article, [{"url": other}])).get_json()
    assert first["sources"][0]["source_id"] == second["sources"][0]["source_id"]
    assert second["sources"][0]["url"] == other  # the citation keeps the URL as cited
    assert db.session.scalar(select(func.count()).select_from(EvidenceSource)) == 1
    assert db.session.scalar(select(func.count()).select_from(Capture)) == 1  # captured once


def _capture(client, login, annotator, article, url) -> tuple[int, int]:
    login(annotator)
    body = post(client, article, claim(article, [{"url": url}])).get_json()
    source_id = body["sources"][0]["source_id"]
    capture_id = db.session.scalar(select(Capture.id).where(Capture.source_id == source_id))
    return source_id, capture_id


def test_an_excerpt_that_matches_the_capture_is_kept_with_the_stance(
    client, login, annotator, article, cited
):
    source_id, capture_id = _capture(client, login, annotator, article, cited)
    start = TEXT.index(QUOTE)
    excerpt = {"capture_id": capture_id, "start": start, "end": start + len(QUOTE), "quote": QUOTE}
    citation = {"url": cited, "source_id": source_id, "stance": "supports", "excerpts": [excerpt]}
    response = post(client, article, claim(article, [citation]))
    assert response.status_code == 201, response.get_json()
    (saved,) = response.get_json()["sources"]
    assert saved["stance"] == "supports" and saved["excerpts"] == [excerpt]
    again = client.get(f"/api/v1/annotations/{response.get_json()['id']}").get_json()
    assert again["sources"][0]["excerpts"] == [excerpt]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"quote": "Le taux est passé de 7,4 %"}, "quote"),
        ({"end": 10_000}, "end"),
        ({"start": 6, "end": 7, "quote": TEXT[6:7]}, "end"),  # 👍 without its skin tone
        ({"start": "3"}, "start"),
        ({"capture_id": 999_999}, "capture_id"),
    ],
)
def test_an_excerpt_is_checked_against_the_capture_text(
    client, login, annotator, article, cited, change, where
):
    source_id, capture_id = _capture(client, login, annotator, article, cited)
    start = TEXT.index(QUOTE)
    excerpt = {"capture_id": capture_id, "start": start, "end": start + len(QUOTE), "quote": QUOTE}
    citation = {"url": cited, "source_id": source_id, "excerpts": [{**excerpt, **change}]}
    response = post(client, article, claim(article, [citation]))
    assert response.status_code == 422
    assert field(response) == f"sources[0].excerpts[0].{where}"
    assert db.session.scalar(select(func.count()).select_from(Excerpt)) == 0


def test_a_stance_outside_the_list_is_refused(client, login, annotator, article, cited):
    login(annotator)
    response = post(client, article, claim(article, [{"url": cited, "stance": "agrees"}]))
    assert response.status_code == 422 and field(response) == "sources[0].stance"


def test_a_source_of_another_project_cannot_be_cited_by_id(
    client, login, annotator, article, cited, make
):
    other = Project(slug="autre", name="Autre")
    db.session.add(other)
    db.session.flush()
    foreign = EvidenceSource(project_id=other.id, url=cited, url_sha256="0" * 64)
    db.session.add(foreign)
    db.session.commit()
    login(annotator)
    response = post(client, article, claim(article, [{"url": cited, "source_id": foreign.id}]))
    assert response.status_code == 422 and field(response) == "sources[0].source_id"


def test_evidence_required_asks_a_stance_and_an_excerpt_to_submit(
    client, login, annotator, article, cited, project
):
    source_id, capture_id = _capture(client, login, annotator, article, cited)
    project.evidence_required = True
    db.session.commit()
    plain = [{"url": cited}]
    assert post(client, article, claim(article, plain)).status_code == 201  # a draft: fine
    response = post(client, article, claim(article, plain, status="submitted"))
    assert response.status_code == 422 and field(response) == "sources[0].stance"
    stance_only = [{"url": cited, "stance": "refutes"}]
    response = post(client, article, claim(article, stance_only, status="submitted"))
    assert response.status_code == 422 and field(response) == "sources"
    start = TEXT.index(QUOTE)
    excerpt = {"capture_id": capture_id, "start": start, "end": start + len(QUOTE), "quote": QUOTE}
    complete = [{"url": cited, "stance": "refutes", "excerpts": [excerpt]}]
    response = post(client, article, claim(article, complete, status="submitted"))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["status"] == "submitted"


def test_a_draft_submitted_later_is_held_to_evidence_required(
    client, login, annotator, article, cited, project
):
    login(annotator)
    draft = post(client, article, claim(article, [{"url": cited}])).get_json()
    project.evidence_required = True
    db.session.commit()
    response = client.post(
        f"/api/v1/annotations/{draft['id']}/submit", json={"version": draft["version"]}
    )
    assert response.status_code == 422 and field(response) == "sources[0].stance"
