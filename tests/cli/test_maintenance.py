"""factcheck backup, restore and check, on SQLite and on PostgreSQL (issue 15)."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
import uuid

import pytest
from sqlalchemy import create_engine, func, select, text

from factcheck import create_app
from factcheck.extensions import db
from factcheck.models import Article, Role
from factcheck.services import users

from ..conftest import TEST_SECRET


@pytest.fixture
def new_database(database_url, tmp_path):
    """``new_database()`` → the URL of a new, empty database of the suite's kind."""
    made: list[str] = []
    admin = None
    if not database_url.startswith("sqlite"):
        admin = create_engine(database_url, isolation_level="AUTOCOMMIT")

    def _new() -> str:
        name = f"fc_maint_{uuid.uuid4().hex[:8]}"
        if admin is None:
            return f"sqlite:///{tmp_path / (name + '.db')}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return database_url.rsplit("/", 1)[0] + "/" + name

    yield _new
    if admin is not None:
        with admin.connect() as conn:
            for name in made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def app_on(url: str, tmp_path, monkeypatch, init: bool = True):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    config = {"TESTING": True, "SECRET_KEY": TEST_SECRET, "SQLALCHEMY_DATABASE_URI": url}
    app = create_app({**config, "WTF_CSRF_ENABLED": False})
    if init:
        result = app.test_cli_runner().invoke(args=["init"])
        assert result.exit_code == 0, result.output
    return app


def run(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    with app.app_context():
        db.session.remove()
    return result


def count_articles(app) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Article))
        db.session.remove()
        return count


def test_backup_while_the_app_writes_then_restore(new_database, tmp_path, monkeypatch):
    app = app_on(new_database(), tmp_path, monkeypatch)
    with app.app_context():
        admin = users.create_user(db.session, "admin", "admin-password-1", [Role.ADMIN])
        db.session.commit()
        session_token = admin.session_token
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_token
    acknowledged = []
    stop = threading.Event()

    failures = []

    def writer():
        n = 0
        while not stop.is_set():
            n += 1
            answer = client.post("/api/v1/articles", json={"title": f"T{n}", "text": f"Texte {n}."})
            if answer.status_code != 201:
                failures.append(answer.get_data(as_text=True)[:300])
                return
            acknowledged.append(answer.get_json()["ids"][0])

    def wait_for(count: int) -> None:
        for _ in range(600):
            if len(acknowledged) >= count or failures:
                break
            stop.wait(0.05)
        assert not failures, failures
        assert len(acknowledged) >= count

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        wait_for(20)
        floor = len(acknowledged)
        backup = tmp_path / "factcheck.backup"
        result = run(app, "backup", "-o", str(backup))
        ceiling = len(acknowledged)
        wait_for(ceiling + 5)  # the app kept writing after the backup
    finally:
        stop.set()
        thread.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output
    assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with sqlite3.connect(backup) as copy:
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # restore into another, empty database: exactly what the backup holds
    other = app_on(new_database(), tmp_path / "other", monkeypatch, init=False)
    restored = run(other, "restore", str(backup))
    assert restored.exit_code == 0, restored.output
    count = count_articles(other)
    assert floor <= count <= ceiling, (floor, count, ceiling)
    assert count < len(acknowledged)
    assert run(other, "check").exit_code == 0
    with other.app_context():
        ids = set(db.session.scalars(select(Article.id)))
        db.session.remove()
        db.engine.dispose()
    assert set(acknowledged[:floor]) <= ids
    with app.app_context():
        db.engine.dispose()


def test_restore_refuses_to_overwrite_without_force(new_database, tmp_path, monkeypatch):
    app = app_on(new_database(), tmp_path, monkeypatch)
    backup = tmp_path / "b.backup"
    assert run(app, "backup", "-o", str(backup)).exit_code == 0
    with app.app_context():
        users.create_user(db.session, "later", "a-password-123", [Role.ANNOTATOR])
        db.session.commit()
    refused = run(app, "restore", str(backup))
    assert refused.exit_code != 0
    assert "--force" in refused.output
    with app.app_context():
        assert users.get_user(db.session, "later")  # untouched
        db.session.remove()
    forced = run(app, "restore", "--force", str(backup))
    assert forced.exit_code == 0, forced.output
    with app.app_context():
        with pytest.raises(Exception, match="No user"):
            users.get_user(db.session, "later")  # back to the backup's state
        db.session.remove()
        db.engine.dispose()


def test_backup_refuses_to_overwrite_a_file_without_force(new_database, tmp_path, monkeypatch):
    app = app_on(new_database(), tmp_path, monkeypatch)
    target = tmp_path / "exists.backup"
    target.write_text("precious")
    assert run(app, "backup", "-o", str(target)).exit_code != 0
    assert target.read_text() == "precious"
    assert run(app, "backup", "--force", "-o", str(target)).exit_code == 0
    with app.app_context():
        db.engine.dispose()


def test_backup_without_pg_dump_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump anywhere
    app = app_on("postgresql://postgres@127.0.0.1:1/nowhere", tmp_path, monkeypatch, init=False)
    result = run(app, "backup", "-o", str(tmp_path / "x.backup"))
    assert result.exit_code != 0
    assert "pg_dump is not installed" in result.output
    assert not (tmp_path / "x.backup").exists()


def test_check_passes_on_a_sound_database(new_database, tmp_path, monkeypatch):
    app = app_on(new_database(), tmp_path, monkeypatch)
    result = run(app, "check")
    assert result.exit_code == 0, result.output
    assert "is sound" in result.output
    with app.app_context():
        db.engine.dispose()


def test_check_finds_orphans_and_an_old_schema(new_database, tmp_path, monkeypatch):
    app = app_on(new_database(), tmp_path, monkeypatch)
    with app.app_context():
        with db.engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA foreign_keys = OFF")  # no effect inside BEGIN…
            else:
                conn.exec_driver_sql("SET session_replication_role = replica")  # FKs off
            conn.execute(text("UPDATE alembic_version SET version_num = 'b31cf5f5310c'"))
        if db.engine.dialect.name == "sqlite":
            raw = sqlite3.connect(db.engine.url.database, isolation_level=None)
            raw.execute("PRAGMA foreign_keys = OFF")  # … so outside it, as a hand edit would
            raw.execute("INSERT INTO user_role (user_id, role) VALUES (999, 'admin')")
            raw.close()
        else:
            with db.engine.begin() as conn:
                conn.exec_driver_sql("SET session_replication_role = replica")
                conn.exec_driver_sql("INSERT INTO user_role (user_id, role) VALUES (999, 'admin')")
        db.engine.dispose()
    result = run(app, "check")
    assert result.exit_code == 1, result.output
    assert "user_role row(s) with a user_id missing from user_account" in result.output
    assert "run `factcheck init`" in result.output
    with app.app_context():
        db.engine.dispose()
