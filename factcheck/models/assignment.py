"""Double annotation: assignments of articles to several annotators, and adjudication.

An assignment gives each of its articles to ``per_article`` annotators (one ``AssignmentTask``
per article and annotator). Their claims on those articles stay their own drafts: nobody else
sees them (in a blind assignment) until an adjudicator has settled the article, group by group
(one ``Adjudication`` row per group of overlapping spans). Accepted versions become new,
approved claims; the annotators' own versions stay untouched, as the record the agreement
figures are computed on.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, intpk, timestamp

if TYPE_CHECKING:
    from .article import Article
    from .project import Project
    from .user import User


class Assignment(db.Model):
    __tablename__ = "assignment"

    id: Mapped[intpk]
    #: every article of an assignment belongs to this project; its members see it
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: how many annotators each article goes to (k)
    per_article: Mapped[int]
    #: nobody sees another annotator's claims on these articles before adjudication
    blind: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[timestamp]

    created_by: Mapped[User] = relationship(lazy="raise_on_sql")
    project: Mapped[Project] = relationship(lazy="select")


class AssignmentArticle(db.Model):
    """One article of an assignment, and where its adjudication stands."""

    __tablename__ = "assignment_article"
    __table_args__ = (
        # an article is double-annotated in one assignment at most
        UniqueConstraint("article_id", name="uq_assignment_article_article"),
        Index("ix_assignment_article_assignment", "assignment_id", "article_id"),
    )

    id: Mapped[intpk]
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id"))
    #: set when every group is decided; the annotators' claims are then no longer blind
    adjudicated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    adjudicator_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: the adjudication queue reserves like the review queue
    reserved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reserved_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assignment: Mapped[Assignment] = relationship(lazy="joined")
    article: Mapped[Article] = relationship(lazy="raise_on_sql")


class AssignmentTask(db.Model):
    """One annotator's share of one article."""

    __tablename__ = "assignment_task"
    __table_args__ = (
        UniqueConstraint("assignment_id", "article_id", "annotator_id", name="uq_assignment_task"),
        Index("ix_assignment_task_annotator", "annotator_id", "done_at"),
        Index("ix_assignment_task_article", "article_id"),
    )

    id: Mapped[intpk]
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    annotator: Mapped[User] = relationship(lazy="select")


class Adjudication(db.Model):
    """The decision on one group of overlapping spans. Rows are only ever inserted."""

    __tablename__ = "adjudication"
    __table_args__ = (
        # two adjudicators deciding one group at once: the second insert fails (409)
        UniqueConstraint("article_id", "group_start", "group_end", name="uq_adjudication_group"),
    )

    id: Mapped[intpk]
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id"))
    group_start: Mapped[int]
    group_end: Mapped[int]
    #: "accept" or "drop"
    decision: Mapped[str] = mapped_column(String(10))
    #: the annotator's version that was accepted (None when dropped)
    source_annotation_id: Mapped[int | None] = mapped_column(ForeignKey("annotation.id"))
    #: the approved claim made from it (None when dropped)
    result_annotation_id: Mapped[int | None] = mapped_column(ForeignKey("annotation.id"))
    #: the ids of every annotator's version in the group, space-separated
    versions: Mapped[str] = mapped_column(Text, default="")
    adjudicator_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[timestamp]
