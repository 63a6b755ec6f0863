"""Sessions: logout, password change and deactivation end every session of the user,
remember-me included; a session cookie set before login never carries the login."""

from __future__ import annotations

import pytest

from factcheck.extensions import db
from factcheck.models import Role
from factcheck.services.users import change_password, set_active
from tests.factories import PASSWORD

REMEMBER = "remember_token"


def _log_in(client, username: str, remember: bool = True):
    data = {"username": username, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def _remember_only(app, client):
    """A second device holding only the remember-me cookie (its session cookie dropped)."""
    cookie = client.get_cookie(REMEMBER)
    assert cookie is not None, "remember-me cookie not set"
    device = app.test_client()
    device.set_cookie(REMEMBER, cookie.value)
    return device


def _logged_in(client) -> bool:
    return client.get("/api/v1/verdicts").status_code == 200


def test_remember_me_alone_logs_in(app, client, make):
    make.user("rem", roles=[Role.ANNOTATOR])
    _log_in(client, "rem")
    assert _logged_in(_remember_only(app, client))


@pytest.mark.parametrize("event", ["logout", "password_change", "admin_reset", "deactivation"])
def test_event_ends_every_session_remember_me_included(app, client, make, login, event):
    user = make.user("sam", roles=[Role.ANNOTATOR])
    admin = make.user("boss", roles=[Role.ADMIN])
    _log_in(client, "sam")
    laptop = app.test_client()
    _log_in(laptop, "sam", remember=False)
    phone = _remember_only(app, client)
    assert _logged_in(client) and _logged_in(laptop) and _logged_in(phone)

    if event == "logout":
        assert client.post("/logout", data={"submit": "1"}).status_code == 302
    elif event == "password_change":
        response = client.post(
            "/profile/password",
            data={"pw-current": PASSWORD, "pw-new": "x" * 12, "pw-confirm": "x" * 12},
        )
        assert response.status_code == 302
    elif event == "admin_reset":
        boss = login(admin, into=app.test_client())
        boss.post(f"/admin/users/{user.id}/password", data={"password": "y" * 12})
    else:
        boss = login(admin, into=app.test_client())
        assert boss.post(f"/admin/users/{user.id}/deactivate").status_code == 302

    assert not _logged_in(laptop), "another device's session survived"
    assert not _logged_in(phone), "the remember-me cookie survived"
    if event != "password_change":
        assert not _logged_in(client)
    else:  # the device that changed the password stays in, under a new session token
        assert _logged_in(client)


def test_service_level_events_end_sessions_too(app, client, make):
    """The same through the services (CLI, other views): rotate the session token."""
    user = make.user("cli", roles=[Role.ANNOTATOR])
    _log_in(client, "cli")
    phone = _remember_only(app, client)
    change_password(db.session, user, "z" * 12)
    db.session.commit()
    assert not _logged_in(client) and not _logged_in(phone)
    other = make.user("cli2", roles=[Role.ANNOTATOR])
    second = app.test_client()
    _log_in(second, "cli2")
    set_active(db.session, other, False)
    db.session.commit()
    assert not _logged_in(second)


def test_session_fixation_is_impossible(app, client, make):
    """A session cookie planted before login is not the one that carries the login."""
    make.user("fix", roles=[Role.ANNOTATOR])
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "attacker-known"
        session["_user_id"] = "guess"
    planted = client.get_cookie("session").value
    _log_in(client, "fix", remember=False)
    after = client.get_cookie("session").value
    assert after != planted
    with client.session_transaction() as session:
        assert "planted" not in session  # the old session's content is gone
    # the attacker's copy of the planted cookie is not logged in
    attacker = app.test_client()
    attacker.set_cookie("session", planted)
    assert not _logged_in(attacker)


def test_cookies_are_httponly_and_samesite(client, make):
    make.user("flags", roles=[Role.ANNOTATOR])
    response = client.post(
        "/login", data={"username": "flags", "password": PASSWORD, "remember": "y"}
    )
    cookies = response.headers.getlist("Set-Cookie")
    for name in ("session=", f"{REMEMBER}="):
        (cookie,) = [c for c in cookies if c.startswith(name)]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
