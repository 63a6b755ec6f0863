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


def browser_times(url: str, instance: Path, article_id: int, runs: int = 5) -> dict:
    """Per load (median of ``runs``): first paint and highlights painted (ms from
    navigation start), the building of the highlights, and what was fetched: module
    requests (scripts), and the bytes of JS and CSS (decoded, cached or not)."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.server import start_server, stop_server

    process, base = start_server(url, instance)
    figures: dict[str, list[float]] = {
        k: [] for k in ("first_paint", "painted", "built", "modules", "js_kb", "css_kb")
    }
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base + "/login")
            page.fill("input[name=username]", "bench")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(lambda u: "/login" not in u)
            count = 0
            for _ in range(runs):
                page.goto(f"{base}/articles/{article_id}/annotate")
                page.wait_for_function(
                    "() => performance.getEntriesByName('highlights-painted').length"
                )
                found = page.evaluate(
                    """() => {
                      const fp = performance.getEntriesByName('first-paint')[0];
                      const res = performance.getEntriesByType('resource');
                      const kb = (ext) => res.filter((r) => r.name.split('?')[0].endsWith(ext))
                        .reduce((n, r) => n + (r.decodedBodySize || 0), 0) / 1024;
                      return {
                        first_paint: fp ? fp.startTime : null,
                        painted: performance.getEntriesByName('highlights-painted')[0].startTime,
                        built: performance.getEntriesByName('highlights')[0].duration,
                        modules: res.filter((r) => r.name.split('?')[0].endsWith('.js')).length,
                        js_kb: kb('.js'),
                        css_kb: kb('.css'),
                      };
                    }"""
                )
                for key, value in found.items():
                    if value is not None:
                        figures[key].append(value)
                count = page.evaluate("document.querySelectorAll('.hl').length")
            browser.close()
    finally:
        stop_server(process)
    result = {k: statistics.median(v) for k, v in figures.items() if v}
    result["segments"] = count
    return result


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
            found = browser_times(url, Path(tmp), article_id)
            print(
                f"chromium (median of 5 loads, ms from navigation start): first paint "
                f"{found.get('first_paint', float('nan')):.0f}, highlights painted "
                f"{found['painted']:.0f} (building them {found['built']:.1f} ms, "
                f"{found['segments']:,} segments); {found['modules']:.0f} module requests, "
                f"JS {found['js_kb']:.1f} KB + CSS {found['css_kb']:.1f} KB"
            )


if __name__ == "__main__":
    main()
