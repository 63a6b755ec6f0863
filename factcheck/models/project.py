"""Projects: several desks or datasets in one installation, each with its members, its
verdict scale and its versioned guidelines."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, intpk, timestamp

if TYPE_CHECKING:
    from .user import User

#: the slug of the project an installation gets first (and the migration creates)
DEFAULT_SLUG = "default"


class Project(db.Model):
    __tablename__ = "project"

    id: Mapped[intpk]
    #: [a-z0-9-], used in URLs and in the API (``project=SLUG``)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: the current guidelines; every change is also kept as a GuidelineVersion row
    guidelines: Mapped[str] = mapped_column(Text, default="")
    #: number of the current guidelines version; 0 while the project has none
    guidelines_version: Mapped[int] = mapped_column(default=0)
    #: settings; None falls back to the installation's configuration
    reservation_minutes: Mapped[int | None]
    annotators_can_export: Mapped[bool] = mapped_column(default=False)
    default_language: Mapped[str | None] = mapped_column(String(8))
    #: reviewers give their own verdict before seeing the annotator's (second_verdict.py)
    blind_second_verdict: Mapped[bool] = mapped_column(default=False)
    #: a claim is submitted only when every cited source has a stance and one an excerpt
    evidence_required: Mapped[bool] = mapped_column(default=False)
    #: the publisher named in ClaimReview ``author`` (None: the installation's setting)
    publisher_name: Mapped[str | None] = mapped_column(String(300))
    publisher_url: Mapped[str | None] = mapped_column(String(2000))
    #: score from which a sentence is marked as repeating a known claim (None: default)
    known_claim_threshold: Mapped[float | None] = mapped_column(Float)
    #: archived: read-only (no new claims, edits or decisions), still exportable
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[timestamp]

    def __repr__(self) -> str:
        return f"<Project {self.slug}>"


class ProjectMember(db.Model):
    """One role of one user in one project; a member holds at least one."""

    __tablename__ = "project_member"
    __table_args__ = (
        UniqueConstraint("project_id", "user_id", "role", name="uq_project_member_role"),
        # "which projects may this user see": permissions.visible_projects
        Index("ix_project_member_user", "user_id", "project_id"),
    )

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    #: annotator, reviewer or project_admin (models.user.PROJECT_ROLES)
    role: Mapped[str] = mapped_column(String(20))

    #: every use of a membership names its project (switcher, export, lists): one JOIN
    project: Mapped[Project] = relationship(lazy="joined")
    user: Mapped[User] = relationship(back_populates="memberships", lazy="select")


class GuidelineVersion(db.Model):
    """The guidelines of a project as they were at one version (rows are only inserted)."""

    __tablename__ = "guideline_version"
    __table_args__ = (UniqueConstraint("project_id", "number", name="uq_guideline_version"),)

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship(lazy="select")
