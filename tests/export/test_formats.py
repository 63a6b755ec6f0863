"""JSON Lines and ClaimReview shapes, HTML-safe JSON-LD, streaming with bounded queries."""

from __future__ import annotations

import json

import pytest

from factcheck.extensions import db
from factcheck.models import Source, Status
from factcheck.services import export

from ..sql import statements
from .conftest import parse_csv


def test_jsonl_has_sources_objects_prefix_suffix_and_history(client, login, reviewer, reviewed):
    annotation = reviewed(sources=2, claim='« Quote » "double" \n 🎉')
    login(reviewer)
    response = client.get("/api/v1/export.jsonl")
    assert response.status_code == 200
    assert response.is_streamed
    lines = response.data.decode("utf-8").splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["annotation_id"] == annotation.id
    assert record["claim"] == '« Quote » "double" \n 🎉'
    no_evidence = {"source_id": None, "stance": None, "excerpts": []}
    assert record["sources"] == [
        {"url": "https://example.org/source/0", "title": "Source 0", "note": ""} | no_evidence,
        {"url": "https://example.org/source/1", "title": "Source 1", "note": ""} | no_evidence,
    ]
    assert record["prefix"] == annotation.prefix
    assert record["suffix"] == annotation.suffix
    assert record["quote"] == annotation.quote
    assert record["start"] == annotation.start and record["end"] == annotation.end
    assert record["reviewed_at"] == "2026-11-25T10:04:05Z"
    (event_,) = record["history"]
    assert event_["to"] == "approved" and event_["from"] is None
    assert event_["by"] == annotation.author.username
    assert event_["at"].endswith("Z")
    # the CSV fields are all there (source_urls as sources objects)
    # the sources' URLs and stances are in the ``sources`` objects
    assert set(export.COLUMNS) - {"source_urls", "source_stances"} <= set(record)


def test_jsonl_is_always_exact(client, login, reviewer, reviewed):
    reviewed(claim="=1+1")
    login(reviewer)
    response = client.get("/api/v1/export.jsonl?spreadsheet_safe=1")
    assert response.status_code == 400  # not a JSON Lines option
    record = json.loads(client.get("/api/v1/export.jsonl").data)
    assert record["claim"] == "=1+1"


def test_claimreview_shape(client, login, reviewer, reviewed, make, app):
    app.config.update(
        ORGANIZATION_NAME="Les Vérificateurs",
        ORGANIZATION_URL="https://verif.example",
        CLAIMREVIEW_URL_TEMPLATE="https://verif.example/claims/{id}",
    )
    article = make.article(url="https://news.example/a/1", title="La dette")
    approved = reviewed(article=article, claim="La dette a baissé.", claimant="Jean Dupont")
    reviewed(article=article, verdict="unverifiable", claimant="Ministère de l'Économie")
    reviewed(status=Status.SUBMITTED)
    login(reviewer)
    response = client.get("/api/v1/export.claimreview.json?status=all")
    assert response.status_code == 200
    items = json.loads(response.data)
    assert len(items) == 2  # approved only, whatever the status filter
    first = items[0]
    assert first["@context"] == "https://schema.org"
    assert first["@type"] == "ClaimReview"
    assert first["claimReviewed"] == "La dette a baissé."
    assert first["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Jean Dupont"},
        "appearance": {
            "@type": "CreativeWork",
            "url": "https://news.example/a/1",
            "headline": "La dette",
        },
    }
    assert first["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Faux",  # the claim's language (a French article)
    }
    assert first["inLanguage"] == "fr"
    assert first["author"] == {
        "@type": "Organization",
        "name": "Les Vérificateurs",
        "url": "https://verif.example",
    }
    assert first["datePublished"] == "2026-11-25"
    assert first["url"] == f"https://verif.example/claims/{approved.id}"
    second = items[1]
    assert second["itemReviewed"]["author"]["@type"] == "Organization"
    assert "ratingValue" not in second["reviewRating"]
    assert second["reviewRating"]["alternateName"] == "Invérifiable"


def test_claimreview_of_nothing_is_an_empty_array(client, login, reviewer):
    login(reviewer)
    assert json.loads(client.get("/api/v1/export.claimreview.json").data) == []


def test_jsonld_is_safe_to_embed_in_html():
    data = {"claimReviewed": "</script><script>alert('x')</script> & co", "x": "\u2028"}
    text = export.jsonld_for_html(data)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text
    assert "\\u003c/script\\u003e" in text
    assert json.loads(text) == data


# per batch: the rows, their sources, their confirmed matches (same_as), their appearances
# (issue 26); CSV also the sources' stances; JSON Lines also the histories, the adjudicated
# versions (issue 13) and the excerpts of the sources (issue 25)
@pytest.mark.parametrize(("fmt", "per_batch", "lookups"), [("csv", 5, 4), ("jsonl", 7, 0)])
def test_queries_grow_with_batches_not_rows(app_ctx, make, fmt, per_batch, lookups):
    """CSV also looks up articles, accounts, verdicts and projects: once for keys not seen
    before."""
    author = make.user()
    article = make.article()
    for _ in range(25):
        make.annotation(article=article, author=author, status=Status.APPROVED, sources=2)
    filters = export.parse_filters({})
    produce = export.csv_batches if fmt == "csv" else export.jsonl_batches
    with statements(select_only=True) as small:
        rows_small = sum(n for n, _ in produce(db.session, filters, batch_size=100))
    with statements(select_only=True) as batched:
        rows_batched = sum(n for n, _ in produce(db.session, filters, batch_size=10))
    assert rows_small == rows_batched == 25
    assert len(small) == per_batch + lookups  # 25 rows, one batch: no query per row
    assert len(batched) == 3 * per_batch + lookups  # 10 + 10 + 5, same article and users


def test_sparse_batches_fetch_only_their_sources(app_ctx, make):
    """A filter that skips most ids still gets each row's own sources."""
    author = make.user()
    wanted = make.article()
    other = make.article()
    keep = []
    for i in range(12):
        article = wanted if i % 4 == 0 else other
        annotation = make.annotation(article=article, author=author, status=Status.APPROVED)
        make.session.add(Source(annotation_id=annotation.id, position=5, url=f"https://x/{i}"))
        if article is wanted:
            keep.append((annotation.id, f"https://example.org/source/0 https://x/{i}"))
    make.session.commit()
    filters = export.parse_filters({"article": wanted.id})
    data = b"".join(chunk for _n, chunk in export.csv_batches(db.session, filters, batch_size=2))
    got = [(int(r["annotation_id"]), r["source_urls"]) for r in parse_csv(data)]
    assert got == keep


def test_preview_and_count(app_ctx, make):
    for _ in range(12):
        make.annotation(status=Status.APPROVED)
    make.annotation(status=Status.SUBMITTED)
    filters = export.parse_filters({})
    assert export.count(db.session, filters) == 12
    preview = export.preview(db.session, filters)
    assert len(preview) == 10
    assert list(preview[0]) == list(export.COLUMNS)
