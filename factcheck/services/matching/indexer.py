"""Keeping the search index in step with the claims, without slowing a save down.

A save writes nothing here: each worker runs one background thread (``start``) that,
about once a second, reads the claims and fact-checks changed since its last pass
(``updated_at``), refreshes their folded text (lexical route: findable at once) and embeds
those whose text changed (semantic route). At start it first catches up with whatever
has no index rows yet. A batch is embedded in a read transaction and stored in a short
write transaction after it, so a save never waits for the model (on SQLite the write lock
is held only to store). ``factcheck reindex`` runs the same steps over everything, one
committed batch at a time, so it can be interrupted and resumed. Only one worker per host
runs the thread (a lock file in the instance folder); two hosts may race, and the unique
constraints make the loser's batch roll back harmlessly.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, delete, func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from ...database import write_intent
from ...extensions import db
from ...models import Annotation, ClaimText, ClaimVector, FactCheck
from . import embedder_for
from .embedder import Embedder, centre_of
from .text import fold, text_hash
from .vectors import quantize

log = logging.getLogger(__name__)

KINDS = ("factcheck", "annotation")
BATCH = 32
POLL_SECONDS = 1.0

#: claim id → (hash of the text embedded, int8 vector, sign bits)
Embedded = dict[int, tuple[str, bytes, bytes]]


def _source(kind: str):
    """(id column, text column, updated_at column) of a kind of claim."""
    if kind == "annotation":
        text = func.coalesce(func.nullif(Annotation.claim, ""), Annotation.quote)
        return Annotation.id, text, Annotation.updated_at
    return FactCheck.id, FactCheck.claim, FactCheck.updated_at


def _texts(session: Session, kind: str, ids: list[int]) -> dict[int, str]:
    id_col, text_col, _ = _source(kind)
    return dict(session.execute(select(id_col, text_col).where(id_col.in_(ids))).all())


def _stored_hashes(session: Session, kind: str, ids: list[int], model: str) -> dict[int, str]:
    return dict(
        session.execute(
            select(ClaimVector.ref_id, ClaimVector.text_hash).where(
                ClaimVector.kind == kind,
                ClaimVector.model == model,
                ClaimVector.ref_id.in_(ids),
            )
        ).all()
    )


def _embed(embedder: Embedder, texts: dict[int, str]) -> Embedded:
    if not texts:
        return {}
    refs = list(texts)
    vectors, bits = quantize(
        embedder.embed_passages([texts[ref] for ref in refs]), centre_of(embedder)
    )
    return {
        ref: (text_hash(texts[ref]), vector, code)
        for ref, vector, code in zip(refs, vectors, bits, strict=True)
    }


def embed_stale(session: Session, kind: str, ids: list[int], embedder: Embedder | None) -> Embedded:
    """Reads only, then computes: the vectors of those of ``ids`` whose vector is missing or
    older than their text. Run it *outside* the write transaction: embedding takes tens of
    milliseconds a claim, and on SQLite a transaction that holds the write lock that long
    makes every save wait (and a backlog of batches can starve a writer into "database is
    locked")."""
    if embedder is None or not ids:
        return {}
    texts = _texts(session, kind, ids)
    stored = _stored_hashes(session, kind, ids, embedder.name)
    return _embed(embedder, {ref: t for ref, t in texts.items() if stored.get(ref) != text_hash(t)})


def index_ids(
    session: Session,
    kind: str,
    ids: list[int],
    embedder: Embedder | None,
    embedded: Embedded | None = None,
) -> int:
    """Bring the index rows of these claims up to date; returns how many were embedded.

    ``embedded`` (from ``embed_stale``) holds vectors computed before this write
    transaction; one is used if its text is still the claim's text, and a claim whose text
    changed in between (or that was not in ``embedded``) is embedded here."""
    if not ids:
        return 0
    texts = _texts(session, kind, ids)
    hashes = {ref: text_hash(t) for ref, t in texts.items()}
    known = {
        row.ref_id: row
        for row in session.scalars(
            select(ClaimText).where(ClaimText.kind == kind, ClaimText.ref_id.in_(ids))
        )
    }
    for ref, text in texts.items():
        row = known.get(ref)
        if row is None:
            session.add(ClaimText(kind=kind, ref_id=ref, text_hash=hashes[ref], norm=fold(text)))
        elif row.text_hash != hashes[ref]:
            row.text_hash, row.norm = hashes[ref], fold(text)
    gone = [ref for ref in ids if ref not in texts]  # deleted drafts
    if gone:
        session.execute(delete(ClaimText).where(ClaimText.kind == kind, ClaimText.ref_id.in_(gone)))
        session.execute(
            delete(ClaimVector).where(ClaimVector.kind == kind, ClaimVector.ref_id.in_(gone))
        )
    if embedder is None:
        return 0
    stored = _stored_hashes(session, kind, ids, embedder.name)
    todo = [ref for ref in texts if stored.get(ref) != hashes[ref]]
    if not todo:
        return 0
    ready = {
        ref: row for ref, row in (embedded or {}).items() if ref in hashes and row[0] == hashes[ref]
    }
    ready.update(_embed(embedder, {ref: texts[ref] for ref in todo if ref not in ready}))
    # a new row (a new id) for a changed text: workers pick it up by id
    session.execute(
        delete(ClaimVector).where(
            ClaimVector.kind == kind,
            ClaimVector.model == embedder.name,
            ClaimVector.ref_id.in_(todo),
        )
    )
    session.add_all(
        ClaimVector(
            kind=kind,
            ref_id=ref,
            model=embedder.name,
            text_hash=ready[ref][0],
            vector=ready[ref][1],
            bits=ready[ref][2],
        )
        for ref in todo
    )
    session.flush()
    return len(todo)


def _index_batch(session: Session, kind: str, ids: list[int], embedder: Embedder | None) -> None:
    """Embed in a read transaction, then write in a short write transaction, committed."""
    write_intent.set(False)
    embedded = embed_stale(session, kind, ids, embedder)
    session.rollback()  # end the read: the write lock is taken only to store
    write_intent.set(True)  # SQLite: take the lock up front so a concurrent writer queues us
    index_ids(session, kind, ids, embedder, embedded)
    session.commit()


def stale_ids(session: Session, kind: str, ids: list[int], model: str | None) -> list[int]:
    """Those of ``ids`` whose index rows are missing or older than their text (reads only)."""
    if not ids:
        return []
    id_col, text_col, _ = _source(kind)
    texts = dict(session.execute(select(id_col, text_col).where(id_col.in_(ids))).all())
    hashes = {ref: text_hash(t) for ref, t in texts.items()}
    indexed = dict(
        session.execute(
            select(ClaimText.ref_id, ClaimText.text_hash).where(
                ClaimText.kind == kind, ClaimText.ref_id.in_(ids)
            )
        ).all()
    )
    embedded = _stored_hashes(session, kind, ids, model) if model else {}
    return [
        ref
        for ref in ids
        if ref not in texts
        and ref in indexed  # deleted since: its rows go
        or ref in texts
        and (indexed.get(ref) != hashes[ref] or (model and embedded.get(ref) != hashes[ref]))
    ]


def missing_ids(
    session: Session, kind: str, model: str | None, after: int, limit: int
) -> list[int]:
    """Ids above ``after`` with no text row, or no vector for ``model``."""
    id_col, _, _ = _source(kind)
    text = ClaimText.__table__.alias("t")
    query = select(id_col).outerjoin(text, and_(text.c.kind == kind, text.c.ref_id == id_col))
    missing = text.c.id.is_(None)
    if model:
        vector = ClaimVector.__table__.alias("v")
        query = query.outerjoin(
            vector,
            and_(vector.c.kind == kind, vector.c.ref_id == id_col, vector.c.model == model),
        )
        missing = missing | vector.c.id.is_(None)
    query = query.where(id_col > after, missing).order_by(id_col).limit(limit)
    return list(session.scalars(query))


def all_ids(session: Session, kind: str, after: int, limit: int) -> list[int]:
    id_col, _, _ = _source(kind)
    return list(session.scalars(select(id_col).where(id_col > after).order_by(id_col).limit(limit)))


def count(session: Session, kind: str, model: str | None, everything: bool) -> int:
    """How many claims ``reindex`` will visit (for its progress bar)."""
    if everything:
        id_col, _, _ = _source(kind)
        return session.scalar(select(func.count(id_col))) or 0
    total, after = 0, 0
    while ids := missing_ids(session, kind, model, after, 10_000):
        total, after = total + len(ids), ids[-1]
    return total


def reindex(
    session: Session, embedder: Embedder | None, *, everything: bool = False, batch: int = BATCH
) -> Iterator[int]:
    """Index what is missing (``everything``: check every claim), committing each batch;
    yields the number of claims visited per batch. Interrupted, it resumes where it was:
    the committed batches have their rows."""
    previous = write_intent.get()
    try:
        model = embedder.name if embedder else None
        for kind in ("factcheck", "annotation"):
            after = 0
            while True:
                write_intent.set(False)
                if everything:
                    ids = all_ids(session, kind, after, batch)
                else:
                    ids = missing_ids(session, kind, model, after, batch)
                if not ids:
                    session.rollback()
                    break
                _index_batch(session, kind, ids, embedder)
                after = ids[-1]
                yield len(ids)
    finally:
        write_intent.set(previous)


def changed_since(session: Session, kind: str, since: datetime, limit: int) -> list[tuple]:
    id_col, _, updated = _source(kind)
    query = select(id_col, updated).where(updated >= since).order_by(updated, id_col).limit(limit)
    return session.execute(query).all()


def index_now(session: Session, embedder: Embedder | None) -> int:
    """Everything missing, at once (tests, ``factcheck demo``)."""
    return sum(reindex(session, embedder))


# --- the background thread ----------------------------------------------------------

_started: set[tuple[int, str]] = set()
_start_lock = threading.Lock()


def start(app) -> None:
    """Start this process's indexer thread (once per process and database)."""
    key = (os.getpid(), app.config["SQLALCHEMY_DATABASE_URI"])
    with _start_lock:
        if key in _started:
            return
        _started.add(key)
    lock = _host_lock(app.instance_path)
    if lock is None:
        return  # another worker on this host indexes
    thread = threading.Thread(
        target=_run,
        args=(app, lock, app.config.get("MATCHING_INDEXER_NICE", 0)),
        name="claim-indexer",
        daemon=True,
    )
    thread.start()


def _host_lock(instance_path: str):
    os.makedirs(instance_path, exist_ok=True)
    handle = open(os.path.join(instance_path, "matching-indexer.lock"), "a")  # noqa: SIM115
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle  # held for the life of the process


def lower_priority(nice: int) -> bool:
    """Lower the calling thread's CPU priority (on Linux a thread has its own nice value):
    embedding is CPU-bound, and on a small machine it would otherwise take its share of the
    cores from the requests. Returns whether it could."""
    if nice <= 0:
        return False
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), min(int(nice), 19))
    except (AttributeError, OSError, ValueError):  # not Linux, or not allowed
        return False
    return True


