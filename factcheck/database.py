"""Engine set-up: SQLite pragmas and write transactions that never deadlock; the
database and its migrations on the app."""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from . import models  # noqa: F401  (register the tables)
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
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


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


def start_write(session) -> None:
    """End the current (read) transaction, keeping the loaded objects usable, and make the
    next one a write transaction (on SQLite, BEGIN IMMEDIATE: it queues for the write lock
    instead of failing with "database is locked" when it upgrades from a read)."""
    session = session() if callable(session) else session  # a scoped_session gives its own
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep
    write_intent.set(True)
