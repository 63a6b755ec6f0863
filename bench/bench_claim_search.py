"""Claims search at scale: ``GET /api/v1/claims`` (services/search) over 1,000,000 claims and
100,000 past fact-checks, on SQLite and on PostgreSQL.

    python bench/bench_claim_search.py --claims 1000000 --factchecks 100000 \\
        [--db sqlite|postgresql|both] [--keep /tmp/h3_claims_bench] [--searches 100] \\
        [--pg-url postgresql://postgres@127.0.0.1/factcheck_h3_bench] [--fill-only]

The data (generated with executemany on SQLite, COPY on PostgreSQL, in a few minutes):
5 projects with the newsroom scale, 2,000 articles (fr/en), 20,000 claimants, claims of
12 words drawn from a Zipf vocabulary (bench_matching's: the development set's words at
ranks from 100 on, so "maire" or "chomage" hold in 0.01 % to 1 % of the claims), in every
status, verdict, claim date (2015-2026) and claimant; past fact-checks likewise; each with
its folded text (the lexical index) and a random vector in the model's cone (the semantic
index, as bench_matching stores them: embedding 1.1 M claims with the model takes days on
this machine, and the search's cost does not depend on the vectors' values).

The searcher is a reviewer in 3 of the 5 projects (one reviews blind, so the hidden-verdict
rule runs), not a site admin (so the membership rule runs). Each search is a whole
``search.run`` (scope, distribution, page of 20 items loaded), as the API serves it:
``words``: 1 or 2 words of the vocabulary with one or two filters (verdict, language, claim
dates, status, project, claimant); ``semantic``: the same texts with ``semantic=1`` (the
model embeds each query: a new text every time, and its cache is emptied before each
run). Each search runs ``--repeats`` times and keeps its fastest run (the machine is
shared); p50/p95 in ms, with the first runs' and the CPU time's.
Results are written to bench/results/claim_search.json.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_matching import _vocabulary  # noqa: E402

from factcheck import create_app  # noqa: E402
from factcheck.extensions import db  # noqa: E402
from factcheck.models import Project, Role, User  # noqa: E402
from factcheck.models.verdict import DEFAULT_VERDICTS  # noqa: E402
from factcheck.services import matching, projects, search  # noqa: E402
from factcheck.services.matching import embedder_for, vectors  # noqa: E402
from factcheck.services.matching.embedder import centre_of  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "claim_search.json"
PROJECTS = 5
ARTICLES = 2_000
CLAIMANTS = 20_000
STATUSES = ("approved",) * 14 + ("submitted",) * 3 + ("rejected",) * 2 + ("draft",)
KEYS = [row[0] for row in DEFAULT_VERDICTS]
NOW = "2026-01-01 00:00:00"
BATCH = 50_000
#: the data's random seed: its first draws make the vocabulary (the queries' words too)
SEED = 11


def make_app(url: str, instance: str):
    os.makedirs(instance, exist_ok=True)
    os.environ["FACTCHECK_INSTANCE_PATH"] = instance
    return create_app(
        {
            "SECRET_KEY": secrets.token_urlsafe(48),
            "SQLALCHEMY_DATABASE_URI": url,
            "MATCHING_BACKGROUND": False,
        }
    )


def _texts(rng, words, n: int) -> list[str]:
    weights = 1 / np.arange(1, len(words) + 1)
    weights /= weights.sum()
    drawn = words[rng.choice(len(words), (n, 12), p=weights)]
    return [" ".join(row) for row in drawn]


def _vectors(rng, embedder, n: int):
    centre = centre_of(embedder)
    block = rng.standard_normal((n, embedder.dim)).astype(np.float32) * 0.022
    block += centre if centre is not None else 0
    block /= np.linalg.norm(block, axis=1, keepdims=True)
    return vectors.quantize(block, centre)


def _setup(app) -> None:
    """Projects, users and memberships through the services; the rest in bulk."""
    with app.app_context():
        db.drop_all()
        db.create_all()
        made = [
            projects.create_project(db.session, name=f"Desk {k}", slug=f"desk{k}")
            for k in range(PROJECTS)
        ]
        db.session.flush()
        made[1].blind_second_verdict = True
        bench = User(username="bench", password_hash="x", session_token=secrets.token_hex(16))
        author = User(username="author", password_hash="x", session_token=secrets.token_hex(16))
        db.session.add_all([bench, author])
        db.session.flush()
        for project in made[:3]:
            projects.set_member_roles(db.session, project, bench, [Role.REVIEWER])
        for project in made:
            projects.set_member_roles(db.session, project, author, [Role.ANNOTATOR])
        db.session.commit()


def _rows(app, claims: int, factchecks: int, rng):
    """Every table's rows, as lists of tuples, in batches: yields (table, columns, rows)."""
    words = np.array(_vocabulary(rng))
    with app.app_context():
        project_ids = list(db.session.scalars(select(Project.id).order_by(Project.id)))
        users = dict(db.session.execute(select(User.username, User.id)).all())
        embedder = embedder_for(app.config)
    yield (
        "article",
        (
            "id",
            "project_id",
            "title",
            "text",
            "text_sha256",
            "language",
            "created_at",
            "updated_at",
            "search_text",
            "revision",
        ),
        [
            (
                i,
                project_ids[i % PROJECTS],
                f"Article {i}",
                "Un texte.",
                f"{i:064x}",
                "fr" if i % 4 else "en",
                NOW,
                NOW,
                "un texte",
                1,
            )
            for i in range(1, ARTICLES + 1)
        ],
    )
    yield (
        "claimant",
        (
            "id",
            "name",
            "folded",
            "kind",
            "description",
            "same_as",
            "version",
            "created_at",
            "updated_at",
        ),
        [
            (
                i,
                f"Claimant {words[100 + i % 5000]} {i}",
                f"claimant {words[100 + i % 5000]} {i}",
                "person",
                "",
                "[]",
                1,
                NOW,
                NOW,
            )
            for i in range(1, CLAIMANTS + 1)
        ],
    )
    start_day = date(2015, 1, 1)
    for start in range(0, claims, BATCH):
        n = min(BATCH, claims - start)
        ids = np.arange(start + 1, start + n + 1)
        texts = _texts(rng, words, n)
        articles = rng.integers(1, ARTICLES + 1, n)
        statuses = rng.choice(STATUSES, n)
        verdicts = rng.choice(KEYS, n)
        claimants = rng.integers(1, CLAIMANTS + 1, n)
        days = rng.integers(0, 4000, n)
        author = users["author"]
        yield (
            "annotation",
            (
                "id",
                "article_id",
                "author_id",
                "start",
                "end",
                "quote",
                "prefix",
                "suffix",
                "claim",
                "claimant",
                "project_id",
                "verdict",
                "rationale",
                "status",
                "version",
                "created_at",
                "updated_at",
                "submitted_at",
                "review_comment",
                "claimant_id",
                "claim_date",
                "anchor",
                "article_revision",
            ),
            [
                (
                    int(i),
                    int(a),
                    author,
                    0,
                    5,
                    "Un te",
                    "",
                    "",
                    t,
                    f"Claimant {int(c)}",
                    project_ids[(int(a) - 1) % PROJECTS],
                    str(v),
                    "",
                    str(s),
                    1,
                    NOW,
                    NOW,
                    NOW,
                    "",
                    int(c),
                    (start_day + timedelta(days=int(d))).isoformat(),
                    "ok",
                    1,
                )
                for i, a, t, s, v, c, d in zip(
                    ids, articles, texts, statuses, verdicts, claimants, days, strict=True
                )
            ],
        )
        yield from _index_rows("annotation", ids, texts, rng, embedder)
    for start in range(0, factchecks, BATCH):
        n = min(BATCH, factchecks - start)
        ids = np.arange(start + 1, start + n + 1)
        texts = _texts(rng, words, n)
        verdicts = rng.choice(KEYS, n)
        days = rng.integers(0, 4000, n)
        yield (
            "factcheck",
            (
                "id",
                "url",
                "claim",
                "claimant",
                "rating",
                "verdict",
                "publisher",
                "language",
                "published_at",
                "created_at",
                "updated_at",
            ),
            [
                (
                    int(i),
                    f"https://archive.example.org/{int(i)}",
                    t,
                    f"Claimant {int(i) % 999}",
                    str(v),
                    str(v),
                    "Archive",
                    "fr" if i % 3 else "en",
                    f"{(start_day + timedelta(days=int(d))).isoformat()} 12:00:00",
                    NOW,
                    NOW,
                )
                for i, t, v, d in zip(ids, texts, verdicts, days, strict=True)
            ],
        )
        yield from _index_rows("factcheck", ids, texts, rng, embedder)


