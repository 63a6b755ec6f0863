"""JSON Lines: one object per annotation, always exact text.

The CSV fields (``source_urls`` replaced by ``sources`` objects, ``appearances`` as
``{url, date, note, first}`` objects), ``prefix``/``suffix``,
the review ``history``, the anchor after a revision with the ``previous`` span, and, for
adjudicated claims, the annotators' original versions (``adjudication``, null otherwise).
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from ... import jsonsafe
from .. import adjudication
from . import query
from .filters import ExportFilter
from .query import BATCH_SIZE, iso, raw

_a, _article, _verdict = query.annotation.c, query.article.c, query.verdict.c

#: what a record is built from (``record``); the annotation id first (the keyset)
RECORD_COLUMNS = [
    _a.id.label("annotation_id"),
    raw(_a.status, "status"),
    _a.article_id,
    _article.external_id,
    _article.title,
    _article.url,
    _a.start,
    _a.end,
    _a.quote,
    _a.prefix,
    _a.suffix,
    _a.claim,
    _a.claimant,
    _a.verdict,
    _verdict.label.label("verdict_label"),
    _verdict.rating.label("verdict_rating"),
    _a.rationale,
    query.author.c.username.label("annotator"),
    query.reviewer.c.username.label("reviewer"),
    raw(_a.created_at, "created_at"),
    raw(_a.submitted_at, "submitted_at"),
    raw(_a.reviewed_at, "reviewed_at"),
    _a.review_comment,
    query.project.c.slug.label("project"),
    _a.guidelines_version,
    raw(_a.anchor, "anchor"),
    _a.article_revision,
    _a.previous_start,
    _a.previous_end,
    _a.previous_quote,
    _a.previous_revision,
    _a.claimant_id,
    _a.claim_date,
    raw(_a.claim_medium, "claim_medium"),
    _a.published_url,
    raw(_a.published_at, "published_at"),
]


def records(
    session: Session, filters: ExportFilter, *, batch_size: int = BATCH_SIZE
) -> Iterator[list[dict]]:
    """Batches of annotation dicts, as written on each line."""
    for batch in query.batches(session, filters, RECORD_COLUMNS, batch_size=batch_size):
        ids = [r.annotation_id for r in batch]
        sources = query.sources(session, ids)
        histories = query.histories(session, ids)
        same_as = query.same_as(session, ids)
        adjudicated = adjudication.originals(session, ids)
        appearances = query.appearances(session, ids)
        yield [
            record(
                r,
                sources.get(r.annotation_id, []),
                histories.get(r.annotation_id, []),
                same_as.get(r.annotation_id, []),
                adjudicated.get(r.annotation_id),
            )
            | desk(r, appearances.get(r.annotation_id, []))
            for r in batch
        ]


def record(r, sources: list[dict], history: list[dict], same_as: list[str], original) -> dict:
    """One line's object (the key order is part of the output: keep it)."""
    return {
        "annotation_id": r.annotation_id,
        "status": r.status,
        "article_id": r.article_id,
        "article_external_id": r.external_id,
        "article_title": r.title,
        "article_url": r.url,
        "start": r.start,
        "end": r.end,
        "quote": r.quote,
        "prefix": r.prefix,
        "suffix": r.suffix,
        "claim": r.claim,
        "claimant": r.claimant,
        "verdict": r.verdict,
        "verdict_label": r.verdict_label,
        "verdict_rating": r.verdict_rating,
        "rationale": r.rationale,
        "sources": sources,
        "annotator": r.annotator,
        "reviewer": r.reviewer,
        "created_at": iso(r.created_at) or None,
        "submitted_at": iso(r.submitted_at) or None,
        "reviewed_at": iso(r.reviewed_at) or None,
        "review_comment": r.review_comment,
        "project": r.project,
        "guidelines_version": r.guidelines_version,
        "same_as": same_as,
        "history": history,
        "anchor": r.anchor,
        "article_revision": r.article_revision,
        "previous": (
            {
                "start": r.previous_start,
                "end": r.previous_end,
                "quote": r.previous_quote,
                "revision": r.previous_revision,
            }
            if r.anchor != "ok" and r.previous_start is not None
            else None
        ),
        # adjudicated claims carry the annotators' original versions (null otherwise)
        "adjudication": original,
    }


def desk(r, appearances: list[dict]) -> dict:
    """The desk's memory (DESIGN.md), after the older keys: who, when and where, and the
    publication."""
    return {
        "claimant_id": r.claimant_id,
        "claim_date": r.claim_date.isoformat() if r.claim_date else None,
        "claim_medium": r.claim_medium,
        "appearances": appearances,
        "published_url": r.published_url,
        "published_at": iso(r.published_at) or None,
    }


def jsonl_batches(
    session: Session, filters: ExportFilter, *, batch_size: int = BATCH_SIZE
) -> Iterator[tuple[int, bytes]]:
    """``(rows in chunk, UTF-8 bytes)``: one line per record, one chunk per batch."""
    for batch in records(session, filters, batch_size=batch_size):
        # jsonsafe: a line stays safe to embed in HTML
        text = "".join(jsonsafe.dumps(record) + "\n" for record in batch)
        yield len(batch), text.encode("utf-8")
