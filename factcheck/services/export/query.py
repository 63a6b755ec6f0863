"""The rows an export reads, shared by every format.

Rows are read in batches by keyset pagination on ``annotation.id`` with Core selects of
just the needed columns (no ORM objects: a million rows must go out at hundreds of
thousands per second); the sources (and the review history, the confirmed matches) of a
batch come in ONE extra query each. Nothing holds more than one batch, so memory stays
flat whatever the row count.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import String, and_, func, select, type_coerce
from sqlalchemy.orm import Session

from ...models import (
    Annotation,
    Appearance,
    Article,
    Capture,
    ClaimLink,
    Excerpt,
    Project,
    ReviewEvent,
    Source,
    Status,
    User,
    Verdict,
)
from ..second_verdict import verdict_visible
from .filters import ExportFilter

BATCH_SIZE = 2000

# Core tables and aliases only: no ORM entity in the selects, so rows skip ORM loading
annotation = Annotation.__table__
author = User.__table__.alias("author_account")
reviewer = User.__table__.alias("reviewer_account")
article = Article.__table__
verdict = Verdict.__table__
project = Project.__table__
_a = annotation.c


def raw(column, name: str):
    """Skip the per-row type conversion (enum, aware datetime): we format strings ourselves."""
    return type_coerce(column, String).label(name)


def where(filters: ExportFilter) -> list:
    """The SQL clauses on ``annotation`` for ``filters``."""
    clauses = []
    if filters.project_ids is not None:
        clauses.append(_a.project_id.in_(filters.project_ids))
    if filters.statuses is None and filters.draft_project_ids is not None:
        # every status, drafts only where the caller administers the project
        clauses.append(
            (_a.status != Status.DRAFT.value) | _a.project_id.in_(filters.draft_project_ids)
        )
    elif filters.statuses is not None and filters.draft_project_ids is not None:
        statuses = [s.value for s in filters.statuses]
        if Status.DRAFT.value in statuses:
            clauses.append(
                (_a.status != Status.DRAFT.value) | _a.project_id.in_(filters.draft_project_ids)
            )
    if filters.statuses is not None:
        clauses.append(_a.status.in_([s.value for s in filters.statuses]))
    if filters.article_id is not None:
        clauses.append(_a.article_id == filters.article_id)
    if filters.verdict is not None:
        clauses.append(_a.verdict == filters.verdict)
    if filters.anchors is not None:
        clauses.append(_a.anchor.in_(filters.anchors))
    if filters.date_from is not None:
        clauses.append(_a.reviewed_at >= _midnight(filters.date_from))
    if filters.date_to is not None:
        clauses.append(_a.reviewed_at < _midnight(filters.date_to + timedelta(days=1)))
    if _blind(filters):
        clauses.append(verdict_visible(filters.blind_reviewer_id, filters.blind_project_ids))
    return clauses


def _blind(filters: ExportFilter) -> bool:
    """Does the blind second verdict leave claims in review out of this export?"""
    return bool(filters.blind_project_ids) and (
        filters.statuses is None or Status.SUBMITTED in filters.statuses
    )


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def joined_select(columns: list, filters: ExportFilter):
    """``columns`` of annotations joined to their article, accounts and verdict, by id."""
    return (
        select(*columns)
        .select_from(annotation)
        .join(article, article.c.id == _a.article_id)
        .join(author, author.c.id == _a.author_id)
        .outerjoin(reviewer, reviewer.c.id == _a.reviewer_id)
        .join(project, project.c.id == _a.project_id)
        .outerjoin(verdict, (verdict.c.project_id == _a.project_id) & (verdict.c.key == _a.verdict))
        .where(*where(filters))
        .order_by(_a.id)
    )


def count(session: Session, filters: ExportFilter) -> int:
    """How many rows an export with these filters has (for the page and progress bars)."""
    query = select(func.count()).select_from(annotation).where(*where(filters))
    return session.scalar(query) or 0


def left_out(session: Session, filters: ExportFilter) -> int:
    """How many claims in review the export leaves out because their verdict is hidden
    from the caller (blind second verdict): for the page to say so.

    Counted whatever verdict is asked for: filtered on it, the figure would name the hidden
    verdict (a line that shows under one verdict only)."""
    if not _blind(filters):
        return 0
    blind = replace(filters, verdict=None)
    return count(session, replace(blind, blind_project_ids=())) - count(session, blind)


def left_out_by_anchor(session: Session, filters: ExportFilter) -> int:
    """How many claims the anchor filter leaves out (by default: the claims a revision
    moved or removed, whose offsets do not index the current text): for the page to say so,
    so that a claim never vanishes from a download without a word."""
    if filters.anchors is None:
        return 0
    return count(session, replace(filters, anchors=None)) - count(session, filters)


def batches(
    session: Session, filters: ExportFilter, columns: list, *, batch_size: int = BATCH_SIZE
) -> Iterator[list]:
    """Lists of rows of ``columns`` (the first is the annotation id), keyset-paginated on
    annotation.id (no OFFSET: flat cost)."""
    query = joined_select(columns, filters).limit(batch_size)
    last = 0
    while True:
        rows = session.connection().execute(query.where(_a.id > last)).all()
        if not rows:
            return
        yield rows
        if len(rows) < batch_size:
            return
        last = rows[-1][0]


def id_clause(column, ids: list[int]):
    """A range when the batch is dense (the common case), the ids themselves otherwise."""
    first, last = ids[0], ids[-1]
    if last - first + 1 <= 2 * len(ids):
        return and_(column >= first, column <= last)
    return column.in_(ids)


def sources(session: Session, ids: list[int]) -> dict[int, list[dict]]:
    """annotation id → its citations in position order, for one batch: url, title, note,
    source_id, stance, and excerpts with the sha256, fetched_at and url of their capture
    (one more query for the batch's excerpts)."""
    sc = Source.__table__.c
    query = (
        select(
            sc.id, sc.annotation_id, sc.url, sc.title, sc.note, sc.source_id, raw(sc.stance, "s")
        )
        .where(id_clause(sc.annotation_id, ids))
        .order_by(sc.annotation_id, sc.position, sc.id)
    )
    found: dict[int, list[dict]] = {}
    by_citation: dict[int, dict] = {}
    for row in session.connection().execute(query):
        citation = {
            "url": row.url,
            "title": row.title,
            "note": row.note,
            "source_id": row.source_id,
            "stance": row.s,
            "excerpts": [],
        }
        by_citation[row.id] = citation
        found.setdefault(row.annotation_id, []).append(citation)
    if by_citation:
        for citation_id, excerpt in excerpts(session, ids):
            by_citation[citation_id]["excerpts"].append(excerpt)
    return found


def excerpts(session: Session, ids: list[int]) -> Iterator[tuple[int, dict]]:
    """(citation id, excerpt with its capture's sha256, fetched_at and url) of the batch's
    annotations, in order."""
    citation, excerpt, capture = Source.__table__, Excerpt.__table__, Capture.__table__
    sc, ec, cc = citation.c, excerpt.c, capture.c
    query = (
        select(
            ec.citation_id,
            ec.capture_id,
            ec.start,
            ec.end,
            ec.quote,
            cc.sha256,
            raw(cc.fetched_at, "fetched_at"),
            cc.url,
        )  # fmt: skip
        .join(citation, sc.id == ec.citation_id)
        .join(capture, cc.id == ec.capture_id)
        .where(id_clause(sc.annotation_id, ids))
        .order_by(ec.citation_id, ec.position, ec.id)
    )
    for row in session.connection().execute(query):
        yield (
            row.citation_id,
            {
                "capture_id": row.capture_id,
                "start": row.start,
                "end": row.end,
                "quote": row.quote,
                "capture": {
                    "sha256": row.sha256,
                    "fetched_at": iso(row.fetched_at),
                    "url": row.url,
                },
            },
        )


def stances(session: Session, ids: list[int]) -> dict[int, list[str]]:
    """annotation id → the stance of each of its sources in position order (``-``: none)."""
    sc = Source.__table__.c
    query = (
        select(sc.annotation_id, raw(sc.stance, "s"))
        .where(id_clause(sc.annotation_id, ids))
        .order_by(sc.annotation_id, sc.position, sc.id)
    )
    found: dict[int, list[str]] = {}
    for annotation_id, stance in session.connection().execute(query):
        found.setdefault(annotation_id, []).append(stance or "-")
    return found


def same_as(session: Session, ids: list[int]) -> dict[int, list[str]]:
    """annotation id → its confirmed matches ("same claim"), for one batch."""
    lc = ClaimLink.__table__.c
    query = (
        select(lc.annotation_id, lc.target)
        .where(id_clause(lc.annotation_id, ids))
        .order_by(lc.annotation_id, lc.id)
    )
    found: dict[int, list[str]] = {}
    for annotation_id, target in session.connection().execute(query):
        found.setdefault(annotation_id, []).append(target)
    return found


def appearances(session: Session, ids: list[int]) -> dict[int, list[dict]]:
    """annotation id → its appearances in position order, for one batch (one query)."""
    pc = Appearance.__table__.c
    query = (
        select(pc.annotation_id, pc.url, pc.date, pc.note, pc.first)
        .where(id_clause(pc.annotation_id, ids))
        .order_by(pc.annotation_id, pc.position, pc.id)
    )
    found: dict[int, list[dict]] = {}
    for annotation_id, url, day, note, first in session.connection().execute(query):
        found.setdefault(annotation_id, []).append(
            {"url": url, "date": day.isoformat() if day else None, "note": note, "first": first}
        )
    return found


def histories(session: Session, ids: list[int]) -> dict[int, list[dict]]:
    """annotation id → its review events in order, for one batch."""
    ec = ReviewEvent.__table__.c
    query = (
        select(
            ec.annotation_id,
            raw(ec.from_status, "from_status"),
            raw(ec.to_status, "to_status"),
            User.__table__.c.username,
            raw(ec.at, "at"),
            ec.comment,
            ec.version,
        )
        .join(User.__table__, User.__table__.c.id == ec.actor_id)
        .where(id_clause(ec.annotation_id, ids))
        .order_by(ec.annotation_id, ec.id)
    )
    found: dict[int, list[dict]] = {}
    for annotation_id, from_, to, by, at, comment, version in session.connection().execute(query):
        found.setdefault(annotation_id, []).append(
            {
                "from": from_,
                "to": to,
                "by": by,
                "at": iso(at),
                "comment": comment,
                "version": version,
            }
        )
    return found


def iso(value: object) -> str:
    """ISO 8601 UTC with Z at second precision; '' for None.

    SQLite hands back the stored text (``YYYY-MM-DD HH:MM:SS.ffffff``, UTC — see
    models/base.py), PostgreSQL a datetime.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return f"{value[:10]}T{value[11:19]}Z"
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)
