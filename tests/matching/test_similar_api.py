"""GET /api/v1/claims/similar and /annotations/<id>/similar: ranking, scope, bad input."""

from __future__ import annotations

import pytest

from factcheck.models import Role, Status

TEXT = "Vladimir Poutine ne s'est pas mêlé de l'élection présidentielle américaine."


def _claim(make, author, claim, status=Status.APPROVED, **kw):
    return make.annotation(author=author, status=status, claim=claim, **kw)


@pytest.fixture
def people(make):
    return {
        "alice": make.user("alice", roles=[Role.ANNOTATOR]),
        "bob": make.user("bob", roles=[Role.ANNOTATOR]),
        "rita": make.user("rita", roles=[Role.REVIEWER]),
    }


def test_translation_ranks_first_with_the_model(client, login, make, people, index):
    article = make.article()
    target = _claim(make, people["bob"], "Putin did not interfere in the US presidential election")
    _claim(make, people["bob"], "Unemployment fell by 20 percent last year", article=article)
    _claim(make, people["bob"], "La tour Eiffel mesure 330 mètres", article=article)
    index()
    login(people["alice"])
    answer = client.get("/api/v1/claims/similar", query_string={"text": TEXT}).get_json()
    assert answer["semantic"] is True
    first = answer["items"][0]
    assert (first["kind"], first["id"]) == ("annotation", target.id)
    assert first["route"] in ("semantic", "both")
    assert 0 <= answer["items"][-1]["score"] <= first["score"] <= 1
    assert set(first) >= {
        "kind",
        "id",
        "article_id",
        "claim",
        "claimant",
        "verdict",
        "verdict_label",
        "status",
        "url",
        "language",
        "checked_at",
        "score",
        "route",
    }


def test_lexical_route_alone_when_the_model_is_disabled(
    lexical_only, client, login, make, people, index
):
    target = _claim(make, people["bob"], "L'OMS a déclaré la pandémie le 11 mars 2020")
    _claim(make, people["bob"], "Le chômage a baissé")
    index()
    login(people["alice"])
    answer = client.get("/api/v1/claims/similar?text=oms+pandemie+MARS").get_json()
    assert answer["semantic"] is False
    assert [i["id"] for i in answer["items"]] == [target.id]
    assert answer["items"][0]["route"] == "lexical"
    assert answer["items"][0]["score"] == 1.0


def test_a_model_that_fails_to_load_falls_back_to_lexical(
    broken_model, client, login, make, people, index, caplog
):
    target = _claim(make, people["bob"], "Le chômage a baissé de 20 %")
    index()
    login(people["alice"])
    response = client.get("/api/v1/claims/similar?text=chomage+20")
    assert response.status_code == 200
    assert response.get_json()["semantic"] is False
    assert response.get_json()["items"][0]["id"] == target.id
    assert "failed to load" in caplog.text


def test_another_users_draft_never_appears(lexical_only, client, login, make, people, index):
    mine = _claim(make, people["alice"], "Le glacier a perdu 40 mètres", status=Status.DRAFT)
    theirs = _claim(make, people["bob"], "Le glacier a perdu 40 mètres", status=Status.DRAFT)
    review = _claim(make, people["bob"], "Le glacier a perdu 40 mètres", status=Status.SUBMITTED)
    index()
    for user, expected in (
        (people["alice"], {mine.id, review.id}),
        (people["rita"], {review.id}),
    ):
        login(user)
        answer = client.get("/api/v1/claims/similar?text=glacier+perdu+40+metres").get_json()
        assert {i["id"] for i in answer["items"]} == expected
        assert theirs.id not in {i["id"] for i in answer["items"]}


def test_similar_to_an_annotation_excludes_itself(lexical_only, client, login, make, people, index):
    one = _claim(make, people["bob"], "Le budget de la défense atteint 50 milliards")
    two = _claim(make, people["bob"], "Le budget de la défense atteint 50 milliards d'euros")
    index()
    login(people["alice"])
    answer = client.get(f"/api/v1/annotations/{one.id}/similar").get_json()
    assert [i["id"] for i in answer["items"]] == [two.id]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"text": "ok", "limit": "0"}, "limit"),
        ({"text": "ok", "limit": "51"}, "limit"),
        ({"text": "ok", "limit": "ten"}, "limit"),
        ({"text": "ok", "status": "lost"}, "status"),
    ],
)
def test_bad_input_is_422_naming_the_field(lexical_only, client, login, people, query, field):
    login(people["alice"])
    response = client.get("/api/v1/claims/similar", query_string=query)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == field


def test_missing_text_is_422(lexical_only, client, login, people):
    login(people["alice"])
    response = client.get("/api/v1/claims/similar")
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "text"


def test_claims_of_another_project_never_appear(lexical_only, client, login, make, people, index):
    from factcheck.extensions import db
    from factcheck.services import projects

    desk = projects.create_project(db.session, name="Santé", slug="sante")
    db.session.commit()
    nurse = make.user("nurse", roles=[])
    projects.set_member_roles(db.session, desk, nurse, [Role.ANNOTATOR, Role.REVIEWER])
    db.session.commit()
    ours = _claim(make, people["bob"], "Le glacier a perdu 40 mètres")
    theirs = _claim(
        make, nurse, "Le glacier a perdu 40 mètres", article=make.article(project_id=desk.id)
    )
    index()
    for user, expected in ((people["alice"], {ours.id}), (nurse, {theirs.id})):
        login(user)
        answer = client.get("/api/v1/claims/similar?text=glacier+perdu+40+metres").get_json()
        assert {i["id"] for i in answer["items"] if i["kind"] == "annotation"} == expected
