"""Accounts: creation, authentication with rate limits, roles, API tokens."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session, defer, joinedload, selectinload
from werkzeug.security import check_password_hash, generate_password_hash

from ..models import ApiToken, Project, ProjectMember, Role, User, UserRole, hash_token, utcnow
from ..models.functions import lower
from ..models.user import PASSWORD_METHOD, PROJECT_ROLES, SITE_ROLES, access_options
from . import ratelimit
from .errors import Conflict, Invalid, NotFound
from .projects import default_project, set_member_roles

MIN_PASSWORD_LENGTH = 10
USERNAME_ALPHABET = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


def normalize_username(username: str) -> str:
    return (username or "").strip().lower()


def check_password_strength(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise Invalid(
            _("The password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
            field="password",
        )


def new_user_problems(
    session: Session, username: str, password: str, roles: Iterable[Role | str]
) -> dict[str, str]:
    """Every reason ``create_user`` would refuse, by field (a form shows them all at once)."""
    problems: dict[str, str] = {}
    for check in (
        lambda: _check_username(session, username),
        lambda: check_password_strength(password),
        lambda: _check_roles(roles),
    ):
        try:
            check()
        except (Invalid, Conflict) as error:
            problems.setdefault(error.field or "username", error.message)
    return problems


def _check_username(session: Session, username: str) -> None:
    name = normalize_username(username)
    if not name or len(name) > 80 or not set(name) <= USERNAME_ALPHABET:
        raise Invalid(
            _("A username uses lowercase letters, digits, dots, dashes and underscores."),
            field="username",
        )
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise Conflict(_("The username “%(name)s” is taken.", name=name), field="username")


def _check_roles(roles: Iterable[Role | str]) -> None:
    if not list(roles):
        raise Invalid(_("Give the user at least one role."), field="roles")


def create_user(
    session: Session,
    username: str,
    password: str,
    roles: Iterable[Role | str],
    *,
    display_name: str = "",
    project=None,
) -> User:
    """A new account; ``admin`` is a site role, the other roles are held in ``project``
    (None: the default project)."""
    name = normalize_username(username)
    if not name or len(name) > 80 or not set(name) <= USERNAME_ALPHABET:
        raise Invalid(
            _("A username uses lowercase letters, digits, dots, dashes and underscores."),
            field="username",
        )
    check_password_strength(password)
    roles = [Role(r) for r in roles]
    if not roles:
        raise Invalid(_("Give the user at least one role."), field="roles")
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise Conflict(_("The username “%(name)s” is taken.", name=name), field="username")
    user = User(username=name, display_name=display_name.strip())
    user.set_password(password)
    user.roles = roles
    if project is not None:
        in_project, user.pending_project_roles = user.pending_project_roles, None
        session.add(user)
        session.flush()
        set_member_roles(session, project, user, in_project)
    session.add(user)
    session.flush()
    return user


@dataclass
class UserFilter:
    """What the users page is narrowed to; empty values mean "any"."""

    #: part of the username or of the full name, any case
    q: str = ""
    #: members of this project (resolved by the caller); see ``no_project``
    project: Project | None = None
    #: only the users who are a member of no project
    no_project: bool = False
    #: holding this role (in ``project`` when one is given, else anywhere; admin: the site)
    role: Role | None = None


@dataclass
class UserPage:
    items: list[User]
    total: int
    page: int
    per_page: int


def list_users(
    session: Session, wanted: UserFilter | None = None, *, page: int = 1, per_page: int = 0
) -> UserPage:
    """The accounts matching ``wanted``, by username, with their site roles and their
    memberships (each with its project) loaded in one query each: no query per user.
    ``per_page`` 0: all of them."""
    conditions = _user_conditions(wanted or UserFilter())
    total = session.scalar(select(func.count(User.id)).where(*conditions)) or 0
    query = (
        select(User)
        .where(*conditions)
        .order_by(User.username)
        .options(
            defer(User.password_hash),
            selectinload(User.role_rows),
            selectinload(User.memberships).joinedload(ProjectMember.project),
        )
    )
    if per_page:
        query = query.limit(per_page).offset((max(page, 1) - 1) * per_page)
    return UserPage(list(session.scalars(query)), total, page, per_page or max(total, 1))


def count_users(session: Session) -> int:
    return session.scalar(select(func.count(User.id))) or 0


def memberships(user: User) -> list[tuple[Project, list[Role]]]:
    """The projects ``user`` is a member of, by name, each with the roles held in it (from
    the memberships already loaded: no query)."""
    found: dict[int, tuple[Project, set[Role]]] = {}
    for row in user.memberships:
        found.setdefault(row.project_id, (row.project, set()))[1].add(Role(row.role))
    return [
        (project, [role for role in PROJECT_ROLES if role in held])
        for project, held in sorted(found.values(), key=lambda item: item[0].name.lower())
    ]


def _user_conditions(wanted: UserFilter) -> list:
    conditions = []
    if wanted.q:
        needle = wanted.q.lower()  # lower() of every letter on both databases
        conditions.append(
            or_(
                User.username.contains(needle, autoescape=True),
                lower(User.display_name).contains(needle, autoescape=True),
            )
        )
    member = select(ProjectMember.id).where(ProjectMember.user_id == User.id)
    if wanted.no_project:
        conditions.append(~exists(member))
    elif wanted.project is not None:
        member = member.where(ProjectMember.project_id == wanted.project.id)
        conditions.append(exists(member))
    if wanted.role in SITE_ROLES:
        site = select(UserRole.id).where(UserRole.user_id == User.id)
        conditions.append(exists(site.where(UserRole.role == wanted.role.value)))
    elif wanted.role is not None:
        conditions.append(exists(member.where(ProjectMember.role == wanted.role.value)))
    return conditions


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == normalize_username(username)))
    if user is None:
        raise NotFound(_("No user named “%(name)s”.", name=username))
    return user


def login_limits(name: str, address: str, device: str | None, config) -> list[tuple[str, int]]:
    """The counters a login attempt goes through, in order, with their limits.

    From a browser where the account logged in before (a signed device cookie), only that
    device's own counter applies: nobody elsewhere can lock the owner out of it. Otherwise
    the account at this address, then the address (all accounts), then the account from
    every address (a higher ceiling against guessing from many addresses).
    """
    if device:
        return [(f"login-device:{name}:{device}", config["LOGIN_RATE_LIMIT"])]
    return [
        (f"login:{name}|{address}", config["LOGIN_RATE_LIMIT"]),
        (f"login-address:{address}", config["LOGIN_RATE_LIMIT_ADDRESS"]),
        (f"login-account:{name}", config["LOGIN_RATE_LIMIT_ACCOUNT"]),
    ]


def start_login(session: Session, username: str, address: str, device: str | None, config) -> bool:
    """Count a login attempt before its password is checked; False when it is over a limit.

    Each counter is bumped atomically (``ratelimit.hit``) and the attempt stops at the
    first counter over its limit, so one address adds at most LOGIN_RATE_LIMIT attempts to
    an account's ceiling. The caller commits at once (a short write), then checks.
    """
    name = normalize_username(username)[:80]
    window = config["LOGIN_RATE_WINDOW"]
    for key, limit in login_limits(name, address[:64], device, config):
        if ratelimit.hit(session, key, window) > limit:
            return False
    return True


def login_succeeded(session: Session, user: User, address: str, device: str | None, config) -> None:
    """A right password: its own counters start again; it does not count towards the
    address and account ceilings either."""
    limits = [key for key, _ in login_limits(user.username, address[:64], device, config)]
    ratelimit.clear(session, limits[0])
    ratelimit.refund(session, *limits[1:])
    ratelimit.purge(session, config["LOGIN_RATE_WINDOW"])


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user when the password is right and the account active, else None.

    Takes the same time whether or not the account exists: an unknown name is checked
    against a dummy hash of the same cost, so timing does not tell which names exist.
    """
    user = session.scalar(select(User).where(User.username == normalize_username(username)))
    if user is None:
        check_password_hash(_dummy_hash(), password or "")
        return None
    if user.check_password(password or "") and user.active:
        return user
    return None


@cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_hex(16), method=PASSWORD_METHOD)


def allow_password_check(session: Session, user: User, config) -> bool:
    """Count a "current password" check on the profile page; False when over the limit."""
    key = f"password-check:{user.id}"
    return ratelimit.hit(session, key, config["LOGIN_RATE_WINDOW"]) <= config["LOGIN_RATE_LIMIT"]


def password_check_passed(session: Session, user: User) -> None:
    ratelimit.clear(session, f"password-check:{user.id}")


def change_password(session: Session, user: User, new_password: str) -> None:
    """Set a new password, end every session of the user (remember-me included) and revoke
    their API tokens: whoever knew the old password may have made one."""
    check_password_strength(new_password)
    user.set_password(new_password)
    user.end_all_sessions()
    revoke_all_tokens(session, user)


def set_roles(
    session: Session,
    user: User,
    roles: Iterable[Role | str],
    *,
    by: User,
    project: Project | None = None,
) -> None:
    """Give ``user`` exactly ``roles``: the site role ``admin`` held or not, and the other
    roles held in ``project`` (None: the default project; none of them: no longer a member
    of it). Their memberships of other projects stay as they are.

    ``by``, the admin doing it, may not take away their own admin role: the site would be
    left without its keys. A user keeps at least one role somewhere (to stop somebody
    from working, deactivate the account)."""
    wanted = _clean_roles(roles)
    if user.id == by.id and Role.ADMIN not in wanted:
        raise Invalid(_("You cannot remove your own administrator role."), field="roles")
    project = project or default_project(session)
    if project is None:
        raise Invalid(
            _("Create a project first (factcheck init creates the default one)."),
            field="project",
        )
    elsewhere = any(m.project_id != project.id for m in user.memberships)
    if not wanted and not elsewhere:
        _check_roles(wanted)
    user.set_site_roles(wanted & SITE_ROLES)
    set_member_roles(session, project, user, wanted - SITE_ROLES)


