"""Headers, CSRF and API tokens: the promises of the contract
(docs/contract/interfaces.md#security-and-reliability)."""

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import ApiToken, Role

from .factories import PASSWORD


def test_security_headers_on_every_response(client):
    for url in ("/login", "/does-not-exist", "/api/v1/verdicts"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_flags(client, make):
    user = make.user()
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http here
    https = client.post(
        "/login",
        base_url="https://localhost",
        data={"username": user.username, "password": PASSWORD},
    )
    assert all("Secure" in c for c in https.headers.getlist("Set-Cookie"))


def test_pages_carry_the_csrf_meta_tag(client):
    assert b'<meta name="csrf-token" content="' in client.get("/login").data


@pytest.mark.csrf
def test_form_post_without_csrf_token_is_refused(client, make):
    user = make.user()
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 400
    assert b"CSRF" in response.data


@pytest.mark.csrf
def test_cookie_authenticated_json_needs_the_csrf_header(client, make, login):
    user = make.user(roles=[Role.ADMIN])
    login(user)
    response = client.post("/api/v1/articles", json={"title": "x", "text": "y"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf_failed"


@pytest.mark.csrf
def test_bearer_token_needs_no_csrf_and_no_cookie(app, make):
    user = make.user()
    token = make.token(user)
    client = app.test_client(use_cookies=False)
    response = client.get("/api/v1/verdicts", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert [v["key"] for v in response.get_json()["items"]][:2] == ["true", "mostly_true"]


def test_api_without_credentials_is_401_json(client):
    response = client.get("/api/v1/verdicts")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_wrong_or_revoked_token_is_401(app, make):
    user = make.user()
    token = make.token(user)
    client = app.test_client()
    assert (
        client.get("/api/v1/verdicts", headers={"Authorization": "Bearer fc_nope"}).status_code
        == 401
    )
    row = db.session.scalar(select(ApiToken))
    login_client = app.test_client()
    with login_client.session_transaction() as s:
        s["_user_id"] = user.session_token
    login_client.post(f"/profile/tokens/{row.id}/revoke")
    assert (
        client.get("/api/v1/verdicts", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )


def test_tokens_are_stored_hashed_and_shown_once(client, make, login):
    user = make.user()
    login(user)
    page = client.post("/profile/tokens", data={"tok-label": "my script"}).get_data(as_text=True)
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    start = page.index('id="new-token">') + len('id="new-token">')
    secret = page[start : page.index("<", start)]
    assert secret.startswith("fc_") and row.token_hash != secret and secret not in row.token_hash
    assert secret not in client.get("/profile").get_data(as_text=True)


def test_another_users_token_cannot_be_revoked(client, make, login):
    owner = make.user()
    make.token(owner)
    token_id = db.session.scalar(select(ApiToken.id))
    login(make.user())
    assert client.post(f"/profile/tokens/{token_id}/revoke").status_code == 404
    assert db.session.get(ApiToken, token_id).revoked_at is None


def test_password_change_ends_other_sessions_but_not_this_one(app, client, make, login):
    user = make.user()
    login(user)
    other = login(user, into=app.test_client())
    response = client.post(
        "/profile/password",
        data={
            "pw-current": PASSWORD,
            "pw-new": "another good password",
            "pw-confirm": "another good password",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302


def test_password_change_needs_the_current_password(client, make, login):
    login(make.user())
    response = client.post(
        "/profile/password",
        data={
            "pw-current": "wrong",
            "pw-new": "another good password",
            "pw-confirm": "another good password",
        },
    )
    assert response.status_code == 422
    assert "not your current password" in response.get_data(as_text=True)


def test_language_preference_beats_the_browser(client, make, login):
    login(make.user())
    client.post(
        "/profile", data={"prefs-display_name": "", "prefs-locale": "fr", "prefs-submit": "1"}
    )
    page = client.get("/profile", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Votre profil" in page


def test_get_requests_never_change_state(client, make, login):
    login(make.user())
    assert client.get("/logout").status_code == 405


def test_api_tokens_open_the_api_only(app, make):
    """A leaked admin token cannot drive the HTML admin forms (users, verdict scale)."""
    admin = make.user(roles=[Role.ADMIN])
    token = make.token(admin)
    client = app.test_client(use_cookies=False)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/verdicts", headers=headers).status_code == 200
    response = client.post(
        "/admin/users",
        headers=headers,
        data={"username": "intruder", "password": "x" * 12, "roles": ["admin"]},
    )
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.get("/admin/users", headers=headers).status_code == 302
