"""Re-anchoring after an article revision: quality on the generated corpus, and speed.

    .venv/bin/python bench/bench_anchoring.py [--per-category 15]

Prints, per category of the corpus (tests/anchoring/corpus.py), how many claims stayed ok,
were flagged, and how many were silently wrong (ok at the wrong place, or ok although the
quote changed); then the time to re-anchor 1,000 claims on a 50,000-character article
after an edit near its top: the pure re-anchoring (services/anchoring.py), and the whole
revision on SQLite (services/revisions.py: the conditional UPDATE, re-anchoring, one
executemany for the claims, history rows, commit). ``bench/run.py`` runs ``measure()``.
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

from factcheck.services.anchoring import Stored, reanchor  # noqa: E402
from factcheck.services.spans import CONTEXT  # noqa: E402
from tests.anchoring.corpus import CATEGORIES, corpus, evaluate  # noqa: E402
from tests.anchoring.corpus import _sentence as sentence  # noqa: E402

CLAIMS = 1_000
LENGTH = 50_000


def quality(per_category: int = 15) -> dict:
    cases = corpus(per_category)
    results = [reanchor(case.old, case.new, [case.stored])[0] for case in cases]
    return evaluate(cases, results)


def long_article(seed: int = 7) -> tuple[str, list[Stored], str]:
    """A 50,000-character article, 1,000 claims on it, and the text after an edit at the top."""
    rng = random.Random(seed)
    paragraphs, size = [], 0
    while size < LENGTH:
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(2, 4)))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    text = "\n\n".join(paragraphs)[:LENGTH]
    text = text[: text.rfind(".") + 1]
    # claims start at words and run to the next comma or full stop (they may overlap, as
    # two annotators' claims do)
    starts = [i + 1 for i, c in enumerate(text) if c == " " and text[i + 1].isalnum()]
    stored = []
    for start in sorted(rng.sample(starts, CLAIMS)):
        stops = [p for p in (text.find(",", start), text.find(".", start)) if p > start]
        end = min(stops) if stops else len(text)
        stored.append(
            Stored(
                start,
                end,
                text[start:end],
                text[max(0, start - CONTEXT) : start],
                text[end : end + CONTEXT],
            )
        )
    new = "Correctif du 4 mars : une précision ajoutée en tête.\n\n" + text.replace(
        " a ", " avait ", 1
    )
    return text, stored, new


def speed_pure(repeats: int = 5) -> tuple[float, dict]:
    old, stored, new = long_article()
    times, results = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        results = reanchor(old, new, stored)
        times.append(time.perf_counter() - t0)
    counts = {a: sum(r.anchor == a for r in results) for a in ("ok", "relocated", "orphaned")}
    return statistics.median(times), counts


def speed_database() -> float:
    """The whole revision, on a fresh SQLite database, committed."""
    from sqlalchemy import insert

    from factcheck import create_app
    from factcheck.extensions import db
    from factcheck.models import Annotation, Article, Status, User
    from factcheck.services import revisions
    from factcheck.services.importing import text_hash
    from factcheck.services.projects import ensure_default_project

    old, stored, new = long_article()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": secrets.token_urlsafe(48),
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
            }
        )
        with app.app_context():
            db.create_all()
            project, _ = ensure_default_project(db.session)
            admin = User(username="admin", password_hash="x")
            admin.roles = ["admin"]
            db.session.add(admin)
            article = Article(
                title="Long", text=old, text_sha256=text_hash(old), project_id=project.id
            )
            db.session.add(article)
            db.session.flush()
            rows = [
                {
                    "article_id": article.id,
                    "author_id": admin.id,
                    "start": s.start,
                    "end": s.end,
                    "quote": s.quote,
                    "prefix": s.prefix,
                    "suffix": s.suffix,
                    "status": Status.APPROVED,
                    "project_id": project.id,
                }
                for s in stored
            ]
            db.session.execute(insert(Annotation), rows)
            db.session.commit()
            t0 = time.perf_counter()
            revisions.create_revision(db.session, article, new, note="bench", user=admin)
            db.session.commit()
            elapsed = time.perf_counter() - t0
            db.engine.dispose()
    return elapsed


def measure(per_category: int = 15) -> dict:
    """Flat figures for bench/run.py."""
    figures = quality(per_category)
    total = figures["all"]
    pure, counts = speed_pure()
    results = {
        "anchoring.cases": total.cases,
        "anchoring.silent_errors": total.silent_errors,
        "anchoring.ok_rate": round(total.ok_given / total.ok_expected, 4),
        "anchoring.flagged_rate": round(total.flagged_given / total.flagged_expected, 4),
        "anchoring.reanchor_1000_s": round(pure, 4),
        "anchoring.revision_1000_sqlite_s": round(speed_database(), 4),
    }
    results["anchoring.ok_after_top_edit"] = counts["ok"]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-category", type=int, default=15)
    args = parser.parse_args()
    figures = quality(args.per_category)
    header = f"{'category':<28}{'cases':>6}{'ok want':>9}{'ok got':>8}{'flag want':>10}"
    print(header + f"{'flag got':>9}{'reloc right':>12}{'silent':>8}")
    for name in (*CATEGORIES, "all"):
        f = figures[name]
        print(
            f"{name:<28}{f.cases:>6}{f.ok_expected:>9}{f.ok_given:>8}{f.flagged_expected:>10}"
            f"{f.flagged_given:>9}{f.relocated_right_place:>7}/{f.relocated:<4}{f.silent_errors:>8}"
        )
    total = figures["all"]
    print(
        f"\nsilent errors: {total.silent_errors}; ok where the quote survives unchanged and "
        f"unambiguous: {total.ok_given}/{total.ok_expected} "
        f"({100 * total.ok_given / total.ok_expected:.1f} %); flagged where it does not: "
        f"{total.flagged_given}/{total.flagged_expected} "
        f"({100 * total.flagged_given / total.flagged_expected:.1f} %)"
    )
    pure, counts = speed_pure()
    print(
        f"re-anchoring {CLAIMS:,} claims on a {LENGTH:,}-character article after an edit near "
        f"the top: {pure * 1000:.0f} ms (median of 5; {counts})"
    )
    print(f"the whole revision on SQLite, committed: {speed_database() * 1000:.0f} ms")


if __name__ == "__main__":
    main()
