"""Browser tests: the real server (gunicorn through ``factcheck serve``) on a free loopback
port, driven by Playwright in Debian's Chromium.

Without Chromium these tests skip with a message, except in CI (``CI`` set), where a
missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ..server import start_server, stop_server

CHROMIUM = os.environ.get("FACTCHECK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The same patience for assertions as for actions (the contexts' default timeout below): on
# a loaded 2-core CI machine, a page load with its modules can take longer than
# Playwright's 5 s default.
expect.set_options(timeout=10_000)
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def _chromium_or_skip() -> str:
    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if path:
        return path
    message = (
        "Chromium not found: install Debian's browser with "
        "`apt-get update && apt-get install -y chromium` (or set FACTCHECK_CHROMIUM)."
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def live_server(database_url, tmp_path_factory):
    """Base URL of a real server sharing the test database."""
    instance = tmp_path_factory.mktemp("live-instance")
    process, base = start_server(database_url, instance)
    yield base
    stop_server(process)


@pytest.fixture(scope="session")
def browser():
    executable = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """``new_page()`` → a page in a fresh browser context (its own cookies: another person
    at another desk), with ``page.js_errors`` collecting uncaught script errors."""
    contexts = []

    def _new_page():
        context = browser.new_context(
            base_url=live_server, viewport={"width": 1280, "height": 900}, locale="en-GB"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.js_errors = errors
        return pg

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page, app):
    """The test's browser page; ``app`` empties the tables after the test."""
    return new_page()


@pytest.fixture
def browser_login():
    """Log ``user`` in through the real login form."""
    from ..factories import PASSWORD

    def _login(page, user):
        page.goto("/login")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login" not in url)
        # A login writes (its rate-limit counters). On SQLite, a read transaction that this
        # process opened before it (reading user.username above) now holds a stale snapshot,
        # and its next write would fail at once with "database is locked": end it.
        from factcheck.extensions import db

        db.session.commit()

    return _login


@pytest.fixture
def screenshot():
    """Save a screenshot under tests/artifacts/ (look at them: they are the page users see)."""

    def _shot(page, name: str, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return _shot