def _run(app, _lock, nice: int = 0) -> None:
    lower_priority(nice)
    since: dict[str, datetime] = {}
    caught_up = False
    while True:
        try:
            with app.app_context():
                embedder = embedder_for(app.config, role="indexer")
                if not caught_up:
                    for _ in reindex(db.session, embedder):
                        pass
                    caught_up = True
                _pass(db.session, embedder, since)
                db.session.remove()
        except (IntegrityError, OperationalError) as error:
            log.warning("claim matching: indexer pass retried (%s)", error.__class__.__name__)
        except Exception:  # noqa: BLE001  the thread must survive a bad row
            log.exception("claim matching: indexer pass failed")
        time.sleep(POLL_SECONDS)


def _pass(session: Session, embedder: Embedder | None, since: dict[str, datetime]) -> None:
    for kind in ("annotation", "factcheck"):
        start_at = since.get(kind) or (datetime.now(UTC) - timedelta(minutes=5))
        # a little overlap: a transaction may commit a slightly older updated_at late
        write_intent.set(False)  # the poll only reads: it never holds SQLite's write lock
        rows = changed_since(session, kind, start_at - timedelta(seconds=5), 500)
        todo = stale_ids(session, kind, [r[0] for r in rows], embedder and embedder.name)
        session.rollback()
        for first in range(0, len(todo), BATCH):
            _index_batch(session, kind, todo[first : first + BATCH], embedder)
        if rows:
            since[kind] = max(start_at, rows[-1][1])
        else:
            since.setdefault(kind, start_at)


def init_indexer(app) -> None:
    """Each server process indexes new claims in the background, started on its first
    request (after any fork), never in the CLI nor, by default, in tests."""
    background = app.config.get("MATCHING_BACKGROUND")
    if background is None:
        background = not app.testing
    if not background:
        return

    @app.before_request
    def _start_indexer() -> None:
        start(app)
