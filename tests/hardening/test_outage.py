"""A database that cannot answer gets a clear 503 (507 when its disk is full): JSON under
/api, an HTML page otherwise, never a traceback or a 500 (issue 15)."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
from sqlalchemy import event, func, select

from factcheck import create_app
from factcheck.extensions import db
from factcheck.models import Article, Role

from ..conftest import TEST_SECRET


def test_unreachable_database_answers_503_json_and_html(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": TEST_SECRET,
            # nothing listens on port 1: every connection attempt is refused at once
            "SQLALCHEMY_DATABASE_URI": "postgresql://postgres@127.0.0.1:1/factcheck",
        }
    )
    client = app.test_client()
    api = client.get("/api/v1/verdicts", headers={"Authorization": "Bearer fc_whatever"})
    assert api.status_code == 503
    assert api.get_json()["error"]["code"] == "database_unavailable"
    assert api.headers["Retry-After"]
    with client.session_transaction() as session:
        session["_user_id"] = "someone"
    page = client.get("/articles/")
    assert page.status_code == 503
    text = page.get_data(as_text=True)
    assert "<html" in text and "database is not answering" in text
    assert "Traceback" not in text and "psycopg" not in text
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def sqlite_only(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite only (the PostgreSQL outage is tested against a real restart)")


@pytest.mark.fresh_app  # it changes the engine's connect hook
def test_locked_sqlite_database_answers_503(app, make, login, client, sqlite_only):
    login(make.user(roles=[Role.ADMIN]))
    app.config["SQLITE_BUSY_TIMEOUT_MS"] = 200
    with app.app_context():
        db.engine.dispose()  # new connections, with the short busy timeout
        path = db.engine.url.database

        @event.listens_for(db.engine, "connect")
        def _short_timeout(dbapi_connection, _record):
            dbapi_connection.execute("PRAGMA busy_timeout = 200")

    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        response = client.post("/api/v1/articles", json={"title": "T", "text": "Un texte."})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    assert response.get_json()["error"]["code"] == "database_unavailable"
    again = client.post("/api/v1/articles", json={"title": "T", "text": "Un texte."})
    assert again.status_code == 201  # the lock is gone: it works again at once


@pytest.mark.fresh_app  # it changes the engine's connect hook
def test_full_sqlite_database_answers_507_and_keeps_what_it_had(
    app, make, login, client, sqlite_only
):
    login(make.user(roles=[Role.ADMIN]))
    first = client.post("/api/v1/articles", json={"title": "Kept", "text": "Un texte."})
    assert first.status_code == 201
    with app.app_context():
        db.engine.dispose()
        pages = db.session.execute(db.text("PRAGMA page_count")).scalar()
        db.session.remove()
        db.engine.dispose()

        @event.listens_for(db.engine, "connect")
        def _tiny_disk(dbapi_connection, _record):
            # the database may not grow past its current size: SQLite's "disk is full"
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")

    big = "Un long texte. " * 20_000
    statuses = []
    for n in range(200):  # free pages left by earlier tests fill first
        statuses.append(
            client.post("/api/v1/articles", json={"title": f"Big {n}", "text": big}).status_code
        )
        if statuses[-1] != 201:
            break
    assert statuses[-1] == 507 and set(statuses) <= {201, 507}, statuses
    full = client.post("/api/v1/articles", json={"title": "Big", "text": big})
    assert full.status_code == 507
    assert full.get_json()["error"]["code"] == "disk_full"
    assert client.get("/api/v1/articles").status_code == 200  # reading still works
    with app.app_context():
        titles = db.session.scalars(select(Article.title)).all()
        assert "Kept" in titles
        assert db.session.scalar(select(func.count()).select_from(Article)) == len(titles)


def test_a_token_read_works_when_its_last_use_cannot_be_recorded(app, make, client):
    """Recording a token's use is bookkeeping: a full disk (or a busy database) that
    refuses it must not turn the read itself into an error."""
    admin = make.user(roles=[Role.ADMIN])
    secret = make.token(admin)
    headers = {"Authorization": f"Bearer {secret}"}
    failures = []
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            full = sqlite3.OperationalError("database or disk is full")
        else:
            full = psycopg.errors.DiskFull("could not extend file: No space left on device")

        @event.listens_for(db.engine, "before_cursor_execute")
        def _full_disk(_conn, _cursor, statement, *_args):
            if statement.lstrip().upper().startswith("UPDATE API_TOKEN"):
                failures.append(statement)
                raise full

    try:
        response = client.get("/api/v1/articles", headers=headers)
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", _full_disk)
    assert failures, "the token's use was not even attempted"
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
