"""A project's members and their roles: who holds which role, adding and taking away
roles, and what changed (for the page to say it). Re-exported by ``projects``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import PROJECT_ROLES, Project, ProjectMember, Role, User
from .errors import Invalid, NotFound

__all__ = [
    "RoleChange",
    "add_member_roles",
    "change_member_roles",
    "clean_roles",
    "members",
    "remove_member",
    "remove_member_roles",
    "set_member_roles",
]


def clean_roles(roles: object) -> set[Role]:
    if not isinstance(roles, list | tuple | set) or not roles:
        raise Invalid(_("roles is a non-empty list."), field="roles")
    try:
        wanted = {Role(r) for r in roles}
    except ValueError:
        wanted = set()
    if not wanted or not wanted <= set(PROJECT_ROLES):
        raise Invalid(_("A project role is annotator, reviewer or project_admin."), field="roles")
    return wanted


def members(session: Session, project: Project) -> list[tuple[User, set[Role]]]:
    rows = session.execute(
        select(User, ProjectMember.role)
        .join(ProjectMember, ProjectMember.user_id == User.id)
        .where(ProjectMember.project_id == project.id)
        .order_by(User.username)
    )
    found: dict[int, tuple[User, set[Role]]] = {}
    for user, role in rows:
        found.setdefault(user.id, (user, set()))[1].add(Role(role))
    return list(found.values())


def set_member_roles(
    session: Session, project: Project, user: User, roles: Iterable, *, flush: bool = True
) -> None:
    """Make ``user`` a member holding exactly ``roles`` (an empty set removes them)."""
    wanted = {Role(r) for r in roles}
    keep = []
    for row in list(user.memberships):
        if row.project_id != project.id:
            keep.append(row)
        elif Role(row.role) in wanted:
            keep.append(row)
            wanted.discard(Role(row.role))
    for role in sorted(wanted):
        keep.append(ProjectMember(project_id=project.id, user_id=user.id, role=role.value))
    user.memberships = keep
    if flush:
        session.flush()


def remove_member(session: Session, project: Project, user: User) -> None:
    set_member_roles(session, project, user, ())


@dataclass(frozen=True)
class RoleChange:
    """A member's roles in a project before and after a change (for the page to say it)."""

    before: frozenset[Role]
    after: frozenset[Role]

    @property
    def added(self) -> frozenset[Role]:
        return self.after - self.before

    @property
    def removed(self) -> frozenset[Role]:
        return self.before - self.after


def _picked(roles: Iterable, message: str) -> set[Role]:
    """The project roles ticked on a form; 422 with ``message`` when none is."""
    wanted = {Role(r) for r in roles or () if r in {p.value for p in PROJECT_ROLES}}
    if not wanted:
        raise Invalid(message, field="roles")
    return wanted


def add_member_roles(session: Session, project: Project, user: User, roles: Iterable) -> RoleChange:
    """Give ``user`` these roles in the project on top of the ones they hold: adding a
    reviewer never takes their annotator role away (change_member_roles does that)."""
    wanted = _picked(roles, _("Tick at least one role to give %(name)s.", name=user.name))
    before = frozenset(user.roles_in(project.id))
    set_member_roles(session, project, user, before | wanted)
    return RoleChange(before, frozenset(user.roles_in(project.id)))


def change_member_roles(
    session: Session, project: Project, user: User, roles: Iterable
) -> RoleChange:
    """A member holds exactly these roles now; taking every role away is ``remove_member``."""
    before = frozenset(user.roles_in(project.id))
    if not before:
        raise NotFound(
            _("%(name)s is not a member of %(project)s.", name=user.name, project=project.name),
            field="username",
        )
    message = _(
        "Keep at least one role for %(name)s, or remove them from %(project)s.",
        name=user.name,
        project=project.name,
    )
    set_member_roles(session, project, user, _picked(roles, message))
    return RoleChange(before, frozenset(user.roles_in(project.id)))


def remove_member_roles(session: Session, project: Project, user: User) -> RoleChange:
    """``remove_member``, saying which roles the member held."""
    before = frozenset(user.roles_in(project.id))
    remove_member(session, project, user)
    return RoleChange(before, frozenset())
