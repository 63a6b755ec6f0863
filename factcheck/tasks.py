"""The task queue (huey): what must not run inside a request, such as capturing a cited
page or re-checking links, runs in a consumer process beside the web server.

Where the queue lives (``QUEUE_URL``):

    ""                   a SQLite file of its own, ``instance/queue.db`` (one host:
                         ``factcheck serve`` starts its consumer)
    redis://, rediss://  Redis (web servers and ``factcheck worker`` on several hosts)
    postgresql://        PostgreSQL (huey's own tables, in the database named)

Tests run each task at once, in the caller (``QUEUE_IMMEDIATE``, on under TESTING).
A task is queued once the transaction that asked for it commits (``after_commit``), so a
worker never looks for a row that is not there yet, and a rolled-back request queues
nothing. A queue that cannot be reached never fails the request that asked: the task is
lost, logged, and can be asked for again (``POST /api/v1/sources/<id>/captures``).
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlsplit

from flask import Flask, current_app, has_app_context
from huey import Huey, PostgresHuey, RedisHuey, SqliteHuey
from huey.exceptions import RetryTask
from sqlalchemy import event
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session

from .config import create_private_file, make_private_dir
from .database import write_intent
from .extensions import db
from .services.evidence import capture, health
from .services.evidence.fetch import parse_networks
from .services.reading import suggestions as reading_suggestions

log = logging.getLogger(__name__)

#: a task that met a database outage runs again this much later
DATABASE_RETRY_SECONDS = 30


def check_links(session: Session) -> int:
    """The periodic task: queue a check of each source due (sources of approved claims not
    checked lately), so that the workers' threads share them."""
    ids = health.due(session)
    session.commit()
    for source_id in ids:
        enqueue("check_source", source_id)
    return len(ids)


#: what a worker can be asked to do: name → function(session, *args); each runs in an
#: app context of its own, with its own session, and commits once at the end
TASKS: dict[str, Callable] = {
    "capture_source": capture.capture_source,
    "check_source": health.check_source,
    "check_links": check_links,
    # an article's suggestions (services/reading), after an import or a revision
    "compute_suggestions": reading_suggestions.compute_task,
}
#: the periodic one (every LINK_CHECK_HOURS)
PERIODIC = "check_links"
QUEUE_FILE = "queue.db"
_PENDING = "factcheck_tasks"


def init_queue(app: Flask) -> None:
    """The queue is built on first use (a worker, or the first task asked for): building
    it opens its storage, which a web process that never queues has no need of. The fetch
    settings are checked now: a mistyped network must stop the app, not every capture."""
    app.extensions["huey"] = None
    try:
        parse_networks(app.config["FETCH_ALLOWED_NETWORKS"])
    except ValueError as error:
        raise RuntimeError(
            f"FETCH_ALLOWED_NETWORKS must be CIDRs separated by commas ({error})."
        ) from None


def immediate(app: Flask) -> bool:
    value = app.config.get("QUEUE_IMMEDIATE")
    return bool(app.testing if value is None else value)


def queue(app: Flask | None = None) -> Huey:
    """The app's huey, with the tasks registered on it."""
    app = app or current_app._get_current_object()
    huey = app.extensions.get("huey")
    if huey is None:
        huey = app.extensions["huey"] = build_queue(app)
    return huey


def build_queue(app: Flask) -> Huey:
    """A huey for ``app``'s settings with the tasks registered on it (their queueing
    handles in ``app.extensions["huey_tasks"]``)."""
    huey = _storage(app)
    handles = {}
    for name, func in TASKS.items():
        runner = _in_app_context(app, func)
        if name == PERIODIC:
            every = every_hours(float(app.config["LINK_CHECK_HOURS"]))
            handles[name] = huey.periodic_task(every, name=name)(runner)
        else:
            handles[name] = huey.task(name=name)(runner)
    app.extensions["huey_tasks"] = handles
    return huey


