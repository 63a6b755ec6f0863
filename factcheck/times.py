"""How the app writes a moment: ISO 8601 in UTC, ending in ``Z``.

Every JSON answer, export record and ``<time datetime>`` attribute uses ``iso``; the stored
datetimes are aware UTC (models/base.py), so ``+00:00`` becomes ``Z``.
"""

from __future__ import annotations

from datetime import datetime


def iso(value: datetime | None, *, seconds: bool = False) -> str | None:
    """``2026-03-01T12:00:00.123456Z`` (``…T12:00:00Z`` with ``seconds``), or None."""
    if not value:
        return None
    return value.isoformat(timespec="seconds" if seconds else "auto").replace("+00:00", "Z")
