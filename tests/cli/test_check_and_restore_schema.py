"""`factcheck check` compares the live schema with what the migrations make, and `restore`
refuses a backup whose schema differs (issue 24, item 8); on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import sqlite3

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, inspect, select

from factcheck.extensions import db
from factcheck.models import Annotation, Status
from factcheck.services import users

from ..factories import Factory
from .test_maintenance import app_on, run

#: a backup "carrying a trigger that auto-approves new claims": a new draft reads back as
#: approved, by its own author
TAMPERING = {
    "trigger": {
        "sqlite": [
            "CREATE TRIGGER auto_approve AFTER INSERT ON annotation BEGIN "
            "UPDATE annotation SET status = 'approved', reviewer_id = NEW.author_id "
            "WHERE id = NEW.id; END"
        ],
        "postgresql": [
            "CREATE FUNCTION auto_approve() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "NEW.status := 'approved'; NEW.reviewer_id := NEW.author_id; RETURN NEW; END $$",
            "CREATE TRIGGER auto_approve BEFORE INSERT ON annotation FOR EACH ROW "
            "EXECUTE FUNCTION auto_approve()",
        ],
    },
    "dropped table": {
        "sqlite": ["DROP TABLE second_verdict"],
        "postgresql": ["DROP TABLE second_verdict"],
    },
}
#: what `check` and `restore` must say about each
SAYS = {
    "trigger": "unexpected trigger annotation.auto_approve",
    "dropped table": "missing table second_verdict",
}
#: the revision before the head: a sound backup made by the previous version
OLDER = "blind_0001_second_verdict"


def tamper(app, how: str) -> None:
    with app.app_context():
        with db.engine.begin() as conn:
            for statement in TAMPERING[how][conn.dialect.name]:
                conn.exec_driver_sql(statement)
        db.engine.dispose()


def tables(app) -> list[str]:
    with app.app_context():
        with db.engine.connect() as conn:
            names = inspect(conn).get_table_names()
        db.engine.dispose()
    return names


def dispose(*apps) -> None:
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.mark.parametrize("how", list(TAMPERING))
def test_restore_refuses_a_tampered_backup_unless_forced(new_database, tmp_path, monkeypatch, how):
    source = app_on(new_database(), tmp_path, monkeypatch)
    tamper(source, how)
    backup = tmp_path / "tampered.backup"
    made = run(source, "backup", "-o", str(backup))
    assert made.exit_code == 0, made.output
    target = app_on(new_database(), tmp_path / "target", monkeypatch, init=False)

    refused = run(target, "restore", str(backup))
    assert refused.exit_code == 1, refused.output
    assert SAYS[how] in refused.output
    assert "--force" in refused.output
    assert refused.exception is None or isinstance(refused.exception, SystemExit)
    assert tables(target) == []  # nothing was changed

    forced = run(target, "restore", "--force", str(backup))
    assert forced.exit_code == 0, forced.output
    assert SAYS[how] in forced.output  # still said, as a warning
    # and `check` sees it, as one problem (not one per column, index and key of a table)
    checked = run(target, "check")
    assert checked.exit_code == 1, checked.output
    assert f"PROBLEM  schema: {SAYS[how]}" in checked.output
    assert "second_verdict." not in checked.output
    assert "is sound" not in checked.output
    if how == "trigger":
        # what the refusal protects from: a draft approved by its own author
        with target.app_context():
            make = Factory(db.session)
            author = make.user()
            draft = make.annotation(author=author)
            db.session.expire_all()
            stored = db.session.get(Annotation, draft.id)
            assert (stored.status, stored.reviewer_id) == (Status.APPROVED, author.id)
    dispose(source, target)


def test_a_sound_backup_of_an_older_version_is_restored_and_only_needs_init(
    new_database, tmp_path, monkeypatch
):
    source = app_on(new_database(), tmp_path, monkeypatch, init=False)
    with source.app_context():
        upgrade(revision=OLDER)
    backup = tmp_path / "older.backup"
    assert run(source, "backup", "-o", str(backup)).exit_code == 0
    target = app_on(new_database(), tmp_path / "target", monkeypatch, init=False)
    restored = run(target, "restore", str(backup))
    assert restored.exit_code == 0, restored.output
    assert "differ" not in restored.output
    checked = run(target, "check")
    assert checked.exit_code == 1
    assert "run `factcheck init`" in checked.output
    assert "unexpected" not in checked.output and "missing" not in checked.output
    assert run(target, "init").exit_code == 0
    again = run(target, "check")
    assert again.exit_code == 0, again.output
    dispose(source, target)


# --- SQLite's own checks: an unreadable file, and every page of a damaged one ------------


def sqlite_only(url: str) -> None:
    if not url.startswith("sqlite"):
        pytest.skip("SQLite only")


def test_a_zeroed_header_is_one_problem_line_not_a_traceback(new_database, tmp_path, monkeypatch):
    url = new_database()
    sqlite_only(url)
    app = app_on(url, tmp_path, monkeypatch)
    dispose(app)
    path = url.removeprefix("sqlite:///")
    with open(path, "r+b") as fh:
        fh.write(bytes(100))  # the 100-byte header, zeroed
    result = run(app, "check")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    problems = [line for line in result.output.splitlines() if line.startswith("PROBLEM")]
    assert len(problems) == 1, result.output
    assert "not a database" in problems[0]

    other = app_on(new_database(), tmp_path / "other", monkeypatch, init=False)
    refused = run(other, "restore", path)
    assert refused.exit_code == 1
    assert "is not a SQLite database" in refused.output
    assert isinstance(refused.exception, SystemExit)
    dispose(app, other)


def test_integrity_check_reports_every_problem(new_database, tmp_path, monkeypatch):
    url = new_database()
    sqlite_only(url)
    app = app_on(url, tmp_path, monkeypatch)
    dispose(app)
    path = url.removeprefix("sqlite:///")
    raw = sqlite3.connect(path, isolation_level=None)
    rows = 150  # more than SQLite's default of 100 reported errors
    raw.executemany(
        "INSERT INTO rate_limit (key, count, window_start) VALUES (?, 1, ?)",
        [(f"k{n:03}", f"2026-01-01 00:00:{n % 60:02}") for n in range(rows)],
    )
    # the index now claims to hold another column than its pages do: every row is missing
    raw.execute("PRAGMA writable_schema = ON")
    raw.execute(
        "UPDATE sqlite_master SET sql = 'CREATE INDEX ix_rate_limit_window_start "
        "ON rate_limit (key)' WHERE name = 'ix_rate_limit_window_start'"
    )
    raw.execute("PRAGMA writable_schema = OFF")
    raw.close()
    result = run(app, "check")
    assert result.exit_code == 1
    integrity = [line for line in result.output.splitlines() if "PROBLEM  integrity" in line]
    assert len(integrity) >= rows, result.output[-2000:]
    assert "Traceback" not in result.output
    dispose(app)


# --- a restore that fails half-way, or an archive that tries more than SQL ---------------


def test_a_truncated_backup_changes_nothing(new_database, tmp_path, monkeypatch):
    app = app_on(new_database(), tmp_path, monkeypatch)
    with app.app_context():
        Factory(db.session).annotation()
    backup = tmp_path / "whole.backup"
    assert run(app, "backup", "-o", str(backup)).exit_code == 0
    data = backup.read_bytes()
    # the end is cut: pg_restore reads the schema version, then fails half-way through
    backup.write_bytes(data[:-50])
    with app.app_context():
        Factory(db.session).user(username="after-the-backup")
    refused = run(app, "restore", "--force", str(backup))
    assert refused.exit_code == 1, refused.output
    assert "Traceback" not in refused.output
    with app.app_context():
        assert users.get_user(db.session, "after-the-backup")  # nothing was changed
        assert db.session.scalar(select(func.count()).select_from(Annotation)) == 1
    dispose(app)


def fake_pg_restore(tmp_path, monkeypatch, revision: str, sql: str, status: int = 0) -> None:
    """A pg_restore first on PATH that answers the version, then writes ``sql`` and exits
    with ``status``."""
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "version.sql").write_text(
        f"COPY public.alembic_version (version_num) FROM stdin;\n{revision}\n\\.\n"
    )
    (folder / "restore.sql").write_text(sql)
    tool = folder / "pg_restore"
    tool.write_text(
        "#!/bin/sh\n"
        f'case "$*" in *--data-only*) cat "{folder}/version.sql";; '
        f'*) cat "{folder}/restore.sql"; exit {status};; esac\n'
    )
    tool.chmod(0o700)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")


def head() -> str:
    from alembic.script import ScriptDirectory
    from flask import current_app

    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_current_head()


@pytest.mark.parametrize("archive", ["psql command", "own commit", "failed after whole statements"])
def test_an_archive_cannot_run_psql_commands_commit_by_itself_or_half_restore(
    new_database, tmp_path, monkeypatch, archive
):
    url = new_database()
    if url.startswith("sqlite"):
        pytest.skip("PostgreSQL only")
    app = app_on(url, tmp_path, monkeypatch, init=False)
    with app.app_context():
        revision = head()
    touched = tmp_path / "touched"
    sql = {
        "psql command": f"\\! touch {touched}\n",
        "own commit": "CREATE TABLE fc_escaped (x int);\nCOMMIT;\n",
        "failed after whole statements": "CREATE TABLE fc_half (x int);\n",
    }[archive]
    fake_pg_restore(tmp_path, monkeypatch, revision, sql, status=int("failed" in archive))
    # forced: not even --force lets these through
    result = run(app, "restore", "--force", str(tmp_path / "bin" / "restore.sql"))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    if archive == "own commit":
        assert "ended the restore's transaction by itself" in result.output
    else:
        assert not touched.exists()
        assert "nothing was changed" in result.output
        assert tables(app) == []
    dispose(app)
