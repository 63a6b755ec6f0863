"""The ClaimReview export with the desk's memory (DESIGN.md, "The desk's memory"): the
published address and date, the project's publisher, the claimant typed Person or
Organization with ``sameAs``, the claim's date, its appearances and first appearance;
checked against the fields Google's Fact Check Tools markup documents, and still safe to
embed in a page."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from factcheck.extensions import db
from factcheck.models import Appearance, Claimant, ClaimantKind, Status
from factcheck.services import export

from ..sql import statements

# Google Search Central, "Fact Check (ClaimReview) structured data": the properties it
# documents. Required: claimReviewed, reviewRating (with alternateName, and ratingValue,
# bestRating, worstRating when the rating is numeric), url, author (name, url recommended);
# recommended: datePublished, itemReviewed (a Claim: author {@type, name, sameAs},
# datePublished, appearance, firstAppearance).
REQUIRED = {"claimReviewed", "reviewRating", "url", "author"}
RECOMMENDED = {"datePublished", "itemReviewed"}
RATING = {"alternateName", "ratingValue", "bestRating", "worstRating"}
PUBLISHER = {"name", "url"}
CLAIM = {"@type", "author", "datePublished", "appearance", "firstAppearance"}
CLAIM_AUTHOR = {"@type", "name", "sameAs"}
WORK = {"@type", "url", "datePublished"}

WIKIDATA = "https://www.wikidata.org/wiki/Q42"


@pytest.fixture
def desk(make, reviewed):
    mayor = Claimant(
        name="Jean Dupont", folded="jean dupont", kind=ClaimantKind.PERSON, same_as=[WIKIDATA]
    )
    ministry = Claimant(
        name="Ministère du Travail",
        folded="ministere du travail",
        kind=ClaimantKind.ORGANIZATION,
        same_as=["https://travail-emploi.gouv.fr", "https://www.wikidata.org/wiki/Q3"],
    )
    db.session.add_all([mayor, ministry])
    db.session.commit()
    article = make.article(url="https://news.example/a/1", title="Le chômage")
    published = reviewed(
        article=article,
        claim="Le chômage a baissé de 10 %.",
        claimant="Le maire",
        claimant_id=mayor.id,
        claim_date=date(2026, 11, 2),
        published_url="https://verif.example/2026/chomage",
        published_at=datetime(2026, 11, 26, 8, 15, tzinfo=UTC),
    )
    db.session.add_all(
        [
            Appearance(
                annotation_id=published.id,
                position=0,
                url="https://tv.example/debat",
                date=date(2026, 11, 1),
                first=True,
            ),
            Appearance(annotation_id=published.id, position=1, url="https://x.example/post/9"),
        ]
    )
    organisation = reviewed(article=article, claimant="the ministry", claimant_id=ministry.id)
    project = published.project
    db.session.commit()
    return {"published": published, "organisation": organisation, "project": project}


def _export(publisher=None) -> list[dict]:
    publisher = publisher or export.Publisher(
        "Installation", "https://install.example", "https://install.example/c/{id}"
    )
    chunks = export.claimreview_batches(db.session, export.parse_filters({}), publisher)
    return json.loads(b"".join(c for _n, c in chunks))


def _by_claim(items: list[dict]) -> dict[str, dict]:
    return {item["claimReviewed"]: item for item in items}


def test_published_claim_carries_every_field_google_documents(app_ctx, desk):
    desk["project"].publisher_name = "Les Vérificateurs"
    desk["project"].publisher_url = "https://verif.example"
    db.session.commit()
    item = _by_claim(_export())["Le chômage a baissé de 10 %."]
    assert REQUIRED | RECOMMENDED <= set(item)
    assert RATING <= set(item["reviewRating"])
    assert set(item["author"]) - {"@type"} == PUBLISHER
    assert set(item["itemReviewed"]) == CLAIM
    assert set(item["itemReviewed"]["author"]) == CLAIM_AUTHOR
    for work in [*item["itemReviewed"]["appearance"], item["itemReviewed"]["firstAppearance"]]:
        assert {"@type", "url"} <= set(work) <= WORK
    assert item["url"] == "https://verif.example/2026/chomage"
    assert item["datePublished"] == "2026-11-26T08:15:00Z"
    assert item["author"] == {
        "@type": "Organization",
        "name": "Les Vérificateurs",
        "url": "https://verif.example",
    }
    claim = item["itemReviewed"]
    assert claim["@type"] == "Claim"
    assert claim["author"] == {"@type": "Person", "name": "Jean Dupont", "sameAs": [WIKIDATA]}
    assert claim["datePublished"] == "2026-11-02"
    assert claim["appearance"] == [
        {"@type": "CreativeWork", "url": "https://tv.example/debat", "datePublished": "2026-11-01"},
        {"@type": "CreativeWork", "url": "https://x.example/post/9"},
    ]
    assert claim["firstAppearance"] == claim["appearance"][0]


def test_organization_claimant_and_the_fallbacks_of_an_unpublished_claim(app_ctx, desk):
    item = _by_claim(_export())["A checkable claim."]
    author = item["itemReviewed"]["author"]
    assert author["@type"] == "Organization"
    assert author["name"] == "Ministère du Travail"
    assert author["sameAs"] == [
        "https://travail-emploi.gouv.fr",
        "https://www.wikidata.org/wiki/Q3",
    ]
    # not published: the site-wide template and the day of the decision, as before
    assert item["url"] == f"https://install.example/c/{desk['organisation'].id}"
    assert item["datePublished"] == "2026-11-25"
    # no project publisher: the installation's
    assert item["author"] == {
        "@type": "Organization",
        "name": "Installation",
        "url": "https://install.example",
    }
    # no recorded appearance: the annotated article, as before
    assert item["itemReviewed"]["appearance"]["url"] == "https://news.example/a/1"
    assert "firstAppearance" not in item["itemReviewed"]


def test_a_project_publisher_without_address_does_not_borrow_the_installations(app_ctx, desk):
    desk["project"].publisher_name = "Desk"
    db.session.commit()
    item = _export()[0]
    assert item["author"] == {"@type": "Organization", "name": "Desk"}


def test_a_claimant_merged_away_speaks_as_the_one_kept(app_ctx, desk):
    kept = Claimant(name="Jean-Pierre Dupont", folded="jean-pierre dupont", same_as=[])
    db.session.add(kept)
    db.session.flush()
    db.session.get(Claimant, desk["published"].claimant_id).merged_into_id = kept.id
    db.session.commit()
    item = _by_claim(_export())["Le chômage a baissé de 10 %."]
    assert item["itemReviewed"]["author"] == {"@type": "Person", "name": "Jean-Pierre Dupont"}


def test_only_approved_claims_even_when_published_then_reopened(app_ctx, desk):
    desk["published"].status = Status.SUBMITTED
    db.session.commit()
    claims = set(_by_claim(_export()))
    assert claims == {"A checkable claim."}


def test_escaping_keeps_the_export_safe_inside_a_script_block(app_ctx, make, reviewed):
    payload = "</script><script>alert(1)</script> & <!--"
    sneaky = Claimant(name=payload, folded="x", kind=ClaimantKind.ORGANIZATION, same_as=[])
    db.session.add(sneaky)
    db.session.commit()
    a = reviewed(
        claim=payload,
        claimant_id=sneaky.id,
        published_url="https://verif.example/?q=</script>&x=1",
    )
    db.session.add(Appearance(annotation_id=a.id, url="https://x.example/</script>", first=True))
    db.session.commit()
    chunks = export.claimreview_batches(
        db.session, export.parse_filters({}), export.Publisher("</script>")
    )
    text = b"".join(c for _n, c in chunks).decode("utf-8")
    assert "<" not in text and ">" not in text and "&" not in text
    (item,) = json.loads(text)
    assert item["claimReviewed"] == payload
    assert item["itemReviewed"]["author"]["name"] == payload
    assert item["url"] == "https://verif.example/?q=</script>&x=1"
    assert item["itemReviewed"]["firstAppearance"]["url"] == "https://x.example/</script>"


def test_claimants_and_appearances_load_per_batch_not_per_row(app_ctx, make, reviewed):
    people = [Claimant(name=f"P{i}", folded=f"p{i}", same_as=[]) for i in range(5)]
    db.session.add_all(people)
    db.session.commit()
    article = make.article()
    for i in range(20):
        a = reviewed(article=article, claimant_id=people[i % 5].id)
        db.session.add(Appearance(annotation_id=a.id, url=f"https://x.example/{i}", first=True))
    db.session.commit()

    def run(batch_size):
        with statements(select_only=True) as seen:
            chunks = export.claimreview_batches(
                db.session, export.parse_filters({}), export.Publisher("x"), batch_size=batch_size
            )
            items = json.loads(b"".join(c for _n, c in chunks))
        return items, seen

    items, one = run(100)
    assert len(items) == 20
    assert all(item["itemReviewed"]["firstAppearance"] for item in items)
    assert len(one) == 3  # the rows, their appearances, their claimants
    _items, four = run(5)  # 5 + 5 + 5 + 5: three queries per batch, and one empty read
    assert len(four) == 4 * 3 + 1


def test_the_export_round_trips_through_the_importer(app_ctx, desk):
    from factcheck.models import FactCheck
    from factcheck.services import factchecks

    desk["project"].publisher_name = "Les Vérificateurs"
    db.session.commit()
    text = json.dumps(_export())
    report = factchecks.import_text(db.session, text, "export.json")
    db.session.commit()
    assert (report.created, report.errors) == (2, [])
    fact = db.session.scalar(
        db.select(FactCheck).where(FactCheck.url == "https://verif.example/2026/chomage")
    )
    assert (fact.claimant, fact.publisher) == ("Jean Dupont", "Les Vérificateurs")
    assert fact.published_at == datetime(2026, 11, 26, 8, 15, tzinfo=UTC)
