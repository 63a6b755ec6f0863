"""Past fact-checks: reading schema.org ClaimReview archives, and listing them.

Accepted: a JSON array of ClaimReview objects (our own export), JSON Lines (one object a
line), or a JSON-LD document (one ClaimReview, or an ``@graph``/``itemListElement`` list
holding them). Read: ``claimReviewed``, ``itemReviewed.author.name``,
``reviewRating.alternateName``, ``url``, ``datePublished``, ``author.name``, ``inLanguage``.

Each record stands alone: one without ``claimReviewed`` or ``url``, or hostile (nested
deeper than ``jsonsafe.MAX_DEPTH``, a number of thousands of digits, a ``datePublished``
no calendar holds, text a database cannot store) is skipped and reported with its file and
line; the others are imported whole. Idempotent by ``url``: a known url is updated in place
when something changed, and left alone otherwise.

An import reads and checks every record of a file first, with no transaction open, then
writes the new and changed ones ``BATCH`` urls per write transaction, each committed: the
write lock is held a few milliseconds at a time, so that other writers (a reviewer's
decision) wait well within their busy timeout. An interrupted import keeps the batches it
committed; running it again completes it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import jsonsafe
from ..database import commit_keeping, write_intent
from ..models import FactCheck, Verdict, utcnow
from .errors import DomainError, Invalid
from .matching.text import fold
from .text import is_storable, unstorable_message
from .urls import MAX_LENGTH as URL_LIMIT
from .urls import web_address

LIMITS = {"claim": 2000, "claimant": 300, "rating": 300, "publisher": 300, "language": 16}
#: urls per write transaction: a few milliseconds of SQLite's write lock each
BATCH = 500
#: the stored fields a record gives, compared to tell a change from a copy
FIELDS = ("claim", "claimant", "rating", "verdict", "publisher", "language", "published_at")
#: ratings of other newsrooms that name a verdict of the default scale
RATING_SYNONYMS = {
    "faux": "false",
    "vrai": "true",
    "plutot vrai": "mostly_true",
    "plutot faux": "mostly_false",
    "trompeur": "misleading",
    "mitige": "mixed",
    "en partie vrai": "mixed",
    "partly true": "mixed",
    "half true": "mixed",
    "pants on fire": "false",
    "invérifiable": "unverifiable",
    "inverifiable": "unverifiable",
    "non verifiable": "unverifiable",
    "unproven": "unverifiable",
}


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": len(self.errors),
            "errors": self.errors,
        }


# --- reading ------------------------------------------------------------------------


def documents(text: str) -> Iterator[tuple[int, int | None, object]]:
    """(line, rank in a JSON-LD list or None, the record) for each record of a file,
    whatever its layout; a record that is not JSON the app reads is the Invalid that says
    why (checked record by record: a hostile record must not cost the others)."""
    text = text.lstrip("\ufeff")
    body = text.strip()
    if body.startswith("["):
        yield from ((line, None, value) for line, value in _array(text))
        return
    whole = _document(body)
    if isinstance(whole, dict):
        line = 1 + text[: text.find("{")].count("\n")
        yield from ((line, rank, value) for rank, value in _claim_reviews(whole))
        return
    for number, line in enumerate(text.splitlines(), 1):  # JSON Lines
        if line.strip():
            try:
                yield number, None, jsonsafe.loads(line)
            except jsonsafe.JSONError as error:
                yield number, None, Invalid(str(error))


def _document(body: str) -> object:
    """The whole text as one JSON value, or None (then it is read as JSON Lines). The
    depth is checked record by record, below."""
    try:
        return jsonsafe.loads(body, max_depth=sys.maxsize)
    except jsonsafe.JSONError:
        return None


def _array(text: str) -> Iterator[tuple[int, object]]:
    """The elements of a JSON array, each with the line it starts on. An element that is
    JSON but hostile is reported and skipped; after broken JSON nothing can be trusted."""
    position, line, counted = text.index("[") + 1, 1, 0
    while True:
        position = _skip_separators(text, position)
        if position >= len(text) or text[position] == "]":
            return
        line += text.count("\n", counted, position)  # counted once: a line number costs O(1)
        counted = position
        try:
            value, position = jsonsafe.raw_decode(text, position)
        except jsonsafe.JSONError as error:
            yield line, Invalid(str(error))
            end = None if error.syntax else jsonsafe.end_of_value(text, position)
            if end is None:
                return
            position = end
            continue
        yield line, value


def _skip_separators(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n,":
        position += 1
    return position


def _claim_reviews(document: dict) -> Iterator[tuple[int | None, object]]:
    """(rank, record) of the ClaimReviews of a JSON-LD document (rank None: the document
    is the one ClaimReview)."""
    for key in ("@graph", "itemListElement"):
        if isinstance(document.get(key), list):
            items = [i.get("item", i) if isinstance(i, dict) else i for i in document[key]]
            reviews = [i for i in items if isinstance(i, dict) and _is_claim_review(i)]
            yield from ((rank, _shallow(r)) for rank, r in enumerate(reviews, 1))
            return
    yield None, _shallow(document)


def _shallow(value: object) -> object:
    """The record, or the Invalid that says it nests too deep."""
    if jsonsafe.depth(value) > jsonsafe.MAX_DEPTH:
        return Invalid(jsonsafe.too_deep())
    return value


def _is_claim_review(obj: dict) -> bool:
    kind = obj.get("@type")
    return kind == "ClaimReview" or (isinstance(kind, list) and "ClaimReview" in kind)


def _name(value: object) -> str:
    """``author.name`` and the like: an object, a list of them, or plain text."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("alternateName")
    return value.strip() if isinstance(value, str) else ""


