"""The SQL statements a piece of code sends: for tests that check a page or a service runs
as many queries for many rows as for a few (no query per row)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from factcheck.extensions import db


@contextmanager
def statements(select_only: bool = False) -> Iterator[list[str]]:
    """Records, in the yielded list, every statement sent while the block runs (only the
    SELECTs with ``select_only``)."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if not select_only or statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
