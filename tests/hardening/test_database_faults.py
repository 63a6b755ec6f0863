"""The real server (``factcheck serve``, gunicorn) under load while the database fails:

- PostgreSQL restarts (a private cluster, never the shared server) while 20 clients write
  and review: requests during the outage get a clear 503, the app recovers by itself
  within seconds (pool_pre_ping), and no acknowledged write is lost;
- SQLite's disk fills up (a 2 MB tmpfs): writes get a clear 507, reads keep working,
  nothing acknowledged is lost, and writes work again once there is room.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text

from factcheck import create_app
from factcheck.config import normalize_database_url
from factcheck.extensions import db
from factcheck.models import Annotation, Role, Status
from factcheck.services import users

from ..conftest import TEST_SECRET
from ..factories import ARTICLE_TEXT
from ..pgcluster import Cluster, find_bin
from ..server import start_server, stop_server

pytestmark = pytest.mark.slow

QUOTE = ARTICLE_TEXT[:20]


def call(method: str, url: str, token: str | None, payload=None, timeout: float = 10, cookie=None):
    """(status, parsed JSON or text); status 0 when the connection itself failed."""
    headers = {"Content-Type": "application/json"}
    if cookie:
        headers["Cookie"] = cookie
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read().decode()
            status = response.status
            kind = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        body, status = error.read().decode(), error.code
        kind = error.headers.get("Content-Type", "")
    except OSError as error:
        return 0, str(error)
    return status, json.loads(body) if "json" in kind else body


# --------------------------------------------------------------------- PostgreSQL restart


@pytest.fixture
def cluster():
    bin_dir = find_bin()
    if bin_dir is None:
        pytest.skip(
            "PostgreSQL server binaries (initdb, pg_ctl) not found: install the postgresql "
            "package or set FACTCHECK_PG_BIN to test a database restart under load"
        )
    instance = Cluster(bin_dir)
    try:
        instance.init()
        instance.start()
        yield instance
    finally:
        instance.destroy()


def _seed(url: str, tmp_path: Path) -> dict:
    """Schema at head, 2 annotators, 2 reviewers, their tokens, one article."""
    app = create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET, "SQLALCHEMY_DATABASE_URI": url})
    seeded: dict = {"writers": [], "reviewers": []}
    with app.app_context():
        upgrade()
        from factcheck.services.importing import import_records
        from factcheck.services.verdicts import ensure_default_scale

        ensure_default_scale(db.session)
        admin = users.create_user(db.session, "admin", "admin-password-1", [Role.ADMIN])
        for kind, role in (("writers", Role.ANNOTATOR), ("reviewers", Role.REVIEWER)):
            for n in range(2):
                user = users.create_user(db.session, f"{kind}{n}", "a-password-123", [role])
                seeded[kind].append(users.create_token(db.session, user)[1])
        report = import_records(db.session, [{"title": "Le texte", "text": ARTICLE_TEXT}], admin)
        seeded["article"] = report.ids[0]
        db.session.commit()
        # a logged-in browser's session cookie, to ask for an HTML page during the outage
        signer = app.session_interface.get_signing_serializer(app)
        seeded["cookie"] = "session=" + signer.dumps({"_user_id": admin.session_token})
        db.engine.dispose()
    return seeded


def test_postgresql_restart_under_load(cluster, tmp_path):
    seeded = _seed(cluster.url, tmp_path)
    process, base = start_server(cluster.url, tmp_path, workers=2)
    created: dict[int, str] = {}  # acknowledged with 201
    approved: set[int] = set()  # acknowledged with 200
    statuses: Counter = Counter()
    bad: list[str] = []
    last_ok = [0.0]
    lock = threading.Lock()
    stop = threading.Event()
    url = f"{base}/api/v1/articles/{seeded['article']}/annotations"

    def record(status, body, what: str) -> None:
        with lock:
            statuses[status] += 1
            if status in (200, 201):
                last_ok[0] = time.monotonic()
            elif status == 503:
                if not isinstance(body, dict) or body["error"]["code"] != "database_unavailable":
                    bad.append(f"{what}: 503 without the JSON error: {str(body)[:200]}")
            elif status != 409:  # 409: a review race lost, a normal answer
                bad.append(f"{what}: {status} {str(body)[:300]}")

    def writer(n: int) -> None:
        token = seeded["writers"][n % 2]
        sequence = 0
        while not stop.is_set():
            sequence += 1
            claim = f"writer {n} claim {sequence}"
            payload = {
                "start": 0,
                "end": len(QUOTE),
                "quote": QUOTE,
                "claim": claim,
                "claimant": "Quelqu'un",
                "verdict": "false",
                "rationale": "r",
                "sources": [{"url": "https://example.org/a", "title": "A", "note": ""}],
                "status": "submitted",
            }
            status, body = call("POST", url, token, payload)
            record(status, body, "create")
            if status == 201:
                with lock:
                    created[body["id"]] = claim
            time.sleep(0.02)

    def reviewer(n: int) -> None:
        token = seeded["reviewers"][n % 2]
        while not stop.is_set():
            status, body = call("GET", f"{base}/api/v1/review/next", token)
            record(status, body, "next")
            item = body.get("item") if status == 200 else None
            if item is None:
                time.sleep(0.05)
                continue
            decision = {"decision": "approve", "version": item["version"]}
            status, body = call(
                "POST", f"{base}/api/v1/annotations/{item['id']}/review", token, decision
            )
            record(status, body, "review")
            if status == 200:
                with lock:
                    approved.add(item["id"])

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(10)]
    threads += [threading.Thread(target=reviewer, args=(n,)) for n in range(10)]
    try:
        for thread in threads:
            thread.start()
        # writes flowing before the outage: a count, not a fixed time (a loaded CI machine)
        deadline = time.monotonic() + 30
        time.sleep(1)
        while len(created) < 10 and time.monotonic() < deadline:
            time.sleep(0.05)
        before_outage = len(created)
        cluster.stop("fast")
        down_at = time.monotonic()
        time.sleep(2.5)
        html = call("GET", f"{base}/articles/", None, cookie=seeded["cookie"])
        html_status, html_body = html
        during = dict(statuses)
        cluster.start()
        back_at = time.monotonic()
        # the app must recover by itself: successes again within seconds
        while time.monotonic() - back_at < 15 and last_ok[0] < back_at:
            time.sleep(0.1)
        recovered_after = last_ok[0] - back_at
        time.sleep(2)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        stop_server(process)
    log = (tmp_path / "server.log").read_text(errors="replace")
    assert before_outage > 0
    # a plain string, so that pytest prints the server's traceback whole (a tuple's repr is cut)
    assert bad == [], "\n".join(bad[:5]) + "\n--- server log ---\n" + _tracebacks(log)
    assert statuses[500] == 0 and statuses[0] == 0, statuses
    assert during.get(503, 0) > 0, f"no request saw the outage: {during}"
    assert 0 <= recovered_after < 10, f"no success within 10 s of the restart ({statuses})"
    assert down_at < back_at
    # a logged-in page during the outage: a clear 503 page
    assert html_status == 503, html
    assert "<html" in html_body and "database is not answering" in html_body
    assert "Traceback" not in html_body
    assert "Traceback" not in log, _tracebacks(log)
    # nothing acknowledged was lost
    engine = create_engine(normalize_database_url(cluster.url))
    with engine.connect() as conn:
        rows = dict(
            conn.execute(
                select(Annotation.id, Annotation.claim).where(Annotation.id.in_(list(created)))
            ).all()
        )
        decided = dict(
            conn.execute(
                select(Annotation.id, Annotation.status).where(Annotation.id.in_(list(approved)))
            ).all()
        )
        total = conn.execute(text("SELECT count(*) FROM annotation")).scalar()
    engine.dispose()
    assert rows == created
    assert decided == dict.fromkeys(approved, Status.APPROVED)
    assert total >= len(created)
    print(f"restart under load: {dict(statuses)}; recovered {recovered_after:.2f} s after start")


# --------------------------------------------------------------------- SQLite, disk full


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs for the database (needs the right to mount: root, or skipped)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.skip(
            "cannot mount a small tmpfs here (needs root); the 507 answer to a full disk "
            f"is tested at unit level in test_outage.py: {result.stderr.strip()}"
        )
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_sqlite_disk_full_under_the_real_server(small_disk, tmp_path):
    database = small_disk / "factcheck.db"
    url = f"sqlite:///{database}"
    filler = small_disk / "filler"
    filler.write_bytes(os.urandom(400_000))  # freed later, to show the app recovers
    app = create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        admin = users.create_user(db.session, "admin", "admin-password-1", [Role.ADMIN])
        token = users.create_token(db.session, admin)[1]
        db.session.commit()
        db.engine.dispose()
    process, base = start_server(url, tmp_path, workers=2)
    acknowledged: dict[int, str] = {}
    statuses: Counter = Counter()
    try:
        text_block = "Un paragraphe assez long pour remplir le disque. " * 2000  # ~100 KB
        for n in range(40):
            status, body = call(
                "POST", f"{base}/api/v1/articles", token, {"title": f"A{n}", "text": text_block}
            )
            statuses[status] += 1
            if status == 201:
                acknowledged[body["ids"][0]] = f"A{n}"
            elif status == 507:
                assert body["error"]["code"] == "disk_full", body
            else:
                pytest.fail(f"{status}: {str(body)[:300]}")
        assert statuses[507] > 0, f"the disk never filled up: {statuses}"
        reading = call("GET", f"{base}/api/v1/articles?per_page=100", token)
        if reading[0] != 200:
            print((tmp_path / "server.log").read_text(errors="replace")[-3000:])
        assert reading[0] == 200, reading  # reads keep working on a full disk
        filler.unlink()  # room again: writes work again, without a restart
        again = call("POST", f"{base}/api/v1/articles", token, {"title": "After", "text": "Un."})
        assert again[0] == 201, again
        acknowledged[again[1]["ids"][0]] = "After"
    finally:
        stop_server(process)
    log = (tmp_path / "server.log").read_text(errors="replace")
    assert "Traceback" not in log
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        stored = dict(conn.exec_driver_sql("SELECT id, title FROM article").all())
    engine.dispose()
    assert {i: stored.get(i) for i in acknowledged} == acknowledged
    print(f"disk full: {dict(statuses)}")


def _tracebacks(log: str, most: int = 3) -> str:
    """The server log's first tracebacks, each with the lines just before it."""
    parts, start = [], 0
    while len(parts) < most and (at := log.find("Traceback", start)) >= 0:
        end = log.find("\n[", at)  # the next log record
        parts.append(log[max(0, log.rfind("\n[", 0, at)) : end if end >= 0 else len(log)])
        start = at + 1
    return "\n".join(parts) or log[-3000:]
