"""Link health: the sources cited by approved claims are fetched again on a schedule.

    live     the page answers and its readable text is the last capture's
    changed  its readable text differs: a new capture is appended (the old one stays, and
             the citations keep the capture they quote); the flag and its date stay
             while the page keeps its new text
    gone     404, 410, or the name no longer resolves
    blocked  401, 403, 429, or the fetch was refused by the safety rules

A failure that says nothing about the page (no connection, a timeout, a 5xx) is recorded
in the history and leaves the health as it was. Every check is a ``SourceCheck`` row.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ...database import start_write
from ...models import (
    Annotation,
    Capture,
    EvidenceSource,
    Health,
    Source,
    SourceCheck,
    Status,
    utcnow,
)
from .capture import Attempt, attempt, limits, record

#: how each kind of fetch failure counts (others: the health stays, the error is kept)
FAILURE_HEALTH = {"gone": Health.GONE, "blocked": Health.BLOCKED, "refused": Health.BLOCKED}


def cited_by_approved():
    """SQL: the source is cited by an approved claim."""
    return exists().where(
        Source.source_id == EvidenceSource.id,
        Source.annotation_id == Annotation.id,
        Annotation.status == Status.APPROVED,
    )


def due(session: Session, now=None) -> list[int]:
    """Ids of the sources to check now: cited by an approved claim, not checked within
    half the period (several workers, or a manual run, do not check twice)."""
    now = now or utcnow()
    hours = float(current_app.config["LINK_CHECK_HOURS"])
    recent = now - timedelta(hours=hours / 2)
    query = (
        select(EvidenceSource.id)
        .where(
            cited_by_approved(),
            (EvidenceSource.health_checked_at.is_(None))
            | (EvidenceSource.health_checked_at < recent),
        )
        .order_by(EvidenceSource.health_checked_at.is_not(None), EvidenceSource.health_checked_at)
    )
    return list(session.scalars(query))


def _last_text(session: Session, source_id: int) -> str | None:
    """The readable text of the source's latest capture that has bytes."""
    return session.scalar(
        select(Capture.text)
        .where(Capture.source_id == source_id, Capture.sha256.is_not(None))
        .order_by(Capture.id.desc())
        .limit(1)
    )


def check_source(session: Session, source_id: int) -> SourceCheck | None:
    """The task: fetch the source again and record what that says (``judge``)."""
    source = session.get(EvidenceSource, source_id)
    if source is None:
        return None
    url = source.url
    session.commit()  # no transaction across the network
    outcome = attempt(url, limits())
    start_write(session)
    source = session.get(EvidenceSource, source_id)
    if source is None:
        return None
    return judge(session, source, outcome)


def judge(session: Session, source: EvidenceSource, outcome: Attempt) -> SourceCheck:
    """Record what ``outcome`` says about ``source``: its health, a check row, and a new
    capture when the page changed (or had none that worked)."""
    now = utcnow()
    check = SourceCheck(source_id=source.id, checked_at=now, error="")
    health = source.health
    if outcome.ok:
        check.status = outcome.fetched.status
        before = _last_text(session, source.id)
        if before is None or before != outcome.text.text:
            check.capture_id = record(session, source, outcome).id
            health = Health.LIVE if before is None else Health.CHANGED
        elif source.health is not Health.CHANGED:
            health = Health.LIVE
    else:
        failure = outcome.failure
        check.status = failure.status
        check.error = failure.reason
        health = FAILURE_HEALTH.get(failure.kind, source.health)
    check.health = health
    if health is not source.health:
        source.health = health
        source.health_since = now
    source.health_checked_at = now
    session.add(check)
    session.flush()
    return check
