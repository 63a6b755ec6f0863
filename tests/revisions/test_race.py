"""Two revisions of one article at once: one wins, the other gets 409, nothing is mixed."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factcheck.extensions import db
from factcheck.models import Annotation, Article, ArticleRevision
from factcheck.services import revisions
from factcheck.services.errors import Conflict

from .conftest import DEBT, TEXT


def test_two_revisions_read_from_the_same_revision_one_wins(app, admin, article, claim):
    claim(DEBT)
    with (
        Session(db.engine, expire_on_commit=False) as first,
        Session(db.engine, expire_on_commit=False) as second,
    ):
        a = first.get(Article, article.id)
        b = second.get(Article, article.id)
        assert a.revision == b.revision == 1
        second.commit()  # both have read revision 1; the second one's read is over
        revisions.create_revision(first, a, TEXT + " Première.", user=first.merge(admin))
        first.commit()
        with pytest.raises(Conflict) as lost:
            revisions.create_revision(second, b, TEXT + " Seconde.", user=second.merge(admin))
        second.rollback()
    assert lost.value.status == 409
    db.session.rollback()  # end the test session's own snapshot
    stored = db.session.get(Article, article.id)
    assert stored.revision == 2 and stored.text.endswith("Première.")
    numbers = db.session.scalars(select(ArticleRevision.number).order_by(ArticleRevision.number))
    assert list(numbers) == [1, 2]
    assert db.session.scalar(select(func.count()).select_from(Annotation)) == 1


def test_concurrent_revisions_on_postgresql_block_then_409(app, admin, article, claim):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serializes writers: the interleaving above is the race there")
    claim(DEBT)
    outcomes: list[str] = []
    started = threading.Event()

    def second_writer():
        with app.app_context(), Session(db.engine) as session:
            target = session.get(Article, article.id)
            started.set()
            try:
                revisions.create_revision(
                    session, target, TEXT + " Seconde.", user=session.merge(admin)
                )
                session.commit()
                outcomes.append("won")
            except Conflict:
                session.rollback()
                outcomes.append("409")

    with Session(db.engine) as first:
        target = first.get(Article, article.id)
        revisions.create_revision(first, target, TEXT + " Première.", user=first.merge(admin))
        thread = threading.Thread(target=second_writer)
        thread.start()
        started.wait(5)
        thread.join(0.5)  # it waits on the row lock while the first is open
        first.commit()
    thread.join(10)
    assert outcomes == ["409"]