def _index_rows(kind, ids, texts, rng, embedder):
    yield (
        "claim_text",
        ("kind", "ref_id", "text_hash", "norm"),
        [(kind, int(i), "", t) for i, t in zip(ids, texts, strict=True)],
    )
    q8, bits = _vectors(rng, embedder, len(ids))
    yield (
        "claim_vector",
        ("kind", "ref_id", "model", "text_hash", "vector", "bits", "created_at"),
        [(kind, int(i), embedder.name, "", q8[k], bits[k], NOW) for k, i in enumerate(ids)],
    )


def fill(app, claims: int, factchecks: int) -> dict:
    """Generate the data; returns how long each part took."""
    started = time.perf_counter()
    _setup(app)
    rng = np.random.default_rng(SEED)
    with app.app_context():
        postgresql = db.engine.dialect.name == "postgresql"
        raw = db.engine.raw_connection()
        cursor = raw.cursor()
        if postgresql:
            cursor.execute("DROP INDEX IF EXISTS ix_claim_text_fts")
        else:
            cursor.execute("PRAGMA synchronous = OFF")
        for table, columns, rows in _rows(app, claims, factchecks, rng):
            names = ", ".join(f'"{c}"' for c in columns)
            if postgresql:
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in columns)
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
            raw.commit()
        if postgresql:
            cursor.execute(
                "CREATE INDEX ix_claim_text_fts ON claim_text "
                "USING gin (to_tsvector('simple'::regconfig, norm))"
            )
            for table in (
                "article",
                "claimant",
                "annotation",
                "factcheck",
                "claim_text",
                "claim_vector",
            ):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            raw.commit()
        raw.close()
        if postgresql:
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        else:
            with db.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
    return {"fill_s": round(time.perf_counter() - started, 1)}


