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
    #: site administrator: manages every project and every user
    ADMIN = "admin"
    #: administrator of one project: its settings, guidelines, members, scale, articles
    PROJECT_ADMIN = "project_admin"


#: roles held on the whole site; the others are held per project (ProjectMember)
SITE_ROLES = frozenset({Role.ADMIN})
PROJECT_ROLES = (Role.ANNOTATOR, Role.REVIEWER, Role.PROJECT_ADMIN)


def is_admin(user: User) -> bool:
    """A site administrator."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(Role.ADMIN)


# --- projects: who sees which project, in which roles (the one place) ------------------


def project_roles(user: User | None, project_id: int) -> set[Role]:
    """The roles ``user`` holds in the project; a site admin holds them all; a
    non-member none (and then sees nothing of the project: 404 everywhere)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    if is_admin(user):
        return set(PROJECT_ROLES)
    return user.roles_in(project_id)


def is_member(user: User | None, project_id: int) -> bool:
    return bool(project_roles(user, project_id))


def has_project_role(user: User | None, project_id: int, *roles: Role) -> bool:
    """One of ``roles`` in the project; its project admins (and site admins) pass."""
    held = project_roles(user, project_id)
    return Role.PROJECT_ADMIN in held or any(role in held for role in roles)


def is_project_admin(user: User | None, project_id: int) -> bool:
    return Role.PROJECT_ADMIN in project_roles(user, project_id)


def visible_projects(user: User | None, column, *roles: Role):
    """SQL twin of ``has_project_role`` (``is_member`` without ``roles``): a condition on
    ``column`` (a project id column) that holds for the projects ``user`` may see."""
    from sqlalchemy import false, select, true

    from .models import ProjectMember

    if user is None or not getattr(user, "is_authenticated", False):
        return false()
    if is_admin(user):
        return true()
    member = select(ProjectMember.project_id).where(ProjectMember.user_id == user.id)
    if roles:
        member = member.where(
            ProjectMember.role.in_([r.value for r in (*roles, Role.PROJECT_ADMIN)])
        )
    return column.in_(member)


# --- annotations -----------------------------------------------------------------------


def can_see(user: User, annotation: Annotation) -> bool:
    """Members of the annotation's project see it; drafts are private to their author
    (and the project's admins)."""
    from .models import Status

    if not is_member(user, annotation.project_id):
        return False
    if annotation.status is Status.DRAFT:
        return annotation.author_id == user.id or is_project_admin(user, annotation.project_id)
    return True


def can_edit(user: User, annotation: Annotation) -> bool:
    """Only the author edits, and only while the annotation is not approved."""
    from .models import Status

    return annotation.author_id == user.id and annotation.status is not Status.APPROVED


def can_review(user: User, annotation: Annotation) -> bool:
    """The four-eyes rule: a reviewer of the project, and never the author (admins included)."""
    return (
        has_project_role(user, annotation.project_id, Role.REVIEWER)
        and annotation.author_id != user.id
    )


def can_export(user: User, project=None) -> bool:
    """Reviewers export; annotators too when the project (or, without one, the site)
    allows it. Without ``project``: may the user export from some project?"""
    from flask import current_app

    if project is None:
        if user.has_role(Role.REVIEWER) or user.has_role(Role.PROJECT_ADMIN) or is_admin(user):
            return True
        allowed = bool(current_app.config.get("ANNOTATORS_CAN_EXPORT")) or any(
            m.project.annotators_can_export for m in user.memberships
        )
        return allowed and user.has_role(Role.ANNOTATOR)
    if has_project_role(user, project.id, Role.REVIEWER):
        return True
    allowed = project.annotators_can_export or bool(current_app.config.get("ANNOTATORS_CAN_EXPORT"))
    return allowed and has_project_role(user, project.id, Role.ANNOTATOR)


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
