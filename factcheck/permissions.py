"""Roles and the predicates that decide who may do what.

Routes use ``require_role``; services use the predicates so that the HTML views,
the JSON API and the CLI all obey the same rules.
"""

from __future__ import annotations

import enum
from functools import wraps
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import abort, redirect, request, url_for
from flask_login import current_user

if TYPE_CHECKING:
    from .models import Annotation, User


class Role(enum.StrEnum):
    ANNOTATOR = "annotator"
    REVIEWER = "reviewer"
    ADMIN = "admin"


def is_admin(user: User) -> bool:
    return user.has_role(Role.ADMIN)


def can_see(user: User, annotation: Annotation) -> bool:
    """Drafts are private to their author (and admins); everything else is shared."""
    from .models import Status

    if annotation.status is Status.DRAFT:
        return annotation.author_id == user.id or is_admin(user)
    return True


def can_edit(user: User, annotation: Annotation) -> bool:
    """Only the author edits, and only while the annotation is not approved."""
    from .models import Status

    return annotation.author_id == user.id and annotation.status is not Status.APPROVED


def can_review(user: User, annotation: Annotation) -> bool:
    """The four-eyes rule: a reviewer, and never the author (admins included)."""
    return (user.has_role(Role.REVIEWER) or is_admin(user)) and annotation.author_id != user.id


def can_export(user: User) -> bool:
    from flask import current_app

    if user.has_role(Role.REVIEWER) or is_admin(user):
        return True
    return bool(current_app.config.get("ANNOTATORS_CAN_EXPORT")) and user.has_role(Role.ANNOTATOR)


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
    """Let through a logged-in, active user holding one of ``roles`` (admins always).

    Anonymous HTML requests go to the login page; JSON requests get 401/403.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                if wants_json():
                    abort(401)
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if roles and not (
                is_admin(current_user) or any(current_user.has_role(r) for r in roles)
            ):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def login_required(view):
    """Any logged-in active user."""
    return require_role()(view)
