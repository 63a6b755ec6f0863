"""Limits shown, never silent: over a limit the server answers 422 naming the field and
stores nothing; it never truncates (API and HTML form alike)."""

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Annotation, Role

TEXT = "Le ministre a dit : « Le déficit a baissé de 3 %. » Puis il est parti."
QUOTE = "Le déficit a baissé"


@pytest.fixture
def setup(make):
    return make.user(roles=[Role.ANNOTATOR]), make.article(text=TEXT)


def span() -> dict:
    start = TEXT.index(QUOTE)
    return {"start": start, "end": start + len(QUOTE), "quote": QUOTE}


def stored() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Annotation))


@pytest.mark.parametrize(
    ("field", "size"), [("claim", 30_000), ("rationale", 30_000), ("claimant", 301)]
)
def test_the_api_refuses_an_overlong_field_by_name(client, login, setup, field, size):
    user, article = setup
    login(user)
    response = client.post(
        f"/api/v1/articles/{article.id}/annotations", json={**span(), field: "x" * size}
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["field"] == field and "too long" in error["message"]
    assert stored() == 0


def test_an_edit_over_the_limit_is_refused_and_the_claim_kept(client, login, setup):
    user, article = setup
    login(user)
    created = client.post(
        f"/api/v1/articles/{article.id}/annotations", json={**span(), "claim": "Short."}
    ).get_json()
    response = client.patch(
        f"/api/v1/annotations/{created['id']}", json={"claim": "y" * 30_000, "version": 1}
    )
    assert response.status_code == 422 and response.get_json()["error"]["field"] == "claim"
    db.session.rollback()
    assert db.session.get(Annotation, created["id"]).claim == "Short."


def test_the_html_form_refuses_too_and_gives_back_every_character(client, login, setup):
    user, article = setup
    login(user)
    pasted = "z" * 30_000
    response = client.post(
        f"/articles/{article.id}/annotate", data={**span(), "claim": pasted, "action": "draft"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert pasted in html  # nothing cut: the whole paste is back in the field
    assert 'maxlength="2000"' not in html
    assert stored() == 0
