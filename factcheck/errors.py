"""HTTP error pages and the JSON error format, in one place."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, flash, jsonify, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .permissions import safe_next, wants_json
from .services.errors import DomainError

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
}


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


def init_errors(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(error: DomainError):
        from .extensions import db

        db.session.rollback()
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
            response = json_error(status, CODES.get(status, "error"), message)
        else:
            response = (
                render_template("errors/error.html", status=status, message=message),
                status,
            )
        if status == 401 and wants_json():
            response[0].headers["WWW-Authenticate"] = 'Bearer realm="factcheck"'
        return response

    @app.errorhandler(500)
    def _server_error(_error):
        message = _("Something went wrong on our side. Nothing was half-saved; try again.")
        if wants_json():
            return json_error(500, "server_error", message)
        return render_template("errors/error.html", status=500, message=message), 500


def _is_default(error: HTTPException) -> bool:
    return error.description == type(error).description


def _local(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return "/"
    return parts.path + (f"?{parts.query}" if parts.query else "")