def _storage(app: Flask) -> Huey:
    url = (app.config.get("QUEUE_URL") or "").strip()
    now = immediate(app)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("factcheck", url=url, immediate=now)
    if url.startswith(("postgresql://", "postgres://")):
        dsn = url.replace("postgres://", "postgresql://", 1)
        return PostgresHuey("factcheck", dsn=dsn, immediate=now)
    if url:
        raise RuntimeError(
            f"QUEUE_URL must start with redis://, rediss:// or postgresql:// (got {url[:20]}…); "
            "leave it empty for the SQLite file in the instance folder."
        )
    if now:  # in memory: no file for a test to leave behind
        return SqliteHuey("factcheck", immediate=True)
    make_private_dir(app.instance_path)
    path = os.path.join(app.instance_path, QUEUE_FILE)
    create_private_file(path)  # queued ids and task arguments are nobody else's
    return SqliteHuey("factcheck", filename=path)


def describe(app: Flask) -> str:
    """Where the queue lives, for a log line (no password)."""
    url = (app.config.get("QUEUE_URL") or "").strip()
    if not url:
        return os.path.join(app.instance_path, QUEUE_FILE)
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname or ''}{port}{parts.path}"


def every_hours(hours: float) -> Callable[[datetime], bool]:
    """A huey schedule: true once every ``hours`` (at whole minutes since the epoch that
    the period divides: 24 h runs at midnight UTC), for any period, not only divisors of
    a day as a crontab would allow."""
    minutes = max(1, round(hours * 60))

    def due(moment: datetime) -> bool:
        return int(moment.timestamp() // 60) % minutes == 0

    return due


def _in_app_context(app: Flask, func: Callable) -> Callable:
    @functools.wraps(func)
    def run(*args):
        token = write_intent.set(False)  # a task opens its own write transactions
        try:
            with app.app_context():
                try:
                    result = func(db.session, *args)
                    db.session.commit()
                    return result
                except (OperationalError, InterfaceError) as error:
                    # the database is restarting or unreachable: one line, and the task
                    # runs again later (its work was not written: nothing is half done)
                    _rollback_quietly()
                    first = str(error).strip().splitlines()[0][:200] if str(error) else ""
                    log.warning(
                        "task %s: the database is not answering (%s); again in %d s",
                        getattr(func, "__name__", "task"),
                        first,
                        DATABASE_RETRY_SECONDS,
                    )
                    raise RetryTask(delay=DATABASE_RETRY_SECONDS) from None
                except BaseException:
                    _rollback_quietly()
                    raise
                finally:
                    db.session.remove()
        finally:
            write_intent.reset(token)

    return run


def _rollback_quietly() -> None:
    try:
        db.session.rollback()
    except (OperationalError, InterfaceError):
        db.session.close()  # the connection died with the database: drop it


# --- queueing after the commit -----------------------------------------------------------


def after_commit(session: Session, name: str, *args) -> None:
    """Queue task ``name`` once ``session`` commits (nothing if it rolls back)."""
    if name not in TASKS:
        raise KeyError(name)
    session.info.setdefault(_PENDING, []).append((name, args))


def enqueue(name: str, *args, app: Flask | None = None) -> bool:
    """Queue task ``name`` now; False (logged) when the queue cannot be reached."""
    app = app or current_app._get_current_object()
    try:
        queue(app)
        app.extensions["huey_tasks"][name](*args)
    except Exception:  # the request that asked goes on; the task can be asked again
        log.exception("could not queue %s%r", name, args)
        return False
    return True


@event.listens_for(Session, "after_commit")
def _queue_pending(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT was released (SQLAlchemy 2.1 says so too): nothing is committed
    pending = session.info.pop(_PENDING, None)
    if not pending or not has_app_context():
        return
    app = current_app._get_current_object()
    for name, args in pending:
        enqueue(name, *args, app=app)


@event.listens_for(Session, "after_soft_rollback")
def _forget_pending(session: Session, previous_transaction) -> None:
    if previous_transaction.nested:
        return  # a SAVEPOINT rolled back: what the transaction asked for still stands
    session.info.pop(_PENDING, None)


# --- many articles' suggestions in one task (an import) -----------------------------------


def compute_suggestions_many(session: Session, *article_ids: int) -> int:
    """``compute_suggestions`` for each article, each committed on its own: what an import
    queues, one task per batch of 500 articles rather than one per article (each queued
    task is a commit of the queue's own database: 8 ms on SQLite, 80 s for 10,000)."""
    done = 0
    for article_id in article_ids:
        done += bool(reading_suggestions.compute_task(session, article_id))
        session.commit()
    return done


TASKS["compute_suggestions_many"] = compute_suggestions_many
