"""Where and when a claim was made, and who made it (issue 26): ``claimant_id``,
``claim_date``, ``claim_medium`` and ``appearances`` through the JSON API and the HTML
form, with the 422s that name the field, the version bump and the history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Annotation, Appearance, Claimant, ReviewEvent, Status

from .conftest import span_of

QUOTE = "Le déficit a baissé."
TODAY = datetime.now(UTC).date()

WHERE = {
    "claim_date": "2026-11-30",
    "claim_medium": "tv",
    "appearances": [
        {"url": "https://tv.example/journal", "date": "2026-11-30", "note": "20 h", "first": True},
        {"url": "https://social.example/post/1", "date": None, "note": "", "first": False},
    ],
}


def payload(text: str, **overrides) -> dict:
    data = {
        **span_of(text, QUOTE),
        "claim": "The deficit went down.",
        "claimant": "Le ministre",
        "verdict": "false",
        "rationale": "The figures say otherwise.",
        "sources": [{"url": "https://insee.fr/x", "title": "Insee", "note": ""}],
    }
    data.update(overrides)
    return data


def post(client, article, data):
    return client.post(f"/api/v1/articles/{article.id}/annotations", json=data)


def patch(client, annotation_id: int, data: dict):
    return client.patch(f"/api/v1/annotations/{annotation_id}", json=data)


def error(response) -> tuple[str | None, str]:
    body = response.get_json()["error"]
    return body.get("field"), body["message"]


def test_a_new_claim_keeps_when_and_where_and_its_claimant(client, login, annotator, tricky):
    login(annotator)
    response = post(client, tricky, payload(tricky.text, **WHERE))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["claim_date"] == "2026-11-30" and body["claim_medium"] == "tv"
    assert body["appearances"] == [
        {"url": "https://tv.example/journal", "date": "2026-11-30", "note": "20 h", "first": True},
        {"url": "https://social.example/post/1", "date": None, "note": "", "first": False},
    ]
    assert body["published_url"] is None and body["published_at"] is None
    claimant = db.session.get(Claimant, body["claimant_id"])
    assert claimant.name == "Le ministre"  # a new name makes a claimant
    again = client.get(f"/api/v1/annotations/{body['id']}").get_json()
    assert {k: again[k] for k in WHERE} == {k: body[k] for k in WHERE}


def test_an_existing_claimant_is_found_by_name_accents_and_case_ignored(
    client, login, annotator, tricky
):
    known = Claimant(name="Le Ministre", folded="le ministre", same_as=[])
    db.session.add(known)
    db.session.commit()
    login(annotator)
    body = post(client, tricky, payload(tricky.text, claimant="le  MINISTRE")).get_json()
    assert body["claimant_id"] == known.id
    assert body["claimant"] == "le MINISTRE"  # the name as written (one line, tidied)


def test_the_claimant_id_wins_and_the_name_stays_as_written(client, login, annotator, tricky):
    mayor = Claimant(name="Sophie Martin", folded="sophie martin", same_as=[])
    db.session.add(mayor)
    db.session.commit()
    login(annotator)
    data = payload(tricky.text, claimant="La maire", claimant_id=mayor.id)
    body = post(client, tricky, data).get_json()
    assert (body["claimant_id"], body["claimant"]) == (mayor.id, "La maire")
    assert db.session.scalar(select(func.count()).select_from(Claimant)) == 1


def test_no_claimant_no_id(client, login, annotator, tricky):
    login(annotator)
    body = post(client, tricky, payload(tricky.text, claimant="")).get_json()
    assert body["claimant_id"] is None
    assert db.session.scalar(select(func.count()).select_from(Claimant)) == 0


@pytest.mark.parametrize(
    "overrides, field, words",
    [
        ({"claim_date": "30/11/2026"}, "claim_date", "YYYY-MM-DD"),
        ({"claim_date": "2026-02-30"}, "claim_date", "YYYY-MM-DD"),
        ({"claim_date": "2026-11-30T10:00:00Z"}, "claim_date", "YYYY-MM-DD"),
        ({"claim_date": 20261130}, "claim_date", "YYYY-MM-DD"),
        ({"claim_date": (TODAY + timedelta(days=2)).isoformat()}, "claim_date", "future"),
        ({"claim_medium": "podcast"}, "claim_medium", "article, tv, radio, social, speech"),
        ({"claim_medium": 3}, "claim_medium", "press_release, other"),
        ({"claimant_id": 999_999}, "claimant_id", "999999"),
        ({"claimant_id": "abc"}, "claimant_id", "claimant"),
        ({"appearances": "https://a.example"}, "appearances", "list"),
        ({"appearances": [{"url": "javascript:alert(1)"}]}, "appearances", "http"),
        (
            {"appearances": [{"url": "https://a.example", "date": "yesterday"}]},
            "appearances",
            "date",
        ),
        (
            {"appearances": [{"url": "https://a.example", "note": "x" * 2001}]},
            "appearances",
            "2000",
        ),
        ({"appearances": [{"url": "https://a.example", "first": "yes"}]}, "appearances", "first"),
        ({"appearances": [{"url": "https://a.example", "where": "tv"}]}, "appearances", "where"),
        (
            {"appearances": [{"url": f"https://a.example/{i}"} for i in range(51)]},
            "appearances",
            "50",
        ),
        (
            {"appearances": [{"url": "https://a.example/1", "first": True}] * 2},
            "appearances",
            "at most one",
        ),
    ],
)
def test_bad_when_and_where_is_a_422_naming_the_field(
    client, login, annotator, tricky, overrides, field, words
):
    login(annotator)
    response = post(client, tricky, payload(tricky.text, **overrides))
    assert response.status_code == 422, response.get_json()
    got_field, message = error(response)
    assert got_field == field
    assert words in message
    assert db.session.scalar(select(Annotation.id)) is None  # nothing half-written


def test_tomorrow_is_accepted_the_day_after_is_not(client, login, annotator, tricky):
    """A claim made this evening far east of UTC is dated tomorrow."""
    login(annotator)
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    response = post(client, tricky, payload(tricky.text, claim_date=tomorrow))
    assert response.status_code == 201 and response.get_json()["claim_date"] == tomorrow


def test_none_marked_first_stays_none_marked(client, login, annotator, tricky):
    login(annotator)
    appearances = [
        {"url": "https://b.example/", "date": "2026-11-02"},
        {"url": "https://a.example/", "date": "2026-11-01"},
    ]
    body = post(client, tricky, payload(tricky.text, appearances=appearances)).get_json()
    assert [a["first"] for a in body["appearances"]] == [False, False]
    assert [a["url"] for a in body["appearances"]] == ["https://b.example/", "https://a.example/"]


def _claim(client, tricky, **overrides) -> dict:
    response = post(client, tricky, payload(tricky.text, **WHERE, **overrides))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_an_edit_changes_them_with_one_version_bump_and_no_history_row(
    client, login, annotator, tricky
):
    login(annotator)
    created = _claim(client, tricky)
    events = db.session.scalar(select(func.count()).select_from(ReviewEvent))
    change = {
        "claim_date": "2026-12-01",
        "claim_medium": "radio",
        "appearances": [{"url": "https://radio.example/", "date": "2026-12-01", "first": True}],
        "version": created["version"],
    }
    response = patch(client, created["id"], change)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["version"] == created["version"] + 1
    assert (body["claim_date"], body["claim_medium"]) == ("2026-12-01", "radio")
    assert body["appearances"] == [
        {"url": "https://radio.example/", "date": "2026-12-01", "note": "", "first": True}
    ]
    rows = db.session.scalars(select(Appearance).order_by(Appearance.position)).all()
    assert [(r.position, r.url, r.date) for r in rows] == [
        (0, "https://radio.example/", date(2026, 12, 1))
    ]
    # an edit is not a step of the workflow: as for any other field, no history row
    assert db.session.scalar(select(func.count()).select_from(ReviewEvent)) == events
    assert [(h["from"], h["to"]) for h in body["history"]] == [(None, "draft")]


def test_empty_values_clear_them(client, login, annotator, tricky):
    login(annotator)
    created = _claim(client, tricky)
    clear = {"claim_date": "", "claim_medium": None, "appearances": [], "version": 1}
    body = patch(client, created["id"], clear).get_json()
    assert (body["claim_date"], body["claim_medium"], body["appearances"]) == (None, None, [])
    assert db.session.scalar(select(func.count()).select_from(Appearance)) == 0


def test_a_stale_version_changes_nothing(client, login, annotator, tricky):
    login(annotator)
    created = _claim(client, tricky)
    assert patch(client, created["id"], {"claim_medium": "radio", "version": 1}).status_code == 200
    stale = patch(client, created["id"], {"appearances": [], "version": 1})
    assert stale.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(Appearance)) == 2


def test_a_bad_appearance_in_an_edit_changes_nothing(client, login, annotator, tricky):
    login(annotator)
    created = _claim(client, tricky)
    bad = {"claim_medium": "radio", "appearances": [{"url": "ftp://x"}], "version": 1}
    response = patch(client, created["id"], bad)
    assert response.status_code == 422 and error(response)[0] == "appearances"
    annotation = db.session.get(Annotation, created["id"])
    db.session.refresh(annotation)
    assert annotation.version == 1 and annotation.claim_medium.value == "tv"


def test_a_changed_name_finds_its_claimant_an_unchanged_one_keeps_the_id(
    client, login, annotator, tricky
):
    login(annotator)
    created = _claim(client, tricky)
    first_id = created["claimant_id"]
    same = patch(
        client, created["id"], {"claimant": "Le ministre", "claimant_id": None, "version": 1}
    )
    assert same.get_json()["claimant_id"] == first_id
    other = patch(client, created["id"], {"claimant": "La préfète", "version": 2}).get_json()
    assert other["claimant_id"] not in (None, first_id)
    assert db.session.get(Claimant, other["claimant_id"]).name == "La préfète"
    back = patch(client, created["id"], {"claimant_id": first_id, "version": 3}).get_json()
    assert (back["claimant_id"], back["claimant"]) == (first_id, "La préfète")


def test_a_merged_claimant_id_stands_for_the_one_kept(client, login, annotator, tricky):
    kept = Claimant(name="Sophie Martin", folded="sophie martin", same_as=[])
    db.session.add(kept)
    db.session.flush()
    gone = Claimant(name="S. Martin", folded="s martin", same_as=[], merged_into_id=kept.id)
    db.session.add(gone)
    db.session.commit()
    login(annotator)
    body = post(client, tricky, payload(tricky.text, claimant_id=gone.id)).get_json()
    assert body["claimant_id"] == kept.id


def test_an_echoed_get_is_accepted_and_published_fields_are_read_only(
    client, login, annotator, tricky
):
    login(annotator)
    created = _claim(client, tricky)
    echoed = client.get(f"/api/v1/annotations/{created['id']}").get_json()
    response = patch(client, created["id"], echoed)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["appearances"] == created["appearances"]
    sneaky = patch(client, created["id"], {"published_url": "https://x.example/", "version": 2})
    assert sneaky.status_code == 422 and error(sneaky)[0] == "published_url"


def test_deleting_a_draft_deletes_its_appearances(client, login, annotator, tricky):
    login(annotator)
    created = _claim(client, tricky)
    response = client.delete(f"/api/v1/annotations/{created['id']}", json={"version": 1})
    assert response.status_code == 204
    assert db.session.scalar(select(func.count()).select_from(Appearance)) == 0


def test_the_article_list_carries_them(client, login, annotator, tricky):
    login(annotator)
    _claim(client, tricky)
    (item,) = client.get(f"/api/v1/articles/{tricky.id}/annotations").get_json()["items"]
    assert item["claim_medium"] == "tv" and len(item["appearances"]) == 2


def test_a_submitted_claim_keeps_them_through_review(client, login, annotator, tricky, make):
    login(annotator)
    created = _claim(client, tricky, status="submitted")
    assert created["status"] == "submitted" and created["appearances"][0]["first"] is True
    annotation = db.session.get(Annotation, created["id"])
    assert annotation.status is Status.SUBMITTED and len(annotation.appearances) == 2


# --- the HTML form (no JavaScript) --------------------------------------------------------


def _form(text: str, **extra) -> dict:
    span = span_of(text, QUOTE)
    return {
        "start": str(span["start"]),
        "end": str(span["end"]),
        "quote": span["quote"],
        "claim": "The deficit went down.",
        "claimant": "Le ministre",
        "claimant_id": "",
        "verdict": "false",
        "rationale": "",
        "sources-0-url": "https://insee.fr/x",
        "claim_date": "2026-11-30",
        "claim_medium": "speech",
        "appearances-0-url": "https://a.example/speech",
        "appearances-0-date": "2026-11-30",
        "appearances-0-note": "on stage",
        "appearances-1-url": "https://b.example/repeat",
        "appearances-first": "0",
        "action": "draft",
        **extra,
    }


def test_the_html_form_saves_them(client, login, annotator, tricky):
    login(annotator)
    response = client.post(f"/articles/{tricky.id}/annotate", data=_form(tricky.text))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    annotation = db.session.scalar(select(Annotation))
    assert annotation.claim_date == date(2026, 11, 30)
    assert annotation.claim_medium.value == "speech"
    assert [(a.url, a.date, a.note, a.first) for a in annotation.appearances] == [
        ("https://a.example/speech", date(2026, 11, 30), "on stage", True),
        ("https://b.example/repeat", None, "", False),
    ]
    page = client.get(f"/articles/{tricky.id}/annotate?annotation={annotation.id}")
    html = page.get_data(as_text=True)
    assert 'value="https://b.example/repeat"' in html and 'value="2026-11-30"' in html


def test_the_html_form_keeps_what_was_typed_on_a_bad_date(client, login, annotator, tricky):
    login(annotator)
    data = _form(tricky.text, claim_date="2026-13-01")
    response = client.post(f"/articles/{tricky.id}/annotate", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "claim_date must be a date written YYYY-MM-DD." in html
    assert 'value="https://a.example/speech"' in html and "on stage" in html
    assert db.session.scalar(select(Annotation.id)) is None
