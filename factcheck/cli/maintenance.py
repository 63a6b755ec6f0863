"""backup, restore and check: keeping the data safe (README, "Operations").

- SQLite: ``backup`` uses SQLite's online backup API, a consistent snapshot taken while
  the app keeps reading and writing (WAL); ``restore`` copies a backup back the same way.
- PostgreSQL: ``pg_dump`` in custom format; ``restore`` pipes ``pg_restore``'s SQL through
  ``psql`` in one transaction that ends by comparing the schema (the client tools must be
  installed, as recent as the server).
- ``check`` and ``restore`` compare the schema with what the migrations make (schema.py):
  a backup that differs (a trigger that approves claims by itself, a dropped table) is
  refused unless ``--force``.
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
from sqlalchemy import and_, create_engine, exists, func, inspect, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from ..config import create_private_file
from ..extensions import db
from . import main, pg_restore, schema

#: PRAGMA integrity_check's limit on reported problems (SQLite's default is 100): all of them
ALL_PROBLEMS = 2**31 - 1


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


def _reason(error: Exception) -> str:
    """The first line of a database error, without SQLAlchemy's wrapping."""
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


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
@click.option(
    "--force",
    is_flag=True,
    help="Replace a database that already holds data; restore a backup whose schema is not "
    "what the migrations make (the differences are still shown).",
)
@with_appcontext
def restore_command(backup: Path, force: bool):
    """Replace the database with the copy in BACKUP (made by `factcheck backup`).

    A backup whose schema is not what the migrations make is refused unless --force."""
    try:
        has_data = _has_tables()
    except (DBAPIError, sqlite3.DatabaseError) as error:
        fail(
            f"The database {_safe_url()} cannot be read ({_reason(error)}). Stop the app, "
            "move the damaged file (and its -wal and -shm files) aside, and restore again."
        )
    if has_data and not force:
        fail(
            f"The database {_safe_url()} already holds data; restoring would replace all of "
            "it. Add --force to do so (make a backup of it first)."
        )
    db.session.remove()
    db.engine.dispose()  # no connection of ours holds the old database open
    target = _sqlite_path()
    if target is not None:
        _restore_sqlite(backup, target, force)
    else:
        _restore_postgresql(backup, force)
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


def _expected(revision: str) -> tuple[schema.Schema | None, str | None]:
    """What the migrations up to ``revision`` make, or why it cannot be known."""
    if not schema.known_revision(revision):
        return None, (
            f"its schema version {revision} is unknown to this version of factcheck (a backup "
            "of a newer version? install that version first)"
        )
    try:
        return schema.expected(revision), None
    except Exception as error:  # a scratch schema we may not create, a full disk, …
        return None, f"the schema the migrations make could not be built: {_reason(error)}"


def _refuse_or_warn(backup: Path, differs: list[str], force: bool) -> None:
    listing = "\n".join(f"  {line}" for line in differs)
    if not force:
        fail(
            f"{backup} was not restored (nothing was changed): its schema is not what "
            f"factcheck's migrations make.\n{listing}\nA changed schema changes what the app "
            "does (a trigger can approve claims by itself). Add --force only if you know why "
            "it differs."
        )
    click.echo(f"Warning: the schema of {backup} is not what factcheck's migrations make:")
    click.echo(listing)


def _backup_uri(backup: Path) -> str:
    return backup.resolve().as_uri() + "?mode=ro"


def _restore_sqlite(backup: Path, target: Path, force: bool) -> None:
    src = sqlite3.connect(_backup_uri(backup), uri=True)
    try:
        _vet_sqlite_backup(backup, src, force)
        create_private_file(target)
        busy = int(current_app.config["SQLITE_BUSY_TIMEOUT_MS"])
        dst = sqlite3.connect(target, timeout=busy / 1000)
        try:
            src.backup(dst)  # page by page into the live file, under SQLite's locks
            dst.execute("PRAGMA journal_mode = WAL")
        finally:
            dst.close()
    finally:
        src.close()


def _vet_sqlite_backup(backup: Path, src: sqlite3.Connection, force: bool) -> None:
    """Refuse a backup that is not a sound SQLite file with one schema version, or (unless
    forced) whose schema is not what the migrations make."""
    try:
        problems = [r[0] for r in src.execute(f"PRAGMA integrity_check({ALL_PROBLEMS})")]
        tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        versions = []
        if "alembic_version" in tables:
            versions = [r[0] for r in src.execute("SELECT version_num FROM alembic_version")]
    except sqlite3.DatabaseError as error:
        fail(f"{backup} is not a SQLite database: {error}")
    if problems != ["ok"] or len(versions) != 1:
        why = "; ".join(problems[:5]) if problems != ["ok"] else "no schema version recorded"
        fail(f"{backup} is not a sound factcheck backup ({why}).")
    reader = create_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(_backup_uri(backup), uri=True),
        poolclass=NullPool,
    )
    try:
        with reader.connect() as conn:
            found = schema.read(conn)
    finally:
        reader.dispose()
    wanted, problem = _expected(versions[0])
    differs = [problem] if problem else schema.differences(wanted, found)
    if differs:
        _refuse_or_warn(backup, differs, force)


