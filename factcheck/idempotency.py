"""``@creates``: the views that create something answer a repeat with their first answer.

The key comes from the ``Idempotency-Key`` header (the JSON API, the page's script: one
key per opening of a form) or from the ``idempotency_key`` field that HTML forms carry
(``{{ idempotency_field() }}``: a one-time token per rendering of the form). Without a
key a view behaves as before.

A decorated view does not commit: the decorator does, after storing the answer in the
same transaction (see ``services/idempotency.py``).
"""

from __future__ import annotations

import uuid
from functools import wraps

from flask import Flask, Response, make_response, request
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError

from .extensions import db
from .services import idempotency as service

HEADER = "Idempotency-Key"
FORM_FIELD = "idempotency_key"


def _key_and_fingerprint() -> tuple[str, str] | None:
    raw = request.headers.get(HEADER)
    if raw is not None:
        body = request.get_data(cache=True)
        return service.check_key(raw.strip()), service.fingerprint(
            request.method, request.path, body
        )
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raw = request.form.get(FORM_FIELD)
        if raw:
            # one token per rendering of the form: the token alone names the request
            key = service.check_key("form:" + raw.strip())
            return key, service.fingerprint(request.method, request.path, b"")
    return None


def _replay(answer: service.StoredAnswer) -> Response:
    response = Response(answer.body, status=answer.status)
    for name, value in answer.headers.items():
        response.headers[name] = value
    response.headers["Idempotent-Replayed"] = "true"
    return response


def creates(view):
    """Make ``view`` (which creates something and does not commit) idempotent by key."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        found = _key_and_fingerprint() if current_user.is_authenticated else None
        if found is None:
            response = make_response(view(*args, **kwargs))
            db.session.commit()
            return response
        key, print_ = found
        user_id = current_user.id
        stored = service.find(db.session, user_id, key, print_)
        if stored is not None:
            db.session.rollback()
            return _replay(stored)
        response = make_response(view(*args, **kwargs))
        if response.status_code >= 400:  # refused: nothing to keep, the key stays free
            db.session.commit()
            return response
        answer = service.StoredAnswer(
            response.status_code,
            response.get_data(as_text=True),
            {h: response.headers[h] for h in service.REPLAYED_HEADERS if h in response.headers},
        )
        try:
            service.record(db.session, user_id, key, print_, answer)
            db.session.commit()
        except IntegrityError:
            # another request with this key committed first: undo ours, answer as it did
            db.session.rollback()
            stored = service.find(db.session, user_id, key, print_)
            if stored is None:
                raise
            return _replay(stored)
        return response

    return wrapper


def new_key() -> str:
    return uuid.uuid4().hex


def init_app(app: Flask) -> None:
    @app.template_global()
    def idempotency_field() -> Markup:
        """A one-time token for a form that creates something (a double submit creates once)."""
        return Markup('<input type="hidden" name="%s" value="%s">') % (FORM_FIELD, new_key())
