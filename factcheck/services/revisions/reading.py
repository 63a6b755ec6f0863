"""Reading revisions: the list, the text a claim's offsets index, input checks, and the
409 for a span checked against a text that is no longer the current one."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, load_only

from ...database import start_read
from ...models import Annotation, Article, ArticleRevision
from ..errors import Conflict, Invalid
from ..records import RecordError, check_text, normalize_text
from ..text import check_storable

NOTE_MAX = 2000


def clean_text(text: object) -> str:
    """A revision's text, normalized like an import; 422 naming ``text`` otherwise."""
    if not isinstance(text, str):
        raise Invalid(_("The field %(name)s must be a string.", name="text"), field="text")
    check_storable(text, "text")
    text = normalize_text(text)
    try:
        return check_text(text)
    except RecordError as error:
        raise Invalid(error.message, field="text") from None


def clean_note(note: object) -> str:
    if note is None:
        return ""
    if not isinstance(note, str):
        raise Invalid(_("The field %(name)s must be a string.", name="note"), field="note")
    check_storable(note, "note")
    note = note.strip()
    if len(note) > NOTE_MAX:
        message = _("%(field)s is too long (at most %(n)s characters).", field="note", n=NOTE_MAX)
        raise Invalid(str(message), field="note")
    return note


def history(session: Session, article: Article) -> list[ArticleRevision]:
    """Every revision of the article, oldest first (revision 1 even if never stored)."""
    rows = list(
        session.scalars(
            select(ArticleRevision)
            .where(ArticleRevision.article_id == article.id)
            .order_by(ArticleRevision.number)
        )
    )
    if not any(r.number == article.revision for r in rows):
        rows.append(current_row(article))
    return rows


def listing(session: Session, article: Article) -> list[ArticleRevision]:
    """``history`` without the texts (the article page lists them: number, note, who,
    when; ten revisions of a long article are megabytes)."""
    columns = (
        ArticleRevision.article_id,
        ArticleRevision.number,
        ArticleRevision.note,
        ArticleRevision.created_by_id,
        ArticleRevision.created_at,
    )
    rows = list(
        session.scalars(
            select(ArticleRevision)
            .options(load_only(*columns))
            .where(ArticleRevision.article_id == article.id)
            .order_by(ArticleRevision.number)
        )
    )
    if not any(r.number == article.revision for r in rows):
        rows.append(current_row(article))
    return rows


def current_row(article: Article) -> ArticleRevision:
    """The article's current text as a revision row (revision 1 is stored only once the
    article is first revised)."""
    return ArticleRevision(
        article_id=article.id,
        number=article.revision,
        text=article.text,
        text_sha256=article.text_sha256,
        note="",
        created_by_id=article.imported_by_id,
        created_at=article.created_at,
    )


def text_of(session: Session, article_id: int, number: int) -> str | None:
    return session.scalar(
        select(ArticleRevision.text).where(
            ArticleRevision.article_id == article_id, ArticleRevision.number == number
        )
    )


def text_for(session: Session, annotation: Annotation) -> str:
    """The text the annotation's offsets index: the current one, or an orphan's old one."""
    article = annotation.article
    if annotation.article_revision == article.revision:
        return article.text
    return text_of(session, article.id, annotation.article_revision) or article.text


def check_current(session: Session, article: Article) -> None:
    """409 when the article was revised since ``article`` was read (annotation writes
    call it: a span checked against an old text must not land on the new one). On
    PostgreSQL the row is read FOR SHARE, so it waits for a revision being written."""
    number = session.scalar(
        select(Article.revision).where(Article.id == article.id).with_for_update(read=True)
    )
    if number != article.revision:
        raise Conflict(
            str(
                _(
                    "The article was revised (it is now revision %(n)s) while you were working; "
                    "nothing was saved. Reload it and select the passage again.",
                    n=number,
                )
            ),
            code="article_revised",
        )


def race_message(base: int) -> str:
    return str(
        _(
            "This article was revised by someone else since you read revision %(n)s. "
            "Nothing was saved; reload it to see the current text.",
            n=base,
        )
    )


def read_only(session: Session) -> None:
    """End the caller's transaction and make the next one a read (database.start_read): a
    revision is planned without SQLite's write lock (a request takes it up front)."""
    start_read(session)
