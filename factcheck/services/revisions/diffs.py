"""A revision's changes as its page shows them: computed once, when the revision is made
(planning.py) or, for a revision made before diffs were stored, on its first view; then
read from ``article_revision.diff``, never computed again."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, undefer

from ...database import start_write
from ...models import Article, ArticleRevision
from .. import textdiff
from .reading import current_row, text_of


@dataclass
class Shown:
    row: ArticleRevision
    #: the revision compared against (None for the first text)
    before: int | None = None
    diff: textdiff.TextDiff | None = None
    parts: list[textdiff.Segment] = field(default_factory=list)
    #: the diff was computed by this view and written: the caller commits
    stored_now: bool = False


def shown(session: Session, article: Article, number: int) -> Shown | None:
    """Revision ``number`` and what it changed, or None when there is no such revision."""
    row = session.scalar(
        select(ArticleRevision)
        .options(undefer(ArticleRevision.diff))
        .where(ArticleRevision.article_id == article.id, ArticleRevision.number == number)
    )
    if row is None:
        if number != article.revision:
            return None
        row = current_row(article)  # revision 1, never revised: nothing to compare
    old = text_of(session, article.id, number - 1) if number > 1 else None
    if old is None:
        return Shown(row)
    diff = textdiff.TextDiff.from_json(row.diff, old, row.text)
    stored_now = False
    if diff is None:
        diff = textdiff.compare(old, row.text)
        stored_now = _store(session, row.id, diff)
    return Shown(row, number - 1, diff, diff.parts(old, row.text), stored_now)


def _store(session: Session, revision_id: int, diff: textdiff.TextDiff) -> bool:
    """Keep the diff of a revision made before diffs were stored, in a short write of its
    own; a busy database only means it is computed again next time."""
    start_write(session)
    try:
        session.execute(
            update(ArticleRevision)
            .where(ArticleRevision.id == revision_id)
            .values(diff=diff.to_json())
            .execution_options(synchronize_session=False)
        )
    except OperationalError:
        session.rollback()
        return False
    return True
