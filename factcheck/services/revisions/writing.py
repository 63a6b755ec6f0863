"""Writing a revision: one short transaction for what planning.py worked out.

The text, its hash and the number change in ONE conditional UPDATE on (id, revision): of
two concurrent revisions one wins, the other gets 409. The claims' rows are updated in
executemany batches of ``BATCH``, each row on (id, version): an edit that slipped in while
this transaction waited makes the whole revision fail with 409, nothing half-written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from ... import tasks
from ...database import start_write
from ...models import Anchor, Annotation, Article, ArticleRevision, ReviewEvent, User, utcnow
from ..errors import Conflict
from ..fold import article_search_text
from ..reading import suggestions as reading_suggestions
from ..records import text_hash
from .planning import Outcome, Plan, decide, plan, rows
from .reading import race_message, read_only

#: rows per executemany: bounded statements, whatever the number of claims
BATCH = 500


@dataclass
class RevisionResult:
    article: Article
    revision: ArticleRevision
    outcomes: list[Outcome] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {a.value: 0 for a in Anchor}
        for outcome in self.outcomes:
            counts[outcome.anchor] += 1
        return counts


def create_revision(
    session: Session,
    article: Article,
    text: object,
    *,
    note: object = "",
    user: User,
    expected_revision: object = None,
) -> RevisionResult:
    """Make revision n+1 of ``article`` with ``text`` and re-anchor every claim in the
    caller's transaction (flushed, not committed: the caller commits once); the plan is
    worked out before the first write. 422 for bad input, 409 for a lost race."""
    planned = plan(session, article, text, note=note, expected_revision=expected_revision)
    return apply(session, planned, article, user)


def revise(
    session: Session,
    article: Article,
    text: object,
    *,
    note: object = "",
    user: User,
    expected_revision: object = None,
) -> RevisionResult:
    """``create_revision`` for a caller whose transaction has written nothing yet (a
    request): that transaction is ended, the plan worked out in a read transaction (on
    SQLite every other writer goes on meanwhile), then written in a short write
    transaction, flushed, not committed."""
    read_only(session)
    planned = plan(session, article, text, note=note, expected_revision=expected_revision)
    start_write(session)
    return apply(session, planned, article, user)


def apply(session: Session, planned: Plan, article: Article, user: User) -> RevisionResult:
    """Write the plan: the revision, then every claim (re-anchored now if it changed
    since the plan was made)."""
    base, text = planned.base, planned.text
    now = utcnow()
    claimed = session.execute(
        update(Article)
        .where(Article.id == planned.article_id, Article.revision == base)
        .values(
            text=text,
            text_sha256=text_hash(text),
            # a Core UPDATE skips the model's listeners: fold for search here
            search_text=article_search_text(article.title, text),
            revision=base + 1,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise Conflict(race_message(base), code="stale_revision")
    _keep(session, planned, article, now)
    row = ArticleRevision(
        article_id=planned.article_id,
        number=base + 1,
        text=text,
        text_sha256=text_hash(text),
        note=planned.note,
        created_by_id=user.id,
        created_at=now,
        diff=planned.diff.to_json() if planned.diff is not None else None,
    )
    session.add(row)
    session.flush()
    outcomes = _reanchor(session, planned, user, now)
    if reading_suggestions.on_import():
        tasks.after_commit(session, "compute_suggestions", planned.article_id)
    session.expire(article)
    return RevisionResult(article=article, revision=row, outcomes=outcomes)


def _keep(session: Session, planned: Plan, article: Article, now) -> None:
    """Store the text being replaced as its revision, if it was never stored."""
    exists = session.scalar(
        select(ArticleRevision.id).where(
            ArticleRevision.article_id == planned.article_id,
            ArticleRevision.number == planned.base,
        )
    )
    if exists is None:
        session.add(
            ArticleRevision(
                article_id=planned.article_id,
                number=planned.base,
                text=planned.old_text,
                text_sha256=planned.old_sha,
                note="",
                created_by_id=article.imported_by_id,
                created_at=article.created_at or now,
            )
        )


def _reanchor(session: Session, planned: Plan, user: User, now) -> list[Outcome]:
    updates, events, outcomes = [], [], []
    for row in rows(session, planned.article_id):
        values, event, outcome = decide(
            row, planned.anchored(session, row), planned.base + 1, user, now
        )
        updates.append(values)
        if event is not None:
            events.append(event)
        outcomes.append(outcome)
    for start in range(0, len(updates), BATCH):
        _write(session, updates[start : start + BATCH])
    for start in range(0, len(events), BATCH):
        session.execute(insert(ReviewEvent), events[start : start + BATCH])
    return outcomes


def _write(session: Session, updates: list[dict]) -> None:
    """One batch of the annotations' new values in one executemany, each on (id, version)."""
    table = Annotation.__table__
    previous_rows = [u for u in updates if u["previous"] is not None]
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
        .values(
            start=bindparam("start"),
            end=bindparam("end"),
            quote=bindparam("quote"),
            prefix=bindparam("prefix"),
            suffix=bindparam("suffix"),
            anchor=bindparam("anchor"),
            article_revision=bindparam("article_revision"),
            status=bindparam("status"),
            version=bindparam("version"),
        )
    )
    params = [
        {k: v for k, v in u.items() if k not in ("previous", "back_to_review")} for u in updates
    ]
    result = session.connection().execute(statement, params)
    if result.rowcount != len(updates):
        raise Conflict(
            str(
                _(
                    "A claim of this article changed while the revision was being saved; "
                    "nothing was saved. Try again."
                )
            ),
            code="claim_changed",
        )
    if previous_rows:
        session.connection().execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(
                previous_start=bindparam("p_start"),
                previous_end=bindparam("p_end"),
                previous_quote=bindparam("p_quote"),
                previous_revision=bindparam("p_revision"),
            ),
            [
                {
                    "b_id": u["b_id"],
                    "p_start": u["previous"]["start"],
                    "p_end": u["previous"]["end"],
                    "p_quote": u["previous"]["quote"],
                    "p_revision": u["previous"]["revision"],
                }
                for u in previous_rows
            ],
        )
    back = [u["b_id"] for u in updates if u["back_to_review"]]
    if back:  # back in the queue as a fresh submission, nobody holding it
        session.connection().execute(
            update(table)
            .where(table.c.id.in_(back))
            .values(submitted_at=utcnow(), reserved_by_id=None, reserved_until=None)
        )
