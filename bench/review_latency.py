"""Latency of the review queue on a large SQLite database.

    /work/venv/bin/python bench/review_latency.py [--rows 100000] [--rounds 200]

Builds a throw-away SQLite database with ``--rows`` annotations (half of them submitted),
then, through the Flask test client (the whole request path: login, CSRF-exempt test
config, JSON), times ``GET /api/v1/review/next`` (a fresh reservation each time) and the
decision that follows (``POST /api/v1/annotations/<id>/review``). Prints the medians and
the EXPLAIN QUERY PLAN of the queries behind "Next".
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select, text  # noqa: E402

from factcheck import create_app  # noqa: E402
from factcheck.extensions import db  # noqa: E402
from factcheck.models import Annotation, User  # noqa: E402
from factcheck.permissions import Role  # noqa: E402

STATUSES = ["submitted"] * 5 + ["approved"] * 3 + ["rejected", "draft"]


def build(app, rows: int) -> None:
    from factcheck.services.verdicts import ensure_default_scale

    with app.app_context():
        db.create_all()
        ensure_default_scale(db.session)
        users = []
        for i in range(30):
            user = User(username=f"user{i}", password_hash="x")
            user.roles = [Role.ANNOTATOR] if i < 20 else [Role.REVIEWER]
            db.session.add(user)
            users.append(user)
        db.session.commit()
        text_ = "Le président a déclaré que le chômage a baissé de 10 % en un an. " * 40
        raw = db.engine.raw_connection()
        cur = raw.cursor()
        cur.execute("BEGIN")
        cur.executemany(
            "INSERT INTO article (title, text, text_sha256, language, created_at, updated_at, "
            "project_id, search_text) VALUES (?, ?, ?, 'fr', ?, ?, (SELECT min(id) FROM project), "
            "?)",
            [
                (f"Article {i}", text_, f"{i:064d}", _ts(0), _ts(0), f"article {i}")
                for i in range(200)
            ],
        )
        start = datetime(2026, 1, 1, tzinfo=UTC)
        rng = random.Random(1)
        annotations = []
        for i in range(rows):
            status = rng.choice(STATUSES)
            at = start + timedelta(seconds=i * 30)
            annotations.append(
                (
                    i % 200 + 1,
                    users[i % 20].id,
                    3,
                    13,
                    text_[3:13],
                    "",
                    "",
                    f"Claim {i}",
                    f"Claimant {i % 500}",
                    rng.choice(["true", "false", "mixed", "misleading"]),
                    "Rationale.",
                    status,
                    1,
                    _ts(at),
                    _ts(at),
                    None if status == "draft" else _ts(at),
                    "",
                )
            )
        cur.executemany(
            'INSERT INTO annotation (article_id, author_id, start, "end", quote, prefix, '
            "suffix, claim, claimant, verdict, rationale, status, version, created_at, "
            "updated_at, submitted_at, review_comment, project_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "(SELECT min(id) FROM project))",
            annotations,
        )
        cur.execute(
            "INSERT INTO source (annotation_id, position, url, title, note) "
            "SELECT id, 0, 'https://example.org/' || id, 'Source', '' FROM annotation"
        )
        cur.execute(
            "INSERT INTO review_event (annotation_id, actor_id, at, to_status, comment, version) "
            "SELECT id, author_id, created_at, status, '', 1 FROM annotation"
        )
        raw.commit()
        if not os.environ.get("BENCH_NO_ANALYZE"):
            cur.execute("ANALYZE")
        raw.close()


def _ts(value) -> str:
    if not value:
        value = datetime(2026, 1, 1, tzinfo=UTC)
    return value.replace(tzinfo=None).isoformat(sep=" ")


def login(client, user: User) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True


def measure(app, rounds: int) -> tuple[list[float], list[float], list[float]]:
    with app.app_context():
        reviewers = list(db.session.scalars(select(User).where(User.username.like("user2_"))))
    clients = []
    for reviewer in reviewers:
        client = app.test_client()
        login(client, reviewer)
        clients.append(client)
    nexts, decisions = [], []
    for i in range(rounds):
        client = clients[i % len(clients)]
        t0 = time.perf_counter()
        answer = client.get("/api/v1/review/next")
        nexts.append(time.perf_counter() - t0)
        item = answer.get_json()["item"]
        assert item is not None, answer.get_json()
        body = {"decision": "approve", "version": item["version"]}
        if i % 3 == 0:
            body = {"decision": "reject", "version": item["version"], "comment": "Source?"}
        t0 = time.perf_counter()
        decided = client.post(f"/api/v1/annotations/{item['id']}/review", json=body)
        decisions.append(time.perf_counter() - t0)
        assert decided.status_code == 200, decided.get_json()
    pages = []
    for i in range(20):
        t0 = time.perf_counter()
        assert clients[i % len(clients)].get("/review/").status_code == 200
        pages.append(time.perf_counter() - t0)
    return nexts, decisions, pages


def plans(app) -> None:
    from factcheck.models import utcnow
    from factcheck.services import queue

    with app.app_context():
        reviewer = db.session.scalar(select(User).where(User.username == "user25"))
        now = utcnow()
        statements = {
            "next: candidate (and the subquery of the SQLite UPDATE)": queue.candidates_query(
                reviewer, now, [1, 2, 3]
            ),
            "next: own reservation first": queue.own_reservation_query(reviewer, now, []),
            "next: the SQLite reserving UPDATE": queue.sqlite_reserve_statement(
                reviewer, now, now, [1, 2, 3]
            ),
            "queue page (50 rows)": queue.reviewable(reviewer)
            .with_only_columns(Annotation.id, Annotation.claim)
            .limit(50),
        }
        for title, statement in statements.items():
            print(f"\nEXPLAIN QUERY PLAN — {title}")
            for row in explain(statement):
                print("   ", row[-1])


def explain(statement) -> list:
    """Run ``statement`` with EXPLAIN QUERY PLAN in front, its parameters bound as usual."""
    from sqlalchemy import event

    def prefix(conn, cursor, sql, params, context, executemany):
        return "EXPLAIN QUERY PLAN " + sql, params

    event.listen(db.engine, "before_cursor_execute", prefix, retval=True)
    try:
        return db.session.connection().execute(statement).all()
    finally:
        event.remove(db.engine, "before_cursor_execute", prefix)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["FACTCHECK_INSTANCE_PATH"] = tmp
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": secrets.token_urlsafe(48),
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                "WTF_CSRF_ENABLED": False,
            }
        )
        t0 = time.perf_counter()
        build(app, args.rows)
        print(f"built {args.rows:,} annotations in {time.perf_counter() - t0:.1f} s")
        with app.app_context():
            counts = db.session.execute(
                text("SELECT status, count(*) FROM annotation GROUP BY status")
            ).all()
        print("by status:", dict(counts))
        nexts, decisions, pages = measure(app, args.rounds)
        timings = (
            ("GET /api/v1/review/next", nexts),
            ("POST …/review", decisions),
            ("GET /review/ (queue page)", pages),
        )
        for name, values in timings:
            ms = sorted(v * 1000 for v in values)
            print(
                f"{name:28} median {statistics.median(ms):6.2f} ms   "
                f"p90 {ms[int(len(ms) * 0.9)]:6.2f} ms   max {ms[-1]:6.2f} ms   (n={len(ms)})"
            )
        plans(app)


if __name__ == "__main__":
    main()
