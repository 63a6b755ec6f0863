"""Claimant suggestions at scale (issue 26: p95 ≤ 30 ms at 100,000 claimants).

    python bench/bench_claimant_suggest.py [--claimants 100000] [--aliases 30000]
        [--database-url postgresql://…] [--rounds 200] [--out bench/results/claimant_suggest.json]

Builds ``--claimants`` claimants with French-looking names ("Hélène Marchetti, adjointe
au maire de Valbonne"), a share of them with aliases, and 1 % merged away, by bulk insert
on a fresh database (SQLite in a temporary folder by default; ``--database-url`` names
another, whose tables are dropped and created), fills ``claimant_word``
(``claimants.reindex_all``, timed), then times ``claimants.suggest()`` (the service the
API calls; the whole call: both tiers, loading the claimants and their aliases) for a
few typed prefixes, ``--rounds`` times each; the very first call (cold caches) is timed
apart. Nothing is held in the process between calls: every call reads the database. It
prints p50/p95 per prefix and over all, wall clock and this thread's CPU time (on a
machine shared with other work the wall clock waits for the CPU; on PostgreSQL the
server's CPU is not in it), with the load average. ``--out`` merges the figures into a
JSON file under a key for the database (``sqlite``, ``postgresql``).

The prefixes cover both tiers: common name starts (the indexed ranges answer), words
inside names ("mair", "adjointe au": ``claimant_word`` answers) and two that match nothing.
``--explain`` prints the database's plan of the words query for one prefix.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from factcheck import create_app  # noqa: E402
from factcheck.extensions import db  # noqa: E402
from factcheck.models import Claimant, ClaimantAlias, utcnow  # noqa: E402
from factcheck.services import claimants  # noqa: E402

FIRST = (
    "Jean Marie Sophie Pierre Anne Luc Paul Claire Élodie Hélène François Zoé Amélie "
    "Jérôme Gaëlle Noël Benoît Cécile Étienne Inès Karim Nadia Yasmine Thomas Julie"
).split()
ROLES = (
    "",
    "",
    ", maire de {}",
    ", député de {}",
    ", ministre",
    ", porte-parole de {}",
    ", adjointe au maire de {}",
    ", sénateur de {}",
)
ORGANIZATIONS = ("Ministère de {}", "Mairie de {}", "Association {}", "Syndicat {}")
PREFIXES = ("jean", "hel", "mair", "le mair", "adjointe au", "ministere de", "qzx", "zzyzx")


def _word(rng: random.Random) -> str:
    sounds = [
        rng.choice("bcdfglmnprstvz") + rng.choice("aeiouéèa") for _ in range(rng.randint(2, 4))
    ]
    return "".join(sounds).capitalize()


def build(count: int, aliases: int, seed: int = 26) -> float:
    """The claimants, their aliases and merges; returns the seconds ``claimant_word``'s
    filling took."""
    rng = random.Random(seed)
    places = [_word(rng) for _ in range(3000)]
    surnames = [_word(rng) for _ in range(20000)]
    now = utcnow()
    rows = []
    for _ in range(count):
        if rng.random() < 0.1:
            name = rng.choice(ORGANIZATIONS).format(rng.choice(places))
            kind = "organization"
        else:
            name = f"{rng.choice(FIRST)} {rng.choice(surnames)}"
            name += rng.choice(ROLES).format(rng.choice(places))
            kind = "person"
        rows.append(
            {
                "name": name,
                "folded": claimants.folded(name),
                "kind": kind,
                "description": "",
                "same_as": [],
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    for start in range(0, len(rows), 10000):
        db.session.execute(Claimant.__table__.insert(), rows[start : start + 10000])
    ids = list(db.session.scalars(db.select(Claimant.id).order_by(Claimant.id)))
    alias_rows = []
    for claimant_id in rng.sample(ids, min(aliases, len(ids))):
        alias = (
            rng.choice(["Le maire", "La ministre", "Le porte-parole", "M."])
            + " "
            + rng.choice(surnames)
        )
        alias_rows.append(
            {"claimant_id": claimant_id, "alias": alias, "folded": claimants.folded(alias)}
        )
    db.session.execute(ClaimantAlias.__table__.insert(), alias_rows)
    merged = rng.sample(ids, len(ids) // 100)
    for claimant_id in merged:
        db.session.execute(
            Claimant.__table__.update()
            .where(Claimant.id == claimant_id)
            .values(merged_into_id=ids[0] if claimant_id != ids[0] else ids[1])
        )
    db.session.commit()
    started = time.perf_counter()
    with db.engine.begin() as conn:
        claimants.reindex_all(conn)
    words_s = time.perf_counter() - started
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE claimant")
            conn.exec_driver_sql("VACUUM ANALYZE claimant_alias")
            conn.exec_driver_sql("VACUUM ANALYZE claimant_word")
    else:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    return words_s


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def cold_start() -> dict:
    """The first suggestion after the build (the database's caches as the load left them),
    in ms: there is nothing else to warm."""
    started = time.perf_counter()
    claimants.suggest(db.session, "adjointe au")  # a word inside names: claimant_word
    first = time.perf_counter() - started
    db.session.rollback()
    return {"first_call_ms": round(first * 1000, 1)}


def explain(prefix: str) -> None:
    """The plans of the statements one suggestion runs (EXPLAIN QUERY PLAN on SQLite)."""
    statements = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    claimants.suggest(db.session, prefix)
    event.remove(db.engine, "before_cursor_execute", keep)
    db.session.rollback()
    sqlite = db.engine.dialect.name == "sqlite"
    with db.engine.connect() as conn:
        for statement, parameters in statements:
            if "claimant_word" not in statement:
                continue
            print(statement)
            how = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ANALYZE "
            for row in conn.exec_driver_sql(how + statement, parameters):
                print("   ", row[-1] if sqlite else row[0])


def measure(rounds: int) -> dict:
    cold = cold_start()
    per_prefix = {}
    every, every_cpu = [], []
    for prefix in PREFIXES:
        claimants.suggest(db.session, prefix)  # warm the caches once
        db.session.rollback()
        times, cpu = [], []
        for _ in range(rounds):
            started, started_cpu = time.perf_counter(), time.thread_time()
            found = claimants.suggest(db.session, prefix)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
            db.session.rollback()  # a request's session ends: nothing cached across calls
        every.extend(times)
        every_cpu.extend(cpu)
        per_prefix[prefix] = {
            "found": len(found),
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(percentile(times, 0.95), 2),
            "max_ms": round(max(times), 2),
            "cpu_p95_ms": round(percentile(cpu, 0.95), 2),
        }
    return {
        "cold_start": cold,
        "p50_ms": round(statistics.median(every), 2),
        "p95_ms": round(percentile(every, 0.95), 2),
        "cpu_p95_ms": round(percentile(every_cpu, 0.95), 2),
        "prefixes": per_prefix,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claimants", type=int, default=100_000)
    parser.add_argument("--aliases", type=int, default=30_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--out", default=None)
    parser.add_argument("--explain", default=None, metavar="PREFIX")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": secrets.token_urlsafe(48),
                "SQLALCHEMY_DATABASE_URI": url,
                "MATCHING_MODEL": "",
            }
        )
        with app.app_context():
            db.drop_all()
            db.create_all()
            started = time.perf_counter()
            words_s = build(args.claimants, args.aliases)
            built = time.perf_counter() - started
            if args.explain:
                explain(args.explain)
            load_before = os.getloadavg()[0]
            figures = measure(args.rounds)
            load_after = os.getloadavg()[0]
            dialect = db.engine.dialect.name
            db.drop_all()
    figures.update(
        {
            "claimants": args.claimants,
            "aliases": args.aliases,
            "rounds": args.rounds,
            "built_s": round(built, 1),
            "claimant_word_filled_s": round(words_s, 1),
            "load_average": [round(load_before, 2), round(load_after, 2)],
            "cores": os.cpu_count(),
            "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "command": "python bench/bench_claimant_suggest.py"
            + (" --database-url postgresql://…" if dialect == "postgresql" else ""),
        }
    )
    print(
        f"{args.claimants} claimants, {args.aliases} aliases on {dialect} (built in {built:.0f} s)"
    )
    for prefix, found in figures["prefixes"].items():
        print(
            f"  {prefix!r:16} found {found['found']:2}  p50 {found['p50_ms']:6.2f} ms  "
            f"p95 {found['p95_ms']:6.2f} ms  max {found['max_ms']:6.2f} ms  "
            f"(this process's CPU: p95 {found['cpu_p95_ms']:6.2f} ms)"
        )
    print(
        f"all prefixes: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms "
        f"(CPU of this process: p95 {figures['cpu_p95_ms']} ms)"
    )
    cold = figures["cold_start"]
    print(
        f"the first suggestion after the build: {cold['first_call_ms']} ms; "
        f"claimant_word filled in {words_s:.1f} s"
    )
    print(f"load average {load_before:.2f} → {load_after:.2f} on {os.cpu_count()} cores")
    if args.out:
        path = Path(args.out)
        stored = json.loads(path.read_text()) if path.exists() else {}
        stored[dialect] = figures
        path.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
