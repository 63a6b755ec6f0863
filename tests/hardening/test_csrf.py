"""CSRF, generated from url_map: every state-changing route refuses a cookie-authenticated
request without a valid token (400, a clear message; JSON for /api/), and changes nothing.
GET never changes state. An expired token on a long annotation session gives the form
back with the user's input kept."""

from __future__ import annotations

import re
import time

import pytest
from flask import url_for
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Annotation

from .conftest import row_counts
from .test_route_matrix import _app_routes, _recipe

pytestmark = pytest.mark.csrf

STATE_CHANGING = [(e, m) for e, m in _app_routes() if m in ("POST", "PATCH", "DELETE")]
READING = [e for e, m in _app_routes() if m == "GET"]
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|name="csrf-token" content="([^"]+)"')


def _send(app, client, world, endpoint, method, headers=None):
    recipe = _recipe(endpoint, method, world)
    with app.test_request_context():
        url = url_for(endpoint, **recipe.get("args", {}))
    body = {k: recipe[k] for k in ("json", "data") if k in recipe}
    response = client.open(
        url, method=method, headers=headers or {}, query_string=recipe.get("query"), **body
    )
    return url, response


@pytest.mark.parametrize("bad_token", [None, "not-a-token"], ids=["missing", "forged"])
@pytest.mark.parametrize(("endpoint", "method"), STATE_CHANGING)
def test_state_changing_route_refuses_a_request_without_a_valid_token(
    app, world, as_principal, endpoint, method, bad_token
):
    client, _ = as_principal("admin")
    before = row_counts()
    headers = {"X-CSRFToken": bad_token} if bad_token else {}
    url, response = _send(app, client, world, endpoint, method, headers)
    assert response.status_code == 400, f"{method} {url}: {response.status_code}"
    if url.startswith("/api/"):
        assert response.get_json()["error"]["code"] == "csrf_failed"
    else:
        assert "CSRF" in response.get_data(as_text=True)
    db.session.expire_all()
    assert row_counts() == before


def test_a_valid_token_is_accepted(app, world, as_principal):
    """The control: the same kind of request with the page's token goes through."""
    client, _ = as_principal("annotator")
    page = client.get(f"/articles/{world.article.id}/annotate").get_data(as_text=True)
    token = next(a or b for a, b in TOKEN.findall(page))
    _, response = _send(app, client, world, "api.create_annotation", "POST", {"X-CSRFToken": token})
    assert response.status_code == 201


def test_a_bearer_token_needs_no_csrf_token(app, world, as_principal):
    client, headers = as_principal("token")
    _, response = _send(app, client, world, "api.create_annotation", "POST", headers)
    assert response.status_code == 201


#: derived data a read may fill: an article's suggestions are computed on their first read
#: when no import queued them (the queue runs the task in the caller under TESTING); they
#: are rebuilt from the article and the claims at any time and hold nobody's input
DERIVED = {"article_suggestions"}


@pytest.mark.parametrize("endpoint", READING)
def test_get_never_changes_stored_state(app, world, as_principal, endpoint):
    client, _ = as_principal("admin")
    before = row_counts()
    _url, response = _send(app, client, world, endpoint, "GET")
    assert response.status_code < 500
    db.session.expire_all()
    after = row_counts()
    for table in DERIVED:
        before.pop(table), after.pop(table)
    assert after == before


# --- an expired token on a long annotation session -------------------------------------


class _LongAgo(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) - 13 * 3600  # beyond WTF_CSRF_TIME_LIMIT (12 h)


def _expired_token(app, client) -> str:
    client.get("/")  # the session gets its CSRF secret
    with client.session_transaction() as session:
        raw = session["csrf_token"]
    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token", signer=_LongAgo).dumps(raw)


def _form(world, claim: str) -> dict:
    return {
        "start": str(world.draft.start),
        "end": str(world.draft.end),
        "quote": world.draft.quote,
        "claim": claim,
        "claimant": "Le ministre",
        "verdict": "false",
        "rationale": "Une heure de recherche.",
        "sources-0-url": "https://example.org/insee",
        "sources-0-title": "Insee",
    }


def _annotations() -> int:
    return db.session.scalar(select(func.count()).select_from(Annotation))


def test_expired_token_gives_the_claim_form_back_with_the_input_kept(app, world, as_principal):
    client, _ = as_principal("annotator")
    form = {
        **_form(world, "Le chômage a baissé de 10 %."),
        "csrf_token": _expired_token(app, client),
    }
    before = _annotations()
    response = client.post(f"/articles/{world.article.id}/annotate", data=form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Your form expired" in page
    for value in (
        "Le chômage a baissé de 10 %.",
        "Le ministre",
        "Une heure de recherche.",
        "https://example.org/insee",
        "Insee",
    ):
        assert value in page, value
    assert _annotations() == before
    # the page carries a fresh token: sending the kept input again saves it
    fresh = next(a or b for a, b in TOKEN.findall(page))
    again = client.post(
        f"/articles/{world.article.id}/annotate", data={**form, "csrf_token": fresh}
    )
    assert again.status_code == 302
    assert _annotations() == before + 1


def test_expired_token_on_the_edit_form_keeps_the_edit(app, world, as_principal):
    client, _ = as_principal("annotator")
    form = {
        **_form(world, "A long rewrite of the claim."),
        "version": "1",
        "csrf_token": _expired_token(app, client),
    }
    response = client.post(f"/annotations/{world.draft.id}/edit", data=form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Your form expired" in page and "A long rewrite of the claim." in page
    db.session.expire_all()
    assert db.session.get(Annotation, world.draft.id).version == 1


def test_expired_token_for_someone_elses_draft_reveals_nothing(app, world, as_principal):
    client, _ = as_principal("other")
    form = {**_form(world, "x"), "version": "1", "csrf_token": _expired_token(app, client)}
    response = client.post(f"/annotations/{world.draft.id}/edit", data=form)
    assert response.status_code == 400
    assert world.draft.quote not in response.get_data(as_text=True)


def test_expired_token_on_another_projects_article_reveals_nothing(app, world, as_principal):
    """The drift: the create form's CSRF fallback loaded the article without asking
    whether the user is a member of its project (now loaders.article_or_404)."""
    client, _ = as_principal("outsider")
    form = {**_form(world, "x"), "csrf_token": _expired_token(app, client)}
    response = client.post(f"/articles/{world.article.id}/annotate", data=form)
    assert response.status_code == 400
    assert world.article.title not in response.get_data(as_text=True)


def test_expired_token_through_the_api_is_a_json_error_the_page_script_retries(
    app, world, as_principal
):
    """The page's script (api.js) reads ``csrf_failed``, fetches the page for a fresh
    token from its <meta> and sends the call again, keeping the panel as it is."""
    client, _ = as_principal("annotator")
    token = _expired_token(app, client)
    url = f"/api/v1/articles/{world.article.id}/annotations"
    body = {"start": world.draft.start, "end": world.draft.end, "quote": world.draft.quote}
    response = client.post(url, json=body, headers={"X-CSRFToken": token})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf_failed"
    page = client.get(f"/articles/{world.article.id}/annotate").get_data(as_text=True)
    fresh = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    assert client.post(url, json=body, headers={"X-CSRFToken": fresh}).status_code == 201
