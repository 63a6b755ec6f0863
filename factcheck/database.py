"""Engine set-up: SQLite pragmas and write transactions that never deadlock; the
database and its migrations on the app."""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine

from . import models  # noqa: F401  (register the tables)
from .config import create_private_file, make_private_dir, tighten
from .extensions import db, migrate
from .models.base import UTCDateTime
from .models.functions import unicode_lower
from .services import text  # noqa: F401  (the before_flush guard against NUL)

MIGRATIONS = str(Path(__file__).parent / "migrations")

#: True while the current unit of work will write (POST/PUT/PATCH/DELETE requests, CLI
#: commands that change data): their SQLite transactions take the write lock up front.
write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)


def init_database(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=MIGRATIONS,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
    )
    with app.app_context():
        make_sqlite_private(db.engine.url, app.instance_path)
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def sqlite_file(url: URL) -> Path | None:
    """The file of a SQLite URL (``sqlite:///path`` or ``sqlite:///file:path?uri=true``), or
    None for another database or one in memory."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    if str(url.query.get("uri", "")).lower() not in ("true", "1"):
        return Path(url.database)
    if url.query.get("mode") == "memory":
        return None
    return Path(unquote(urlsplit(url.database).path))


def make_sqlite_private(url: URL, instance_path: str) -> None:
    """The database holds unpublished verdicts wherever it is: its file is created with mode
    600 before SQLite opens it (SQLite gives its -wal and -shm files the database file's
    mode), a file of ours that is more open is tightened, -wal and -shm included, and the
    instance folder is made 700 when the file is in it (Flask-SQLAlchemy creates it 755 for
    a relative path). Another folder is the operator's: left as it is."""
    path = sqlite_file(url)
    if path is None:
        return
    if path.parent.resolve() == Path(instance_path).resolve():
        make_private_dir(path.parent)
    try:
        create_private_file(path)
    except OSError:
        return  # a missing or read-only folder: SQLite says so when it opens the file
    for suffix in ("-wal", "-shm", "-journal"):
        tighten(f"{path}{suffix}", 0o600)


def _render_item(type_, obj, autogen_context):
    """Write our column types as plain SQLAlchemy types in migrations."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def configure_engine(engine: Engine, busy_timeout_ms: int) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # let us emit BEGIN ourselves (pysqlite's own handling is too late and too weak)
        dbapi_connection.isolation_level = None
        dbapi_connection.create_function("unicode_lower", 1, unicode_lower, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")  # durable across app crashes in WAL
        cursor.close()

    @event.listens_for(engine, "commit")
    def _on_commit(_connection):
        # a request writes once ("commit once"): what follows the commit, such as
        # serializing the answer, reads without holding the write lock
        write_intent.set(False)

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A deferred transaction that reads and then writes fails at once with
        # "database is locked" when another writer got in between, whatever the busy
        # timeout; taking the write lock up front makes writers queue instead.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")


def commit_keeping(session) -> None:
    """Commit the current transaction, keeping the loaded objects usable (no reload)."""
    session = session() if callable(session) else session  # a scoped_session gives its own
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


def start_write(session) -> None:
    """End the current (read) transaction, keeping the loaded objects usable, and make the
    next one a write transaction (on SQLite, BEGIN IMMEDIATE: it queues for the write lock
    instead of failing with "database is locked" when it upgrades from a read)."""
    commit_keeping(session)
    write_intent.set(True)


def start_read(session) -> None:
    """End the caller's transaction (nothing written in it yet), keeping the loaded objects
    usable, and make the next one a read: on SQLite it takes no write lock, so a long
    computation does not stop every other writer."""
    commit_keeping(session)
    write_intent.set(False)
