"""How the app writes a moment: ISO 8601 in UTC, ending in ``Z``.

Every JSON answer, export record and ``<time datetime>`` attribute uses ``iso``; the stored
datetimes are aware UTC (models/base.py), so ``+00:00`` becomes ``Z``.

A date given without a time ("2024-03-12": an article's publication, a fact-check's
``datePublished``) is stored as midnight UTC (services/records.py). It is a date, in no
time zone: pages show it as written, and only moments are shown in the reader's zone.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta


def iso(value: datetime | None, *, seconds: bool = False) -> str | None:
    """``2026-03-01T12:00:00.123456Z`` (``…T12:00:00Z`` with ``seconds``), or None."""
    if not value:
        return None
    return value.isoformat(timespec="seconds" if seconds else "auto").replace("+00:00", "Z")


def is_date_only(value: datetime | None) -> bool:
    """A date stored without its time: midnight UTC exactly."""
    return value is not None and value.utcoffset() == timedelta(0) and value.time() == time(0)


def iso_date_or_moment(value: datetime | None) -> str | None:
    """``2024-03-12`` for a date, ``iso(value)`` for a moment (what a form shows back)."""
    if value is None:
        return None
    return value.date().isoformat() if is_date_only(value) else iso(value)
