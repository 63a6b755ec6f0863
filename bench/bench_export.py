"""Benchmark `factcheck export` on SQLite against a plain `sqlite3 -csv` dump.

    /work/venv/bin/python bench/bench_export.py --rows 1000000

Builds a fresh SQLite database (schema from the models, default verdicts), inserts N
approved annotations with two sources each across 1,000 articles (raw executemany;
deterministic text with accents and emoji), then, in the same run:

- times ``factcheck export -o FILE`` as a subprocess (wall time → rows/s; CPU seconds
  and peak RSS of that child from ``getrusage(RUSAGE_CHILDREN)``: on a busy machine the
  CPU seconds compare two runs better than the wall time);
- times ``sqlite3 -csv`` dumping the same join (sources through group_concat).

Prints a table and writes flat JSON to ``bench/results/export.json``. The lead's harness
calls ``run(rows, workdir)``. Targets: ≥ 200,000 rows/s, peak RSS < 150 MB, within 3× of
the sqlite3 dump.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 1000
SECRET = secrets.token_urlsafe(48)  # a made-up key is refused
STAMP = "2026-11-25 10:04:05.123456"  # SQLAlchemy's SQLite DATETIME text (naive UTC)

PARAGRAPH = (
    "Le ministre a déclaré : « La dette publique a reculé de 3 % cette année. » 📉 "
    "Selon l'Insee, elle est passée de 112,5 % à 110,6 % du PIB ; un économiste "
    "rappelle que « ça dépend de l'année de référence ». Noël approche, l'été est loin. "
)


def build(db_path: Path, rows: int) -> None:
    """Schema through the app's models, then raw inserts (fast: one transaction)."""
    sys.path.insert(0, str(ROOT))
    from factcheck import create_app
    from factcheck.extensions import db
    from factcheck.services.verdicts import ensure_default_scale

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "SECRET_KEY": SECRET})
    with app.app_context():
        db.create_all()
        ensure_default_scale(db.session)
        db.session.commit()
        db.engine.dispose()

    con = sqlite3.connect(db_path, isolation_level=None)
    con.execute("PRAGMA synchronous = OFF")
    con.execute("BEGIN")
    _insert(con, rows)
    con.execute("COMMIT")
    con.execute("ANALYZE")
    con.close()


def _insert(con: sqlite3.Connection, rows: int) -> None:
    con.executemany(
        "INSERT INTO user_account (id, username, display_name, password_hash, active,"
        " session_token, created_at) VALUES (?, ?, ?, 'x', 1, ?, ?)",
        [
            (1, "annotatrice", "Anne Annotatrice", "t1", STAMP),
            (2, "relecteur", "Rémi", "t2", STAMP),
        ],
    )
    text = PARAGRAPH * 8
    con.executemany(
        "INSERT INTO article (id, title, text, url, language, external_id, text_sha256,"
        " created_at, updated_at, project_id, search_text) VALUES (?, ?, ?, ?, 'fr', ?, 'x',"
        " ?, ?, (SELECT min(id) FROM project), '')",
        (
            (
                i,
                f"Article nº {i} : la dette, l'été 🌞",
                text,
                f"https://news.example/a/{i}",
                f"ext-{i}",
                STAMP,
                STAMP,
            )
            for i in range(1, ARTICLES + 1)
        ),
    )
    spans = [(s, s + 60) for s in range(0, len(PARAGRAPH) * 7, 37)]
    verdicts = ["false", "mostly_false", "mixed", "true", "misleading"]

    def annotations():
        for i in range(1, rows + 1):
            start, end = spans[i % len(spans)]
            yield (
                i,
                1 + i % ARTICLES,
                1,
                start,
                end,
                text[start:end],
                text[max(0, start - 32) : start],
                text[end : end + 32],
                f"La dette publique a reculé de {i % 97} % « cette année » — n° {i}.",
                "Élisabeth Borne" if i % 2 else "Ministère de l'Économie",
                verdicts[i % len(verdicts)],
                "Les chiffres de l'Insee montrent l'inverse ; voir « Comptes nationaux ». ✅",
                STAMP,
                STAMP,
                STAMP,
                STAMP,
                "Vérifié, très clair.",
            )

    con.executemany(
        'INSERT INTO annotation (id, article_id, author_id, start, "end", quote, prefix, suffix,'
        " claim, claimant, verdict, rationale, status, version, created_at, updated_at,"
        " submitted_at, reviewed_at, reviewer_id, review_comment, project_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'approved', 2, ?, ?, ?, ?, 2, ?,"
        " (SELECT min(id) FROM project))",
        annotations(),
    )
    con.executemany(
        "INSERT INTO source (annotation_id, position, url, title, note) VALUES (?, ?, ?, ?, '')",
        (
            (i, p, f"https://www.insee.fr/fr/statistiques/{i}-{p}", f"Insee {p}")
            for i in range(1, rows + 1)
            for p in (0, 1)
        ),
    )


