"""Revision diffs and re-anchoring at their worst, at the article size limit.

    .venv/bin/python bench/bench_diff.py [--quick] [--json bench/results/diff.json]

1. Constructed worst cases of 2,000,000 characters (MAX_ARTICLE_CHARS): a periodic text
   rewritten everywhere ("ab" × 999,000 → "ba" × 999,000, which kept a worker busy for
   over 15 minutes), every other word or line changed, all paragraphs shuffled, more
   distinct words or lines than code points, ... For each: the page's diff
   (services/textdiff.compare: time, the unit it could afford), re-anchoring's diff
   (services/anchoring.PositionMap), then through the app on SQLite the Edit text preview
   (POST), the save (POST), the revision page (GET, its stored diff) and the page of a
   revision made before diffs were stored (GET, computed on that first view).
2. 300 claims quoting ~900 characters each, every quote changed by one word (the issue's
   revision that held a SQLite site's write lock for over 10 minutes): re-anchoring alone,
   then the revision through the page and through ``create_revision`` in a request's
   write transaction (the API's and the importer's path), with the longest time another
   writer waited for SQLite's write lock (a probe taking BEGIN IMMEDIATE every 5 ms).

``bench/run.py`` runs ``measure()``; ``--json`` writes every figure.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factcheck.config import Defaults  # noqa: E402
from factcheck.services import textdiff  # noqa: E402
from factcheck.services.anchoring import PositionMap, Stored, reanchor  # noqa: E402
from factcheck.services.spans import CONTEXT  # noqa: E402
from tests.anchoring.corpus import _sentence as sentence  # noqa: E402

LIMIT = Defaults.MAX_ARTICLE_CHARS
SECRET = secrets.token_urlsafe(48)  # a made-up key is refused
CLAIMS = 300


# ---------------------------------------------------------------- cases


def _vocabulary(rng: random.Random, size: int = 30_000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyzéèàç"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(size)]


def _prose(rng: random.Random, words: list[str], every_line: int = 0, every_paragraph: int = 0):
    out, size, count = [], 0, 0
    while size < LIMIT:
        count += 1
        sep = " "
        if every_paragraph and count % every_paragraph == 0:
            sep = "\n\n"
        elif every_line and count % every_line == 0:
            sep = "\n"
        word = rng.choice(words) + sep
        out.append(word)
        size += len(word)
    return "".join(out)[:LIMIT].rstrip()


def _distinct_words(count: int, first: int) -> list[str]:
    """Two-letter CJK words, all distinct: 1,200,000 of them in 3,600,000 characters."""
    return [
        chr(0x4E00 + i // 20_000) + chr(0x4E00 + i % 20_000) for i in range(first, first + count)
    ]


def cases(quick: bool = False) -> Iterator[tuple[str, str, str]]:
    """(name, old, new): texts of at most MAX_ARTICLE_CHARS, the worst we could build."""
    rng = random.Random(5)
    words = _vocabulary(rng)
    yield "ab × 999,000 → ba × 999,000", "ab" * 999_000, "ba" * 999_000
    prose = _prose(rng, words, every_paragraph=120)
    yield (
        "prose, one edit at the top, one at the bottom",
        prose,
        "Correctif. " + prose[:-20] + " fin.",
    )
    split = prose.split(" ")
    every_other = " ".join(w.upper() if i % 2 else w for i, w in enumerate(split))
    yield "prose, every other word changed", prose, every_other
    many = _distinct_words(1_200_000, 0)
    yield "1,200,000 distinct words, one line", " ".join(many[:600_000]), " ".join(many[600_000:])
    if quick:
        return
    yield "'ab ' × 666,000 → 'ba ' × 666,000", ("ab " * 666_000)[:LIMIT], ("ba " * 666_000)[:LIMIT]
    yield "'ab\\n' × 666,000 → 'ba\\n'", ("ab\n" * 666_000)[:LIMIT], ("ba\n" * 666_000)[:LIMIT]
    yield "ab × 999,000 → b + ab × 998,999 + a", "ab" * 999_000, "b" + "ab" * 998_999 + "a"
    yield "prose → other prose", prose, _prose(random.Random(9), words, every_paragraph=120)
    paragraphs = prose.split("\n\n")
    random.Random(2).shuffle(paragraphs)
    yield "prose, all 2,500 paragraphs shuffled", prose, "\n\n".join(paragraphs)
    lines = _prose(rng, words, every_line=12)
    changed = "\n".join(x if i % 2 else x + " x" for i, x in enumerate(lines.split("\n")))
    yield "short lines, every other line changed", lines, changed[:LIMIT]
    one_line = prose.replace("\n\n", " ")
    yield "one line, one edit at each end", one_line, "Correctif. " + one_line[:-20] + " fin."
    yield "1,200,000 distinct lines", "\n".join(many[:600_000]), "\n".join(many[600_000:])


# ---------------------------------------------------------------- the app


class App:
    """A fresh app on a SQLite file, an admin logged into a test client."""

    def __init__(self, folder: str):
        from factcheck import create_app
        from factcheck.extensions import db
        from factcheck.models import User
        from factcheck.services.projects import ensure_default_project

        self.path = f"{folder}/bench.db"
        self.app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": SECRET,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{self.path}",
                "WTF_CSRF_ENABLED": False,
                "MATCHING_MODEL": "",
            }
        )
        self.context = self.app.app_context()
        self.context.push()
        db.create_all()
        self.project, _ = ensure_default_project(db.session)
        self.admin = User(username="admin", password_hash="x")
        self.admin.roles = ["admin"]
        db.session.add(self.admin)
        db.session.commit()
        self.client = self.app.test_client()
        with self.client.session_transaction() as session:
            session["_user_id"] = self.admin.session_token
            session["_fresh"] = True

    def article(self, text: str):
        from factcheck.extensions import db
        from factcheck.models import Article
        from factcheck.services.records import text_hash

        article = Article(
            title="Bench", text=text, text_sha256=text_hash(text), project_id=self.project.id
        )
        db.session.add(article)
        db.session.commit()
        return article

    def close(self) -> None:
        from factcheck.extensions import db

        db.session.remove()
        db.engine.dispose()
        self.context.pop()


def _timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def through_the_app(app: App, old: str, new: str) -> dict:
    """Preview, save, page (stored diff), page of a revision without a stored diff."""
    from sqlalchemy import update

    from factcheck.extensions import db
    from factcheck.models import ArticleRevision
    from factcheck.services import revisions

    article = app.article(old)
    url = f"/articles/{article.id}/revise"
    data = {"text": new, "note": "bench", "revision": "1"}
    service_s, _ = _timed(lambda: revisions.preview(db.session, article, new))
    db.session.rollback()
    preview_s, preview = _timed(lambda: app.client.post(url, data={**data, "action": "preview"}))
    save_s, saved = _timed(lambda: app.client.post(url, data={**data, "action": "save"}))
    page_url = f"/articles/{article.id}/revisions/2"
    page_s, page = _timed(lambda: app.client.get(page_url))
    db.session.execute(update(ArticleRevision).values(diff=None))
    db.session.commit()
    first_s, first = _timed(lambda: app.client.get(page_url))
    statuses = {preview.status_code, saved.status_code, page.status_code, first.status_code}
    assert statuses <= {200, 302}, statuses
    return {
        "preview_service_s": service_s,
        "preview_s": preview_s,
        "save_s": save_s,
        "page_s": page_s,
        "first_view_s": first_s,
        "page_kb": len(page.data) // 1024,
    }


def worst_cases(quick: bool = False) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        app = App(folder)
        try:
            for name, old, new in cases(quick):
                compare_s, diff = _timed(lambda o=old, n=new: textdiff.compare(o, n))
                map_s, _ = _timed(lambda o=old, n=new: PositionMap(o, n))
                row = {"case": name, "chars": max(len(old), len(new)), "unit": diff.unit}
                row |= {"compare_s": compare_s, "position_map_s": map_s}
                row |= through_the_app(app, old, new)
                rows.append(row)
                print(_line(row), flush=True)
        finally:
            app.close()
    return rows


def _line(row: dict) -> str:
    return (
        f"{row['case'][:44]:<44} {row['unit']:<10} {row['compare_s']:6.2f} "
        f"{row['position_map_s']:6.2f} {row['preview_service_s']:6.2f} {row['preview_s']:6.2f} "
        f"{row['save_s']:6.2f} {row['page_s']:6.2f} {row['first_view_s']:6.2f} "
        f"{row['page_kb']:>7}"
    )


# ---------------------------------------------------------------- 300 long claims


def long_claims(count: int = CLAIMS, seed: int = 3) -> tuple[str, str, list[Stored]]:
    """``count`` paragraphs of ~1,000 characters of the corpus' (repetitive) sentences, a
    claim of ~900 characters in each, and the text with one word of each quote changed."""
    rng = random.Random(seed)
    paragraphs = []
    for _ in range(count):
        paragraph = ""
        while len(paragraph) < 1000:
            paragraph += sentence(rng) + " "
        paragraphs.append(paragraph.strip())
    old = "\n\n".join(paragraphs)
    stored, changed, position = [], [], 0
    for paragraph in paragraphs:
        start = position + paragraph.index(" ", 20) + 1
        end = position + paragraph.index(" ", 900)
        prefix, suffix = old[max(0, start - CONTEXT) : start], old[end : end + CONTEXT]
        stored.append(Stored(start, end, old[start:end], prefix, suffix))
        words = paragraph.split(" ")
        words[len(words) // 2] += "s"
        changed.append(" ".join(words))
        position += len(paragraph) + 2
    return old, "\n\n".join(changed), stored


class LockProbe:
    """Another writer: takes SQLite's write lock every 5 ms; the longest wait is how long
    the lock was held by someone else (to 5 ms)."""

    def __init__(self, path: str):
        self.path, self.longest, self.running = path, 0.0, True
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        other = sqlite3.connect(self.path, timeout=600, isolation_level=None)
        while self.running:
            started = time.perf_counter()
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            self.longest = max(self.longest, time.perf_counter() - started)
            time.sleep(0.005)
        other.close()

    def __enter__(self) -> LockProbe:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.running = False
        self.thread.join()


def _claims_article(app: App, old: str, stored: list[Stored]):
    from sqlalchemy import insert

    from factcheck.extensions import db
    from factcheck.models import Annotation, Status

    article = app.article(old)
    rows = [
        {
            "article_id": article.id,
            "author_id": app.admin.id,
            "project_id": app.project.id,
            "start": s.start,
            "end": s.end,
            "quote": s.quote,
            "prefix": s.prefix,
            "suffix": s.suffix,
            "status": Status.APPROVED,
        }
        for s in stored
    ]
    db.session.execute(insert(Annotation), rows)
    db.session.commit()
    return article


def long_claims_revision() -> dict:
    from sqlalchemy import select

    from factcheck.database import write_intent
    from factcheck.extensions import db
    from factcheck.services import revisions

    old, new, stored = long_claims()
    pure_s, results = _timed(lambda: reanchor(old, new, stored))
    figures = {"reanchor_s": pure_s, "relocated": sum(r.anchor == "relocated" for r in results)}
    with tempfile.TemporaryDirectory() as folder:
        app = App(folder)
        try:
            article = _claims_article(app, old, stored)
            data = {"text": new, "note": "", "revision": "1", "action": "save"}
            with LockProbe(app.path) as probe:
                page_s, saved = _timed(
                    lambda: app.client.post(f"/articles/{article.id}/revise", data=data)
                )
            assert saved.status_code == 302, saved.status_code
            figures |= {"page_save_s": page_s, "page_save_lock_s": probe.longest}
            article = _claims_article(app, old, stored)
            with LockProbe(app.path) as probe:
                write_intent.set(True)  # as in a request: the transaction takes the lock first
                db.session.execute(select(1))
                in_one_s, _ = _timed(
                    lambda: revisions.create_revision(db.session, article, new, user=app.admin)
                )
                db.session.commit()
                write_intent.set(False)
            figures |= {"one_transaction_s": in_one_s, "one_transaction_lock_s": probe.longest}
        finally:
            app.close()
    return figures


# ---------------------------------------------------------------- report


def measure(quick: bool = True) -> dict:
    """Flat figures for bench/run.py."""
    rows = worst_cases(quick)
    claims = long_claims_revision()
    return {
        "diff.worst_compare_s": round(max(r["compare_s"] for r in rows), 3),
        "diff.worst_position_map_s": round(max(r["position_map_s"] for r in rows), 3),
        "diff.worst_preview_service_s": round(max(r["preview_service_s"] for r in rows), 3),
        "diff.worst_preview_s": round(max(r["preview_s"] for r in rows), 3),
        "diff.worst_save_s": round(max(r["save_s"] for r in rows), 3),
        "diff.worst_page_s": round(max(r["page_s"] for r in rows), 3),
        "diff.worst_first_view_s": round(max(r["first_view_s"] for r in rows), 3),
        "diff.reanchor_300_long_s": round(claims["reanchor_s"], 3),
        "diff.revision_300_long_page_s": round(claims["page_save_s"], 3),
        "diff.revision_300_long_lock_s": round(claims["page_save_lock_s"], 3),
        "diff.revision_300_long_one_transaction_lock_s": round(claims["one_transaction_lock_s"], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the four main cases only")
    parser.add_argument("--json", help="write every figure to this file")
    args = parser.parse_args()
    print(
        f"{'case (2,000,000 characters)':<44} {'unit':<10} {'diff':>6} {'map':>6} "
        f"{'prev.':>6} {'POST':>6} {'save':>6} {'page':>6} {'1st':>6} {'page KB':>7}"
    )
    rows = worst_cases(args.quick)
    print(
        "\n(seconds. diff: textdiff.compare; map: anchoring.PositionMap (no claims on these\n"
        " articles: the save and the preview skip it); prev.: revisions.preview; then through\n"
        " the app on SQLite: POST the preview, save, the revision page (stored diff), its first\n"
        " view without a stored diff. The POSTs include decoding the url-encoded form: up to\n"
        " ~3 s for 2,000,000 CJK characters, before the view runs.)\n"
    )
    claims = long_claims_revision()
    print(
        f"{CLAIMS} claims of ~900 characters, each changed by one word: re-anchoring "
        f"{claims['reanchor_s']:.2f} s ({claims['relocated']} relocated)\n"
        f"  saved through the page:                  {claims['page_save_s']:.2f} s, longest "
        f"wait for SQLite's write lock {claims['page_save_lock_s'] * 1000:.0f} ms\n"
        f"  create_revision in one write transaction: {claims['one_transaction_s']:.2f} s, "
        f"longest wait {claims['one_transaction_lock_s'] * 1000:.0f} ms"
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps({"cases": rows, "long_claims": claims}, indent=1, ensure_ascii=False) + "\n"
        )


if __name__ == "__main__":
    main()
