"""A revision is worked out before it writes: re-anchoring hundreds of claims never stops the
site's other writers (SQLite's one write lock) nor holds the article's row (PostgreSQL),
and a claim edited or added meanwhile is re-anchored in the short write."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import create_engine, insert, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from factcheck.extensions import db
from factcheck.models import Anchor, Annotation, ReviewEvent, Status
from factcheck.services import anchoring, revisions
from factcheck.services.revisions import writing

from .conftest import DEBT, INQUIRY, JOBS, TEXT


def another_writer_gets_through(article_id: int) -> bool:
    """Can another connection write at once (SQLite: take the write lock; PostgreSQL:
    lock the article's row, as claim writes do), without waiting?"""
    if db.engine.dialect.name == "sqlite":
        other = sqlite3.connect(db.engine.url.database, timeout=0.05, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            other.close()
    engine = create_engine(db.engine.url, poolclass=NullPool)
    try:
        with engine.connect() as other:
            other.execute(
                text("SELECT id FROM article WHERE id = :id FOR UPDATE NOWAIT"), {"id": article_id}
            )
            other.rollback()
        return True
    except Exception:  # noqa: BLE001 (psycopg's LockNotAvailable, whatever its wrapping)
        return False
    finally:
        engine.dispose()


@pytest.fixture
def while_planning(monkeypatch):
    """``while_planning(fn)``: call ``fn()`` once, while the revision's diff is being made."""
    calls: list = []

    def install(fn):
        original = anchoring.PositionMap.__init__

        def init(self, *args, **kwargs):
            if not calls:
                calls.append(fn())
            original(self, *args, **kwargs)

        monkeypatch.setattr(anchoring.PositionMap, "__init__", init)
        return calls

    return install


def save(client, article, new_text):
    return client.post(
        f"/articles/{article.id}/revise",
        data={"text": new_text, "note": "", "revision": "1", "action": "save"},
    )


def test_other_writers_go_on_while_the_revision_page_works_out_a_revision(
    client, login, admin, article, claim, while_planning
):
    claim(DEBT)
    probes = while_planning(lambda: another_writer_gets_through(article.id))
    login(admin)
    assert save(client, article, TEXT.replace("40 milliards", "42 milliards")).status_code == 302
    assert probes == [True]
    db.session.expire_all()
    assert article.revision == 2


def test_a_revision_reads_and_computes_before_its_first_write(
    app, admin, article, claim, while_planning
):
    claim(DEBT)
    probes = while_planning(lambda: another_writer_gets_through(article.id))
    revisions.create_revision(db.session, article, TEXT + " Fin.", user=admin)
    db.session.commit()
    assert probes == [True]


def test_a_claim_edited_or_added_while_the_revision_is_worked_out_is_reanchored_too(
    client, login, admin, article, claim, while_planning
):
    edited = claim(DEBT, status=Status.SUBMITTED)
    added: list[int] = []

    def meanwhile():
        with Session(db.engine) as other:
            other.execute(
                update(Annotation)
                .where(Annotation.id == edited.id)
                .values(claimant="Le maire, interrogé", version=Annotation.version + 1)
            )
            row = other.execute(select(Annotation.__table__).where(Annotation.id == edited.id))
            values = {k: v for k, v in row.mappings().one().items() if k != "id"}
            start = TEXT.index(JOBS)
            values.update(
                start=start,
                end=start + len(JOBS),
                quote=JOBS,
                prefix=TEXT[max(0, start - 32) : start],
                suffix=TEXT[start + len(JOBS) : start + len(JOBS) + 32],
                version=1,
            )
            new_id = other.execute(insert(Annotation.__table__).values(values)).inserted_primary_key
            added.append(new_id[0])
            other.commit()

    while_planning(meanwhile)
    login(admin)
    new_text = "Correctif : une précision en tête.\n\n" + TEXT
    assert save(client, article, new_text).status_code == 302
    db.session.expire_all()
    for claim_id, quote in ((edited.id, DEBT), (added[0], JOBS)):
        stored = db.session.get(Annotation, claim_id)
        assert stored.article_revision == 2 and stored.anchor is Anchor.OK
        assert new_text[stored.start : stored.end] == quote
    assert db.session.get(Annotation, edited.id).claimant == "Le maire, interrogé"


def test_many_claims_are_written_in_bounded_batches(app, admin, article, claim, monkeypatch):
    monkeypatch.setattr(writing, "BATCH", 2)
    claims = [claim(q, status=Status.APPROVED) for q in (DEBT, JOBS, INQUIRY, DEBT, JOBS)]
    new_text = TEXT.replace("40 milliards", "42 milliards").replace("300 postes", "310 postes")
    result = revisions.create_revision(db.session, article, new_text, user=admin)
    db.session.commit()
    assert result.counts() == {"ok": 1, "relocated": 4, "orphaned": 0}
    db.session.expire_all()
    for item in claims:
        stored = db.session.get(Annotation, item.id)
        assert stored.article_revision == 2
        assert new_text[stored.start : stored.end] == stored.quote
    events = db.session.scalars(select(ReviewEvent.annotation_id).where(ReviewEvent.version > 1))
    assert sorted(events) == sorted(c.id for c in claims if c.quote != INQUIRY)