DUMP_SQL = """
SELECT a.id, a.status, a.article_id, ar.external_id, ar.title, ar.url, a.start, a."end",
       a.quote, a.claim, a.claimant, a.verdict, v.label, a.rationale,
       (SELECT group_concat(url, ' ') FROM source s WHERE s.annotation_id = a.id),
       u.username, r.username, a.created_at, a.submitted_at, a.reviewed_at, a.review_comment
FROM annotation a
JOIN article ar ON ar.id = a.article_id
JOIN user_account u ON u.id = a.author_id
LEFT JOIN user_account r ON r.id = a.reviewer_id
LEFT JOIN verdict v ON v.key = a.verdict
WHERE a.status = 'approved'
ORDER BY a.id;
"""


def time_export(db_path: Path, workdir: Path) -> tuple[float, float, float, Path]:
    out = workdir / "export.csv"
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{db_path}",
        FACTCHECK_INSTANCE_PATH=str(workdir / "instance"),
        FACTCHECK_SECRET_KEY=SECRET,
        PYTHONPATH=str(ROOT),
    )
    # a fresh parent whose only child is the export: RUSAGE_CHILDREN then measures the
    # export alone, not whatever else this process ran before (imports, other benches)
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, stderr=subprocess.DEVNULL); "
        "r = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(time.perf_counter() - t, r.ru_utime + r.ru_stime, r.ru_maxrss)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, sys.executable, "-m", "factcheck", "export", "-o", str(out)],
        check=True,
        env=env,
        cwd=workdir,
        capture_output=True,
        text=True,
    )
    seconds_text, cpu_text, peak_text = result.stdout.split()
    seconds, peak_kb = float(seconds_text), int(peak_text)
    return seconds, float(cpu_text), peak_kb / 1024, out


def time_dump(db_path: Path, workdir: Path) -> float:
    sqlite = shutil.which("sqlite3")
    if not sqlite:
        raise SystemExit("the sqlite3 command-line tool is needed for the comparison")
    out = workdir / "dump.csv"
    started = time.perf_counter()
    with out.open("wb") as fh:
        subprocess.run([sqlite, "-csv", "-header", str(db_path), DUMP_SQL], check=True, stdout=fh)
    return time.perf_counter() - started


def run(rows: int, workdir: Path) -> dict:
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    db_path = workdir / "export-bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    build(db_path, rows)
    build_s = time.perf_counter() - started
    export_s, cpu_s, peak_mb, out = time_export(db_path, workdir)
    with out.open(encoding="utf-8", newline="") as fh:
        lines = sum(1 for _ in __import__("csv").reader(fh)) - 1
    if lines != rows:
        raise SystemExit(f"export wrote {lines} rows, expected {rows}")
    dump_s = time_dump(db_path, workdir)
    return {
        "rows": rows,
        "build_s": round(build_s, 2),
        "export.seconds": round(export_s, 3),
        "export.rows_per_s": round(rows / export_s),
        "export.cpu_s": round(cpu_s, 3),
        "export.peak_rss_mb": round(peak_mb, 1),
        "export.bytes": out.stat().st_size,
        "export.dump_s": round(dump_s, 3),
        "export.dump_ratio": round(export_s / dump_s, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / "work" / "export")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "export.json")
    args = parser.parse_args()
    result = run(args.rows, args.workdir)
    targets = {
        "export.rows_per_s": "≥ 200000",
        "export.peak_rss_mb": "< 150",
        "export.dump_ratio": "≤ 3",
    }
    for key, value in result.items():
        print(f"{key:<22} {value:>14}  {targets.get(key, '')}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
