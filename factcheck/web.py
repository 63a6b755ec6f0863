"""The web layer's share of the rules: route guards and request helpers.

The rules themselves live in permissions.py, free of Flask; this module applies them to
the current request (``require_role``), reads the settings they take, and hands the same
predicates to the templates, so that a link shows exactly when its route lets the user in.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user

from .models import Role
from .permissions import can_export, has_project_role, holds, is_admin, is_project_admin


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


def init_app(app: Flask) -> None:
    """The predicates the templates use, under the names the code uses."""
    app.jinja_env.globals.update(
        holds=holds,
        is_admin=is_admin,
        is_project_admin=is_project_admin,
        has_project_role=has_project_role,
        may_export=may_export,
    )
