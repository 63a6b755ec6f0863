"""The web layer's share of the rules: route guards and request helpers.

The rules themselves live in permissions.py, free of Flask; this module applies them to
the current request (``require_role``), reads the settings they take, and hands the
templates the navigation's answers (``nav``), computed with the routes' own predicates, so
that a link shows exactly when its route lets the user in. Pages get their "may" flags from
their views: no template tests a role.

It also reads every JSON request body once, before any view (``_read_json_body``), with
the limits of ``jsonsafe.loads``: a body too deep, with a number of thousands of digits or
not JSON at all is a 400 saying so, on every route, logged in or not. A view that reads
its body as text in a format of its own (a ClaimReview archive may be JSON Lines) says so
with ``@reads_raw_body``.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, redirect, request, url_for
from flask import Request as FlaskRequest
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import BadRequest

from .jsonsafe import INT_MAX, JSONError, parse_whole
from .models import Role
from .permissions import can_export, holds, is_admin


def wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def safe_next(target: str | None, default: str = "/") -> str:
    """Return ``target`` only when it is a path on this site, else ``default``."""
    if not target:
        return default
    cleaned = "".join(ch for ch in target if ch >= " " and ch != "\x7f")
    if cleaned != target or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def number_arg(name: str, default: int = 1, *, most: int = INT_MAX) -> int:
    """A whole number ≥ 1 from the query string, for a page (a page answers, it does not
    refuse): ``default`` when absent or not one, at most ``most``. ``²`` or a number of
    5,000 digits is not one (``str.isdigit`` says yes, ``int`` fails)."""
    number = parse_whole(request.args.get(name, ""))
    return default if number is None or number < 1 else min(number, most)


def require_role(*roles: Role):
    """Let through a logged-in, active user holding one of ``roles`` (``holds``: admins
    always). Anonymous HTML requests go to the login page; JSON requests get 401/403.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                if wants_json():
                    abort(401)
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if not holds(current_user, *roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def login_required(view):
    """Any logged-in active user."""
    return require_role()(view)


def may_export(user, project=None) -> bool:
    """``permissions.can_export`` with this installation's ANNOTATORS_CAN_EXPORT."""
    site_allows = bool(current_app.config.get("ANNOTATORS_CAN_EXPORT"))
    return can_export(user, project, site_allows=site_allows)


class Request(FlaskRequest):
    """Flask's request; a JSON body that cannot be read is a 400 that says why."""

    def on_json_loading_failed(self, e: ValueError | None):
        if e is None:  # not declared as JSON: Werkzeug's 415
            return super().on_json_loading_failed(e)
        reason = str(e) if isinstance(e, JSONError) else _("The body is not valid JSON.")
        raise BadRequest(reason)


def reads_raw_body(view):
    """Mark a view that reads its request body itself, as text (no JSON check before it)."""
    view.reads_raw_body = True
    return view


def _read_json_body() -> None:
    if not request.is_json or not request.get_data(cache=True):
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, "reads_raw_body", False):
        request.get_json()  # cached for the view; a 400 when it cannot be read


def nav() -> dict[str, bool]:
    """Which links of the main navigation the current user may follow (the guards of their
    routes: ``require_role`` and ``may_export``)."""
    user = current_user
    return {
        "annotate": holds(user, Role.ANNOTATOR),
        "review": holds(user, Role.REVIEWER),
        "export": may_export(user),
        "admin": is_admin(user),
        "claims": holds(user),
    }


def init_app(app: Flask) -> None:
    """The request class and its JSON check; the navigation's answers for the templates."""
    app.request_class = Request
    app.before_request(_read_json_body)
    app.jinja_env.globals.update(nav=nav)
