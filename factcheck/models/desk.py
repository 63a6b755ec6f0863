"""The desk's memory and its reading of articles: claimants as entities, where a claim
appeared, and the suggestions made on an article's sentences (DESIGN.md, "The desk's
memory" and "Reading an article")."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, intpk, str_enum, timestamp, utcnow

if TYPE_CHECKING:
    from .user import User


class ClaimantKind(enum.StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"


class ClaimMedium(enum.StrEnum):
    """Where a claim was made (DESIGN.md: ``claim_medium``)."""

    ARTICLE = "article"
    TV = "tv"
    RADIO = "radio"
    SOCIAL = "social"
    SPEECH = "speech"
    INTERVIEW = "interview"
    PRESS_RELEASE = "press_release"
    OTHER = "other"


claimant_kind_type = str_enum(ClaimantKind, "claimant_kind", 20)
claim_medium_type = str_enum(ClaimMedium, "claim_medium", 20)


class Claimant(db.Model):
    """Who makes claims: one entity of the installation, shared by every project.

    A claim keeps the claimant's name as written and points here by ``claimant_id``. A
    merge moves every claim to the claimant kept and marks this one ``merged_into``; the
    row stays so that old links and exports still name something.
    """

    __tablename__ = "claimant"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(300))
    #: the name as the search folds it (text/fold.py): suggestions and duplicates
    folded: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[ClaimantKind] = mapped_column(claimant_kind_type, default=ClaimantKind.PERSON)
    #: role, party, office
    description: Mapped[str] = mapped_column(Text, default="")
    #: URLs naming the same entity elsewhere (Wikidata, an official page)
    same_as: Mapped[list] = mapped_column(JSON, default=list)
    #: the claimant this one was merged into (None: a live claimant)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("claimant.id"), index=True)
    #: optimistic lock: every change bumps it; two merges at once, one gets 409
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[timestamp]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    aliases: Mapped[list[ClaimantAlias]] = relationship(
        back_populates="claimant",
        cascade="all, delete-orphan",
        order_by="ClaimantAlias.id",
        lazy="select",
    )

    def __repr__(self) -> str:
        return f"<Claimant {self.id} {self.name!r}>"


class ClaimantAlias(db.Model):
    """Another name of a claimant ("Le maire sortant"); suggestions search these too."""

    __tablename__ = "claimant_alias"
    __table_args__ = (UniqueConstraint("claimant_id", "folded", name="uq_claimant_alias"),)

    id: Mapped[intpk]
    claimant_id: Mapped[int] = mapped_column(ForeignKey("claimant.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(300))
    folded: Mapped[str] = mapped_column(String(300), index=True)

    claimant: Mapped[Claimant] = relationship(back_populates="aliases", lazy="select")


class ClaimantWord(db.Model):
    """One folded word of a claimant's name or of an alias, once per claimant: how a
    suggestion finds "Le maire" for "mair" (a range on ``word``, read from its index).
    Kept in step by the claimants service; a claimant merged away keeps none."""

    __tablename__ = "claimant_word"
    __table_args__ = (
        Index("ix_claimant_word_word", "word", "claimant_id"),
        UniqueConstraint("claimant_id", "word", name="uq_claimant_word"),
    )

    id: Mapped[intpk]
    claimant_id: Mapped[int] = mapped_column(ForeignKey("claimant.id", ondelete="CASCADE"))
    word: Mapped[str] = mapped_column(String(100))


class Appearance(db.Model):
    """Where and when a claim was made or repeated (ClaimReview ``appearance``)."""

    __tablename__ = "appearance"
    __table_args__ = (Index("ix_appearance_annotation_position", "annotation_id", "position"),)

    id: Mapped[intpk]
    annotation_id: Mapped[int] = mapped_column(ForeignKey("annotation.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    url: Mapped[str] = mapped_column(String(2000))
    date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    #: the claim's first appearance (ClaimReview ``firstAppearance``); at most one per claim
    first: Mapped[bool] = mapped_column(default=False)
    #: the article this appearance was recorded from (accepting a known claim), if any
    article_id: Mapped[int | None] = mapped_column(ForeignKey("article.id", ondelete="SET NULL"))

    def as_dict(self) -> dict:
        return {
            "url": self.url,
            "date": self.date.isoformat() if self.date else None,
            "note": self.note,
            "first": self.first,
        }


class ArticleSuggestions(db.Model):
    """The suggestions computed for one revision of an article's text (services in
    ``services/reading``): derived data, recomputed in the background after an import or
    a revision; ``payload`` holds the sentences' known claims and worth-checking scores."""

    __tablename__ = "article_suggestions"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), primary_key=True
    )
    #: the article revision the spans index
    revision: Mapped[int]
    #: "rules" or "learned": which worth-checking score served
    model: Mapped[str] = mapped_column(String(20), default="rules")
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SuggestionDismissal(db.Model):
    """A person dismissed a suggestion on a sentence: it is not shown again for that
    sentence of that revision."""

    __tablename__ = "suggestion_dismissal"
    __table_args__ = (
        UniqueConstraint(
            "article_id", "revision", "start", "end", "kind", name="uq_suggestion_dismissal"
        ),
    )

    id: Mapped[intpk]
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    revision: Mapped[int]
    start: Mapped[int]
    end: Mapped[int]
    #: "known" or "worth_checking"
    kind: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[timestamp]

    user: Mapped[User] = relationship(lazy="select")
