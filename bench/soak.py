"""Soak benchmark (not a test): N simulated users against ``factcheck serve`` on PostgreSQL
for M minutes, mixing annotate, review, export and search.

    python bench/soak.py                          # 50 users, 10 minutes (the target run)
    python bench/soak.py --users 20 --minutes 2   # a shorter run on a shared machine
    make soak                                     # the same as the first line

Reports p50/p99 per action per minute, the error count (5xx, connection failures, and any
answer other than the expected ones), and the RSS of every gunicorn worker at the start,
after the first minute (warm) and at the end. The target: RSS growth from the warm mark
to the end under 10 %. Writes bench/results/soak.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import (  # noqa: E402
    Server,
    fresh_postgres,
    percentile,
    request,
    save_payload,
    setup_database,
)

#: action -> weight in the mix of one simulated user
MIX = {"annotate": 4, "review": 3, "search": 2, "export": 1}
WORDS = ["chômage", "budget", "élection", "climat", "santé", "école", "prix", "emploi"]


class Recorder:
    def __init__(self, started: float):
        self.started = started
        self.lock = threading.Lock()
        self.times: dict[tuple[int, str], list[float]] = defaultdict(list)
        self.errors: dict[tuple[int, str], int] = defaultdict(int)
        self.samples: list[str] = []

    def add(self, action: str, began: float, ok: bool, detail: str = "") -> None:
        """One request that began at ``began`` (counted in the minute it began)."""
        seconds = time.perf_counter() - began
        with self.lock:
            key = (int((began - self.started) // 60), action)
            self.times[key].append(seconds * 1000)
            if not ok:
                self.errors[key] += 1
                if len(self.samples) < 10:
                    self.samples.append(f"{action}: {detail[:200]}")


def timed(rec: Recorder, action: str, conn, method, path, token, body=None, ok=(200, 201)):
    started = time.perf_counter()
    try:
        status, data = request(conn, method, path, token, body)
    except OSError as error:
        rec.add(action, started, False, f"connection: {error}")
        raise
    rec.add(action, started, status in ok, f"{status} {data[:150]!r}")
    return status, data


def simulated_user(number, server, tokens, articles, texts, deadline, rec: Recorder) -> None:
    rng = random.Random(number)
    conn = server.connection()
    actions, weights = zip(*MIX.items(), strict=True)
    while time.perf_counter() < deadline:
        action = rng.choices(actions, weights)[0]
        try:
            if action == "annotate":
                article = rng.choice(articles)
                body = save_payload(texts[article]) | {"status": "submitted"}
                path = f"/api/v1/articles/{article}/annotations"
                timed(rec, action, conn, "POST", path, tokens["annotator"], body)
            elif action == "review":
                token = tokens["reviewer" if number % 2 else "reviewer2"]
                status, data = timed(rec, action, conn, "GET", "/api/v1/review/next", token)
                item = json.loads(data).get("item") if status == 200 else None
                if item:
                    decision = rng.choice(["approve", "approve", "reject"])
                    body = {"decision": decision, "version": item["version"], "comment": "Non."}
                    path = f"/api/v1/annotations/{item['id']}/review"
                    # 409: another reviewer decided first, a normal answer under load
                    timed(rec, action, conn, "POST", path, token, body, ok=(200, 409))
            elif action == "search":
                path = f"/api/v1/articles?q={quote(rng.choice(WORDS))}&per_page=20"
                timed(rec, action, conn, "GET", path, tokens["annotator"])
            else:
                path = f"/api/v1/export.csv?status=all&article={rng.choice(articles)}"
                timed(rec, action, conn, "GET", path, tokens["reviewer"])
        except OSError:
            conn.close()
            conn = server.connection()
        time.sleep(rng.uniform(0.2, 1.0))  # a person reads before the next action
    conn.close()


def article_texts(url: str, ids: list[int]) -> dict[int, str]:
    from sqlalchemy import create_engine, text

    from factcheck.config import normalize_database_url

    engine = create_engine(normalize_database_url(url))
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id, text FROM article WHERE id = ANY(:ids)"), {"ids": ids}
        ).all()
    engine.dispose()
    return dict(rows)


def report(rec: Recorder, rss: dict, args) -> dict:
    minutes = sorted({m for m, _ in rec.times})
    print(f"\n{'minute':>6}  {'action':<9} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}")
    table = []
    for minute in minutes:
        for action in MIX:
            values = rec.times.get((minute, action), [])
            if not values:
                continue
            row = {
                "minute": minute + 1,
                "action": action,
                "n": len(values),
                "p50_ms": round(percentile(values, 50), 1),
                "p99_ms": round(percentile(values, 99), 1),
                "errors": rec.errors.get((minute, action), 0),
            }
            table.append(row)
            print(
                f"{row['minute']:>6}  {action:<9} {row['n']:>6} {row['p50_ms']:>8} "
                f"{row['p99_ms']:>8} {row['errors']:>6}"
            )
    errors = sum(rec.errors.values())
    warm, end = sum(rss["warm"]), sum(rss["end"])
    growth = (end - warm) / warm * 100 if warm else 0.0
    print(f"\nrequests: {sum(len(v) for v in rec.times.values())}, errors: {errors}")
    for sample in rec.samples:
        print(f"  e.g. {sample}")
    for mark in ("start", "warm", "end"):
        print(f"worker RSS {mark:<5}: " + ", ".join(f"{v:.1f}" for v in rss[mark]) + " MB")
    verdict = "OK" if growth < 10 else "OVER TARGET"
    print(f"RSS growth warm → end: {growth:+.1f} % (target < 10 %): {verdict}")
    return {
        "users": args.users,
        "minutes": args.minutes,
        "workers": args.workers,
        "table": table,
        "errors": errors,
        "rss_mb": rss,
        "rss_growth_percent": round(growth, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--annotations", type=int, default=5000)
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a fresh database)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "soak.json"))
    args = parser.parse_args()

    import tempfile

    workdir = Path(tempfile.mkdtemp(prefix="factcheck-soak-"))
    url = args.database_url or fresh_postgres("factcheck_soak")
    env, ids, tokens = setup_database(
        workdir, url, articles=args.articles, annotations=args.annotations
    )
    texts = article_texts(url, ids["articles"])
    server = Server(env, workers=args.workers)
    try:
        rss = {"start": server.workers_rss()}
        started = time.perf_counter()
        deadline = started + args.minutes * 60
        rec = Recorder(started)
        users = [
            threading.Thread(
                target=simulated_user,
                args=(n, server, tokens, ids["articles"], texts, deadline, rec),
                daemon=True,
            )
            for n in range(args.users)
        ]
        for user in users:
            user.start()
        warm_at = started + min(60.0, args.minutes * 60 / 2)
        time.sleep(max(0.0, warm_at - time.perf_counter()))
        rss["warm"] = server.workers_rss()
        for user in users:
            user.join()
        rss["end"] = server.workers_rss()
    finally:
        server.stop()
    result = report(rec, rss, args)
    result["command"] = " ".join(sys.argv)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwritten to {args.out}; server log in {workdir}/server.log")
    return 0 if result["errors"] == 0 and result["rss_growth_percent"] < 10 else 1


if __name__ == "__main__":
    raise SystemExit(main())
