"""The index follows the claims: the background pass, reindex, and a save that never waits."""

from __future__ import annotations

import os
import threading

from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import ClaimText, ClaimVector, Status
from factcheck.services.matching import embedder_for, indexer


def _vector_hash(annotation_id):
    return db.session.scalar(
        select(ClaimVector.text_hash).where(
            ClaimVector.kind == "annotation", ClaimVector.ref_id == annotation_id
        )
    )


def test_background_pass_indexes_new_and_changed_claims(app, make):
    embedder = embedder_for(app.config, role="indexer")
    annotation = make.annotation(status=Status.SUBMITTED, claim="Le chômage a baissé de 10 %")
    assert db.session.scalar(select(func.count(ClaimText.id))) == 0  # the save wrote nothing
    since: dict = {}
    indexer._pass(db.session, embedder, since)
    first = _vector_hash(annotation.id)
    assert first is not None
    norm = db.session.scalar(select(ClaimText.norm).where(ClaimText.ref_id == annotation.id))
    assert norm == "le chomage a baisse de 10"

    annotation.claim = "Le chômage a augmenté de 10 %"
    annotation.updated_at = annotation.updated_at.replace(microsecond=0)
    db.session.commit()
    assert indexer.stale_ids(db.session, "annotation", [annotation.id], embedder.name) == [
        annotation.id
    ]
    indexer._pass(db.session, embedder, since)
    assert _vector_hash(annotation.id) not in (None, first)
    assert indexer.stale_ids(db.session, "annotation", [annotation.id], embedder.name) == []


def test_reindex_command_resumes_where_vectors_are_missing(app, make):
    for k in range(3):
        make.annotation(status=Status.APPROVED, claim=f"Claim number {k}")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert "3 claims indexed" in result.output
    again = runner.invoke(args=["reindex"])
    assert "0 claims indexed" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count(ClaimVector.id))) == 3


class _WriterDuringEmbedding:
    """Wraps the real embedder: while it embeds, another connection tries to take the write
    lock without waiting (SQLite: BEGIN IMMEDIATE with no busy timeout; PostgreSQL: an
    EXCLUSIVE lock on the index tables with NOWAIT) and records whether it got it."""

    def __init__(self, inner, engine):
        self.inner, self.engine = inner, engine
        self.name, self.dim = inner.name, inner.dim
        self.writer_waited: list[bool] = []

    def embed_passages(self, texts):
        with self.engine.connect() as other:
            driver = other.connection.driver_connection
            try:
                if self.engine.dialect.name == "sqlite":
                    driver.execute("PRAGMA busy_timeout = 0")
                    driver.execute("BEGIN IMMEDIATE")
                else:
                    other.exec_driver_sql(
                        "LOCK TABLE claim_text, claim_vector IN EXCLUSIVE MODE NOWAIT"
                    )
                self.writer_waited.append(False)
            except Exception:  # noqa: BLE001  either driver's "locked" error
                self.writer_waited.append(True)
            finally:
                other.rollback()
        return self.inner.embed_passages(texts)


def test_embedding_holds_no_write_lock(app, make):
    """Embedding costs tens of milliseconds a claim: a save must never wait for it (nor,
    behind a backlog of batches, fail with "database is locked")."""
    embedder = _WriterDuringEmbedding(embedder_for(app.config, role="indexer"), db.engine)
    first = make.annotation(status=Status.APPROVED, claim="Le chômage a baissé de 10 %")
    for _ in indexer.reindex(db.session, embedder):
        pass
    second = make.annotation(status=Status.SUBMITTED, claim="Unemployment fell by 10 percent")
    indexer._pass(db.session, embedder, {})
    assert embedder.writer_waited == [False, False]
    assert _vector_hash(first.id) is not None and _vector_hash(second.id) is not None


def test_text_changed_while_embedding_gets_the_vector_of_its_new_text(app, make):
    """The vector is computed before the write transaction: if the claim's text changed in
    between, the stored vector must be that of the new text, never of the old one."""
    real = embedder_for(app.config, role="indexer")
    annotation = make.annotation(status=Status.APPROVED, claim="Le chômage a baissé de 10 %")
    embedded = indexer.embed_stale(db.session, "annotation", [annotation.id], real)
    db.session.rollback()
    annotation.claim = "Le chômage a augmenté de 10 %"
    db.session.commit()
    indexer.index_ids(db.session, "annotation", [annotation.id], real, embedded)
    db.session.commit()
    assert _vector_hash(annotation.id) == indexer.text_hash("Le chômage a augmenté de 10 %")
    assert indexer.stale_ids(db.session, "annotation", [annotation.id], real.name) == []


def test_indexer_thread_runs_at_lower_priority():
    """The embedding is CPU-bound: its thread yields the cores to requests (Linux nice)."""
    seen = {}

    def probe():
        seen["changed"] = indexer.lower_priority(7)
        seen["nice"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join()
    assert seen == {"changed": True, "nice": min(os.getpriority(os.PRIO_PROCESS, 0) + 7, 19)}
    assert indexer.lower_priority(0) is False  # 0: the worker's own priority
