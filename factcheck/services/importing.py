"""Importing articles: every path (admin page, CLI, API, demo) goes through here.

Text is normalized exactly once, here (``clean_record``): BOM removed, CRLF/CR → LF,
Unicode NFC. Nothing else is rewritten: no whitespace collapsing, no quote changes.

A batch is atomic: ``import_records`` only adds and flushes; the caller commits once,
so a crash leaves the whole batch or nothing. Invalid records are reported (line and
reason) and skipped; with ``strict=True`` nothing is imported when any is invalid.
A record whose ``external_id`` is already known (stored, or earlier in the same batch)
is skipped and reported as a duplicate; with ``update=True`` a stored article whose text
differs gets a new revision instead (services/revisions.py: its claims are re-anchored).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask import current_app, has_app_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ..config import Defaults
from ..models import Article, User, utcnow
from .fold import article_search_text
from .formats import FIELDS, Parsed, Problem, RawRecord, parse
from .text import is_storable, unstorable_message
from .urls import web_address

__all__ = [
    "ImportReport",
    "Problem",
    "RawRecord",
    "RecordError",
    "clean_record",
    "import_files",
    "import_records",
    "normalize_text",
    "text_hash",
]

TITLE_MAX = 500
URL_MAX = 2000
EXTERNAL_ID_MAX = 200
CHUNK = 500  # rows per INSERT / per duplicate lookup (well under any bind-parameter limit)
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


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    strict: bool = False
    #: (article id, new revision number) of the known articles given a new text (--update)
    revised: list[tuple[int, int]] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return [a.id for a in self.articles]

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    def as_dict(self) -> dict:
        return {
            "imported": self.imported,
            "ids": self.ids,
            "duplicates": [d.as_dict() | {"external_id": d.external_id} for d in self.duplicates],
            "errors": [e.as_dict() for e in self.errors],
            "strict": self.strict,
            "revised": [{"id": i, "revision": n} for i, n in self.revised],
        }


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
                _l(
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
                _l(
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
                _l(
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
                _l(
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


def known_external_ids(session: Session, external_ids: Iterable[str]) -> set[str]:
    """Those of ``external_ids`` already stored: one query per CHUNK, not one per record."""
    wanted = list(dict.fromkeys(external_ids))
    found: set[str] = set()
    for i in range(0, len(wanted), CHUNK):
        chunk = wanted[i : i + CHUNK]
        found.update(
            session.scalars(select(Article.external_id).where(Article.external_id.in_(chunk)))
        )
    return found


def import_records(
    session: Session,
    records: Iterable[dict | RawRecord],
    user: User | None,
    *,
    language: str | None = None,
    strict: bool = False,
    problems: Iterable[Problem] = (),
    progress: Callable[[int], None] | None = None,
    update: bool = False,
    project=None,
) -> ImportReport:
    """Validate, de-duplicate and insert ``records`` as one batch (flushed, not committed)
    into ``project`` (None: the default project).

    ``update``: a known ``external_id`` with a different text makes a revision of that
    article, by ``user`` (an admin: the re-anchoring history names them).

    ``problems`` are errors found earlier (undecodable file, bad JSON line): they count
    as invalid records for ``strict``. ``progress(n)`` is called as records are handled.
    """
    report = ImportReport(errors=list(problems), strict=strict)
    limit = max_article_chars()
    valid: list[tuple[RawRecord, dict]] = []
    raw_records = [
        r if isinstance(r, RawRecord) else RawRecord(r, "", i) for i, r in _number(records)
    ]
    for raw in raw_records:
        try:
            valid.append((raw, clean_record(raw.data, language=language, max_chars=limit)))
        except RecordError as error:
            external_id = raw.data.get("external_id")
            report.errors.append(Problem(raw.line, error.message, raw.source, _as_id(external_id)))
    _in_file_order(report.errors, raw_records)
    if strict and report.errors:
        if progress:
            progress(len(raw_records))
        return report
    if progress and len(valid) < len(raw_records):
        progress(len(raw_records) - len(valid))
    rows = _drop_duplicates(session, valid, report, user if update else None)
    if progress and len(rows) < len(valid):
        progress(len(valid) - len(rows))
    if project is None:
        from .projects import resolve  # projects imports this module (clean_language)

        project = resolve(session, None, None)
    if language is None and project.default_language:
        for row in rows:
            row["language"] = row["language"] or project.default_language
    _insert(session, rows, user, report, progress, project.id)
    return report


def _in_file_order(problems: list[Problem], raw_records: list[RawRecord]) -> None:
    """Sort ``problems`` as a reader meets them: files in the order given, lines up."""
    rank: dict[str, int] = {}
    for source in [p.source for p in problems] + [r.source for r in raw_records]:
        rank.setdefault(source or "", len(rank))
    problems.sort(key=lambda p: (rank[p.source or ""], p.line or 0))


def _number(records: Iterable[dict | RawRecord]):
    return enumerate(records, start=1)


def _as_id(value) -> str | None:
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


def _drop_duplicates(
    session: Session,
    valid: list[tuple[RawRecord, dict]],
    report: ImportReport,
    reviser: User | None = None,
) -> list[dict]:
    known = known_external_ids(session, (v["external_id"] for _r, v in valid if v["external_id"]))
    stored = set(known)
    rows = []
    for raw, values in valid:
        external_id = values["external_id"]
        if external_id is not None:
            if reviser is not None and external_id in stored:
                stored.discard(external_id)  # a second copy in the batch is a duplicate
                if _revise(session, raw, values, reviser, report):
                    continue
            if external_id in known:
                message = _("An article with external_id %(id)s exists.", id=external_id)
                report.duplicates.append(Problem(raw.line, message, raw.source, external_id))
                continue
            known.add(external_id)  # a second copy later in this batch is a duplicate too
        rows.append(values)
    return rows


def _revise(
    session: Session, raw: RawRecord, values: dict, user: User, report: ImportReport
) -> bool:
    """A new revision of the stored article when the text differs; False if it does not."""
    from . import revisions  # it imports this module: it builds on its text rules

    article = session.scalar(select(Article).where(Article.external_id == values["external_id"]))
    if article is None or article.text == values["text"]:
        return False
    result = revisions.create_revision(
        session, article, values["text"], note=f"import: {raw.source or 'record'}", user=user
    )
    report.revised.append((article.id, result.revision.number))
    return True


def _insert(
    session: Session,
    rows: list[dict],
    user: User | None,
    report: ImportReport,
    progress: Callable[[int], None] | None,
    project_id: int,
) -> None:
    # One multi-row INSERT ... RETURNING per chunk: thousands of articles per second,
    # and the ORM objects come back (for ids and callers) without a SELECT each.
    now = utcnow()
    user_id = user.id if user is not None else None
    statement = insert(Article).returning(Article, sort_by_parameter_order=True)
    for i in range(0, len(rows), CHUNK):
        chunk = [
            row
            | {
                "imported_by_id": user_id,
                "created_at": now,
                "updated_at": now,
                "project_id": project_id,
                # a bulk INSERT skips the model's listeners: fold for search here
                "search_text": article_search_text(row.get("title"), row.get("text")),
            }
            for row in rows[i : i + CHUNK]
        ]
        report.articles.extend(session.scalars(statement, chunk))
        report.imported += len(chunk)
        if progress:
            progress(len(chunk))
    session.flush()


def import_files(
    session: Session,
    files: Iterable[tuple[str, bytes]],
    user: User | None,
    *,
    fmt: str = "auto",
    language: str | None = None,
    strict: bool = False,
    title: str | None = None,
    progress: Callable[[int], None] | None = None,
    project=None,
) -> ImportReport:
    """Parse every file, then import all their records as one batch."""
    parsed = parse_all(files, fmt=fmt, title=title)
    return import_records(
        session,
        parsed.records,
        user,
        language=language,
        strict=strict,
        problems=parsed.problems,
        progress=progress,
        project=project,
    )


def parse_all(
    files: Iterable[tuple[str, bytes]], *, fmt: str = "auto", title: str | None = None
) -> Parsed:
    combined = Parsed()
    for name, data in files:
        one = parse(data, name, fmt, title)
        combined.records.extend(one.records)
        combined.problems.extend(one.problems)
    return combined