#: an ISO 8601 date in a year no calendar of ours holds: year 0, before it, or 10000 on
_YEAR_OUT_OF_RANGE = re.compile(r"(?:-\d{4,}|\+?\d{5,}|0000)-\d{2}-\d{2}")


def _date(value: object) -> datetime | None:
    """``datePublished`` in UTC; None when it is not an ISO date (newsrooms write dates
    many ways); 422 when it is one that no calendar holds (year 0, 10000, or year 1 at
    +05:00, which is in year 0 in UTC)."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(value[:10]), datetime.min.time())
        except ValueError:
            if _YEAR_OUT_OF_RANGE.match(value):
                raise _out_of_range() from None
            return None
    try:
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except OverflowError:
        raise _out_of_range() from None


def _out_of_range() -> Invalid:
    return Invalid(_("datePublished is out of range (years 1 to 9999)."), field="datePublished")


def _text(value: str, name: str, limit: int | None = None) -> str:
    """``value`` cut to ``limit``; 422 naming ``name`` when no database can store it (the
    rows are written in bulk, past the ORM's own net for NUL characters)."""
    if not is_storable(value):
        raise Invalid(unstorable_message(name), field=name, code="invalid_character")
    return value[:limit] if limit else value


def record(obj: object) -> dict:
    """A ClaimReview object → the fields of a FactCheck; Invalid when it cannot be one."""
    if isinstance(obj, Invalid):
        raise obj
    if not isinstance(obj, dict):
        raise Invalid(_("A ClaimReview is a JSON object."))
    claim = obj.get("claimReviewed")
    if not isinstance(claim, str) or not claim.strip():
        raise Invalid(_("claimReviewed is missing."), field="claimReviewed")
    url = obj.get("url")
    if not isinstance(url, str) or not url.strip():
        raise Invalid(_("url is missing."), field="url")
    if len(url.strip()) > URL_LIMIT:  # said as such, not as a wrong address
        message = _(
            "url is too long: at most %(max)s characters, this one has %(length)s.",
            max=f"{URL_LIMIT:,}",
            length=f"{len(url.strip()):,}",
        )
        raise Invalid(message, field="url")
    url = web_address(url)
    if url is None:
        raise Invalid(_("url must be an http(s) address."), field="url")
    item = obj.get("itemReviewed") if isinstance(obj.get("itemReviewed"), dict) else {}
    rating = obj.get("reviewRating") if isinstance(obj.get("reviewRating"), dict) else {}
    return {
        "url": _text(url, "url"),
        "claim": _text(claim.strip(), "claimReviewed", LIMITS["claim"]),
        "claimant": _text(_name(item.get("author")), "itemReviewed", LIMITS["claimant"]),
        "rating": _text(_name(rating) if rating else "", "reviewRating", LIMITS["rating"]),
        "publisher": _text(_name(obj.get("author")), "author", LIMITS["publisher"]),
        "language": _text(_name(obj.get("inLanguage")), "inLanguage", LIMITS["language"]) or None,
        "published_at": _date(obj.get("datePublished")),
    }


# --- writing ------------------------------------------------------------------------


def verdict_keys(session: Session) -> dict[str, str]:
    """Folded rating text → verdict key (our scale's keys and labels, then synonyms)."""
    known = {fold(k): v for k, v in RATING_SYNONYMS.items()}
    for key, label in session.execute(select(Verdict.key, Verdict.label)):
        known[fold(key.replace("_", " "))] = key
        known[fold(label)] = key
    return known


@dataclass
class _Copies:
    """The records of one url in a file, in order: the first is compared with what is
    stored, each later one with the one before it, and the last is what gets stored."""

    first: dict
    last: dict
    updated: int = 0
    unchanged: int = 0

    def add(self, fields: dict) -> None:
        if _differs(self.last, fields):
            self.updated += 1
        else:
            self.unchanged += 1
        self.last = fields


def import_text(session: Session, text: str, source: str, report: Report | None = None) -> Report:
    """Import one file's records. Commits: the caller's transaction first (its objects
    stay loaded), then each batch of writes (see the module's docstring)."""
    report = report or Report()
    commit_keeping(session)
    previous = write_intent.get()
    write_intent.set(False)  # reads take no write lock (SQLite: BEGIN, not BEGIN IMMEDIATE)
    try:
        _import(session, text, source, report)
    finally:
        write_intent.set(previous)
    return report


def _import(session: Session, text: str, source: str, report: Report) -> None:
    verdicts = verdict_keys(session)
    session.rollback()  # a short read: no transaction stays open while the file is read
    ratings: dict[str, str | None] = {}
    copies: dict[str, _Copies] = {}
    for line, rank, obj in documents(text):
        try:
            fields = record(obj)
        except DomainError as error:
            message = error.message
            if rank is not None:  # the records of a JSON-LD list share a line
                message = _("Record %(n)s of the document: %(message)s", n=rank, message=message)
            report.errors.append({"file": source, "line": line, "message": message})
            continue
        rating = fields["rating"]
        if rating not in ratings:
            ratings[rating] = verdicts.get(fold(rating))
        fields["verdict"] = ratings[rating]
        known = copies.get(fields["url"])
        if known is None:
            copies[fields["url"]] = _Copies(fields, fields)
        else:
            known.add(fields)
    urls = list(copies)
    for start in range(0, len(urls), BATCH):
        _write(session, [copies[url] for url in urls[start : start + BATCH]], report)


def _write(session: Session, batch: list[_Copies], report: Report, attempts: int = 3) -> None:
    """One batch: read what is stored of its urls, then insert and update in one short
    write transaction, committed. Another import that adds one of these urls in between
    makes the insert fail: the batch is read and written again."""
    for attempt in range(attempts):
        write_intent.set(False)
        stored = _stored(session, [c.first["url"] for c in batch])
        session.rollback()  # end the read: SQLite's write lock is taken only to write
        counts, inserts, updates = _plan(batch, stored)
        if inserts or updates:
            write_intent.set(True)  # SQLite: BEGIN IMMEDIATE, queued behind other writers
            try:
                if inserts:
                    session.execute(insert(FactCheck), inserts)
                if updates:
                    session.execute(update(FactCheck), updates)
                session.commit()
            except IntegrityError:
                session.rollback()
                if attempt == attempts - 1:
                    raise
                continue
        report.created += counts[0]
        report.updated += counts[1]
        report.unchanged += counts[2]
        return


def _stored(session: Session, urls: list[str]) -> dict[str, dict]:
    columns = [FactCheck.id, FactCheck.url, *(getattr(FactCheck, name) for name in FIELDS)]
    rows = session.execute(select(*columns).where(FactCheck.url.in_(urls))).mappings()
    return {row["url"]: dict(row) for row in rows}


def _plan(batch: list[_Copies], stored: dict[str, dict]) -> tuple[tuple, list, list]:
    """(created, updated, unchanged), the rows to insert and the changes to write."""
    created = updated = unchanged = 0
    inserts, updates = [], []
    now = utcnow()
    for copies in batch:
        row = stored.get(copies.first["url"])
        if row is None:
            created += 1
            inserts.append({**copies.last, "created_at": now, "updated_at": now})
        else:
            if _differs(row, copies.first):
                updated += 1
            else:
                unchanged += 1
            if _differs(row, copies.last):
                updates.append({"id": row["id"], **copies.last, "updated_at": now})
        updated += copies.updated
        unchanged += copies.unchanged
    return (created, updated, unchanged), inserts, updates


def _differs(old: dict, new: dict) -> bool:
    return any(old[name] != new[name] for name in FIELDS)


# --- reading back -------------------------------------------------------------------


def listing(session: Session, *, q: str = "", page: int = 1, per_page: int = 50):
    """(fact-checks, total), newest first; ``q`` searches claim, claimant and publisher."""
    query = select(FactCheck)
    if q.strip():
        pattern = "%" + q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern += "%"
        query = query.where(
            or_(
                FactCheck.claim.ilike(pattern, escape="\\"),
                FactCheck.claimant.ilike(pattern, escape="\\"),
                FactCheck.publisher.ilike(pattern, escape="\\"),
                FactCheck.url.ilike(pattern, escape="\\"),
            )
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(FactCheck.published_at.desc().nulls_last(), FactCheck.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows), total
