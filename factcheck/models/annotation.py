"""Annotations (claims), their sources and their append-only review history."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, intpk, timestamp, utcnow
from .desk import Appearance, Claimant, ClaimMedium, claim_medium_type
from .evidence import Excerpt, Stance, stance_type

if TYPE_CHECKING:
    from .article import Article
    from .project import Project
    from .user import User
    from .verdict import Verdict


class Status(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class Anchor(enum.StrEnum):
    """Where a claim stands after its article was revised (services/anchoring.py)."""

    OK = "ok"
    RELOCATED = "relocated"
    ORPHANED = "orphaned"


def _str_enum(values: type[enum.StrEnum], name: str, length: int) -> Enum:
    """A VARCHAR column of ``values``' string values, checked in Python (no native enum)."""
    return Enum(
        values,
        name=name,
        values_callable=lambda e: [m.value for m in e],
        native_enum=False,
        length=length,
        validate_strings=True,
    )


anchor_type = _str_enum(Anchor, "annotation_anchor", 12)
status_type = _str_enum(Status, "annotation_status", 20)


class Annotation(db.Model):
    __tablename__ = "annotation"
    __table_args__ = (
        CheckConstraint('start >= 0 AND "end" > start', name="ck_annotation_span"),
        # the review queue: submitted, oldest first
        Index("ix_annotation_status_submitted", "status", "submitted_at", "id"),
        # "Next" looks up the reviewer's own reservation first: a partial index holds only
        # the few reserved rows (a full scan of the submitted ones cost 15 ms at 100k rows)
        Index(
            "ix_annotation_reserved_by",
            "reserved_by_id",
            sqlite_where=text("reserved_by_id IS NOT NULL"),
            postgresql_where=text("reserved_by_id IS NOT NULL"),
        ),
        # the export: keyset pages by id within a status (default: approved)
        Index("ix_annotation_status_id", "status", "id"),
        # "my annotations"
        Index("ix_annotation_author_status", "author_id", "status"),
        # the annotate page: every span of an article in text order
        Index("ix_annotation_article_start", "article_id", "start"),
        # "needs attention" lists: the few claims a revision could not re-anchor exactly
        Index(
            "ix_annotation_anchor_attention",
            "anchor",
            "article_id",
            sqlite_where=text("anchor != 'ok'"),
            postgresql_where=text("anchor != 'ok'"),
        ),
        # a verdict of the annotation's own project scale (project_id is the article's)
        ForeignKeyConstraint(
            ["project_id", "verdict"],
            ["verdict.project_id", "verdict.key"],
            name="fk_annotation_project_verdict",
        ),
        # queue, export and dashboard per project
        Index("ix_annotation_project_status", "project_id", "status", "id"),
    )

    id: Mapped[intpk]
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    #: code-point offsets into article.text, end exclusive; quote == text[start:end]
    start: Mapped[int]
    end: Mapped[int]
    quote: Mapped[str] = mapped_column(Text)
    #: up to 32 code points either side, to find the span again (W3C TextQuoteSelector)
    prefix: Mapped[str] = mapped_column(Text, default="")
    suffix: Mapped[str] = mapped_column(Text, default="")
    claim: Mapped[str] = mapped_column(Text, default="")
    claimant: Mapped[str] = mapped_column(String(300), default="")
    #: the article's project (copied: the verdict key is checked against its scale)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"))
    #: key of a verdict of the project's scale
    verdict: Mapped[str | None] = mapped_column(String(40))
    #: the project's guidelines version the claim was written under (None: no guidelines)
    guidelines_version: Mapped[int | None]
    rationale: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[Status] = mapped_column(status_type, default=Status.DRAFT)
    #: optimistic lock: every write bumps it, every decision names it
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[timestamp]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    review_comment: Mapped[str] = mapped_column(Text, default="")
    #: a reviewer holds the item until reserved_until (see services/review.py)
    reserved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reserved_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: after a revision of the article: ok, relocated (a best guess to confirm) or orphaned
    anchor: Mapped[Anchor] = mapped_column(anchor_type, default=Anchor.OK, server_default="ok")
    #: the article revision that start/end index (an orphaned claim keeps its old one)
    article_revision: Mapped[int] = mapped_column(default=1, server_default="1")
    #: the span before the revision that relocated or orphaned the claim
    previous_start: Mapped[int | None]
    previous_end: Mapped[int | None]
    previous_quote: Mapped[str | None] = mapped_column(Text)
    previous_revision: Mapped[int | None]
    #: the claimant entity (models/desk.py); ``claimant`` keeps the name as written
    claimant_id: Mapped[int | None] = mapped_column(ForeignKey("claimant.id"), index=True)
    #: when and where the claim was made (DESIGN.md, "The desk's memory")
    claim_date: Mapped[date | None] = mapped_column(Date)
    claim_medium: Mapped[ClaimMedium | None] = mapped_column(claim_medium_type)
    #: publication of the verdict (an approved claim; ClaimReview ``url``/``datePublished``)
    published_url: Mapped[str | None] = mapped_column(String(2000))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Nothing is loaded with an annotation unless the query asks (selectinload/joinedload):
    # the article alone can hold 2 M code points, and the users their password hashes.
    article: Mapped[Article] = relationship(lazy="select")
    #: the project without the article (and its text): the slug for the API
    project: Mapped[Project] = relationship(lazy="select", viewonly=True)
    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="select")
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id], lazy="select")
    reserved_by: Mapped[User | None] = relationship(foreign_keys=[reserved_by_id], lazy="select")
    verdict_row: Mapped[Verdict | None] = relationship(
        lazy="select",
        viewonly=True,
        primaryjoin="and_(foreign(Annotation.project_id) == Verdict.project_id, "
        "foreign(Annotation.verdict) == Verdict.key)",
    )
    sources: Mapped[list[Source]] = relationship(
        back_populates="annotation",
        cascade="all, delete-orphan",
        order_by="Source.position",
        lazy="select",
    )
    claimant_row: Mapped[Claimant | None] = relationship(lazy="select")
    appearances: Mapped[list[Appearance]] = relationship(
        cascade="all, delete-orphan",
        order_by="Appearance.position",
        lazy="select",
    )
    events: Mapped[list[ReviewEvent]] = relationship(
        back_populates="annotation",
        cascade="all, delete-orphan",
        order_by="ReviewEvent.id",
        lazy="select",
    )

    def __repr__(self) -> str:
        return f"<Annotation {self.id} {self.status} v{self.version}>"