def _restore_postgresql(backup: Path, force: bool) -> None:
    dbname, env = _libpq(db.engine.url)
    tools = (_pg_tool("pg_restore"), _pg_tool("psql"))
    versions, unreadable = pg_restore.archive_revision(tools[0], backup)
    if unreadable:
        fail(f"pg_restore cannot read {backup} (nothing was changed): {unreadable}")
    if len(versions) != 1:
        fail(f"{backup} is not a sound factcheck backup (no schema version recorded).")
    wanted, problem = _expected(versions[0])  # built before the restore takes its locks
    if problem:
        _refuse_or_warn(backup, [problem], force)
    with db.engine.connect() as conn:
        target_schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
    db.engine.dispose()
    outcome = pg_restore.restore(tools, backup, dbname, env, target_schema, wanted, force)
    if not outcome.ok:
        fail(f"pg_restore failed (nothing was changed): {outcome.error}")
    if outcome.escaped:
        fail(
            f"{backup} ended the restore's transaction by itself (a crafted backup?): what it "
            "restored up to then stays in the database. Restore a backup you trust."
        )
    differs = schema.differences(wanted, outcome.found) if wanted is not None else []
    if differs:
        _refuse_or_warn(backup, differs, force)
    if not outcome.committed:
        fail(f"The restore of {backup} did not commit (nothing was changed).")


@main.command("check")
@with_appcontext
def check_command():
    """Check the database: integrity, foreign keys, schema (version, and structure against
    what the migrations make), orphaned rows."""
    unreadable = _unreadable()
    if unreadable:
        click.echo(f"PROBLEM  integrity: {unreadable}")
        raise click.exceptions.Exit(1)
    problems: list[str] = []
    for name, check in (
        ("integrity", _integrity),
        ("foreign keys", _foreign_keys),
        ("schema", _schema),
        ("orphaned rows", _orphans),
    ):
        try:
            found = check()
        except (DBAPIError, sqlite3.DatabaseError) as error:
            found = [f"could not be checked: {_reason(error)}"]
        if found:
            problems += found
            for line in found:
                click.echo(f"PROBLEM  {name}: {line}")
        else:
            click.echo(f"ok       {name}")
    if problems:
        raise click.exceptions.Exit(1)
    click.echo(f"Database {_safe_url()} is sound.")


def _unreadable() -> str | None:
    """Why the database cannot be opened at all (a zeroed SQLite header, a server that does
    not answer), in one line; None when it can."""
    try:
        with db.engine.connect() as conn:
            conn.exec_driver_sql(
                "SELECT count(*) FROM sqlite_master" if _is_sqlite() else "SELECT 1"
            )
    except (DBAPIError, sqlite3.DatabaseError) as error:
        return f"the database {_safe_url()} cannot be read: {_reason(error)}"
    return None


def _is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def _integrity() -> list[str]:
    if not _is_sqlite():
        return []  # PostgreSQL checks its pages itself (checksums, amcheck for the keen)
    with db.engine.connect() as conn:
        # every page, every problem: the default stops reporting after 100
        rows = conn.exec_driver_sql(f"PRAGMA integrity_check({ALL_PROBLEMS})").scalars().all()
    return [] if rows == ["ok"] else rows


def _foreign_keys() -> list[str]:
    if not _is_sqlite():
        return []  # enforced by PostgreSQL; orphans are looked for below anyway
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    return [f"{table} row {rowid} points to a missing {parent}" for table, rowid, parent, _ in rows]


def _schema() -> list[str]:
    """The schema version against the code's, then the schema itself against what the
    migrations up to the recorded version make."""
    config = current_app.extensions["migrate"].migrate.get_config()
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with db.engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    if not current:
        return ["no schema version recorded: run `factcheck init`"]
    problems = []
    if current != heads:
        problems.append(
            f"the database is at {', '.join(sorted(current))}, the code at "
            f"{', '.join(sorted(heads))}: run `factcheck init`"
        )
    revision = current.pop() if len(current) == 1 else None
    if revision is None or not schema.known_revision(revision):
        return problems  # a version this code does not know: said above
    wanted, problem = _expected(revision)
    if problem:
        return problems + [problem]
    with db.engine.connect() as conn:
        return problems + schema.differences(wanted, schema.read(conn))


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