FILTERS = [
    {"verdict": "false"},
    {"language": "fr", "status": "approved"},
    {"from": "2019-01-01", "to": "2022-12-31"},
    {"project": "desk0", "verdict": "mostly_false"},
    {"kind": "annotation", "order": "date"},
    {"status": "submitted"},
    {"claimant": "claimant"},
    {"verdict": "true", "from": "2020-01-01"},
]


def queries(n: int, rng) -> list[dict]:
    """``n`` searches: 1 or 2 content words (vocabulary ranks 100-3000) and filters."""
    words = _vocabulary(np.random.default_rng(SEED))  # the vocabulary the data was drawn from
    content = [w for w in words[100:3000] if not w.startswith("w")] or words[100:3000]
    found = []
    for k in range(n):
        picked = rng.choice(content, 1 + k % 2, replace=False)
        found.append({"q": " ".join(picked), **FILTERS[k % len(FILTERS)]})
    return found


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[max(0, int(q * len(values) + 0.5) - 1)], 1)


def measure(app, searches: int, repeats: int) -> dict:
    """``searches`` searches of each mode, each run ``repeats`` times in a row: on a shared
    machine a run waits for the CPU as often as it works (the load average is in the
    result), so each search keeps its fastest run (``p95_ms``); the first runs' figures
    (``first_p95_ms``, cold caches included) and the process's CPU time are kept too (on
    PostgreSQL the server's own work is not in this process's CPU time)."""
    rng = np.random.default_rng(3)
    asked = queries(searches, rng)
    result = {}
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.username == "bench"))
        embedder = embedder_for(app.config)
        embedder.embed_queries(["warm up"])
        index = vectors.index_for(
            str(db.engine.url), embedder.name, embedder.dim, centre_of(embedder)
        )
        index.refresh(db.session, force=True)
        for mode in ("words", "semantic"):
            best, firsts, cpus, totals = [], [], [], []
            for k, args in enumerate(asked):
                args = dict(args) | ({"semantic": "1"} if mode == "semantic" else {})
                if mode == "semantic":
                    args["q"] += f" {k}"  # a new text each time
                criteria = search.parse(args)
                runs, cpu_runs = [], []
                for _ in range(repeats):
                    matching._vectors.clear()  # every run embeds its query again
                    started, cpu = time.perf_counter(), time.thread_time()
                    answer = search.run(db.session, user, criteria, config=app.config)
                    runs.append((time.perf_counter() - started) * 1000)
                    cpu_runs.append((time.thread_time() - cpu) * 1000)
                    db.session.rollback()
                best.append(min(runs))
                firsts.append(runs[0])
                cpus.append(min(cpu_runs))
                totals.append(answer["total"])
            result[mode] = {
                "p50_ms": _p(best, 0.5),
                "p95_ms": _p(best, 0.95),
                "max_ms": round(max(best), 1),
                "first_p50_ms": _p(firsts, 0.5),
                "first_p95_ms": _p(firsts, 0.95),
                "cpu_p50_ms": _p(cpus, 0.5),
                "cpu_p95_ms": _p(cpus, 0.95),
                "searches": len(best),
                "repeats": repeats,
                "median_total": int(np.median(totals)),
                "max_total": int(max(totals)),
            }
        result["load_average"] = os.getloadavg()[0]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--factchecks", type=int, default=100_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--keep",
        default=os.path.join(tempfile.gettempdir(), "h3_claims_bench"),
        help="the SQLite file's folder",
    )
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1/factcheck_h3_bench")
    parser.add_argument("--searches", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3, help="runs of each search")
    parser.add_argument("--refill", action="store_true", help="generate even if data is there")
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument("--fill-only", action="store_true", help="generate, do not measure")
    args = parser.parse_args()
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    wanted = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    for dialect in wanted:
        url = f"sqlite:///{args.keep}/claims.db" if dialect == "sqlite" else args.pg_url
        app = make_app(url, f"{args.keep}/instance-{dialect}")
        run = {"claims": args.claims, "factchecks": args.factchecks}
        with app.app_context():
            have = 0
            try:
                have = db.session.execute(text("SELECT count(*) FROM annotation")).scalar()
            except Exception:  # noqa: BLE001 - no schema yet
                db.session.rollback()
        if args.refill or have != args.claims:
            run |= fill(app, args.claims, args.factchecks)
        if args.fill_only:
            print(json.dumps({dialect: run}), flush=True)
            continue
        run |= measure(app, args.searches, args.repeats)
        run["command"] = " ".join(["python", "bench/bench_claim_search.py", *sys.argv[1:]])
        print(json.dumps({dialect: run}, indent=2), flush=True)
        results[dialect] = run
    if not args.no_save:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
