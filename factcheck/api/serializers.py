"""JSON shapes of the API (contract field names: see DESIGN.md)."""

from __future__ import annotations

from datetime import datetime

from ..models import Annotation


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with ``Z``, or None."""
    return value.isoformat().replace("+00:00", "Z") if value else None


def annotation_json(annotation: Annotation, include_history: bool = True) -> dict:
    data = {
        "id": annotation.id,
        "article_id": annotation.article_id,
        "start": annotation.start,
        "end": annotation.end,
        "quote": annotation.quote,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
        "claim": annotation.claim,
        "claimant": annotation.claimant,
        "verdict": annotation.verdict,
        "rationale": annotation.rationale,
        "sources": [source.as_dict() for source in annotation.sources],
        "status": annotation.status.value,
        "version": annotation.version,
        "author": annotation.author.username,
        "reviewer": annotation.reviewer.username if annotation.reviewer else None,
        "review_comment": annotation.review_comment,
        "created_at": iso(annotation.created_at),
        "updated_at": iso(annotation.updated_at),
        "submitted_at": iso(annotation.submitted_at),
        "reviewed_at": iso(annotation.reviewed_at),
        # article revisions (DESIGN.md): where the span stands after the last correction
        "anchor": annotation.anchor.value,
        "article_revision": annotation.article_revision,
        "previous": previous_span(annotation),
        "project": annotation.project.slug,
        "guidelines_version": annotation.guidelines_version,
    }
    if include_history:
        data["history"] = [event.as_dict() for event in annotation.events]
    return data


def previous_span(annotation: Annotation) -> dict | None:
    """The span a relocated or orphaned claim had before the revision, else None."""
    if annotation.previous_start is None:
        return None
    return {
        "start": annotation.previous_start,
        "end": annotation.previous_end,
        "quote": annotation.previous_quote,
        "revision": annotation.previous_revision,
    }
