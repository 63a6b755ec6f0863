"""Crash durability: kill -9 the real server while clients write; every write that was
acknowledged with 201 survives whole, and nothing half-written is visible.

Runs on the suite's database: SQLite by default, PostgreSQL when
FACTCHECK_TEST_DATABASE_URL is set (CI runs both).
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.error
import urllib.request

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Annotation, ReviewEvent, Source

from ..server import kill_server, start_server, stop_server

pytestmark = pytest.mark.slow

CLIENTS = 4
#: kill once this many writes were acknowledged (or after MAX_WRITE_SECONDS): a count, not
#: a fixed time, so a slow, loaded machine still tests something
ACKNOWLEDGED = 25
MAX_WRITE_SECONDS = 30


def _post(url: str, token: str, payload: dict) -> tuple[int, dict | None]:
    request = urllib.request.Request(  # noqa: S310 (loopback only)
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, None
    except (OSError, http.client.HTTPException):
        # connection reset by the kill, or the answer cut off mid-body: not acknowledged
        return 0, None


def test_acknowledged_writes_survive_kill_9(app, make, database_url, tmp_path):
    author = make.user()
    token = make.token(author)
    article = make.article(text="Un texte 👍🏽 où « chaque » mot compte.\n\nDeuxième paragraphe.")
    span = (article.text.index("chaque"), article.text.index("chaque") + len("chaque"))
    process, base = start_server(database_url, tmp_path, workers=2)
    url = f"{base}/api/v1/articles/{article.id}/annotations"
    acknowledged: dict[int, str] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def client(number: int) -> None:
        sequence = 0
        while not stop.is_set():
            sequence += 1
            claim = f"client {number} claim {sequence}"
            payload = {
                "start": span[0],
                "end": span[1],
                "quote": "chaque",
                "claim": claim,
                "claimant": "Quelqu'un",
                "verdict": "false",
                "rationale": "r",
                "sources": [
                    {"url": "https://example.org/a", "title": "A", "note": ""},
                    {"url": "https://example.org/b", "title": "B", "note": ""},
                ],
            }
            status, body = _post(url, token, payload)
            if status == 201:
                with lock:
                    acknowledged[body["id"]] = claim

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + MAX_WRITE_SECONDS
    while time.monotonic() < deadline:
        with lock:
            if len(acknowledged) >= ACKNOWLEDGED:
                break
        time.sleep(0.02)
    kill_server(process)  # mid-stream: requests are in flight
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    assert len(acknowledged) > 10, "the server acknowledged too few writes to test anything"

    process, base = start_server(database_url, tmp_path, workers=1)
    try:
        db.session.rollback()
        stored = dict(
            db.session.execute(
                select(Annotation.id, Annotation.claim).where(Annotation.article_id == article.id)
            ).all()
        )
        for annotation_id, claim in acknowledged.items():
            assert stored.get(annotation_id) == claim, f"acknowledged write {annotation_id} lost"
        # nothing half-written: every stored annotation has both sources and its history
        sources = dict(
            db.session.execute(
                select(Source.annotation_id, func.count()).group_by(Source.annotation_id)
            ).all()
        )
        events = dict(
            db.session.execute(
                select(ReviewEvent.annotation_id, func.count()).group_by(ReviewEvent.annotation_id)
            ).all()
        )
        for annotation_id in stored:
            assert sources.get(annotation_id) == 2, f"annotation {annotation_id} lost sources"
            assert events.get(annotation_id, 0) >= 1, f"annotation {annotation_id} no history"
        # and the restarted server serves them
        url = f"{base}/api/v1/articles/{article.id}/annotations"
        with urllib.request.urlopen(  # noqa: S310
            urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"}), timeout=5
        ) as response:
            assert json.loads(response.read())["total"] == len(stored)
    finally:
        stop_server(process)
