"""Figures: the numbers a claim states, read the same however they are written, and
pointed out when a suggestion states other ones (the model does not read numbers)."""

from __future__ import annotations

import pytest

from factcheck.models import Role, Status
from factcheck.services.matching.text import figures


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le chômage a baissé de 20 % en 2017.", ("20", "2017")),
        ("Unemployment fell 20 percent in 2017", ("20", "2017")),
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


def test_a_suggestion_with_other_figures_is_pointed_out(client, login, make, index):
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
    assert answer["query_figures"] == ["20", "2017"]
    items = {item["id"]: item for item in answer["items"] if item["kind"] == "annotation"}
    assert items[same.id]["figures_differ"] is False
    assert (items[other.id]["figures_differ"], items[other.id]["figures"]) == (True, ["10", "2017"])
    assert items[words.id]["figures_differ"] is False  # no figure stated: nothing to compare
    # the same for an existing claim
    answer = client.get(f"/api/v1/annotations/{same.id}/similar").get_json()
    items = {item["id"]: item for item in answer["items"] if item["kind"] == "annotation"}
    assert same.id not in items and items[other.id]["figures_differ"] is True
