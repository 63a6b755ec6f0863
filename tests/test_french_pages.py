"""In French, every page speaks French: no English label of the default verdict scale,
whether a page writes it, a macro does, or the page's script gets it from the API."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from flask import url_for
from flask_babel import refresh

from factcheck.extensions import db
from factcheck.models import DEFAULT_VERDICTS, ClaimLink, FactCheck
from factcheck.services.matching import indexer, vectors

from .hardening import conftest as hardening
from .hardening.test_route_matrix import _recipe, expected_for, routes

ENGLISH = [label for _key, label, *_rest in DEFAULT_VERDICTS]
PATTERN = re.compile(r"\b(" + "|".join(map(re.escape, ENGLISH)) + r")\b")
#: the route matrix's small world, and requests as any of its principals
world = hardening.world
as_principal = hardening.as_principal
NOT_PAGES = {"annotate.verdicts_css", "main.healthz", "export.download", "static"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder", "alt") and value:
                self.chunks.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.chunks.append(data)


def english_labels(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    found = []
    for chunk in parser.chunks:
        found += PATTERN.findall(chunk)
    return found


def _past_factcheck(world, rating: str = "False", claim: str = "Le chômage a baissé.") -> FactCheck:
    """A past fact-check rated with an English label of the scale, confirmed as the same
    claim as the world's submitted claim (its review page shows it)."""
    factcheck = FactCheck(
        url="https://fact.example.org/false",
        claim=claim,
        rating=rating,
        verdict="false",
    )
    db.session.add(factcheck)
    db.session.flush()
    db.session.add(
        ClaimLink(
            annotation_id=world.submitted.id,
            target=factcheck.url,
            target_factcheck_id=factcheck.id,
            created_by_id=world.annotator.id,
        )
    )
    db.session.commit()
    return factcheck


@pytest.mark.parametrize("principal", ["annotator", "reviewer", "admin"])
def test_every_page_in_french_shows_french_verdict_labels(
    app,
    world,
    as_principal,
    principal,
):
    _past_factcheck(world)
    client, headers = as_principal(principal)
    headers["Accept-Language"] = "fr"
    problems = []
    for endpoint, method in sorted(routes(app)):
        if method != "GET" or endpoint.startswith("api.") or endpoint in NOT_PAGES:
            continue
        if (expected_for(endpoint, "GET") or {}).get(principal) != 200:
            continue
        recipe = _recipe(endpoint, "GET", world)
        with app.test_request_context():
            url = url_for(endpoint, **recipe.get("args", {}))
        response = client.get(url, headers=headers, query_string=recipe.get("query"))
        assert response.status_code == 200, url
        found = english_labels(response.get_data(as_text=True))
        if found:
            problems.append((url, sorted(set(found))))
    assert problems == [], "\n".join(map(str, problems))


def test_the_claim_form_and_the_review_page_say_faux_in_french(app, world, as_principal):
    _past_factcheck(world)
    french = {"Accept-Language": "fr"}
    client, _headers = as_principal("annotator")
    form = client.get(f"/articles/{world.article.id}/annotate", headers=french)
    assert '<span class="verdict-label">Faux</span>' in form.get_data(as_text=True)
    client, _headers = as_principal("reviewer")
    review = client.get(f"/review/{world.submitted.id}", headers=french).get_data(as_text=True)
    assert "Faux" in review and english_labels(review) == []
    refresh()  # the tests' requests share one app context, where the locale is cached
    english = client.get(f"/review/{world.submitted.id}", headers={"Accept-Language": "en"})
    assert "Faux" not in english.get_data(as_text=True)


def test_checked_before_answers_in_the_interface_language(app, world, as_principal):
    claim = world.submitted.claim
    _past_factcheck(world, claim=claim)
    client, _headers = as_principal("reviewer")
    vectors.forget_indexes()
    indexer.index_now(db.session, None)
    db.session.commit()
    answer = client.get(
        "/api/v1/claims/similar", query_string={"text": claim}, headers={"Accept-Language": "fr"}
    ).get_json()
    labels = {item["kind"]: item["verdict_label"] for item in answer["items"]}
    assert labels == {"annotation": "Faux", "factcheck": "Faux"}


def test_a_rating_outside_the_scale_is_shown_as_written(app, world, as_principal):
    _past_factcheck(world, rating="Pants on Fire")
    client, _headers = as_principal("admin")
    page = client.get("/admin/factchecks", headers={"Accept-Language": "fr"})
    assert "Pants on Fire" in page.get_data(as_text=True)
