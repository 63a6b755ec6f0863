"""The rules of one article record: its text, title, URL, date, language and external
id, each cleaned or refused with a RecordError that names the field. Importing a batch
(importing.py), creating a project (its language) and revising an article (revisions.py)
all apply them, so they sit below those three.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, date, datetime

from flask import current_app, has_app_context
from flask_babel import gettext as _

from ..config import Defaults
from .formats import FIELDS
from .text import is_storable, unstorable_message
from .urls import web_address

TITLE_MAX = 500
URL_MAX = 2000
EXTERNAL_ID_MAX = 200
_LANGUAGE = re.compile(r"[a-z]{2}")
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


def normalize_text(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class RecordError(ValueError):
    """One field of one record is not valid."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def max_article_chars() -> int:
    if has_app_context():
        return int(current_app.config["MAX_ARTICLE_CHARS"])
    return Defaults.MAX_ARTICLE_CHARS


def clean_record(data: dict, *, language: str | None = None, max_chars: int | None = None) -> dict:
    """Validate and normalize one record into Article column values (RecordError if bad)."""
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise RecordError(
            str(
                _(
                    "Unknown field(s) %(names)s; the known fields are %(known)s.",
                    names=", ".join(unknown),
                    known=", ".join(FIELDS),
                )
            )
        )
    text = normalize_text(_string(data, "text") or "")
    return {
        "title": clean_title(_string(data, "title")),
        "text": check_text(text, max_chars),
        "url": clean_url(_string(data, "url")),
        "published_at": clean_date(_string(data, "published_at")),
        "language": clean_language(_string(data, "language") or language),
        "external_id": clean_external_id(data.get("external_id")),
        "text_sha256": text_hash(text),
    }


def _string(data: dict, name: str) -> str | None:
    value = data.get(name)
    if isinstance(value, str) and not is_storable(value):
        raise RecordError(unstorable_message(name), name)
    if value is None or isinstance(value, str):
        return value
    raise RecordError(_("The field %(name)s must be a string.", name=name), name)


def clean_title(value: str | None) -> str:
    title = normalize_text(value or "").strip()
    if not title:
        raise RecordError(_("The title is missing."), "title")
    if len(title) > TITLE_MAX:
        raise RecordError(_("The title is longer than %(n)s characters.", n=TITLE_MAX), "title")
    return title


def check_text(text: str, max_chars: int | None = None) -> str:
    """``text`` must be normalized already; it is checked, never changed."""
    limit = max_chars or max_article_chars()
    if not text.strip():
        raise RecordError(_("The text is empty."), "text")
    if len(text) > limit:
        raise RecordError(
            str(
                _(
                    "The text is %(n)s characters long; the limit is %(limit)s.",
                    n=f"{len(text):,}",
                    limit=f"{limit:,}",
                )
            ),
            "text",
        )
    return text


def clean_url(value: str | None) -> str | None:
    url = (value or "").strip()
    if not url:
        return None
    if web_address(url, limit=None) is None:
        raise RecordError(
            _("The url must be an http:// or https:// address (got %(url)s).", url=url[:80]),
            "url",
        )
    if len(url) > URL_MAX:
        raise RecordError(_("The url is longer than %(n)s characters.", n=URL_MAX), "url")
    return url


def clean_date(value: str | None) -> datetime | None:
    """ISO 8601 date or date-time; a date is midnight UTC, a time without offset is UTC."""
    raw = (value or "").strip()
    if not raw:
        return None
    try:
        if _DATE_ONLY.fullmatch(raw):
            day = date.fromisoformat(raw)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise RecordError(
            str(
                _(
                    "published_at %(value)s is not an ISO 8601 date "
                    "(2024-03-01 or 2024-03-01T08:30:00Z).",
                    value=raw[:40],
                )
            ),
            "published_at",
        ) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def clean_language(value: str | None) -> str | None:
    language = (value or "").strip().lower()
    if not language:
        return None
    if not _LANGUAGE.fullmatch(language):
        raise RecordError(
            str(
                _(
                    "language %(value)s is not a two-letter ISO 639-1 code such as fr or en.",
                    value=language[:20],
                )
            ),
            "language",
        )
    return language


def clean_external_id(value) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int | type(None)):
        raise RecordError(_("external_id must be a string."), "external_id")
    if isinstance(value, str) and not is_storable(value):
        raise RecordError(unstorable_message("external_id"), "external_id")
    external_id = str(value).strip() if value is not None else ""
    if len(external_id) > EXTERNAL_ID_MAX:
        raise RecordError(
            _("external_id is longer than %(n)s characters.", n=EXTERNAL_ID_MAX),
            "external_id",
        )
    return external_id or None
