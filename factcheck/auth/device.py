"""The device cookie: a browser where an account logged in before keeps its own login
counter, so an attacker who fails on purpose elsewhere cannot lock the owner out.

The cookie holds the username and a random nonce, signed with the secret key; it grants
nothing by itself (the password is still checked).
"""

from __future__ import annotations

import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "fc_device"
MAX_AGE = 365 * 24 * 3600  # seconds


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="factcheck-device")


def device_for(username: str) -> str | None:
    """The nonce of this browser's device cookie when it names ``username``, else None."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = _serializer().loads(raw)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != username or not data.get("n"):
        return None
    return str(data["n"])[:32]


def remember_device(response, username: str) -> None:
    """Give this browser a device cookie for ``username`` (after a successful login)."""
    if device_for(username):
        return
    value = _serializer().dumps({"u": username, "n": secrets.token_urlsafe(12)})
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
        path="/login",
    )
