"""How fast is the annotate page for a 50,000-character article with 1,000 annotations?

    /work/venv/bin/python bench/annotate_page.py [--no-browser]

Prints the server time of GET /articles/<id>/annotate (Flask test client, median of 10)
and, in headless Chromium against a real gunicorn server, the time from navigation start
until the highlights are painted (the ``highlights-painted`` mark set by annotate.js) and
the time the script spent building them (the ``highlights`` measure), median of 5 loads.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from factcheck import create_app  # noqa: E402
from factcheck.extensions import Base, db  # noqa: E402
from factcheck.models import Status  # noqa: E402
from factcheck.services.verdicts import ensure_default_scale  # noqa: E402
from tests.conftest import TEST_SECRET  # noqa: E402
from tests.factories import PASSWORD, Factory  # noqa: E402

SENTENCE = "Le ministre a déclaré que le chômage « a baissé de 10 % » en 2023 👍🏽, selon l'Insee. "
VERDICTS = ["true", "mostly_true", "mixed", "mostly_false", "false", "misleading", ""]


def article_text(size: int = 50_000) -> str:
    paragraphs, text = [], ""
    while len(text) < size:
        paragraph = SENTENCE * random.randint(3, 8)
        paragraphs.append(paragraph.strip())
        text = "\n\n".join(paragraphs)
    return text[:size].rstrip()


def seed(make: Factory, count: int = 1000):
    random.seed(7)
    author = make.user(username="bench", display_name="Bench")
    others = [make.user() for _ in range(3)]
    article = make.article(text=article_text(), title="Cinquante mille caractères")
    text = article.text
    words = [i for i in range(1, len(text)) if text[i - 1] == " " and text[i] != " "]
    statuses = list(Status)
    for n in range(count):
        start = random.choice(words)
        end = min(len(text), start + random.randint(8, 160))
        while text[end - 1].isspace() or not text[end - 1].isascii():
            end -= 1
        make.annotation(
            article=article,
            author=author if n % 3 == 0 else random.choice(others),
            start=start,
            end=end,
            status=random.choice(statuses),
            verdict=random.choice(VERDICTS) or None,
        )
    return author, article


def server_time(app, user, article, runs: int = 10) -> list[float]:
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
    times = []
    for _ in range(runs + 1):
        began = time.perf_counter()
        response = client.get(f"/articles/{article.id}/annotate")
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    return times[1:]  # the first run warms the template cache


def browser_times(url: str, instance: Path, article_id: int, runs: int = 5):
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, start_server

    process, base = start_server(url, instance)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base + "/login")
            page.fill("input[name=username]", "bench")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(lambda u: "/login" not in u)
            painted, built, count = [], [], 0
            for _ in range(runs):
                page.goto(f"{base}/articles/{article_id}/annotate")
                page.wait_for_function(
                    "() => performance.getEntriesByName('highlights-painted').length"
                )
                painted.append(
                    page.evaluate("performance.getEntriesByName('highlights-painted')[0].startTime")
                )
                built.append(
                    page.evaluate("performance.getEntriesByName('highlights')[0].duration")
                )
                count = page.evaluate("document.querySelectorAll('.hl').length")
            browser.close()
            return painted, built, count
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        config = {"TESTING": True, "SECRET_KEY": TEST_SECRET, "SQLALCHEMY_DATABASE_URI": url}
        app = create_app(config)
        with app.app_context():
            Base.metadata.create_all(db.engine)
            ensure_default_scale(db.session)
            db.session.commit()
            user, article = seed(Factory(db.session))
            print(f"article: {len(article.text):,} code points, 1,000 annotations")
            times = server_time(app, user, article)
            print(
                f"server (test client): median {statistics.median(times):.1f} ms, "
                f"min {min(times):.1f}, max {max(times):.1f} (10 runs)"
            )
            article_id = article.id
            db.engine.dispose()
        if not args.no_browser:
            painted, built, count = browser_times(url, Path(tmp), article_id)
            print(
                f"chromium: highlights painted at median {statistics.median(painted):.0f} ms "
                f"after navigation start; building them took median "
                f"{statistics.median(built):.1f} ms ({count:,} highlight segments, 5 loads)"
            )


if __name__ == "__main__":
    main()
