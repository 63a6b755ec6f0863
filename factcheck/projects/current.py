"""The UI's current project: ``?project=SLUG``, else the last one chosen with the switcher
(kept on the user, so it survives logging out), else the default one."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from ..extensions import db
from ..models import Project
from ..permissions import is_member
from ..services import projects
from ..services.errors import DomainError


def current_project() -> Project | None:
    """The project the page works in; 404 for ``?project=`` naming one the user cannot see."""
    # cached per request (not on ``g``: an app context may outlive a request)
    cached = getattr(request, "_current_project", False)
    if cached is not False:
        return cached
    user = current_user
    project = None
    if user.is_authenticated:
        slug = request.args.get("project")
        if slug:
            try:
                project = projects.by_slug(db.session, slug, user)
            except DomainError:
                abort(404)
        elif user.last_project_id and is_member(user, user.last_project_id):
            project = db.session.get(Project, user.last_project_id)
        else:
            try:
                project = projects.resolve(db.session, None, user)
            except DomainError:
                mine = projects.list_projects(db.session, user)
                project = mine[0] if mine else None
    request._current_project = project
    return project


def my_projects() -> list[Project]:
    if not current_user.is_authenticated:
        return []
    return projects.list_projects(db.session, current_user, include_archived=False)


def switcher() -> dict:
    """What the top bar's project switcher shows (never fails: templates call it)."""
    try:
        current = current_project()
    except HTTPException:
        current = None
    return {"current": current, "projects": my_projects()}
