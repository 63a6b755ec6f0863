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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factcheck import create_app  # noqa: E402
from factcheck.extensions import db  # noqa: E402
from factcheck.models import FactCheck, User  # noqa: E402
from factcheck.services import matching  # noqa: E402
from factcheck.services.matching import embedder_for, indexer, vectors  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def make_app(tmp: str, create: bool = True):
    os.makedirs(tmp, exist_ok=True)
    os.environ["FACTCHECK_INSTANCE_PATH"] = tmp
    app = create_app(
        {
            "SECRET_KEY": "bench-secret-key-long-enough-0123456789",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
            "MATCHING_BACKGROUND": False,
        }
    )
    if create:
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
        indexer.index_now(db.session, embedder_for(app.config, role="indexer"))
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
            "success@1": round(sum(r == 1 for r in ranks if r) / len(ranks), 3),
            "success@10": round(sum(1 for r in ranks if r) / len(ranks), 3),
            "mrr": round(sum(1 / r for r in ranks if r) / len(ranks), 3),
        }
    return {"quality": table}


def backfill(app, count: int = 256) -> float:
    """Claims embedded and stored per second (the indexer's work on new claims)."""
    cases = json.loads((ROOT / "bench" / "data" / "matching_dev.json").read_text())
    texts = [c["query"] for c in cases] + [c["target"] for c in cases]
    with app.app_context():
        for k in range(count):
            text = f"{texts[k % len(texts)]} ({k})"
            db.session.add(FactCheck(url=f"https://backfill.example.org/{k}", claim=text))
        db.session.commit()
        embedder = embedder_for(app.config, role="indexer")
        embedder.embed_passages(["warm up"])
        started = time.perf_counter()
        done = indexer.index_now(db.session, embedder)
        return done / (time.perf_counter() - started)


def fill(app, count: int) -> str:
    """``count`` synthetic vectors stored as the indexer stores them; returns the db URL."""
    rng = np.random.default_rng(7)
    with app.app_context():
        embedder = embedder_for(app.config)
        conn = db.engine.raw_connection()
        cursor = conn.cursor()
        for start in range(0, count, 20_000):
            n = min(20_000, count - start)
            block = rng.standard_normal((n, embedder.dim)).astype(np.float32)
            block /= np.linalg.norm(block, axis=1, keepdims=True)
            q8, bits = vectors.quantize(block)
            cursor.executemany(
                "INSERT INTO claim_vector (kind, ref_id, model, text_hash, vector, bits, "
                "created_at) VALUES ('factcheck', ?, ?, '', ?, ?, '2026-01-01 00:00:00')",
                [(start + k + 1, embedder.name, q8[k], bits[k]) for k in range(n)],
            )
        conn.commit()
        conn.close()
        return str(db.engine.url)


def measure(instance: str, searches: int) -> dict:
    """In a fresh process (a worker): RSS growth of the index, latency of a search."""
    app = make_app(instance, create=False)
    with app.app_context():
        embedder = embedder_for(app.config)
        embedder.embed_queries(["warm up"])  # the model is loaded: its cost is not the index's
        before = rss_mb()
        index = vectors.index_for(str(db.engine.url), embedder.name, embedder.dim)
        started = time.perf_counter()
        index.refresh(db.session, force=True)
        first_load = time.perf_counter() - started
        totals, embeds = [], []
        for k in range(searches):
            started = time.perf_counter()
            vector = embedder.embed_queries([f"Le chômage a baissé de {k} % en {1990 + k}"])[0]
            embedded = time.perf_counter()
            index.search(db.session, vector)
            totals.append((time.perf_counter() - started) * 1000)
            embeds.append((embedded - started) * 1000)
        growth = rss_mb() - before
    totals.sort()
    return {
        "vectors": index.size,
        "first_refresh_s": round(first_load, 2),
        "similar_p50_ms": round(statistics.median(totals), 1),
        "similar_p95_ms": round(totals[int(0.95 * len(totals)) - 1], 1),
        "query_embedding_p50_ms": round(statistics.median(embeds), 1),
        "worker_rss_growth_mb": round(growth, 1),
        "load_average": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", type=int, default=250_000)
    parser.add_argument("--searches", type=int, default=60)
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the worker process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.searches)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        results = quality(make_app(tmp + "/q"))
    with tempfile.TemporaryDirectory() as tmp:
        results["backfill_claims_per_s"] = round(backfill(make_app(tmp + "/b")), 1)
    with tempfile.TemporaryDirectory() as tmp:
        fill(make_app(tmp + "/s"), args.vectors)
        worker = subprocess.run(
            [sys.executable, __file__, "--measure", tmp + "/s", "--searches", str(args.searches)],
            capture_output=True,
            text=True,
            check=True,
        )
        results["speed"] = json.loads(worker.stdout.strip().splitlines()[-1])
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
