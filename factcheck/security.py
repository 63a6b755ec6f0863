"""Request-level security: API tokens, CSRF, security headers."""

from __future__ import annotations

from flask import Flask, abort, current_app, g, request
from flask_login import current_user
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix

from .database import commit_keeping, write_intent
from .extensions import csrf, db, login_manager
from .jsonsafe import SafeJSONProvider
from .models import ApiToken, User, utcnow
from .models.user import access_options
from .services import ratelimit
from .services.errors import Invalid
from .services.text import check_storable, find_unstorable, unstorable_message
from .services.users import user_for_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


class SecureCookies:
    """WSGI middleware: over HTTPS every cookie (session, remember-me, …) gets ``Secure``.

    It wraps the app itself, inside ProxyFix, so it sees the scheme ProxyFix trusted from
    ``X-Forwarded-Proto``, and it runs after Flask has written the session cookie and
    Flask-Login the remember-me cookie (an ``after_request`` hook runs before both).
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("wsgi.url_scheme") != "https":
            return self.wsgi_app(environ, start_response)

        def secure_start_response(status, headers, exc_info=None):
            headers = [
                (name, _with_secure(value) if name.lower() == "set-cookie" else value)
                for name, value in headers
            ]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, secure_start_response)


def _with_secure(cookie: str) -> str:
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    return cookie if "secure" in flags else cookie + "; Secure"


def _check_input() -> None:
    """422 naming the field when a query parameter, a form field or a JSON body holds a NUL
    character or an unpaired surrogate (see ``services/text.py``)."""
    sources = [request.args]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        sources.append(request.form)
    for source in sources:
        for name, value in source.items(multi=True):
            check_storable(name, "parameter")
            check_storable(value, name)
    if request.is_json:
        field = find_unstorable(request.get_json(silent=True))
        if field:
            raise Invalid(unstorable_message(field), field=field, code="invalid_character")


def _end_read_transaction() -> None:
    """Close the current (read) transaction but keep the loaded objects usable."""
    session = db.session()
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


def _authenticate_token(secret: str) -> None:
    write_intent.set(False)
    # failed tokens are throttled per address: over the limit, every token from there gets
    # 429 until the window passes (no more guesses are even looked up)
    key = f"token:{request.remote_addr or 'unknown'}"
    window = current_app.config["LOGIN_RATE_WINDOW"]
    if ratelimit.count(db.session, key, window) >= current_app.config["TOKEN_RATE_LIMIT"]:
        abort(429)
    found = user_for_token(db.session, secret)
    _end_read_transaction()
    if found is None:
        write_intent.set(True)
        ratelimit.hit(db.session, key, window)
        db.session.commit()
        abort(401)
    user, token_id, stale = found
    if stale:  # record use at most once a minute, in a short write of its own
        _record_token_use(token_id)
    g._login_user = user  # Flask-Login reads the user from here
    g.token_auth = True


def _record_token_use(token_id: int) -> None:
    """Best effort: a full disk or a busy database must not turn a read into an error
    because of this bookkeeping (the request itself says whether it can be served)."""
    write_intent.set(True)
    try:
        db.session.execute(
            update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=utcnow())
        )
        commit_keeping(db.session)  # the user just loaded stays loaded (no second SELECT)
    except OperationalError as error:
        db.session.rollback()
        write_intent.set(False)
        current_app.logger.warning("token use not recorded: %s", str(error).splitlines()[0])


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)


def _load_user(session_token: str) -> User | None:
    user = (
        db.session.execute(
            select(User).options(*access_options()).where(User.session_token == session_token)
        )
        .unique()
        .scalar_one_or_none()
    )
    return user if user is not None and user.active else None


def init_security(app: Flask) -> None:
    csrf.init_app(app)
    app.json = SafeJSONProvider(app)  # every JSON answer is safe to embed in HTML
    app.wsgi_app = SecureCookies(app.wsgi_app)
    if app.config.get("PROXY_FIX"):
        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    @app.before_request
    def _refuse_unstorable_input():
        # before anything queries with it: PostgreSQL cannot even search for a NUL
        _check_input()

    @app.before_request
    def _authenticate_and_protect():
        # a fresh identity per request (tests may run several requests in one app context)
        g.pop("_login_user", None)
        g.token_auth = False
        secret = bearer_token()
        # API tokens open the JSON API only: a leaked token cannot drive the HTML forms
        # (user management, verdict scale) that the API does not offer
        if secret is not None and request.path.startswith("/api/"):
            _authenticate_token(secret)
        # Only now may this request's transaction take SQLite's write lock: the token
        # lookup above is a short read of its own, not part of the lock's hold time.
        write_intent.set(request.method not in SAFE_METHODS)
        if g.token_auth:
            return None  # browsers never add a Bearer token on their own: no CSRF needed
        if request.method not in SAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()
        return None

    @app.teardown_request
    def _end_write_intent(_exc):
        write_intent.set(False)  # work after the request (tests, CLI) starts read-only again

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint == "static":
            return response  # public files: cacheable, and no need to load the user
        if current_user and getattr(current_user, "is_authenticated", False):
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response
