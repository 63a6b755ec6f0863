"""Articles: normalized text, imported once, never silently rewritten."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, intpk, timestamp, utcnow


class Article(db.Model):
    __tablename__ = "article"

    id: Mapped[intpk]
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
    #: title and text folded (case and accents dropped) for search; kept in step by the
    #: listeners below, never loaded with the article
    search_text: Mapped[str] = mapped_column(Text, default="", deferred=True)

    imported_by = relationship("User", lazy="select")

    def __repr__(self) -> str:
        return f"<Article {self.id} {self.title[:30]!r}>"


@event.listens_for(Article, "before_insert")
def _fold_new(_mapper, _connection, article: Article) -> None:
    from ..services.fold import article_search_text

    article.search_text = article_search_text(article.title, article.text)


@event.listens_for(Article, "before_update")
def _fold_changed(_mapper, _connection, article: Article) -> None:
    from ..services.fold import article_search_text

    state = db.inspect(article)
    if state.attrs.title.history.has_changes() or state.attrs.text.history.has_changes():
        article.search_text = article_search_text(article.title, article.text)
