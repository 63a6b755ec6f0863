"""Login limits that hold under parallel attempts and cannot be turned against the owner,
constant-time logins, password changes that revoke tokens, throttled API tokens
(issue 15: findings 2, 3, 4, 6 and 11)."""

from __future__ import annotations

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from factcheck import create_app
from factcheck.database import write_intent
from factcheck.extensions import db
from factcheck.models import ApiToken
from factcheck.services import users

from ..factories import PASSWORD

ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
OWNER = {"REMOTE_ADDR": "198.51.100.7"}


def post_login(client, username, password=PASSWORD, environ=OWNER):
    return client.post(
        "/login", data={"username": username, "password": password}, environ_base=environ
    )


# --- 2. the same time whether or not the account exists ----------------------------------


def test_login_takes_the_same_time_for_unknown_users(app, app_ctx):
    app.config.update(LOGIN_RATE_LIMIT=1000, LOGIN_RATE_LIMIT_ADDRESS=1000)
    app.config["LOGIN_RATE_LIMIT_ACCOUNT"] = 1000
    users.create_user(db.session, "camille", "the real password 123", ["annotator"])  # scrypt
    db.session.commit()
    client = app.test_client()
    post_login(client, "warm-up", "x")  # the dummy hash is made once, on first use
    known, unknown = [], []
    for i in range(11):  # interleaved: a busy machine slows both kinds alike
        for name, times in (("camille", known), (f"nobody{i}", unknown)):
            started = time.perf_counter()
            assert post_login(client, name, "wrong password").status_code == 401
            times.append(time.perf_counter() - started)
    k, u = statistics.median(known), statistics.median(unknown)
    assert abs(k - u) <= 0.2 * max(k, u), f"known {k * 1000:.1f} ms, unknown {u * 1000:.1f} ms"


# --- 3. an attacker who knows the name cannot lock the owner out ----------------------------


def test_failures_from_another_address_do_not_lock_the_owner_out(client, make, app):
    user = make.user()
    for _ in range(app.config["LOGIN_RATE_LIMIT"] * 3):
        post_login(client, user.username, "guess", environ=ATTACKER)
    assert post_login(client, user.username, "guess", environ=ATTACKER).status_code == 429
    owner = app.test_client()
    assert post_login(owner, user.username, environ=OWNER).status_code == 302


def test_a_known_device_gets_in_past_the_account_ceiling(app, make):
    app.config.update(LOGIN_RATE_LIMIT_ACCOUNT=12, LOGIN_RATE_LIMIT=5)
    user = make.user()
    owner = app.test_client()
    assert post_login(owner, user.username).status_code == 302  # gets a device cookie
    owner.post("/logout")
    attacker = app.test_client()
    for n in range(40):  # from many addresses: the account's ceiling is reached
        post_login(attacker, user.username, "guess", environ={"REMOTE_ADDR": f"10.0.0.{n}"})
    stranger = app.test_client()
    refused = post_login(stranger, user.username, environ={"REMOTE_ADDR": "10.9.9.9"})
    assert refused.status_code == 429  # a new browser waits for the window to pass...
    # ... but the owner's browser, from the same address as an attacker, gets in
    assert post_login(owner, user.username, environ={"REMOTE_ADDR": "10.0.0.1"}).status_code == 302


def test_a_forged_device_cookie_counts_for_nothing(app, make):
    user = make.user()
    client = app.test_client()
    client.set_cookie("fc_device", "eyJ1IjoieCJ9.forged", path="/login")
    for _ in range(app.config["LOGIN_RATE_LIMIT"]):
        post_login(client, user.username, "guess", environ=ATTACKER)
    assert post_login(client, user.username, environ=ATTACKER).status_code == 429


# --- 4. parallel attempts never slip past the limit ------------------------------------------


def test_45_parallel_bad_logins_give_exactly_the_limit(app, app_config, make):
    name = make.user().username  # a plain string: the threads share no ORM state
    limit = app.config["LOGIN_RATE_LIMIT"]
    write_intent.set(False)
    db.session.commit()
    apps = [create_app(dict(app_config)) for _ in range(5)]  # five "workers"
    barrier = threading.Barrier(45)

    def attempt(n: int) -> int:
        client = apps[n % 5].test_client()
        barrier.wait(timeout=30)
        return post_login(client, name, "guess", environ=ATTACKER).status_code

    try:
        with ThreadPoolExecutor(45) as pool:
            statuses = list(pool.map(attempt, range(45)))
    finally:
        for other in apps:
            with other.app_context():
                db.session.remove()
                db.engine.dispose()
    assert statuses.count(401) == limit, statuses
    assert statuses.count(429) == 45 - limit


# --- 6. a password change revokes API tokens; current-password checks are limited ------------


def _change(client, current, new="another good password"):
    return client.post(
        "/profile/password", data={"pw-current": current, "pw-new": new, "pw-confirm": new}
    )


def test_password_change_revokes_every_api_token(app, client, make, login):
    user = make.user()
    token = make.token(user)
    api = app.test_client()
    bearer = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/verdicts", headers=bearer).status_code == 200
    login(user)
    page = client.get("/profile").get_data(as_text=True)
    assert "revokes your API tokens" in page
    assert _change(client, PASSWORD).status_code == 302
    assert api.get("/api/v1/verdicts", headers=bearer).status_code == 401
    db.session.rollback()
    assert all(t.revoked_at is not None for t in db.session.scalars(select(ApiToken)))


def test_current_password_checks_are_rate_limited(app, client, make, login):
    login(make.user())
    limit = app.config["LOGIN_RATE_LIMIT"]
    statuses = [_change(client, f"guess {n}").status_code for n in range(25)]
    assert statuses[:limit] == [422] * limit
    assert set(statuses[limit:]) == {429}
    assert _change(client, PASSWORD).status_code == 429  # even the right one, for a while


# --- 11. failed Bearer tokens are throttled --------------------------------------------------


def test_failed_bearer_tokens_are_throttled_per_address(app, make):
    user = make.user()
    good = make.token(user)
    limit = app.config["TOKEN_RATE_LIMIT"]
    client = app.test_client()

    def call(token, environ=ATTACKER):
        headers = {"Authorization": f"Bearer {token}"}
        return client.get("/api/v1/verdicts", headers=headers, environ_base=environ)

    statuses = [call(f"fc_guess{n}").status_code for n in range(limit + 5)]
    assert statuses[:limit] == [401] * limit
    assert set(statuses[limit:]) == {429}
    refused = call(good)
    assert refused.status_code == 429  # no more lookups from there until the window passes
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert call(good, environ=OWNER).status_code == 200  # other addresses are not affected
