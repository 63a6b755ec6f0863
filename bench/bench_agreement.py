"""Agreement report speed: an assignment of 2,000 articles × 3 annotators × 10 claims.

    python bench/bench_agreement.py [--articles 2000] [--annotators 3] [--claims 10]
                                    [--database-url postgresql://…] [--repeats 5]

Builds the assignment with bulk inserts on a fresh database (SQLite in a temporary folder
by default), then times ``GET /api/v1/assignments/<id>/agreement`` through the app (the
whole request: loading, units, alpha, F1, JSON) and prints the median and the spread.
The target (issue 13) is under 2 s.
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factcheck import create_app  # noqa: E402
from factcheck.extensions import db  # noqa: E402
from factcheck.models import (  # noqa: E402
    Annotation,
    Article,
    Assignment,
    AssignmentArticle,
    AssignmentTask,
    Role,  # noqa: E402
    Status,
    User,
    utcnow,
)
from factcheck.services.projects import ensure_default_project  # noqa: E402
from factcheck.services.verdicts import ensure_default_scale  # noqa: E402

VERDICTS = ["true", "mostly_true", "mixed", "mostly_false", "false", "misleading"]
SENTENCE = "Une phrase de l'article, assez longue pour porter une affirmation vérifiable. "


def build(articles: int, annotators: int, claims: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    project, _created = ensure_default_project(db.session)
    ensure_default_scale(db.session)
    admin = User(username="bench-admin", password_hash="x")
    admin.roles = [Role.ADMIN]
    people = []
    for i in range(annotators):
        user = User(username=f"bench-annotator-{i}", password_hash="x")
        user.roles = [Role.ANNOTATOR]
        people.append(user)
    db.session.add_all([admin, *people])
    db.session.flush()
    text = SENTENCE * (claims + 2)
    now = utcnow()
    db.session.execute(
        Article.__table__.insert(),
        [
            {
                "title": f"Article {i}",
                "text": text,
                "text_sha256": f"{i:064d}",
                "language": "fr",
                "project_id": project.id,
                "search_text": "",
                "created_at": now,
                "updated_at": now,
            }
            for i in range(articles)
        ],
    )
    article_ids = list(db.session.scalars(db.select(Article.id).order_by(Article.id)))
    assignment = Assignment(
        project_id=project.id, name="bench", per_article=annotators, created_by_id=admin.id
    )
    db.session.add(assignment)
    db.session.flush()
    db.session.execute(
        AssignmentArticle.__table__.insert(),
        [{"assignment_id": assignment.id, "article_id": a} for a in article_ids],
    )
    db.session.execute(
        AssignmentTask.__table__.insert(),
        [
            {"assignment_id": assignment.id, "article_id": a, "annotator_id": p.id, "done_at": now}
            for a in article_ids
            for p in people
        ],
    )
    rows = []
    step = len(SENTENCE)
    for a in article_ids:
        for p in people:
            for c in range(claims):
                start = c * step + rng.choice((0, 0, 0, 4))
                end = start + rng.choice((40, 60, 70))
                rows.append(
                    {
                        "article_id": a,
                        "project_id": project.id,
                        "author_id": p.id,
                        "start": start,
                        "end": end,
                        "quote": text[start:end],
                        "prefix": "",
                        "suffix": "",
                        "claim": "c",
                        "claimant": "",
                        "rationale": "",
                        "verdict": rng.choice(VERDICTS),
                        "status": Status.DRAFT.value,
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                        "review_comment": "",
                    }
                )
    for i in range(0, len(rows), 10_000):
        db.session.execute(Annotation.__table__.insert(), rows[i : i + 10_000])
    db.session.commit()
    return assignment.id, admin.session_token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--claims", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": secrets.token_urlsafe(48),
                "SQLALCHEMY_DATABASE_URI": url,
                "WTF_CSRF_ENABLED": False,
            }
        )
        with app.app_context():
            db.drop_all()
            db.create_all()
            started = time.perf_counter()
            assignment_id, token = build(args.articles, args.annotators, args.claims)
            built = time.perf_counter() - started
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = token
        times, cpu = [], []
        for _ in range(args.repeats):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(f"/api/v1/assignments/{assignment_id}/agreement")
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            assert response.status_code == 200, response.get_data(as_text=True)
        report = response.get_json()
        with app.app_context():
            db.drop_all()
    claims = args.articles * args.annotators * args.claims
    print(
        f"built {args.articles} articles × {args.annotators} annotators × {args.claims} "
        f"claims ({claims} claims) in {built:.1f} s on {url.split(':')[0]}"
    )
    print(
        f"agreement report: median {statistics.median(times):.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f}, {args.repeats} runs; CPU "
        f"{statistics.median(cpu):.2f} s); "
        f"units {report['verdict']['units']}, alpha_nominal "
        f"{report['verdict']['alpha_nominal']:.3f}, f1_overlap {report['span']['f1_overlap']:.3f}"
    )


if __name__ == "__main__":
    main()
