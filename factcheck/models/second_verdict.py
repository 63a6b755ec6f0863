"""The reviewer's own verdict on a claim, given before the annotator's is shown
(the project setting ``blind_second_verdict``; services/second_verdict.py)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import intpk, timestamp


class SecondVerdict(db.Model):
    """One reviewer's blind verdict on one claim, with the annotator's verdict as it stood
    when the reviewer committed (the pair that annotator–reviewer agreement counts).

    Rows are only inserted: a committed verdict cannot be changed, since the reviewer has
    seen the annotator's by then.
    """

    __tablename__ = "second_verdict"
    __table_args__ = (
        UniqueConstraint("annotation_id", "reviewer_id", name="uq_second_verdict"),
        # the dashboard: a project's pairs over time
        Index("ix_second_verdict_project_at", "project_id", "created_at"),
    )

    id: Mapped[intpk]
    annotation_id: Mapped[int] = mapped_column(ForeignKey("annotation.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    #: the claim's author and project, copied so that the figures need no join
    annotator_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    #: the reviewer's verdict key (of the project's scale)
    verdict: Mapped[str] = mapped_column(String(40))
    #: the annotator's verdict key when the reviewer committed
    annotator_verdict: Mapped[str | None] = mapped_column(String(40))
    #: the claim's version the reviewer judged
    annotation_version: Mapped[int]
    created_at: Mapped[timestamp]

    reviewer = relationship("User", foreign_keys=[reviewer_id])
    annotator = relationship("User", foreign_keys=[annotator_id])
