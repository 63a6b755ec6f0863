"""Past fact-checks: reading schema.org ClaimReview archives, and listing them.

Accepted: a JSON array of ClaimReview objects (our own export), JSON Lines (one object a
line), or a JSON-LD document (one ClaimReview, or an ``@graph``/``itemListElement`` list
holding them). Read: ``claimReviewed``, ``itemReviewed.author.name``,
``reviewRating.alternateName``, ``url``, ``datePublished``, ``author.name``, ``inLanguage``.
A record without ``claimReviewed`` or ``url`` is skipped and reported with its file and
line; the others are imported whole. Idempotent by ``url``: a known url is updated in place
when something changed, and left alone otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..models import FactCheck, Verdict, utcnow
from .errors import DomainError, Invalid
from .matching.text import fold
from .urls import web_address

LIMITS = {"claim": 2000, "claimant": 300, "rating": 300, "publisher": 300, "language": 16}
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


def documents(text: str) -> Iterator[tuple[int, object]]:
    """(line, JSON value) for each record of a file, whatever its layout."""
    text = text.lstrip("\ufeff")
    body = text.strip()
    if body.startswith("["):
        yield from _array(text)
        return
    try:
        whole = json.loads(body) if body else None
    except json.JSONDecodeError:
        whole = None
    if isinstance(whole, dict):
        yield from ((1 + text[: text.find("{")].count("\n"), r) for r in _claim_reviews(whole))
        return
    for number, line in enumerate(text.splitlines(), 1):  # JSON Lines
        if line.strip():
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as error:
                yield number, Invalid(_("Not JSON: %(error)s", error=error.msg))


def _array(text: str) -> Iterator[tuple[int, object]]:
    """The elements of a JSON array, each with the line it starts on."""
    decoder = json.JSONDecoder()
    position = text.index("[") + 1
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text) or text[position] == "]":
            return
        line = text.count("\n", 0, position) + 1
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            yield line, Invalid(_("Not JSON: %(error)s", error=error.msg))
            return
        yield line, value


def _claim_reviews(document: dict) -> list:
    for key in ("@graph", "itemListElement"):
        if isinstance(document.get(key), list):
            items = [i.get("item", i) if isinstance(i, dict) else i for i in document[key]]
            return [i for i in items if isinstance(i, dict) and _is_claim_review(i)]
    return [document]


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


def _date(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(value[:10]), datetime.min.time())
        except ValueError:
            return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _cut(value: str, name: str) -> str:
    return value[: LIMITS[name]]


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
    url = web_address(url)
    if url is None:
        raise Invalid(_("url must be an http(s) address."), field="url")
    item = obj.get("itemReviewed") if isinstance(obj.get("itemReviewed"), dict) else {}
    rating = obj.get("reviewRating") if isinstance(obj.get("reviewRating"), dict) else {}
    language = obj.get("inLanguage")
    return {
        "url": url,
        "claim": claim.strip()[: LIMITS["claim"]],
        "claimant": _cut(_name(item.get("author")), "claimant"),
        "rating": _cut(_name(rating) if rating else "", "rating"),
        "publisher": _cut(_name(obj.get("author")), "publisher"),
        "language": _cut(_name(language), "language") or None,
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


def import_text(session: Session, text: str, source: str, report: Report | None = None) -> Report:
    """Import one file's records (the caller commits)."""
    report = report or Report()
    verdicts = verdict_keys(session)
    for line, obj in documents(text):
        try:
            fields = record(obj)
        except DomainError as error:
            report.errors.append({"file": source, "line": line, "message": error.message})
            continue
        fields["verdict"] = verdicts.get(fold(fields["rating"]))
        _upsert(session, fields, report)
    session.flush()
    return report


def _upsert(session: Session, fields: dict, report: Report) -> None:
    existing = session.scalar(select(FactCheck).where(FactCheck.url == fields["url"]))
    if existing is None:
        session.add(FactCheck(**fields))
        session.flush()
        report.created += 1
        return
    changed = {k: v for k, v in fields.items() if getattr(existing, k) != v}
    if not changed:
        report.unchanged += 1
        return
    for key, value in changed.items():
        setattr(existing, key, value)
    existing.updated_at = utcnow()
    report.updated += 1


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
