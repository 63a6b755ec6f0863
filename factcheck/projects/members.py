"""The members of a project, on its admin page: add roles, change them, remove a member;
the page says what changed ("Élodie is now Annotator and Reviewer in Newsroom.")."""

from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..idempotency import creates
from ..models import Project, Role, User
from ..services import projects, users
from ..services.projects import RoleChange
from ..web import login_required
from . import bp
from .forms import MemberForm, MemberRolesForm, RemoveMemberForm
from .views import _admin_post, _project, _save

#: a role as a sentence names it ("Élodie is now Annotator and Reviewer in Newsroom.")
ROLE_NAMES = {
    Role.ANNOTATOR: _l("Annotator"),
    Role.REVIEWER: _l("Reviewer"),
    Role.PROJECT_ADMIN: _l("Project administrator"),
}


@bp.post("/<slug>/members")
@login_required
@creates  # commits; the form's one-time token makes a double submit add once
def members(slug: str):
    """Add the ticked roles to those the person holds (a new member holds only those)."""

    def add(project: Project, form: MemberForm) -> str:
        user = users.get_user(db.session, form.username.data)
        change = projects.add_member_roles(db.session, project, user, form.roles.data)
        return said(change, user, project)

    return _admin_post(slug, MemberForm, "member", add, commit=False)


@bp.post("/<slug>/members/roles")
@login_required
def member_roles(slug: str):
    """A member's roles, as ticked in their row: ticked ones added, unticked ones removed."""

    def change(project: Project, form: MemberRolesForm) -> str:
        user = users.get_user(db.session, form.username.data)
        done = projects.change_member_roles(db.session, project, user, form.roles.data)
        return said(done, user, project)

    return _admin_post(slug, MemberRolesForm, "roles", change)


@bp.post("/<slug>/members/remove")
@login_required
def remove_member(slug: str):
    project = _project(slug, admin=True)
    form = RemoveMemberForm()
    if not form.validate_on_submit():
        abort(400)

    def remove() -> str:
        user = users.get_user(db.session, form.username.data)
        return said(projects.remove_member_roles(db.session, project, user), user, project)

    return _save(project, remove)


def roles_text(roles: frozenset[Role] | set[Role]) -> str:
    """ "Annotator", "Annotator and Reviewer", "Annotator, Reviewer and Project admin"."""
    names = [str(name) for role, name in ROLE_NAMES.items() if role in roles]
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s and %(last)s", first=", ".join(names[:-1]), last=names[-1])


def said(change: RoleChange, user: User, project: Project) -> str:
    """What a change of roles did, in one sentence."""
    names = {"name": user.name, "project": project.name}
    if not change.after:
        return _("%(name)s is no longer a member of %(project)s.", **names)
    if not change.added and not change.removed:
        return _(
            "%(name)s already is %(roles)s in %(project)s: nothing changed.",
            roles=roles_text(change.after),
            **names,
        )
    if change.removed:
        return _(
            "%(name)s is now %(roles)s in %(project)s, no longer %(removed)s.",
            roles=roles_text(change.after),
            removed=roles_text(change.removed),
            **names,
        )
    return _("%(name)s is now %(roles)s in %(project)s.", roles=roles_text(change.after), **names)
