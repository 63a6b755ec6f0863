"""Counters for rate limits, shared by every worker through the database.

``hit`` counts one attempt and returns the count in the current window in ONE statement
(``INSERT … ON CONFLICT DO UPDATE … RETURNING``): on PostgreSQL the row lock orders
parallel attempts, on SQLite the write lock does, so 45 simultaneous attempts against a
limit of 10 let exactly 10 through. A window is fixed: it starts at the first attempt and
a new one starts with the first attempt after it has passed.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import case, delete, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..models import RateLimit, utcnow


def hit(session: Session, key: str, window_seconds: int) -> int:
    """Count one attempt under ``key``; return the attempts in the current window."""
    now = utcnow()
    since = now - timedelta(seconds=window_seconds)
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    expired = RateLimit.window_start < literal(since, RateLimit.window_start.type)
    statement = (
        insert(RateLimit)
        .values(key=key[:200], count=1, window_start=now)
        .on_conflict_do_update(
            index_elements=[RateLimit.key],
            set_={
                # both read the row as it was: a new window, or one more in this one
                "count": case((expired, 1), else_=RateLimit.count + 1),
                "window_start": case(
                    (expired, literal(now, RateLimit.window_start.type)),
                    else_=RateLimit.window_start,
                ),
            },
        )
        .returning(RateLimit.count)
    )
    return session.execute(statement).scalar_one()


def count(session: Session, key: str, window_seconds: int) -> int:
    """Attempts under ``key`` in the current window (0 when none or expired)."""
    since = utcnow() - timedelta(seconds=window_seconds)
    found = session.scalar(
        select(RateLimit.count).where(RateLimit.key == key[:200], RateLimit.window_start >= since)
    )
    return found or 0


def clear(session: Session, *keys: str) -> None:
    session.execute(delete(RateLimit).where(RateLimit.key.in_([k[:200] for k in keys])))


def refund(session: Session, *keys: str) -> None:
    """Take one attempt back (a success is not a failure)."""
    session.execute(
        update(RateLimit)
        .where(RateLimit.key.in_([k[:200] for k in keys]), RateLimit.count > 0)
        .values(count=RateLimit.count - 1)
        .execution_options(synchronize_session=False)
    )


def purge(session: Session, window_seconds: int) -> None:
    """Forget windows long past (they limit nothing any more)."""
    cutoff = utcnow() - timedelta(seconds=window_seconds * 2)
    session.execute(delete(RateLimit).where(RateLimit.window_start < cutoff))
