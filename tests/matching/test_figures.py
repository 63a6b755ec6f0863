"""Figures: the numbers a claim states, read the same however they are written, and
pointed out when a suggestion states other ones (the model does not read numbers)."""

from __future__ import annotations

import pytest

from factcheck.models import Role, Status
from factcheck.services import matching
from factcheck.services.matching.text import figures, figures_conflict


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a year is not a figure (see test_ranking.py)
        ("Le chômage a baissé de 20 % en 2017.", ("20",)),
        ("Unemployment fell 20 percent in 2017", ("20",)),
        ("1,5 million de personnes", ("1.5",)),
        ("1.5 million people", ("1.5",)),
        ("3 000 emplois", ("3000",)),
        ("3\u202f000 emplois", ("3000",)),
        ("3,000 jobs", ("3000",)),
        ("1,250.5 euros / 1.250,5 euros", ("1250.5",)),
        ("10.000 manifestants", ("10000",)),
        ("de 7,4 % à 7,3 %", ("7.3", "7.4")),
        ("0,125 mg", ("0.125",)),
        ("20%", ("20",)),
        # names are not figures; numbers in words are not read
        ("Le G7 et l'A320 face au COVID-19 et à la 5G", ()),
        ("twenty percent", ()),
    ],
)
def test_figures_read_the_same_however_written(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize(
    ("mine", "theirs", "conflict"),
    [
        ("fell 20 % in 2017", "baissé de 20 % en 2017", False),
        ("fell 20 % in 2017", "fell 10 % in 2017", True),
        ("fell 20 % in 2017", "fell 20 %", False),  # a figure left out is no contradiction
        ("fell 20 %", "fell twenty percent", False),  # nothing to compare
        ("3 000 jobs", "3,000 jobs", False),
    ],
)
def test_figures_contradict_only_when_each_states_one_the_other_does_not(mine, theirs, conflict):
    assert figures_conflict(figures(mine), figures(theirs)) is conflict
    assert figures_conflict(figures(theirs), figures(mine)) is conflict


def test_a_suggestion_with_other_figures_is_pointed_out(client, login, make, index, no_floor):
    alice = make.user("alice", roles=[Role.ANNOTATOR])
    bob = make.user("bob", roles=[Role.ANNOTATOR])
    same = make.annotation(
        author=bob, status=Status.APPROVED, claim="Unemployment fell 20 % in 2017"
    )
    other = make.annotation(
        author=bob, status=Status.APPROVED, claim="Unemployment fell 10 % in 2017"
    )
    words = make.annotation(author=bob, status=Status.APPROVED, claim="Unemployment fell a lot")
    index()
    login(alice)
    answer = client.get(
        "/api/v1/claims/similar", query_string={"text": "Le chômage a baissé de 20 % en 2017"}
    ).get_json()
    assert answer["query_figures"] == ["20"]
    items = {item["id"]: item for item in answer["items"] if item["kind"] == "annotation"}
    assert items[same.id]["figures_differ"] is False
    assert (items[other.id]["figures_differ"], items[other.id]["figures"]) == (True, ["10"])
    assert items[words.id]["figures_differ"] is False  # no figure stated: nothing to compare
    # the same for an existing claim
    answer = client.get(f"/api/v1/annotations/{same.id}/similar").get_json()
    items = {item["id"]: item for item in answer["items"] if item["kind"] == "annotation"}
    assert same.id not in items and items[other.id]["figures_differ"] is True


def test_a_claim_with_contradicting_figures_ranks_below_the_same_claim(
    client, login, make, index, monkeypatch
):
    """The model sees "baissé de 10 %" in French closer to the French query than the English
    translation stating the same 20 %; contradicting figures make it another claim."""
    alice = make.user("alice", roles=[Role.ANNOTATOR])
    bob = make.user("bob", roles=[Role.ANNOTATOR])
    same = make.annotation(
        author=bob, status=Status.APPROVED, claim="Unemployment fell by 20 percent in 2017."
    )
    other = make.annotation(
        author=bob, status=Status.APPROVED, claim="Le chômage a baissé de 10 % en 2017."
    )
    index()
    login(alice)

    def ranking():
        answer = client.get(
            "/api/v1/claims/similar", query_string={"text": "Le chômage a baissé de 20 % en 2017."}
        ).get_json()
        return [item["id"] for item in answer["items"] if item["kind"] == "annotation"]

    assert ranking()[:2] == [same.id, other.id]
    # without the learned ranking, the penalty of old does it
    monkeypatch.setattr(matching.ranking, "load", lambda path=None: None)
    assert ranking()[:2] == [same.id, other.id]
    monkeypatch.setattr(matching, "FIGURES_PENALTY", 0.0)
    assert ranking()[:2] == [other.id, same.id]  # what the model alone would say
