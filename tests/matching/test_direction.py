"""Ranking: the model ranks, and what it does not read is pointed out. A claim saying the
thing went the other way ("rose" / "fell") is flagged and ranks lower; a near copy that
shares the query's words but says another thing no longer outranks the same claim
translated; the words still list what the model does not bring close."""

from __future__ import annotations

import pytest
from flask import current_app

from factcheck.extensions import db
from factcheck.models import Role, Status
from factcheck.services import matching
from factcheck.services.matching.text import direction, direction_conflict


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le chômage a baissé de 20 %.", ("down", ("baissé",))),
        ("Unemployment fell by 20 percent.", ("down", ("fell",))),
        ("Les loyers sont en HAUSSE à Lyon", ("up", ("hausse",))),
        ("Rents have risen and keep rising", ("up", ("risen", "rising"))),
        ("Le prix de l'essence a doublé en deux ans", ("up", ("doublé",))),
        ("Le niveau des mers a monté de 20 cm", ("up", ("monté",))),
        ("Knife attacks have dropped", ("down", ("dropped",))),
        # no direction, both, or negated: nothing to compare
        ("La tour Eiffel mesure 330 mètres.", None),
        ("Prices rose while wages fell.", None),
        ("Le chômage n'a pas baissé.", None),
        ("Speed cameras have not reduced road deaths.", None),
        ("Crime didn't fall.", None),
    ],
)
def test_direction_is_read_in_french_and_english(text, expected):
    assert direction(text) == expected


@pytest.mark.parametrize(
    ("mine", "theirs", "conflict"),
    [
        ("Le chômage a baissé", "Unemployment rose", True),
        ("Le chômage a baissé", "Unemployment fell", False),
        ("Le chômage a baissé", "Unemployment is at 7 %", False),  # says no direction
        ("Le chômage n'a pas baissé", "Unemployment rose", False),  # negated: not judged
    ],
)
def test_directions_conflict_only_when_both_say_one_and_they_differ(mine, theirs, conflict):
    assert direction_conflict(direction(mine), direction(theirs)) is conflict
    assert direction_conflict(direction(theirs), direction(mine)) is conflict


@pytest.fixture
def people(make):
    return make.user("alice", roles=[Role.ANNOTATOR]), make.user("bob", roles=[Role.ANNOTATOR])


def _approved(make, author, claim):
    return make.annotation(author=author, status=Status.APPROVED, claim=claim)


def _ranking(client, text) -> list[int]:
    answer = client.get("/api/v1/claims/similar", query_string={"text": text}).get_json()
    return [item["id"] for item in answer["items"] if item["kind"] == "annotation"]


def test_a_suggestion_going_the_other_way_is_pointed_out(
    client, login, make, index, people, no_floor
):
    alice, bob = people
    same = _approved(make, bob, "Unemployment fell by 20 percent last year.")
    opposite = _approved(make, bob, "Le chômage a augmenté de 20 % l'an dernier.")
    flat = _approved(make, bob, "Le chômage est de 20 % chez les jeunes.")
    index()
    login(alice)
    answer = client.get(
        "/api/v1/claims/similar", query_string={"text": "Le chômage a baissé de 20 % l'an dernier."}
    ).get_json()
    assert answer["query_direction"] == {"way": "down", "words": ["baissé"]}
    items = {item["id"]: item for item in answer["items"] if item["kind"] == "annotation"}
    assert items[same.id]["direction"] == {"way": "down", "words": ["fell"]}
    assert items[same.id]["direction_differs"] is False
    assert items[opposite.id]["direction"] == {"way": "up", "words": ["augmenté"]}
    assert items[opposite.id]["direction_differs"] is True
    assert (items[flat.id]["direction"], items[flat.id]["direction_differs"]) == (None, False)
    # the same for an existing claim
    answer = client.get(f"/api/v1/annotations/{same.id}/similar").get_json()
    assert answer["query_direction"] == {"way": "down", "words": ["fell"]}
    items = {item["id"]: item for item in answer["items"] if item["kind"] == "annotation"}
    assert same.id not in items and items[opposite.id]["direction_differs"] is True


def test_a_claim_going_the_other_way_ranks_below_the_same_claim(
    client, login, make, index, people, monkeypatch, no_floor
):
    """The model puts the French "a augmenté" closer to the French query than the English
    translation saying "fell"; the other direction makes it another claim."""
    alice, bob = people
    same = _approved(make, bob, "Unemployment fell by 20 percent last year.")
    opposite = _approved(make, bob, "Le chômage a augmenté de 20 % l'an dernier.")
    index()
    login(alice)
    query = "Le chômage a baissé de 20 % l'an dernier."
    assert _ranking(client, query)[:2] == [same.id, opposite.id]
    # without the learned ranking, the penalty of old does it
    monkeypatch.setattr(matching.ranking, "load", lambda path=None: None)
    assert _ranking(client, query)[:2] == [same.id, opposite.id]
    monkeypatch.setattr(matching, "DIRECTION_PENALTY", 0.0)
    assert _ranking(client, query)[:2] == [opposite.id, same.id]  # the model alone


def test_a_near_copy_sharing_the_words_does_not_outrank_the_translation(
    client, login, make, index, people, monkeypatch, no_floor
):
    """Blending in the share of shared words (the former 0.8 / 0.2) put "… producer of gas"
    above the French translation of the query: the model alone ranks them right."""
    alice, bob = people
    same = _approved(make, bob, "La Russie est le premier exportateur mondial de blé.")
    copy = _approved(make, bob, "Russia is the world's largest producer of gas.")
    index()
    login(alice)
    query = "Russia is the world's largest exporter of wheat."
    assert _ranking(client, query)[:2] == [same.id, copy.id]
    monkeypatch.setattr(matching.ranking, "load", lambda path=None: None)  # the routes alone
    assert _ranking(client, query)[:2] == [same.id, copy.id]
    monkeypatch.setattr(matching, "SEMANTIC_WEIGHT", 0.8)
    assert _ranking(client, query)[:2] == [copy.id, same.id]


def test_the_words_still_list_what_the_model_does_not_bring_close(
    app_ctx, make, index, people, monkeypatch
):
    """A claim holding the query's words but scored under the model's floor (or outside its
    shortlist) is listed by its words, below what the model finds close."""
    alice, bob = people
    close = _approved(make, bob, "Le chômage des jeunes a baissé en 2023.")
    words = _approved(make, bob, "Zorglub 3000")
    index()
    monkeypatch.setattr(matching.ranking, "load", lambda path=None: None)  # the routes alone
    monkeypatch.setattr(matching, "COSINE_FLOOR", 0.99)  # the model finds nothing close
    monkeypatch.setattr(matching, "COSINE_CEILING", 1.0)
    answer = matching.similar(
        db.session, alice, "Zorglub 3000 et le chômage", config=current_app.config
    )
    listed = {item["id"]: item for item in answer["items"] if item["kind"] == "annotation"}
    assert words.id in listed and close.id in listed  # both by their words
    assert 0 < listed[words.id]["score"] <= matching.LEXICAL_WEIGHT
