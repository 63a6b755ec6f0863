"""Articles: normalized text, imported once, never silently rewritten."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..services.fold import article_search_text
from .base import UTCDateTime, intpk, timestamp, utcnow

if TYPE_CHECKING:
    from .project import Project
    from .user import User


class Article(db.Model):
    __tablename__ = "article"

    id: Mapped[intpk]
    #: every article belongs to one project (services/projects.py); its claims follow it
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    #: NFC, LF line ends, no BOM; offsets of annotations are code points into it
    text: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(2000))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    language: Mapped[str | None] = mapped_column(String(8), index=True)
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    #: SHA-256 of the UTF-8 text, to spot identical texts
    text_sha256: Mapped[str] = mapped_column(String(64), index=True)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[timestamp]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: the number of the current text (1 until corrected); every revision's text is kept in
    #: ArticleRevision, and a new one is made only by a conditional UPDATE on this number
    revision: Mapped[int] = mapped_column(default=1, server_default="1")
    #: title and text folded (case and accents dropped) for search; kept in step by the
    #: listeners below, never loaded with the article
    search_text: Mapped[str] = mapped_column(Text, default="", deferred=True)
    #: the capture the article was imported from (an import from a link)
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("capture.id"))

    imported_by: Mapped[User | None] = relationship(lazy="select")
    project: Mapped[Project] = relationship(lazy="select")

    def __repr__(self) -> str:
        return f"<Article {self.id} {self.title[:30]!r}>"


@event.listens_for(Article, "before_insert")
def _fold_new(_mapper, _connection, article: Article) -> None:
    article.search_text = article_search_text(article.title, article.text)


@event.listens_for(Article, "before_update")
def _fold_changed(_mapper, _connection, article: Article) -> None:
    state = db.inspect(article)
    if state.attrs.title.history.has_changes() or state.attrs.text.history.has_changes():
        article.search_text = article_search_text(article.title, article.text)


class ArticleRevision(db.Model):
    """One text an article has had (services/revisions.py). Rows are only ever inserted."""

    __tablename__ = "article_revision"
    __table_args__ = (UniqueConstraint("article_id", "number", name="uq_article_revision_number"),)

    id: Mapped[intpk]
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id"))
    #: 1 for the imported text, then 2, 3…
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[timestamp]
    #: what this revision changed, as its page shows it (services/textdiff.TextDiff, JSON:
    #: operations and lengths into the previous text and this one), computed once
    diff: Mapped[str | None] = mapped_column(Text, deferred=True)

    created_by: Mapped[User | None] = relationship(lazy="select")

    def __repr__(self) -> str:
        return f"<ArticleRevision {self.article_id}#{self.number}>"
