"""Projects in the JSON API.

``GET/POST /projects``, ``GET/PATCH/DELETE /projects/<slug>``,
``GET/POST/DELETE /projects/<slug>/members`` (``{"username", "roles": [...]}``).
A project the caller is not a member of does not exist (404); site admins create and
delete projects, a project's admins change it and its members.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..idempotency import creates
from ..permissions import Role, is_project_admin
from ..services import projects, users
from ..services.errors import BadRequest, Invalid, NotAllowed
from ..web import require_role
from . import bp, json_body, json_value, known_args, page_answer, text_field
from .shapes import member_json, project_json


def _project(slug: str, *, admin: bool = False) -> projects.Project:
    project = projects.by_slug(db.session, slug, current_user)
    if admin and not is_project_admin(current_user, project.id):
        raise NotAllowed(_("Only the project's administrators can do this."))
    return project


@bp.get("/projects")
def list_projects():
    known_args()
    items = [
        project_json(p, current_user) for p in projects.list_projects(db.session, current_user)
    ]
    return page_answer(items, len(items), 1, len(items))


@bp.post("/projects")
@require_role(Role.ADMIN)
@creates  # commits; a repeated Idempotency-Key gets the first answer
def create_project():
    data = json_body()
    projects.refuse_unknown(data, {"name", "slug", "description", "template"})
    project = projects.create_project(
        db.session,
        name=text_field(data, "name"),
        slug=text_field(data, "slug"),
        description=text_field(data, "description", ""),
        template=text_field(data, "template", "newsroom"),
        creator=current_user,
    )
    answer = project_json(project, current_user)
    return answer, 201, {"Location": f"/api/v1/projects/{project.slug}"}


@bp.get("/projects/<slug>")
def get_project(slug: str):
    known_args()
    return project_json(_project(slug), current_user)


@bp.patch("/projects/<slug>")
def patch_project(slug: str):
    project = _project(slug, admin=True)
    data = json_body()
    for name in ("name", "description", "guidelines", "default_language"):
        text_field(data, name)  # 422 naming it when it is a number, a list, an object
    projects.update_project(db.session, project, data, current_user)
    answer = project_json(project, current_user)
    db.session.commit()
    return answer


@bp.delete("/projects/<slug>")
@require_role(Role.ADMIN)
def delete_project(slug: str):
    project = _project(slug)
    projects.delete_project(db.session, project)
    db.session.commit()
    return "", 204


@bp.get("/projects/<slug>/members")
def list_members(slug: str):
    known_args()
    project = _project(slug)
    items = [member_json(u, roles) for u, roles in projects.members(db.session, project)]
    return page_answer(items, len(items), 1, len(items))


@bp.post("/projects/<slug>/members")
@creates  # commits; a repeated Idempotency-Key gets the first answer
def add_member(slug: str):
    """Make a user a member holding exactly ``roles`` (adds, or replaces their roles)."""
    project = _project(slug, admin=True)
    data = json_body()
    projects.refuse_unknown(data, {"username", "roles"})
    roles = projects.clean_roles(data.get("roles"))
    user = users.get_user(db.session, text_field(data, "username") or "")
    projects.set_member_roles(db.session, project, user, roles)
    return member_json(user, user.roles_in(project.id)), 200


@bp.delete("/projects/<slug>/members")
def remove_member(slug: str):
    project = _project(slug, admin=True)
    data = json_value(optional=True)
    if data is not None and not isinstance(data, dict):
        raise BadRequest(_("The JSON body must be an object."))
    username = text_field(data or {}, "username") or request.args.get("username")
    if not username:
        raise Invalid(_("Name the member to remove: username."), field="username")
    user = users.get_user(db.session, username)
    projects.remove_member(db.session, project, user)
    db.session.commit()
    return "", 204
