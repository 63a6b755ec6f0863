"""Where and when a claim was made (DESIGN.md, "The desk's memory"): ``claim_date``,
``claim_medium`` and ``appearances``, checked as a claim's other fields are.

Appearances are rows (models/desk.py ``Appearance``), replaced as a whole when a save
changes them, like sources (``workflow.bump(..., appearances=...)``). A save that sends
the stored list back writes nothing: no DELETE, no INSERT.

At most one appearance is marked ``first``. None marked means none is known to be the
first: the earliest dated one is NOT marked on its own, because a desk that found the
claim on Tuesday rarely knows it was not said on Monday.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

from flask_babel import gettext as _

from ..models import Annotation, Appearance, ClaimMedium
from .errors import Invalid
from .text import check_storable
from .urls import web_address

MAX_APPEARANCES = 50
LIMITS = {"url": 2000, "note": 2000}
FIELDS = ("url", "date", "note", "first")
#: ISO 8601 calendar date, nothing else ("2026-12-07")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(value: object, field: str) -> date | None:
    """A ``YYYY-MM-DD`` date no later than tomorrow (UTC: a claim made this evening in
    Nouméa is tomorrow's date in Paris), or None for an empty value; 422 naming ``field``."""
    if value is None or value == "":
        return None
    day = None
    if isinstance(value, str) and _DAY.fullmatch(value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            day = None
    if day is None:
        raise Invalid(_("%(field)s must be a date written YYYY-MM-DD.", field=field), field=field)
    if day > datetime.now(UTC).date() + timedelta(days=1):
        raise Invalid(_("%(field)s cannot be in the future.", field=field), field=field)
    return day


def check_medium(value: object) -> ClaimMedium | None:
    """One of ``ClaimMedium``'s values, or None for an empty value; 422 listing them."""
    if value is None or value == "":
        return None
    try:
        return ClaimMedium(value)
    except ValueError:
        raise Invalid(
            _(
                "claim_medium must be one of: %(names)s.",
                names=", ".join(m.value for m in ClaimMedium),
            ),
            field="claim_medium",
        ) from None


def clean(value: object) -> list[dict]:
    """The appearances sent, checked: each ``{url, date, note, first}``, in order."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise Invalid(_("appearances must be a list."), field="appearances")
    if len(value) > MAX_APPEARANCES:
        raise Invalid(_("At most %(n)s appearances.", n=MAX_APPEARANCES), field="appearances")
    rows = [_row(item) for item in value]
    if sum(row["first"] for row in rows) > 1:
        raise Invalid(_("Mark at most one appearance as the first."), field="appearances")
    return rows


def _row(item: object) -> dict:
    if isinstance(item, str):
        item = {"url": item}
    if not isinstance(item, Mapping):
        raise Invalid(_("Each appearance is an object with a url."), field="appearances")
    unknown = set(item) - set(FIELDS)
    if unknown:
        raise Invalid(
            _("Unknown appearance field: %(names)s.", names=", ".join(sorted(unknown))),
            field="appearances",
        )
    url = web_address(item.get("url"), LIMITS["url"])
    if url is None:
        raise Invalid(
            _(
                "An appearance must be a web address starting with http:// or https:// "
                "(at most %(n)s characters).",
                n=LIMITS["url"],
            ),
            field="appearances",
        )
    note = item.get("note") or ""
    if not isinstance(note, str) or len(note) > LIMITS["note"]:
        raise Invalid(
            _("An appearance's note is text of at most %(n)s characters.", n=LIMITS["note"]),
            field="appearances",
        )
    check_storable(note, "appearances")
    first = item.get("first", False)
    if not isinstance(first, bool):
        raise Invalid(_("An appearance's first is true or false."), field="appearances")
    try:
        day = parse_day(item.get("date"), "appearances")
    except Invalid:
        raise Invalid(
            _("An appearance's date is written YYYY-MM-DD and is not in the future."),
            field="appearances",
        ) from None
    return {"url": url, "date": day, "note": note.strip(), "first": first}


def _key(row: Mapping) -> tuple:
    return (row["url"], row["date"], row["note"], row["first"])


def _stored_key(row: Appearance) -> tuple:
    return (row.url, row.date, row.note, row.first)


def changes(annotation: Annotation, rows: list[dict]) -> list[dict] | None:
    """The rows to write for ``annotation`` (each with the ``article_id`` its stored row
    with the same address had), or None when they are the stored ones."""
    stored = annotation.appearances
    if [_key(r) for r in rows] == [_stored_key(a) for a in stored]:
        return None
    article_of = {a.url: a.article_id for a in stored if a.article_id is not None}
    return [row | {"article_id": article_of.get(row["url"])} for row in rows]
