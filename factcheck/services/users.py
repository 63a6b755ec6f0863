"""Accounts: creation, authentication with rate limits, roles, API tokens."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..models import ApiToken, LoginAttempt, User, hash_token, utcnow
from ..permissions import Role
from .errors import Conflict, Invalid, NotFound

MIN_PASSWORD_LENGTH = 10
USERNAME_ALPHABET = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


def normalize_username(username: str) -> str:
    return (username or "").strip().lower()


def check_password_strength(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise Invalid(
            str(_l("The password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH)),
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
            str(_l("A username uses lowercase letters, digits, dots, dashes and underscores.")),
            field="username",
        )
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise Conflict(str(_l("The username “%(name)s” is taken.", name=name)), field="username")


def _check_roles(roles: Iterable[Role | str]) -> None:
    if not list(roles):
        raise Invalid(str(_l("Give the user at least one role.")), field="roles")


def create_user(
    session: Session,
    username: str,
    password: str,
    roles: Iterable[Role | str],
    *,
    display_name: str = "",
) -> User:
    name = normalize_username(username)
    if not name or len(name) > 80 or not set(name) <= USERNAME_ALPHABET:
        raise Invalid(
            str(_l("A username uses lowercase letters, digits, dots, dashes and underscores.")),
            field="username",
        )
    check_password_strength(password)
    roles = [Role(r) for r in roles]
    if not roles:
        raise Invalid(str(_l("Give the user at least one role.")), field="roles")
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise Conflict(str(_l("The username “%(name)s” is taken.", name=name)), field="username")
    user = User(username=name, display_name=display_name.strip())
    user.set_password(password)
    user.roles = roles
    session.add(user)
    session.flush()
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == normalize_username(username)))
    if user is None:
        raise NotFound(str(_l("No user named “%(name)s”.", name=username)))
    return user


def is_rate_limited(session: Session, username: str, address: str, config) -> bool:
    since = utcnow() - timedelta(seconds=config["LOGIN_RATE_WINDOW"])
    by_user = session.scalar(
        select(func.count()).where(
            LoginAttempt.username == normalize_username(username), LoginAttempt.at >= since
        )
    )
    by_address = session.scalar(
        select(func.count()).where(LoginAttempt.address == address, LoginAttempt.at >= since)
    )
    return by_user >= config["LOGIN_RATE_LIMIT"] or by_address >= config["LOGIN_RATE_LIMIT_ADDRESS"]


def authenticate(
    session: Session, username: str, password: str, address: str, config
) -> User | None:
    """Return the user when the password is right and the account active, else None.

    Every failure is logged; a success clears that account's failures. Callers check
    ``is_rate_limited`` first.
    """
    name = normalize_username(username)
    user = session.scalar(select(User).where(User.username == name))
    if user is not None and user.check_password(password or "") and user.active:
        session.execute(delete(LoginAttempt).where(LoginAttempt.username == name))
        return user
    session.add(LoginAttempt(username=name[:80], address=address[:64]))
    # old rows are of no use to any limit
    cutoff = utcnow() - timedelta(seconds=config["LOGIN_RATE_WINDOW"] * 4)
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < cutoff))
    return None


def change_password(session: Session, user: User, new_password: str) -> None:
    """Set a new password and end every session of the user (remember-me included)."""
    check_password_strength(new_password)
    user.set_password(new_password)
    user.end_all_sessions()


def set_active(session: Session, user: User, active: bool) -> None:
    user.active = active
    if not active:
        user.end_all_sessions()
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
        raise NotFound(str(_l("No such token.")))
    token.revoked_at = token.revoked_at or utcnow()
    return token


def user_for_token(session: Session, secret: str) -> tuple[User, int, bool] | None:
    """The active user of a valid, unrevoked token, the token's id, and whether its
    ``last_used_at`` is worth updating (at most once a minute, so reads stay reads)."""
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    stale = token.last_used_at is None or utcnow() - token.last_used_at > timedelta(minutes=1)
    return token.user, token.id, stale
