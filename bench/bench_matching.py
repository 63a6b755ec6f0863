"""Claim matching ("Checked before?"): quality on our French/English development set and
speed at scale. ``python bench/bench_matching.py [--vectors 250000]``.

Quality: every target and distractor of bench/data/matching_dev.json is indexed as a past
fact-check (with the real model), each query is searched through the service, and we report
success@1, success@10 and MRR per category (the target's rank; distractors differ by
polarity, number or topic detail).

Speed: ``--vectors`` synthetic vectors (random unit vectors, int8 + sign bits, as the
indexer stores them) in a fresh SQLite database; a worker's first refresh, then the p50/p95
of a whole search (query embedding included), and the worker's RSS growth. Backfill: real
claims embedded and stored per second.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factcheck import create_app  # noqa: E402
from factcheck.extensions import db  # noqa: E402
from factcheck.models import ClaimVector, FactCheck, User  # noqa: E402
from factcheck.services import matching  # noqa: E402
from factcheck.services.matching import embedder_for, indexer, vectors  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def make_app(tmp: str):
    os.makedirs(tmp, exist_ok=True)
    os.environ["FACTCHECK_INSTANCE_PATH"] = tmp
    app = create_app(
        {
            "SECRET_KEY": "bench-secret-key-long-enough-0123456789",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
            "MATCHING_BACKGROUND": False,
        }
    )
    with app.app_context():
        db.create_all()
        db.session.add(User(username="bench", password_hash="x"))
        db.session.commit()
    return app


def quality(app) -> dict:
    cases = json.loads((ROOT / "bench" / "data" / "matching_dev.json").read_text())
    with app.app_context():
        urls = {}
        for i, case in enumerate(cases):
            for j, text in enumerate([case["target"], *case["distractors"]]):
                url = f"https://dev.example.org/{i}/{j}"
                db.session.add(FactCheck(url=url, claim=text))
                urls[(i, j)] = url
        db.session.commit()
        started = time.perf_counter()
        n = indexer.index_now(db.session, embedder_for(app.config, role="indexer"))
        backfill = n / (time.perf_counter() - started)
        user = db.session.query(User).first()
        per: dict[str, list[int | None]] = {}
        for i, case in enumerate(cases):
            answer = matching.similar(db.session, user, case["query"], config=app.config, limit=10)
            ranks = [k for k, item in enumerate(answer["items"], 1) if item["url"] == urls[(i, 0)]]
            per.setdefault(case["category"], []).append(ranks[0] if ranks else None)
            per.setdefault("all", []).append(ranks[0] if ranks else None)
    table = {}
    for category, ranks in per.items():
        table[category] = {
            "n": len(ranks),
            "success@1": sum(r == 1 for r in ranks if r) / len(ranks),
            "success@10": sum(1 for r in ranks if r) / len(ranks),
            "mrr": sum(1 / r for r in ranks if r) / len(ranks),
        }
    return {"quality": table, "backfill_claims_per_s": backfill}


def speed(app, count: int, searches: int = 60) -> dict:
    rng = np.random.default_rng(7)
    with app.app_context():
        embedder = embedder_for(app.config)
        dim, name = embedder.dim, embedder.name
        conn = db.engine.raw_connection()
        cursor = conn.cursor()
        for start in range(0, count, 20_000):
            n = min(20_000, count - start)
            block = rng.standard_normal((n, dim)).astype(np.float32)
            block /= np.linalg.norm(block, axis=1, keepdims=True)
            q8, bits = vectors.quantize(block)
            cursor.executemany(
                "INSERT INTO claim_vector (kind, ref_id, model, text_hash, vector, bits, "
                "created_at) VALUES ('factcheck', ?, ?, '', ?, ?, '2026-01-01 00:00:00')",
                [(start + k + 1, name, q8[k], bits[k]) for k in range(n)],
            )
        conn.commit()
        conn.close()
        db.session.rollback()  # a fresh snapshot that sees the rows
        embedder.embed_queries(["warm up"])
        before = rss_mb()
        index = vectors.index_for(str(db.engine.url), name, dim)
        started = time.perf_counter()
        index.refresh(db.session, force=True)
        first_load = time.perf_counter() - started
        texts = [f"Le chômage a baissé de {k} % en {2000 + k}" for k in range(searches)]
        times = []
        for text in texts:
            started = time.perf_counter()
            vector = embedder.embed_queries([text])[0]
            index.search(db.session, vector)
            times.append((time.perf_counter() - started) * 1000)
        growth = rss_mb() - before
        assert db.session.query(ClaimVector).count() == count
    times.sort()
    return {
        "vectors": count,
        "first_refresh_s": first_load,
        "similar_p50_ms": statistics.median(times),
        "similar_p95_ms": times[int(0.95 * len(times)) - 1],
        "worker_rss_growth_mb": growth,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", type=int, default=250_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = quality(make_app(tmp + "/q"))
    with tempfile.TemporaryDirectory() as tmp:
        results["speed"] = speed(make_app(tmp + "/s"), args.vectors)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
