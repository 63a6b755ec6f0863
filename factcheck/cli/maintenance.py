"""backup, restore and check: keeping the data safe (README, "Operations").

- SQLite: ``backup`` uses SQLite's online backup API, a consistent snapshot taken while
  the app keeps reading and writing (WAL); ``restore`` copies a backup back the same way.
- PostgreSQL: ``pg_dump`` in custom format and ``pg_restore`` (the client tools must be
  installed, as recent as the server).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import and_, exists, func, inspect, select
from sqlalchemy.engine import URL

from ..config import create_private_file
from ..extensions import db
from . import main


def fail(message: str) -> None:
    raise click.ClickException(message)


def _sqlite_path() -> Path | None:
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        fail("An in-memory SQLite database cannot be backed up or restored.")
    return Path(url.database)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password (it goes in PGPASSWORD, not argv)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        fail(
            f"{name} is not installed: install PostgreSQL's client tools (Debian: "
            f"apt-get install postgresql-client), as recent as the server, and run this again."
        )
    return path


@main.command("backup")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@with_appcontext
def backup_command(output: Path, force: bool):
    """Write a consistent copy of the database to OUTPUT while the app keeps running."""
    if output.exists() and not force:
        fail(f"{output} exists; add --force to overwrite it.")
    partial = output.with_name(output.name + ".partial")
    partial.unlink(missing_ok=True)
    create_private_file(partial)  # the copy holds the same secrets: mode 600
    try:
        source = _sqlite_path()
        if source is not None:
            _backup_sqlite(source, partial)
        else:
            _backup_postgresql(partial)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    click.echo(f"Backup written to {output} ({output.stat().st_size:,} bytes).")


def _backup_sqlite(source: Path, target: Path) -> None:
    busy = int(current_app.config["SQLITE_BUSY_TIMEOUT_MS"])
    src = sqlite3.connect(source, timeout=busy / 1000)
    dst = sqlite3.connect(target)
    try:
        # one step (pages=-1): the whole database as of one read transaction, while
        # other connections keep writing to the WAL
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
        if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            fail("The copy does not pass SQLite's integrity check; nothing was written.")
        dst.commit()
    finally:
        dst.close()
        src.close()


def _backup_postgresql(target: Path) -> None:
    dbname, env = _libpq(db.engine.url)
    command = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target)]
    command += ["--dbname", dbname]
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        fail(f"pg_dump failed: {result.stderr.strip()}")


@main.command("restore")
@click.argument("backup", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
@with_appcontext
def restore_command(backup: Path, force: bool):
    """Replace the database with the copy in BACKUP (made by `factcheck backup`)."""
    has_data = _has_tables()
    if has_data and not force:
        fail(
            f"The database {_safe_url()} already holds data; restoring would replace all of "
            "it. Add --force to do so (make a backup of it first)."
        )
    db.session.remove()
    db.engine.dispose()  # no connection of ours holds the old database open
    target = _sqlite_path()
    if target is not None:
        _restore_sqlite(backup, target)
    else:
        _restore_postgresql(backup)
    db.engine.dispose()
    click.echo(
        f"Restored {backup} into {_safe_url()}. Run `factcheck check`, then `factcheck init`"
    )
    click.echo("if the backup predates the installed version (it upgrades the schema).")


def _safe_url() -> str:
    return db.engine.url.render_as_string(hide_password=True)


def _has_tables() -> bool:
    with db.engine.connect() as conn:
        return bool(inspect(conn).get_table_names())


def _restore_sqlite(backup: Path, target: Path) -> None:
    try:
        src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        ok = src.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as error:
        fail(f"{backup} is not a SQLite database: {error}")
    if not ok or "alembic_version" not in tables:
        src.close()
        fail(f"{backup} is not a sound factcheck backup (integrity check or schema missing).")
    create_private_file(target)
    busy = int(current_app.config["SQLITE_BUSY_TIMEOUT_MS"])
    dst = sqlite3.connect(target, timeout=busy / 1000)
    try:
        src.backup(dst)  # page by page into the live file, under SQLite's locks
        dst.execute("PRAGMA journal_mode = WAL")
    finally:
        dst.close()
        src.close()


def _restore_postgresql(backup: Path) -> None:
    dbname, env = _libpq(db.engine.url)
    command = [
        _pg_tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        "--dbname",
        dbname,
        str(backup),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        fail(f"pg_restore failed (nothing was changed): {result.stderr.strip()}")


@main.command("check")
@with_appcontext
def check_command():
    """Check the database: integrity, foreign keys, schema at head, orphaned rows."""
    problems: list[str] = []
    for name, found in (
        ("integrity", _integrity()),
        ("foreign keys", _foreign_keys()),
        ("schema", _schema()),
        ("orphaned rows", _orphans()),
    ):
        if found:
            problems += found
            for line in found:
                click.echo(f"PROBLEM  {name}: {line}")
        else:
            click.echo(f"ok       {name}")
    if problems:
        raise click.exceptions.Exit(1)
    click.echo(f"Database {_safe_url()} is sound.")


def _integrity() -> list[str]:
    if db.engine.dialect.name != "sqlite":
        return []  # PostgreSQL checks its pages itself (checksums, amcheck for the keen)
    with db.engine.connect() as conn:
        rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").all()]
    return [] if rows == ["ok"] else rows[:20]


def _foreign_keys() -> list[str]:
    if db.engine.dialect.name != "sqlite":
        return []  # enforced by PostgreSQL; orphans are looked for below anyway
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    return [f"{table} row {rowid} points to a missing {parent}" for table, rowid, parent, _ in rows]


def _schema() -> list[str]:
    config = current_app.extensions["migrate"].migrate.get_config()
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with db.engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    if current == heads:
        return []
    if not current:
        return ["no schema version recorded: run `factcheck init`"]
    return [
        f"the database is at {', '.join(sorted(current))}, the code at "
        f"{', '.join(sorted(heads))}: run `factcheck init`"
    ]


def _orphans() -> list[str]:
    """Rows whose foreign key names a row that does not exist (possible on SQLite when
    foreign keys were off, e.g. a copy edited by hand)."""
    found = []
    with db.engine.connect() as conn:
        present = set(inspect(conn).get_table_names())
        for table in db.metadata.sorted_tables:
            if table.name not in present:
                continue
            for fk in table.foreign_keys:
                column, parent = fk.parent, fk.column
                if parent.table.name not in present:
                    continue
                query = (
                    select(func.count())
                    .select_from(table)
                    .where(
                        column.is_not(None),
                        ~exists().where(and_(parent == column)),
                    )
                )
                count = conn.execute(query).scalar()
                if count:
                    found.append(
                        f"{count} {table.name} row(s) with a {column.name} missing from "
                        f"{parent.table.name}"
                    )
    return found
