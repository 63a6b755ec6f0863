"""GET /api/v1/articles/<id>/suggestions and its dismiss / accept: known claims of the
article's project only (approved, visible to the reader), worth-checking sentences."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Appearance, ArticleSuggestions, Role, Status, SuggestionDismissal
from factcheck.services import projects
from factcheck.services.reading import suggestions

KNOWN = "Le chômage a baissé de 20 % en 2024 selon l'Insee."
NEW_TEXT = (
    "Le ministre était à Lyon mardi.\n\n"
    "Il a répété que le chômage a baissé de 20 % en 2024 selon l'Insee. "
    "La salle a applaudi. "
    "Selon un rapport du Sénat, les dépenses ont augmenté de 3,5 milliards en 2023, "
    "le plus haut niveau depuis 1990."
)
REPEAT = "Il a répété que le chômage a baissé de 20 % en 2024 selon l'Insee."


def _span(text: str, sentence: str) -> tuple[int, int]:
    start = text.index(sentence)
    return start, start + len(sentence)


def _approved(make, author, claim=KNOWN, article=None, status=Status.APPROVED, verdict="false"):
    article = article or make.article(f"Un article ancien. {claim} Fin.")
    start, end = _span(article.text, claim)
    return make.annotation(
        article=article,
        author=author,
        start=start,
        end=end,
        claim=claim,
        status=status,
        verdict=verdict,
    )


def _read(client, article_id):
    answer = client.get(f"/api/v1/articles/{article_id}/suggestions")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    if body["status"] == "pending":  # the task ran at once (tests): ask again
        db.session.rollback()  # the requests share the test's session: end its snapshot
        body = client.get(f"/api/v1/articles/{article_id}/suggestions").get_json()
    assert body["status"] == "ready"
    return body


@pytest.fixture
def article(make):
    return make.article(
        NEW_TEXT,
        title="Le ministre à Lyon",
        url="https://news.example/lyon",
        published_at=datetime(2025, 3, 4, tzinfo=UTC),
    )


def test_a_sentence_repeating_an_approved_claim_is_marked_with_its_verdict(
    client, login, make, people, article, index
):
    known = _approved(make, people["bob"])
    index()
    login(people["alice"])
    body = _read(client, article.id)
    assert body["model"] == "rules" and body["revision"] == 1 and body["complete"] is True
    assert [k["quote"] for k in body["known"]] == [REPEAT]
    item = body["known"][0]
    assert item["target"] == f"annotation:{known.id}"
    assert item["verdict"] == "false" and item["verdict_label"]
    assert item["claim"] == KNOWN
    assert (item["start"], item["end"]) == _span(NEW_TEXT, REPEAT)
    assert NEW_TEXT[item["start"] : item["end"]] == item["quote"]
    worth = [w["quote"] for w in body["worth_checking"]]
    assert any(w.startswith("Selon un rapport du Sénat") for w in worth)
    assert "La salle a applaudi." not in worth


def test_an_import_computes_the_suggestions_in_the_background(client, login, make, people, index):
    _approved(make, people["bob"])
    index()
    login(people["admin"])
    record = {"title": "Importé", "text": NEW_TEXT, "external_id": "imp-1"}
    answer = client.post("/api/v1/articles", json=record)
    assert answer.status_code in (200, 201), answer.get_data(as_text=True)
    db.session.rollback()
    row = db.session.scalar(select(ArticleSuggestions))
    assert row is not None and row.revision == 1  # queued after the commit, run at once
    body = client.get(f"/api/v1/articles/{row.article_id}/suggestions").get_json()
    assert body["status"] == "ready" and [k["quote"] for k in body["known"]] == [REPEAT]


def test_a_revision_computes_them_again(client, login, make, people, article, index):
    _approved(make, people["bob"])
    index()
    login(people["admin"])
    assert _read(client, article.id)["known"]
    revised = NEW_TEXT.replace(REPEAT, "Il a parlé d'autre chose.")
    answer = client.post(f"/api/v1/articles/{article.id}/revisions", json={"text": revised})
    assert answer.status_code in (200, 201), answer.get_data(as_text=True)
    db.session.rollback()
    body = client.get(f"/api/v1/articles/{article.id}/suggestions").get_json()
    assert body["status"] == "ready" and body["revision"] == 2 and body["known"] == []


def test_nothing_from_another_project_no_draft_no_claim_in_review_nor_of_this_article(
    client, login, make, people, article, index
):
    desk = projects.create_project(db.session, name="Santé", slug="sante")
    db.session.commit()
    nurse = make.user("nurse", roles=[])
    projects.set_member_roles(db.session, desk, nurse, [Role.ANNOTATOR])
    db.session.commit()
    _approved(make, nurse, article=make.article(f"Autre. {KNOWN}", project_id=desk.id))
    _approved(make, people["alice"], status=Status.DRAFT)
    _approved(make, people["bob"], status=Status.SUBMITTED)
    _approved(make, people["bob"], status=Status.REJECTED)
    # a claim on this very article is not a known claim of it
    start, end = _span(NEW_TEXT, REPEAT)
    make.annotation(
        article=article,
        author=people["bob"],
        start=start,
        end=end,
        claim=KNOWN,
        status=Status.APPROVED,
    )
    index()
    for user in (people["alice"], people["admin"]):
        login(user)
        assert _read(client, article.id)["known"] == []


def test_a_claim_back_in_review_is_dropped_when_read(
    client, login_as, make, people, article, index, blind
):
    known = _approved(make, people["bob"])
    index()
    login_as(people["alice"])
    assert _read(client, article.id)["known"]
    known.status = Status.SUBMITTED  # a claim in review of a blind project: no verdict shown
    db.session.commit()
    for user in (people["alice"], people["rita"]):
        login_as(user)
        assert _read(client, article.id)["known"] == []


def test_non_members_get_404_and_readers_may_not_act(client, login_as, make, people, article):
    login_as(people["outsider"])
    assert client.get(f"/api/v1/articles/{article.id}/suggestions").status_code == 404
    start, end = _span(NEW_TEXT, REPEAT)
    url = f"/api/v1/articles/{article.id}/suggestions/dismiss"
    assert client.post(url, json={"start": start, "end": end}).status_code == 404
    login_as(people["rita"])  # a reviewer reads, does not annotate
    assert client.get(f"/api/v1/articles/{article.id}/suggestions").status_code == 200
    assert client.post(url, json={"start": start, "end": end}).status_code == 403


def test_dismiss_a_sentence_and_it_is_not_shown_again(client, login, make, people, article, index):
    _approved(make, people["bob"])
    index()
    login(people["alice"])
    start, end = _span(NEW_TEXT, REPEAT)
    url = f"/api/v1/articles/{article.id}/suggestions/dismiss"
    answer = client.post(url, json={"start": start, "end": end})
    assert answer.status_code == 200 and answer.get_json()["kind"] == "known"
    assert client.post(url, json={"start": start, "end": end}).status_code == 200  # idempotent
    assert db.session.scalars(select(SuggestionDismissal)).all()[0].user_id == people["alice"].id
    assert _read(client, article.id)["known"] == []
    worth = _read(client, article.id)["worth_checking"][0]
    client.post(url, json={"start": worth["start"], "end": worth["end"], "kind": "worth_checking"})
    assert worth not in _read(client, article.id)["worth_checking"]


@pytest.mark.parametrize(
    "body",
    [
        {"start": 0, "end": 5},  # not a sentence
        {"start": 0, "end": 10**6},
        {"start": "0", "end": 31},
        {"start": 0, "end": 31, "kind": "other"},
        {"start": 0, "end": 31, "colour": "red"},
    ],
)
def test_dismiss_refuses_what_is_not_a_sentence_with_422(client, login, people, article, body):
    login(people["alice"])
    answer = client.post(f"/api/v1/articles/{article.id}/suggestions/dismiss", json=body)
    assert answer.status_code == 422
    assert answer.get_json()["error"]["field"] in {"start", "end", "kind", "colour"}


def test_accept_records_the_appearance_and_returns_the_new_claim(
    client, login, make, people, article, index
):
    known = _approved(make, people["bob"])
    index()
    login(people["alice"])
    item = _read(client, article.id)["known"][0]
    url = f"/api/v1/articles/{article.id}/suggestions/accept"
    body = {"start": item["start"], "end": item["end"], "target": item["target"]}
    answer = client.post(url, json=body)
    assert answer.status_code == 201, answer.get_data(as_text=True)
    data = answer.get_json()
    assert data["same_as"] == f"annotation:{known.id}"
    assert data["new_claim"]["quote"] == REPEAT and data["new_claim"]["revision"] == 1
    assert data["appearance"] == {
        "url": "https://news.example/lyon",
        "date": "2025-03-04",
        "note": "Seen in Le ministre à Lyon",
        "first": False,
    }
    assert client.post(url, json=body).status_code == 201  # again: still one appearance
    rows = db.session.scalars(select(Appearance)).all()
    assert [(r.annotation_id, r.article_id) for r in rows] == [(known.id, article.id)]
    assert _read(client, article.id)["known"] == []  # accepted: put away
    # then the page saves the new claim and links it with the existing API
    new = make.annotation(
        article=article, author=people["alice"], start=item["start"], end=item["end"]
    )
    linked = client.post(
        f"/api/v1/annotations/{new.id}/same_as",
        json={"target": data["same_as"], "version": new.version},
    )
    assert linked.status_code == 201, linked.get_data(as_text=True)


def test_accept_refuses_a_claim_the_user_may_not_see(client, login, make, people, article):
    draft = _approved(make, people["bob"], status=Status.DRAFT)
    login(people["alice"])
    start, end = _span(NEW_TEXT, REPEAT)
    url = f"/api/v1/articles/{article.id}/suggestions/accept"
    for target in (f"annotation:{draft.id}", "annotation:x", "https://nowhere.example/x", 5):
        answer = client.post(url, json={"start": start, "end": end, "target": target})
        assert answer.status_code == 422
        assert answer.get_json()["error"]["field"] == "target"
    assert db.session.scalars(select(Appearance)).all() == []


def test_past_factchecks_are_known_claims_too(client, login, make, people, article, index):
    claim_review = {
        "claimReviewed": "Le chômage a baissé de 20 % en 2024",
        "url": "https://checks.example/chomage",
        "reviewRating": {"alternateName": "Faux"},
        "inLanguage": "fr",
    }
    from factcheck.services import factchecks

    factchecks.import_text(db.session, json.dumps([claim_review]), "test")
    db.session.commit()
    index()
    login(people["alice"])
    known = _read(client, article.id)["known"]
    assert [(k["quote"], k["target"]) for k in known] == [
        (REPEAT, "https://checks.example/chomage")
    ]


def test_the_project_threshold_applies_when_read(client, login, make, people, article, index):
    _approved(make, people["bob"])
    index()
    login(people["alice"])
    score = _read(client, article.id)["known"][0]["score"]
    project = projects.default_project(db.session)
    project.known_claim_threshold = min(1.0, score + 0.01)
    db.session.commit()
    assert _read(client, article.id)["known"] == []
    project.known_claim_threshold = score
    db.session.commit()
    assert len(_read(client, article.id)["known"]) == 1
    assert suggestions.threshold(project) == score


@pytest.mark.parametrize(
    "text",
    [
        "un texte sans aucune ponctuation qui continue " * 20,
        ("mot " * 12_500).strip(),  # one 50,000-character paragraph
        "🎉👍🏽👨‍👩‍👧" * 300,
        "12 345 678 9 10,5 2024 1.000 3.14 " * 50,
        "Le chômage baisse. Unemployment is falling. 失業率が下がった。 البطالة تنخفض",
        ".",
    ],
)
def test_odd_articles_get_their_suggestions_without_an_error(
    client, login, make, people, index, text
):
    _approved(make, people["bob"])
    index()
    article = make.article(text)
    login(people["alice"])
    body = _read(client, article.id)
    for item in body["worth_checking"] + body["known"]:
        assert 0 < item["end"] - item["start"] <= 1000
        assert article.text[item["start"] : item["end"]] == item["quote"]


def test_the_quick_pass_is_ready_before_the_complete_one(
    client, login, make, people, article, index
):
    known = _approved(make, people["bob"])
    index()
    suggestions.compute(db.session, article, quick=True)
    db.session.commit()
    login(people["alice"])
    body = client.get(f"/api/v1/articles/{article.id}/suggestions").get_json()
    assert body["status"] == "ready" and body["complete"] is False
    assert [k["target"] for k in body["known"]] == [f"annotation:{known.id}"]
    from factcheck.services.reading.suggestions import compute_task

    assert compute_task(db.session, article.id) is True  # the full pass
    db.session.commit()
    assert compute_task(db.session, article.id) is False  # up to date: nothing to do
    body = client.get(f"/api/v1/articles/{article.id}/suggestions").get_json()
    assert body["complete"] is True and len(body["known"]) == 1


def test_imports_leave_the_suggestions_to_the_reader_when_switched_off(app, client, make):
    """SUGGEST_ON_IMPORT off (the default under TESTING): an import queues nothing, and the
    first reader's request asks for them."""
    from factcheck import tasks

    app.config["SUGGEST_ON_IMPORT"] = False
    queued = []
    original = tasks.enqueue
    try:
        tasks.enqueue = lambda name, *args, **kw: queued.append(name) or True
        from factcheck.extensions import db
        from factcheck.services import importing

        importing.import_records(
            db.session, [{"title": "T", "text": "Le maire a dit 12 choses."}], None
        )
        db.session.commit()
    finally:
        tasks.enqueue = original
    assert "compute_suggestions_many" not in queued and "compute_suggestions" not in queued
