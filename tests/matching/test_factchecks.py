"""Past fact-checks: ClaimReview import (CLI and API), idempotence, round trip, listing."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import FactCheck, Role, Status, Verdict
from factcheck.services import export, factchecks
from factcheck.services.export import Publisher

REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "claimReviewed": "L'OMS a déclaré la pandémie le 11 mars 2020",
    "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Jean Dupont"}},
    "reviewRating": {"@type": "Rating", "alternateName": "Vrai"},
    "url": "https://fact.example.org/oms-pandemie",
    "datePublished": "2020-03-12",
    "author": {"@type": "Organization", "name": "Exemple Vérif"},
    "inLanguage": "fr",
}


def test_cli_reads_array_jsonl_and_jsonld_and_is_idempotent(app, tmp_path):
    other = dict(REVIEW, url="https://fact.example.org/2", claimReviewed="Autre")
    (tmp_path / "a.json").write_text(json.dumps([REVIEW, other], indent=2))
    (tmp_path / "b.jsonl").write_text(
        json.dumps(dict(REVIEW, url="https://fact.example.org/3"))
        + "\n"
        + json.dumps({"@type": "ClaimReview", "url": "https://fact.example.org/4"})
        + "\n"
    )
    (tmp_path / "c.jsonld").write_text(
        json.dumps(
            {
                "@context": "https://schema.org",
                "@graph": [dict(REVIEW, url="https://fact.example.org/5")],
            }
        )
    )
    app.config["MATCHING_MODEL"] = ""
    runner = app.test_cli_runner()
    files = [str(tmp_path / n) for n in ("a.json", "b.jsonl", "c.jsonld")]
    first = runner.invoke(args=["import-claimreview", *files])
    assert first.exit_code == 1, first.output
    assert "4 fact-checks imported, 0 updated, 0 unchanged, 1 skipped" in first.output
    assert f"{tmp_path / 'b.jsonl'}:2: error: claimReviewed is missing." in first.output
    second = runner.invoke(args=["import-claimreview", *files])
    assert "0 fact-checks imported, 0 updated, 4 unchanged, 1 skipped" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count(FactCheck.id))) == 4
        stored = db.session.scalar(select(FactCheck).where(FactCheck.url == REVIEW["url"]))
        assert (stored.claimant, stored.rating, stored.verdict) == ("Jean Dupont", "Vrai", "true")
        assert (stored.publisher, stored.language) == ("Exemple Vérif", "fr")
        assert stored.published_at.isoformat() == "2020-03-12T00:00:00+00:00"


def test_a_record_without_url_is_skipped_whole(app_ctx):
    bad = dict(REVIEW)
    del bad["url"]
    report = factchecks.import_text(db.session, json.dumps([bad, REVIEW]), "x.json")
    assert report.created == 1
    assert report.errors == [{"file": "x.json", "line": 1, "message": "url is missing."}]


def test_our_claimreview_export_round_trips(app_ctx, make):
    annotation = make.annotation(
        status=Status.APPROVED,
        claim="Le chômage a baissé de 10 %",
        claimant="Le président",
        verdict="false",
    )
    publisher = Publisher(name="Desk", url_template="https://desk.example.org/claims/{id}")
    chunks = export.claimreview_batches(db.session, export.parse_filters({}), publisher)
    document = b"".join(data for _n, data in chunks).decode("utf-8")
    report = factchecks.import_text(db.session, document, "export.json")
    assert (report.created, report.errors) == (1, [])
    stored = db.session.scalar(select(FactCheck))
    # the article is French: ClaimReview names the verdict in French (issue 14)
    label = db.session.scalar(select(Verdict.label_fr).where(Verdict.key == "false"))
    assert stored.url == f"https://desk.example.org/claims/{annotation.id}"
    assert (stored.claim, stored.claimant) == ("Le chômage a baissé de 10 %", "Le président")
    assert (stored.rating, stored.verdict, stored.publisher) == (label, "false", "Desk")
    assert stored.language == "fr"


def test_api_import_is_admin_only_and_lists(client, login, make):
    admin = make.user("boss", roles=[Role.ADMIN])
    annotator = make.user("ann", roles=[Role.ANNOTATOR])
    login(annotator)
    assert client.post("/api/v1/factchecks", json=[REVIEW]).status_code == 403
    login(admin)
    response = client.post("/api/v1/factchecks", json=[REVIEW])
    assert response.status_code == 200
    assert response.get_json()["created"] == 1
    login(annotator)
    listing = client.get("/api/v1/factchecks?q=pandémie").get_json()
    assert listing["total"] == 1 and listing["page"] == 1
    assert listing["items"][0]["url"] == REVIEW["url"]
    assert listing["items"][0]["verdict_label"] == "Vrai"


def test_admin_page_lists_and_searches(client, login, make):
    admin = make.user("boss", roles=[Role.ADMIN])
    factchecks.import_text(
        db.session,
        json.dumps([REVIEW, dict(REVIEW, url="https://fact.example.org/x", claimReviewed="Autre")]),
        "x.json",
    )
    db.session.commit()
    login(admin)
    page = client.get("/admin/factchecks?q=pand%C3%A9mie")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "L&#39;OMS a déclaré la pandémie" in html and "Autre" not in html
    assert "Past fact-checks" in client.get("/admin/users").get_data(as_text=True)