class Source(db.Model):
    """A claim's citation of a source: its URL as cited and, with evidence
    (models/evidence.py), the project's source, a stance and excerpts."""

    __tablename__ = "source"
    #: sources are always read per annotation, in order (page, API, export batches)
    __table_args__ = (Index("ix_source_annotation_position", "annotation_id", "position"),)

    id: Mapped[intpk]
    annotation_id: Mapped[int] = mapped_column(ForeignKey("annotation.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    #: the project's record of the page (None: cited before evidence, or not yet linked)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_source.id"), index=True)
    #: what the source shows about the claim as written (None: not said yet)
    stance: Mapped[Stance | None] = mapped_column(stance_type)

    annotation: Mapped[Annotation] = relationship(back_populates="sources", lazy="select")
    excerpt_rows: Mapped[list[Excerpt]] = relationship(
        cascade="all, delete-orphan", order_by="Excerpt.position", lazy="selectin"
    )

    @property
    def excerpts(self) -> list[dict]:
        return [excerpt.as_dict() for excerpt in self.excerpt_rows]

    @excerpts.setter
    def excerpts(self, values: list[dict]) -> None:
        """Checked excerpts (services/evidence/citations.py), as dicts."""
        self.excerpt_rows = [Excerpt(position=i, **value) for i, value in enumerate(values)]

    def as_dict(self) -> dict:
        return {
            "url": self.url,
            "title": self.title,
            "note": self.note,
            "source_id": self.source_id,
            "stance": self.stance.value if self.stance else None,
            "excerpts": self.excerpts,
        }


class ReviewEvent(db.Model):
    """One workflow transition. Rows are only ever inserted."""

    __tablename__ = "review_event"

    id: Mapped[intpk]
    annotation_id: Mapped[int] = mapped_column(
        ForeignKey("annotation.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[timestamp]
    #: None for the creation of the annotation
    from_status: Mapped[Status | None] = mapped_column(status_type)
    to_status: Mapped[Status] = mapped_column(status_type)
    comment: Mapped[str] = mapped_column(Text, default="")
    #: the version the annotation had once the transition was made
    version: Mapped[int]
    #: a step that keeps the status ("publish"); None for a transition
    action: Mapped[str | None] = mapped_column(String(20))

    annotation: Mapped[Annotation] = relationship(back_populates="events", lazy="select")
    actor: Mapped[User] = relationship(lazy="select")
