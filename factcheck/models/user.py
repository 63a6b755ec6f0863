"""Accounts, their roles, API tokens and the login-attempt log used for rate limits."""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .base import UTCDateTime, intpk, timestamp, utcnow
from .project import ProjectMember

#: Werkzeug's scrypt: n=2**15, r=8, p=1 (about 50 ms and 32 MiB per hash)
PASSWORD_METHOD = "scrypt:32768:8:1"  # noqa: S105  (a method name, not a secret)


class Role(enum.StrEnum):
    """What a user may do; who holds which role where is decided in permissions.py."""

    ANNOTATOR = "annotator"
    REVIEWER = "reviewer"
    #: site administrator: manages every project and every user
    ADMIN = "admin"
    #: administrator of one project: its settings, guidelines, members, scale, articles
    PROJECT_ADMIN = "project_admin"


#: roles held on the whole site; the others are held per project (ProjectMember)
SITE_ROLES = frozenset({Role.ADMIN})
PROJECT_ROLES = (Role.ANNOTATOR, Role.REVIEWER, Role.PROJECT_ADMIN)


class User(db.Model):
    __tablename__ = "user_account"

    id: Mapped[intpk]
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    #: interface language chosen on the profile page; None follows the browser
    locale: Mapped[str | None] = mapped_column(String(8))
    #: IANA time zone of the pages' times (profile page); None follows the browser
    time_zone: Mapped[str | None] = mapped_column(String(64))
    #: identifies the user in session cookies; rotating it ends every session
    session_token: Mapped[str] = mapped_column(
        String(64), unique=True, default=lambda: secrets.token_urlsafe(32)
    )
    created_at: Mapped[timestamp]

    #: the last project chosen with the switcher (the UI's current project)
    last_project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="SET NULL")
    )

    #: site roles: only ``admin`` (the project roles live in ``memberships``). Loaded when
    #: asked for: a claim's author or a list of names needs neither; the signed-in user gets
    #: both with its own load (``access_options``), once per request
    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    memberships: Mapped[list[ProjectMember]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return self.session_token

    def end_all_sessions(self) -> None:
        self.session_token = secrets.token_urlsafe(32)

    @property
    def roles(self) -> set[Role]:
        """Site roles and the roles held in any project."""
        return {Role(r.role) for r in self.role_rows} | {Role(m.role) for m in self.memberships}

    @roles.setter
    def roles(self, roles) -> None:
        """``admin`` is a site role; the other roles are held in the default project
        (``pending_project_roles`` is applied at the next flush by services/projects.py)."""
        wanted = {Role(r) for r in roles}
        self.set_site_roles(wanted & SITE_ROLES)
        self.pending_project_roles = wanted - SITE_ROLES

    def set_site_roles(self, roles) -> None:
        """Hold exactly these site roles; the project roles are left alone."""
        site = {Role(r) for r in roles} & SITE_ROLES
        self.role_rows = [r for r in self.role_rows if Role(r.role) in site]
        have = {Role(r.role) for r in self.role_rows}
        for role in sorted(site - have):
            self.role_rows.append(UserRole(role=role.value))

    def has_role(self, role: Role) -> bool:
        """A site role, or a project role held in at least one project."""
        if role in SITE_ROLES:
            return any(r.role == role.value for r in self.role_rows)
        return any(m.role == role.value for m in self.memberships)

    def roles_in(self, project_id: int) -> set[Role]:
        """The roles held in one project (site admins: see permissions.project_roles)."""
        return {Role(m.role) for m in self.memberships if m.project_id == project_id}

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def name(self) -> str:
        return self.display_name or self.username

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class UserRole(db.Model):
    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    user: Mapped[User] = relationship(back_populates="role_rows")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(db.Model):
    """A personal API token; only its SHA-256 is stored, the token is shown once."""

    __tablename__ = "api_token"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: first characters of the token, to recognise it in a list
    hint: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[timestamp]
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined")

    @staticmethod
    def generate() -> str:
        return "fc_" + secrets.token_urlsafe(32)


class RateLimit(db.Model):
    """One counter per limited thing (an account at an address, an address, a device…),
    in the database so every worker on every host counts the same attempts. A fixed window:
    ``count`` attempts since ``window_start``; bumped by one atomic upsert (``services/
    ratelimit.py``), so parallel requests can never slip past the limit."""

    __tablename__ = "rate_limit"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(200), unique=True)
    count: Mapped[int] = mapped_column(default=0)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


def access_options() -> tuple:
    """What the permission checks read of a user: load it with the user who signs in
    (a function: building loader options configures the mappers, not at import time).
    Joined, in the user's own SELECT: one statement per request instead of three (a
    user holds a site role or none and a few memberships, so the joined rows stay few);
    read the result with ``.unique()``."""
    return (joinedload(User.role_rows), joinedload(User.memberships))