def _clean_roles(roles: Iterable[Role | str]) -> set[Role]:
    try:
        return {Role(r) for r in roles}
    except ValueError:
        raise Invalid(
            _("A role is annotator, reviewer, project_admin or admin."), field="roles"
        ) from None


def set_active(session: Session, user: User, active: bool, *, by: User | None = None) -> None:
    """Deactivate (log out everywhere, revoke the tokens) or reactivate ``user``; ``by``,
    the admin doing it (None: the operator, from the CLI), may not deactivate themselves."""
    if not active and by is not None and user.id == by.id:
        raise Invalid(_("You cannot deactivate your own account."))
    user.active = active
    if not active:
        user.end_all_sessions()
        revoke_all_tokens(session, user)


def revoke_all_tokens(session: Session, user: User) -> None:
    for token in user_tokens(session, user):
        token.revoked_at = token.revoked_at or utcnow()


def create_token(session: Session, user: User, label: str = "") -> tuple[ApiToken, str]:
    """Return the token row and the token itself, which is never stored."""
    secret = ApiToken.generate()
    token = ApiToken(
        user_id=user.id, label=label.strip()[:200], token_hash=hash_token(secret), hint=secret[:10]
    )
    session.add(token)
    session.flush()
    return token, secret


def user_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id))
    )


def revoke_token(session: Session, user: User, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_("No such token."))
    token.revoked_at = token.revoked_at or utcnow()
    return token


def user_for_token(session: Session, secret: str) -> tuple[User, int, bool] | None:
    """The active user of a valid, unrevoked token, the token's id, and whether its
    ``last_used_at`` is worth updating (at most once a minute, so reads stay reads)."""
    token = (
        session.execute(
            select(ApiToken)
            .options(*(joinedload(ApiToken.user).options(o) for o in access_options()))
            .where(ApiToken.token_hash == hash_token(secret))
        )
        .unique()
        .scalar_one_or_none()
    )
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    stale = token.last_used_at is None or utcnow() - token.last_used_at > timedelta(minutes=1)
    return token.user, token.id, stale
