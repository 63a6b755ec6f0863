"""Evidence pages: the review page shows each citation's stance and excerpts, the source
page its health, captures and citing claims, a capture's reading view its text."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime

from factcheck.extensions import db
from factcheck.models import Annotation, Health, Project, Role, SourceCheck, Status
from factcheck.services import projects
from factcheck.services.evidence import capture, sources

TEXT = "Rapport annuel.\n\nSelon l'Insee, le taux est passé de 7,4 % à 7,3 % <b>.\nFin."
QUOTE = "le taux est passé de 7,4 % à 7,3 % <b>"
URL = "https://insee.example/rapport"


def _stored_capture(annotator):
    project = projects.default_project(db.session)
    source, _new = sources.find_or_create(db.session, project.id, URL, annotator)
    kept = capture.upload(db.session, source, TEXT.encode(), annotator)
    db.session.commit()
    return source, kept


def _claim_citing(client, login, annotator, make, kept, status=Status.SUBMITTED):
    article = make.article(text="Le ministre : « Le chômage a baissé. »")
    start = TEXT.index(QUOTE)
    excerpt = {"capture_id": kept.id, "start": start, "end": start + len(QUOTE), "quote": QUOTE}
    login(annotator)
    body = {
        "start": 14, "end": 34, "quote": article.text[14:34], "claim": "Le chômage a baissé.",
        "sources": [{"url": URL, "stance": "refutes", "excerpts": [excerpt]}],
    }  # fmt: skip
    response = client.post(f"/api/v1/articles/{article.id}/annotations", json=body)
    assert response.status_code == 201, response.get_json()
    annotation = db.session.get(Annotation, response.get_json()["id"])
    annotation.status = status
    db.session.commit()
    return annotation


def test_review_page_shows_stance_and_excerpts_with_the_captures_date(
    client, login, annotator, make
):
    _source, kept = _stored_capture(annotator)
    annotation = _claim_citing(client, login, annotator, make, kept)
    reviewer = make.user(roles=[Role.REVIEWER])
    login(reviewer)
    html = client.get(f"/review/{annotation.id}").get_data(as_text=True)
    assert 'class="stance stance-refutes">refutes<' in html
    assert "le taux est passé de 7,4 % à 7,3 % &lt;b&gt;" in html  # escaped
    assert kept.fetched_at.strftime("%Y-%m-%d") in html
    assert f"/captures/{kept.id}?start=" in html


def test_review_page_in_french_translates_the_stance(client, login, annotator, make):
    _source, kept = _stored_capture(annotator)
    annotation = _claim_citing(client, login, annotator, make, kept)
    reviewer = make.user(roles=[Role.REVIEWER])
    login(reviewer)
    html = client.get(f"/review/{annotation.id}", headers={"Accept-Language": "fr"}).get_data(
        as_text=True
    )
    assert "réfute" in html and "Lire la capture" in html


def test_source_page_shows_health_history_captures_and_claims(client, login, annotator, make):
    source, kept = _stored_capture(annotator)
    db.session.add(SourceCheck(source_id=source.id, health=Health.GONE, status=404))
    source.health = Health.GONE
    db.session.commit()
    annotation = _claim_citing(client, login, annotator, make, kept)
    html = client.get(f"/sources/{source.id}").get_data(as_text=True)
    assert URL in html and kept.sha256[:12] in html
    assert f"/api/v1/captures/{kept.id}/raw" in html
    assert "health health-gone" in html and "HTTP 404" in html
    assert "Le chômage a baissé." in html and f"/review/{annotation.id}" in html
    attention = client.get("/sources/attention").get_data(as_text=True)
    assert f"/sources/{source.id}" in attention
    home = client.get("/").get_data(as_text=True)
    assert "1 source needs attention" in home and 'href="/sources/attention"' in home


def test_source_page_hides_another_annotators_draft(client, login, annotator, make):
    source, kept = _stored_capture(annotator)
    _claim_citing(client, login, annotator, make, kept, status=Status.DRAFT)
    login(make.user(roles=[Role.ANNOTATOR]))
    html = client.get(f"/sources/{source.id}").get_data(as_text=True)
    assert "Le chômage a baissé." not in html


def test_capture_reading_view_has_paragraphs_with_code_point_starts_and_the_mark(
    client, login, annotator
):
    _source, kept = _stored_capture(annotator)
    login(annotator)
    start = TEXT.index(QUOTE)
    html = client.get(f"/captures/{kept.id}?start={start}&end={start + len(QUOTE)}").get_data(
        as_text=True
    )
    assert '<p data-start="0">Rapport annuel.</p>' in html
    assert f'data-start="{TEXT.index("Selon")}"' in html
    assert '<mark class="excerpt-mark">le taux est passé de 7,4 % à 7,3 % &lt;b&gt;</mark>' in html


def test_a_non_member_gets_404_for_the_source_and_the_capture(client, login, annotator, make):
    source, kept = _stored_capture(annotator)
    outsider = make.user(roles=[])
    elsewhere = Project(slug="ailleurs", name="Ailleurs")
    db.session.add(elsewhere)
    db.session.commit()
    projects.set_member_roles(db.session, elsewhere, outsider, [Role.ANNOTATOR])
    db.session.commit()
    login(outsider)
    assert client.get(f"/sources/{source.id}").status_code == 404
    assert client.get(f"/captures/{kept.id}").status_code == 404


def test_claim_form_shows_each_sources_stance_and_excerpts(client, login, annotator, make):
    _source, kept = _stored_capture(annotator)
    annotation = _claim_citing(client, login, annotator, make, kept, status=Status.DRAFT)
    html = client.get(
        f"/articles/{annotation.article_id}/annotate?annotation={annotation.id}"
    ).get_data(as_text=True)
    assert '<option value="refutes" selected>refutes</option>' in html
    assert '<span class="stance stance-refutes">refutes</span>' in html  # the claim's view
    assert "<q>le taux est passé de 7,4 % à 7,3 % &lt;b&gt;</q>" in html
    assert 'name="sources-0-excerpts" value="[{&#34;' in html  # JSON, escaped


def test_the_page_without_script_keeps_stance_and_excerpts(client, login, annotator, make):
    _source, kept = _stored_capture(annotator)
    annotation = _claim_citing(client, login, annotator, make, kept, status=Status.DRAFT)
    excerpts = json.dumps([e for s in annotation.sources for e in s.excerpts])
    form = {
        "start": annotation.start, "end": annotation.end, "quote": annotation.quote,
        "claim": "Le chômage a baissé.", "version": annotation.version, "action": "draft",
        "sources-0-url": URL, "sources-0-stance": "context", "sources-0-excerpts": excerpts,
    }  # fmt: skip
    response = client.post(f"/annotations/{annotation.id}/edit", data=form)
    assert response.status_code == 302
    (citation,) = db.session.get(Annotation, annotation.id).sources
    assert citation.stance.value == "context" and citation.excerpts[0]["quote"] == QUOTE


def test_add_excerpt_from_the_reading_view(client, login, annotator, make):
    _source, kept = _stored_capture(annotator)
    annotation = _claim_citing(client, login, annotator, make, kept, status=Status.DRAFT)
    read = client.get(f"/sources/{kept.source_id}/read?claim={annotation.id}")
    assert read.headers["Location"].endswith(f"/captures/{kept.id}?claim={annotation.id}")
    page = client.get(read.headers["Location"]).get_data(as_text=True)
    assert f"Add excerpt to claim {annotation.id}" in page
    start = TEXT.index("Fin")
    form = {"annotation_id": annotation.id, "version": annotation.version, "start": start,
            "end": start + 3, "quote": "Fin"}  # fmt: skip
    response = client.post(f"/captures/{kept.id}/excerpts", data=form)
    assert response.status_code == 302 and "/annotate?annotation=" in response.headers["Location"]
    (citation,) = db.session.get(Annotation, annotation.id).sources
    assert [e["quote"] for e in citation.excerpts] == [QUOTE, "Fin"]
    assert citation.stance.value == "refutes"


def test_an_excerpt_that_does_not_match_is_refused_in_words(client, login, annotator, make):
    _source, kept = _stored_capture(annotator)
    annotation = _claim_citing(client, login, annotator, make, kept, status=Status.DRAFT)
    form = {"annotation_id": annotation.id, "version": annotation.version, "start": 0,
            "end": 3, "quote": "Fin"}  # fmt: skip
    response = client.post(f"/captures/{kept.id}/excerpts", data=form, follow_redirects=True)
    assert "does not match" in response.get_data(as_text=True)
    (citation,) = db.session.get(Annotation, annotation.id).sources
    assert len(citation.excerpts) == 1


def test_review_page_tells_a_gone_source_and_evidence_published_after_the_claim(
    client, login, annotator, make
):
    source, kept = _stored_capture(annotator)
    source.health = Health.GONE
    source.published_at = datetime(2025, 3, 1, tzinfo=UTC)
    db.session.commit()
    annotation = _claim_citing(client, login, annotator, make, kept)
    annotation.article.published_at = datetime(2025, 1, 15, tzinfo=UTC)
    db.session.commit()
    login(make.user(roles=[Role.REVIEWER]))
    html = client.get(f"/review/{annotation.id}").get_data(as_text=True)
    assert 'class="health health-gone">gone<' in html
    assert "Published 2025-03-01, after the claim" in html


def test_fix_and_approve_keeps_each_sources_stance_and_excerpts(client, login, annotator, make):
    _source, kept = _stored_capture(annotator)
    annotation = _claim_citing(client, login, annotator, make, kept)
    login(make.user(roles=[Role.REVIEWER]))
    page = client.get(f"/review/{annotation.id}").get_data(as_text=True)
    form = {"version": annotation.version, "claim": "Le chômage a un peu baissé.",
            "claimant": "", "rationale": "", "comment": "Nuancé."}  # fmt: skip
    # what the fix form sends for its sources: every field of the page's form
    for name, value in re.findall(r'name="(sources-0-[a-z_]+)"[^>]*value="([^"]*)"', page):
        form[name] = html.unescape(value)
    response = client.post(f"/review/{annotation.id}/fix", data=form)
    assert response.status_code == 302
    (citation,) = db.session.get(Annotation, annotation.id).sources
    assert citation.stance.value == "refutes" and citation.excerpts[0]["quote"] == QUOTE
