"""HTTP error pages and the JSON error format, in one place."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import (
    Flask,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from .extensions import db, login_manager
from .services.errors import DomainError
from .web import safe_next, wants_json

MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Log in first."),
    403: _l("You are not allowed to do this."),
    404: _l("Nothing here."),
    405: _l("This method is not allowed here."),
    409: _l("This conflicts with the current state."),
    413: _l("The upload is too large."),
    422: _l("The data is not valid."),
    429: _l("Too many attempts; wait a little."),
    503: _l(
        "The database is not answering right now. Nothing was saved; try again in a few seconds."
    ),
    507: _l("The database's disk is full. Nothing was saved; tell your administrator."),
}

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
    503: "database_unavailable",
    507: "disk_full",
}

#: SQLite errors that mean "the database cannot answer now", not a bug in a query
SQLITE_UNAVAILABLE = ("database is locked", "disk i/o error", "unable to open database")
SQLITE_FULL = ("database or disk is full", "no space left")


#: endpoint -> function(message) that answers a failed CSRF check by giving the form back
#: with the user's input kept (long forms: a claim written over an hour must not be lost)
CSRF_RETRY: dict[str, Callable[[str], object]] = {}


def on_csrf_failure(endpoint: str):
    """Register the form re-renderer of ``endpoint`` for a failed CSRF check."""

    def decorator(function: Callable[[str], object]):
        CSRF_RETRY[endpoint] = function
        return function

    return decorator


def json_error(status: int, code: str, message: str, **extra):
    error = {"code": code, "message": message}
    error.update(extra)
    return jsonify({"error": error}), status


def _rollback_quietly() -> None:
    """Roll back the request's transaction; a connection that died meanwhile (a database
    restart) is dropped instead: the domain answer (409, 422…) still stands, since nothing
    of this request was committed."""
    try:
        db.session.rollback()
    except (OperationalError, InterfaceError):
        db.session.close()


def init_errors(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(error: DomainError):
        _rollback_quietly()
        if wants_json():
            return jsonify(error.as_dict()), error.status
        if error.status in (403, 404):
            return render_template(
                "errors/error.html", status=error.status, message=error.message
            ), error.status
        flash(error.message, "error")
        return redirect(safe_next(request.referrer and _local(request.referrer), "/"))

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        message = _(
            "Your form expired or came from elsewhere (CSRF check failed). "
            "Reload the page and try again; nothing was changed."
        )
        if wants_json():
            return json_error(400, "csrf_failed", message)
        retry = CSRF_RETRY.get(request.endpoint or "")
        if retry is not None:
            answer = retry(
                _(
                    "Your form expired (CSRF check failed), so nothing was saved yet. "
                    "Your text is kept below: check it and send it again."
                )
            )
            if answer is not None:
                return answer
        return render_template("errors/error.html", status=400, message=message), 400

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        status = error.code or 500
        message = str(MESSAGES.get(status, error.name))
        if error.description and status in (400, 409, 413, 422) and not _is_default(error):
            message = error.description
        if wants_json():
            extra = {"login_url": _login_url()} if status == 401 else {}
            response = json_error(status, CODES.get(status, "error"), message, **extra)
        else:
            response = (
                render_template("errors/error.html", status=status, message=message),
                status,
            )
        if status == 401 and wants_json():
            response[0].headers["WWW-Authenticate"] = 'Bearer realm="factcheck"'
        return response

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def _database_unavailable(error: DBAPIError):
        status = database_status(error)
        if status is None:
            raise error  # a bug in a query: a real 500, with its traceback in the log
        return unavailable_response(status, error)

    @app.teardown_appcontext
    def _close_session_quietly(_exc):
        # Runs before Flask-SQLAlchemy's own teardown (registered earlier). When the
        # database goes away between the answer and the end of the request (a restart),
        # rolling back the session's last read fails: the answer is already made, and that
        # failure must not become gunicorn's bare 500. The connection is then discarded.
        try:
            db.session.remove()
        except DBAPIError as error:
            app.logger.warning("database gone while closing a session: %s", error.orig)
            try:
                db.session.close()
            except DBAPIError:
                pass  # invalidated by the first failure: nothing left to close
            db.session.registry.clear()

    @app.errorhandler(500)
    def _server_error(_error):
        message = _("Something went wrong on our side. Nothing was half-saved; try again.")
        if wants_json():
            return json_error(500, "server_error", message)
        return render_template("errors/error.html", status=500, message=message), 500


def database_status(error: DBAPIError) -> int | None:
    """503 when the database cannot answer (PostgreSQL down or restarting, SQLite locked),
    507 when its disk is full, None for any other error (a bug, not an outage)."""
    text = str(error.orig or error).lower()
    if any(marker in text for marker in SQLITE_FULL):
        return 507
    if error.connection_invalidated or isinstance(error, InterfaceError):
        return 503
    if "sqlite" in type(error.orig).__module__:
        return 503 if any(marker in text for marker in SQLITE_UNAVAILABLE) else None
    return 503  # PostgreSQL's OperationalError: connection refused, lost, shutting down


def unavailable_response(status: int, error: Exception):
    """A clear 503/507 (JSON under /api, a page otherwise), never a traceback: nothing was
    saved, and the next request reconnects by itself (``pool_pre_ping``)."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 (the connection is gone: nothing to roll back)
        db.session.remove()
    # the page must not touch the database again: render it as for a visitor
    g._login_user = login_manager.anonymous_user()
    current_app.logger.warning("database unavailable (%s): %s", status, str(error).splitlines()[0])
    message = str(MESSAGES[status])
    if wants_json():
        response = json_error(status, CODES[status], message)[0]
    else:
        page = render_template("errors/error.html", status=status, message=message)
        response = current_app.make_response(page)
    response.status_code = status
    response.headers["Retry-After"] = "5"
    response.headers["Cache-Control"] = "no-store"
    return response


def _is_default(error: HTTPException) -> bool:
    return error.description == type(error).description


def _login_url() -> str:
    """The login page, back to the page the request came from (a page's script calling
    the API after its session ended): a link the page can offer instead of a dead end."""
    page = safe_next(request.referrer and _local(request.referrer), "/")
    return url_for("auth.login", next=page)


def _local(url: str) -> str:
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return "/"
    return parts.path + (f"?{parts.query}" if parts.query else "")
