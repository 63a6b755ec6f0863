"""Races, on the test database (SQLite file, or PostgreSQL with FACTCHECK_TEST_DATABASE_URL).

Every racer is a thread with its own app (its own engine, connection pool and session)
against the same database, as two gunicorn workers would be; a Barrier releases them
at the same instant.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, update

from factcheck import create_app
from factcheck.database import write_intent
from factcheck.extensions import db
from factcheck.models import Annotation, ReviewEvent, Role, Status, utcnow
from factcheck.services.errors import Conflict

ROUNDS = 4


@pytest.fixture
def racers(app_config):
    """``racers(n)``: n separate apps on the same database; disposed afterwards."""
    apps = []

    def _make(n: int):
        new = [create_app(dict(app_config)) for _ in range(n)]
        apps.extend(new)
        return new

    yield _make
    for other in apps:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def client_for(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True
    return client


def run_together(jobs):
    """Run the callables in threads released by one Barrier; return their results."""
    # The test's own session must hold no transaction (on SQLite, no write lock) while
    # the racers run; an earlier test client request in this thread may have left
    # write_intent set, which would make that session take the write lock on reads.
    write_intent.set(False)
    db.session.commit()
    barrier = threading.Barrier(len(jobs))

    def wrap(job):
        barrier.wait(timeout=30)
        return job()

    with ThreadPoolExecutor(len(jobs)) as pool:
        return [f.result(timeout=60) for f in [pool.submit(wrap, job) for job in jobs]]


def decision_events(annotation_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(ReviewEvent)
        .where(
            ReviewEvent.annotation_id == annotation_id,
            ReviewEvent.to_status.in_([Status.APPROVED, Status.REJECTED]),
        )
    )


def test_approve_and_reject_at_the_same_instant(cast, submitted, racers):
    ids = [a.id for a in submitted(ROUNDS)]  # plain ints: the threads share no ORM state
    app1, app2 = racers(2)
    c1, c2 = client_for(app1, cast.reviewer), client_for(app2, cast.reviewer2)
    for annotation_id in ids:

        def approve(i=annotation_id):
            return c1.post(
                f"/api/v1/annotations/{i}/review", json={"decision": "approve", "version": 1}
            )

        def reject(i=annotation_id):
            return c2.post(
                f"/api/v1/annotations/{i}/review",
                json={"decision": "reject", "version": 1, "comment": "Non."},
            )

        r1, r2 = run_together([approve, reject])
        assert sorted([r1.status_code, r2.status_code]) == [200, 409], (r1.json, r2.json)
        winner = r1 if r1.status_code == 200 else r2
        loser = r2 if winner is r1 else r1
        assert loser.json["error"]["current"]["status"] == winner.json["status"]
        db.session.rollback()  # a fresh snapshot (SQLite keeps the old one otherwise)
        stored = db.session.get(Annotation, annotation_id)
        assert stored.status.value == winner.json["status"]
        assert stored.version == 2
        assert decision_events(annotation_id) == 1


def test_eight_reviewers_ask_next_at_once(make, cast, submitted, racers):
    submitted(10)
    reviewers = [make.user(f"rev{i}", roles=[Role.REVIEWER]) for i in range(8)]
    apps = racers(8)
    clients = [client_for(app, user) for app, user in zip(apps, reviewers, strict=True)]
    answers = run_together([lambda c=c: c.get("/api/v1/review/next") for c in clients])
    assert [r.status_code for r in answers] == [200] * 8, [r.json for r in answers]
    ids = [r.json["item"]["id"] for r in answers]
    assert len(set(ids)) == 8
    db.session.rollback()  # a fresh snapshot
    held = dict(
        db.session.execute(
            select(Annotation.id, Annotation.reserved_by_id).where(
                Annotation.reserved_until > utcnow()
            )
        ).all()
    )
    assert len(held) == 8
    by_user = {user.id: r.json["item"]["id"] for user, r in zip(reviewers, answers, strict=True)}
    assert {held[i] for i in ids} == set(by_user)


def author_edit(app, annotation_id: int, seen_version: int, claim: str) -> int:
    """A stand-in for the annotate engineer's update: one conditional, version-bumping
    UPDATE, Conflict when the version moved (the same optimistic rule as decisions)."""
    write_intent.set(True)  # as in a POST request: SQLite takes the write lock up front
    with app.app_context():
        result = db.session.execute(
            update(Annotation)
            .where(
                Annotation.id == annotation_id,
                Annotation.version == seen_version,
                Annotation.status != Status.APPROVED,
            )
            .values(claim=claim, version=Annotation.version + 1, updated_at=utcnow())
        )
        if result.rowcount != 1:
            db.session.rollback()
            raise Conflict("changed meanwhile")
        db.session.commit()
        return 200


def test_author_edit_racing_a_decision(cast, submitted, racers):
    ids = [a.id for a in submitted(ROUNDS)]
    author_app, reviewer_app = racers(2)
    reviewer = client_for(reviewer_app, cast.reviewer)
    for annotation_id in ids:

        def edit(i=annotation_id):
            try:
                return author_edit(author_app, i, 1, "Edited claim.")
            except Conflict:
                return 409

        def decide(i=annotation_id):
            return reviewer.post(
                f"/api/v1/annotations/{i}/review", json={"decision": "approve", "version": 1}
            ).status_code

        outcome = run_together([edit, decide])
        assert sorted(outcome) == [200, 409], outcome
        db.session.rollback()  # a fresh snapshot (SQLite keeps the old one otherwise)
        stored = db.session.get(Annotation, annotation_id)
        # the stored state is the one its winner saw and wrote, nothing mixed
        if outcome[0] == 200:  # the edit won
            assert (stored.status, stored.claim, stored.version) == (
                Status.SUBMITTED,
                "Edited claim.",
                2,
            )
            assert decision_events(annotation_id) == 0
        else:
            assert (stored.status, stored.claim, stored.version) == (
                Status.APPROVED,
                "A checkable claim.",
                2,
            )
            assert decision_events(annotation_id) == 1


def test_api_edit_racing_an_approval_loses_with_409_never_403(cast, submitted, racers):
    """Issue 15, finding 8: on SQLite the edit used to see the approval already committed
    and answer 403 "frozen"; the contract says the loser gets 409 with what happened."""
    ids = [a.id for a in submitted(10)]
    author_app, reviewer_app = racers(2)
    author = client_for(author_app, cast.annotator)
    reviewer = client_for(reviewer_app, cast.reviewer)
    for annotation_id in ids:

        def edit(i=annotation_id):
            return author.patch(
                f"/api/v1/annotations/{i}", json={"claim": "Edited claim.", "version": 1}
            )

        def decide(i=annotation_id):
            return reviewer.post(
                f"/api/v1/annotations/{i}/review", json={"decision": "approve", "version": 1}
            )

        edited, decided = run_together([edit, decide])
        codes = sorted([edited.status_code, decided.status_code])
        assert codes == [200, 409], (edited.json, decided.json)
        loser = edited if edited.status_code == 409 else decided
        assert loser.json["error"]["code"] == "stale_version"
        assert loser.json["error"]["current"]["version"] == 2
