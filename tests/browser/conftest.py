"""Browser tests: the real server (gunicorn through ``factcheck serve``) on a free loopback
port, driven by Playwright in Debian's Chromium.

Without Chromium these tests skip with a message, except in CI (``CI`` set), where a
missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ..conftest import TEST_SECRET

CHROMIUM = os.environ.get("FACTCHECK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 20.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 (loopback only)
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not answer on {url}")


def start_server(
    database_url: str, instance: Path, workers: int = 2
) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        FACTCHECK_SECRET_KEY=TEST_SECRET,
        FACTCHECK_INSTANCE_PATH=str(instance),
        PYTHONUNBUFFERED="1",
    )
    log = open(instance / "server.log", "ab")  # noqa: SIM115 (kept open for the process)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "factcheck",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=Path(__file__).resolve().parents[2],
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/healthz", process=process)
    return process, base


@pytest.fixture(scope="session")
def live_server(database_url, tmp_path_factory):
    """Base URL of a real server sharing the test database."""
    instance = tmp_path_factory.mktemp("live-instance")
    process, base = start_server(database_url, instance)
    yield base
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def browser():
    executable = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, app):
    """A fresh browser context per test (its own cookies); ``app`` empties the tables after."""
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.js_errors = errors
    yield pg
    context.close()


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
