"""The ``claimant_word`` table kept in step with the names: one row per folded word of a
live claimant's name and aliases (core.words_of), what suggest.py reads by word prefix.

Every write through the ORM keeps it: after each flush, the claimants created, renamed or
whose aliases changed (and those whose aliases were added, changed or deleted) get their
words written again, in the same transaction, from the rows as the flush left them. So a
rename is found by its new words at once, by every process (there is no copy in memory).
A claimant merged away keeps no words: its names are aliases of the one kept, found there.
Writes that bypass the ORM (bulk inserts: the benchmark) call ``reindex`` or
``reindex_all`` themselves.
"""

from __future__ import annotations

from itertools import chain

from sqlalchemy import delete, event, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ...models import Claimant, ClaimantAlias, ClaimantWord
from .core import words_of

#: claimants reindexed per statement (the ``IN`` lists stay short)
CHUNK = 500


def _rows(connection: Connection, ids: list[int]) -> list[dict]:
    """The word rows of the live claimants among ``ids``."""
    texts: dict[int, list[str]] = {}
    for claimant_id, text in connection.execute(
        select(Claimant.id, Claimant.folded).where(
            Claimant.id.in_(ids), Claimant.merged_into_id.is_(None)
        )
    ):
        texts[claimant_id] = [text]
    for claimant_id, text in connection.execute(
        select(ClaimantAlias.claimant_id, ClaimantAlias.folded).where(
            ClaimantAlias.claimant_id.in_(list(texts))
        )
    ):
        texts[claimant_id].append(text)
    return [
        {"claimant_id": claimant_id, "word": word}
        for claimant_id, own in texts.items()
        for word in words_of(" ".join(own))
    ]


def reindex(connection: Connection, ids) -> None:
    """Write the words of the claimants ``ids`` again, as their rows are now."""
    ids = sorted(set(ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        connection.execute(delete(ClaimantWord).where(ClaimantWord.claimant_id.in_(chunk)))
        rows = _rows(connection, chunk)
        if rows:
            connection.execute(ClaimantWord.__table__.insert(), rows)


def reindex_all(connection: Connection) -> None:
    """Every claimant's words written again (after a bulk load)."""
    connection.execute(delete(ClaimantWord))
    last = 0
    while True:
        ids = list(
            connection.scalars(
                select(Claimant.id).where(Claimant.id > last).order_by(Claimant.id).limit(5000)
            )
        )
        if not ids:
            return
        reindex(connection, ids)
        last = ids[-1]


def _changed(obj: Claimant) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in ("folded", "aliases"))


def _touched(session: Session) -> set[int]:
    ids: set[int] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Claimant) and obj.id is not None:
            if obj in session.new or obj in session.deleted or _changed(obj):
                ids.add(obj.id)
        elif isinstance(obj, ClaimantAlias) and obj.claimant_id is not None:
            ids.add(obj.claimant_id)
    return ids


@event.listens_for(Session, "after_flush")
def _keep_words(session: Session, _flush_context) -> None:
    """(After every flush, of every session.) The words of the claimants it wrote."""
    ids = _touched(session)
    if ids:
        reindex(session.connection(), ids)
