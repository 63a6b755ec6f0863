"""Benchmark `factcheck import-claimreview` on SQLite while another writer keeps writing.

    .venv/bin/python bench/bench_import_claimreview.py            # 46,082 records, ~20 MB
    .venv/bin/python bench/bench_import_claimreview.py --records 5000 --src /old/checkout

Two archives of the same size, each imported into a fresh database (schema from the
models, default verdicts) through the CLI command, in this process:

- ``copies``: 46,082 copies of one record (issue 24: 252 s, and other writers refused);
- ``distinct``: 46,082 different records (as many rows to write).

Meanwhile a second connection (the app's busy timeout, 10 s) writes one row every 20 ms,
as a reviewer's decisions would. Measured: the import's wall time; every transaction that
holds SQLite's write lock (BEGIN IMMEDIATE, or any that writes): how many, the longest,
the total; and the other writer's writes done, refused ("database is locked") and its
longest wait. ``--src`` imports the factcheck package from another checkout (the code
before a change, for comparison).

Prints a table and writes flat JSON to ``bench/results/import_claimreview.json``
(``import_claimreview_before.json``: the code before issue 24, with ``--src``).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUSY_TIMEOUT_MS = 10_000
#: one ClaimReview as newsrooms publish them: 434 bytes a line, as in the report (20 MB for
#: 46,082 copies)
RECORD = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "datePublished": "2024-03-12",
    "url": "https://fact.example.org/2024/03/chomage",
    "claimReviewed": "Le chômage a baissé de 10 % en 1 an.",
    "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Le ministre"}},
    "author": {"@type": "Organization", "name": "Vérif"},
    "reviewRating": {"@type": "Rating", "alternateName": "Plutôt faux"},
    "inLanguage": "fr",
}


def archive(path: Path, records: int, distinct: bool) -> int:
    """Write the archive (a JSON array, a record a line); its size in bytes."""
    with path.open("w", encoding="utf-8") as out:
        out.write("[\n")
        for n in range(records):
            record = dict(RECORD, url=f"{RECORD['url']}-{n}") if distinct else RECORD
            text = json.dumps(record, ensure_ascii=False)
            out.write(text + (",\n" if n < records - 1 else "\n"))
        out.write("]\n")
    return path.stat().st_size


class WriteLocks:
    """Engine events: how long each transaction that holds SQLite's write lock lasts."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.durations: list[float] = []
        self._open: dict[int, list] = {}  # connection -> [started, writes]
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)

    def _begin(self, conn):
        self._open[id(conn)] = [time.perf_counter(), False]

    def _statement(self, conn, _cursor, statement, *_args):
        words = statement.lstrip()[:16].upper()
        if words.startswith(("INSERT", "UPDATE", "DELETE", "BEGIN IMMEDIATE")):
            if id(conn) in self._open:
                self._open[id(conn)][1] = True

    def _end(self, conn):
        started, wrote = self._open.pop(id(conn), (None, False))
        if started is not None and wrote:
            self.durations.append(time.perf_counter() - started)


class OtherWriter(threading.Thread):
    """Another process's writes (a reviewer's decisions): one short transaction a tick."""

    def __init__(self, db_path: Path, every: float = 0.02):
        super().__init__(daemon=True)
        self.db_path, self.every = db_path, every
        self.done = self.refused = 0
        self.waits: list[float] = []
        self.stop = threading.Event()

    def run(self):
        con = sqlite3.connect(self.db_path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        con.execute("CREATE TABLE IF NOT EXISTS bench_other (at REAL)")
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                con.execute("BEGIN IMMEDIATE")
                con.execute("INSERT INTO bench_other (at) VALUES (?)", (started,))
                con.execute("COMMIT")
                self.done += 1
            except sqlite3.OperationalError:
                self.refused += 1
            self.waits.append(time.perf_counter() - started)
            time.sleep(self.every)
        con.close()


def measure(workdir: Path, records: int, distinct: bool) -> dict:
    from factcheck import create_app
    from factcheck.extensions import db
    from factcheck.services.verdicts import ensure_default_scale

    db_path = workdir / "bench.db"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "MATCHING_MODEL": "",
            "SQLITE_BUSY_TIMEOUT_MS": BUSY_TIMEOUT_MS,
        }
    )
    with app.app_context():
        db.create_all()
        ensure_default_scale(db.session)
        db.session.commit()
        locks = WriteLocks(db.engine)
    source = workdir / "archive.json"
    size = archive(source, records, distinct)
    other = OtherWriter(db_path)
    other.start()
    time.sleep(0.2)
    from factcheck.database import write_intent

    write_intent.set(True)  # as the `factcheck` group does for every command (cli/__init__.py)
    started = time.perf_counter()
    result = app.test_cli_runner().invoke(args=["import-claimreview", "--no-index", str(source)])
    elapsed = time.perf_counter() - started
    time.sleep(0.2)
    other.stop.set()
    other.join()
    if result.exit_code != 0:
        raise RuntimeError(f"{result.output[-2000:]}{result.exception!r}")
    with app.app_context():
        db.engine.dispose()
    return {
        "records": records,
        "mb": round(size / 1e6, 1),
        "seconds": round(elapsed, 2),
        "records_per_s": round(records / elapsed),
        "write_transactions": len(locks.durations),
        "longest_write_ms": round(max(locks.durations, default=0) * 1000, 1),
        "write_total_ms": round(sum(locks.durations) * 1000, 1),
        "other_writes": other.done,
        "other_refused": other.refused,
        "other_longest_wait_ms": round(max(other.waits, default=0) * 1000, 1),
        "report": result.output.strip().splitlines()[-1],
    }


ARCHIVES = {"copies": False, "distinct": True}


def run(records: int, workdir: Path, only: tuple[str, ...] = tuple(ARCHIVES)) -> dict:
    flat = {}
    for name in only:
        distinct = ARCHIVES[name]
        folder = workdir / name
        folder.mkdir(parents=True, exist_ok=True)
        for key, value in measure(folder, records, distinct).items():
            flat[f"{name}.{key}"] = value
    return flat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=46_082)
    parser.add_argument("--src", type=Path, default=ROOT, help="the checkout to measure")
    parser.add_argument("--only", choices=sorted(ARCHIVES), help="one of the two archives")
    parser.add_argument(
        "--json", type=Path, default=ROOT / "bench" / "results" / "import_claimreview.json"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(args.src.resolve()))
    os.environ.setdefault("FACTCHECK_INSTANCE_PATH", tempfile.mkdtemp(prefix="fc-bench-"))
    with tempfile.TemporaryDirectory(prefix="fc-bench-import-") as tmp:
        only = (args.only,) if args.only else tuple(ARCHIVES)
        flat = {"src": str(args.src), **run(args.records, Path(tmp), only)}
    flat["load_average"] = round(os.getloadavg()[0], 1)  # a shared machine: how busy it was
    width = max(map(len, flat))
    for key, value in flat.items():
        print(f"{key:<{width}}  {value}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(flat, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
