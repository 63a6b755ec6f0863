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


def test_a_claim_checked_against_the_old_text_is_refused_once_the_article_is_revised(
    app, admin, author, article
):
    from factcheck.services import annotations

    start = TEXT.index(DEBT)
    with (
        Session(db.engine, expire_on_commit=False) as writer,
        Session(db.engine, expire_on_commit=False) as reviser,
    ):
        stale = writer.get(Article, article.id)  # the annotator's page: revision 1
        writer.commit()
        fresh = reviser.get(Article, article.id)
        revisions.create_revision(
            reviser, fresh, "Avant-propos.\n\n" + TEXT, user=reviser.merge(admin)
        )
        reviser.commit()
        with pytest.raises(Conflict) as refused:
            annotations.create(
                writer,
                stale,
                writer.merge(author),
                {"start": start, "end": start + len(DEBT), "quote": DEBT},
            )
        writer.rollback()
    assert refused.value.code == "article_revised"
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Annotation)) == 0


def test_patch_of_an_unannotated_article_keeps_its_stored_revision_in_step(
    client, login, admin, article, claim
):
    annotation = claim(DEBT)
    login(admin)
    client.post(f"/api/v1/articles/{article.id}/revisions", json={"text": TEXT + " Fin."})
    version = client.get(f"/api/v1/annotations/{annotation.id}").json["version"]
    db.session.rollback()
    from factcheck.models import Annotation as Model

    db.session.delete(db.session.get(Model, annotation.id))
    db.session.commit()
    response = client.patch(f"/api/v1/articles/{article.id}", json={"text": "Autre texte."})
    assert response.status_code == 200, (response.json, version)
    items = client.get(f"/api/v1/articles/{article.id}/revisions?text=1").json["items"]
    assert items[-1]["number"] == 2 and items[-1]["text"] == "Autre texte."
