"""Reviewers' second chances: undo one's own decision for a few minutes, and "fix and
approve" (edit claim, claimant, rationale or sources, then approve, in one step).

Both are recorded transitions, never deletions: an undo is a history row
``approved → submitted`` (or ``rejected → submitted``) by the same reviewer; a fix is the
``submitted → approved`` row whose comment lists what the reviewer changed, and the
author reads it as the review comment. Each change is one line, ``name: old → new`` with
both values written exactly (JSON strings and lists), so that the history keeps the
author's text and the reviewer's, and undoing a fix puts the author's text back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session, aliased

from ..models import Annotation, ReviewEvent, Status, User, utcnow
from . import annotations as claims
from .errors import Conflict, Invalid, NotAllowed
from .queue import reservation_minutes
from .workflow import DECISIONS, STEPS, bump, check_version, lost_race, parse_version

#: how long a reviewer may take back their own decision
UNDO_MINUTES = 5
#: fields a reviewer may fix before approving (the span stays the annotator's)
FIXABLE = ("claim", "claimant", "rationale", "sources")
TEXT_FIELDS = ("claim", "claimant", "rationale")


def undo_deadline(annotation: Annotation) -> datetime | None:
    if annotation.reviewed_at is None:
        return None
    return annotation.reviewed_at + timedelta(minutes=UNDO_MINUTES)


def can_undo(annotation: Annotation, user: User, now: datetime | None = None) -> bool:
    now = now or utcnow()
    deadline = undo_deadline(annotation)
    return (
        annotation.status in DECISIONS
        and annotation.reviewer_id == user.id
        and annotation.published_at is None  # published: only an admin's reopen takes it back
        and deadline is not None
        and now <= deadline
    )


def undo(
    session: Session, annotation: Annotation, reviewer: User, *, version: object
) -> ReviewEvent:
    """Put ``annotation`` back in review, reserved for ``reviewer``, if they made the last
    decision less than UNDO_MINUTES ago and nothing changed since (``version``)."""
    now = utcnow()
    if annotation.reviewer_id != reviewer.id or annotation.status not in DECISIONS:
        raise NotAllowed(_("Only the reviewer who decided can undo the decision."))
    if not can_undo(annotation, reviewer, now):
        raise Conflict(
            str(_("Too late to undo: a decision can be undone for %(n)s minutes.", n=UNDO_MINUTES)),
            code="undo_expired",
        )
    version = parse_version(version)
    check_version(annotation, version)
    authors = _before_the_fix(session, annotation)
    values = {
        "reviewer_id": None,
        "reviewed_at": None,
        "review_comment": "",
        # back in the queue, held for the reviewer who is about to decide again
        "reserved_by_id": reviewer.id,
        "reserved_until": now + timedelta(minutes=reservation_minutes(annotation.project)),
        **{name: authors[name] for name in TEXT_FIELDS if name in authors},
    }
    note = _("Decision undone by the reviewer.")
    if authors:
        note += "\n" + _(
            "The reviewer's fix is undone too; the author's text is back: %(fields)s.",
            fields=", ".join(authors),
        )
    return bump(
        session,
        annotation,
        reviewer,
        version,
        values=values,
        to=Status.SUBMITTED,
        comment=note,
        sources=authors.get("sources"),
        now=now,
    )


def _undoes(undo: ReviewEvent, decision: ReviewEvent) -> bool:
    """``undo`` is the row that took ``decision`` back: the next transition of the claim, by
    the same reviewer, from that decision back to review."""
    return (
        undo.annotation_id == decision.annotation_id
        and undo.version == decision.version + 1
        and undo.from_status == decision.to_status
        and undo.to_status == Status.SUBMITTED
        and undo.actor_id == decision.actor_id
    )


def undone_ids(events: list[ReviewEvent]) -> set[int]:
    """The decisions among one claim's history rows that their reviewer undid: a history
    marks them so, instead of reading as two decisions when the reviewer decided again."""
    return {d.id for d in events if is_decision_row(d) and any(_undoes(u, d) for u in events)}


def is_decision_row(event: ReviewEvent) -> bool:
    """A reviewer's decision: into approved or rejected from review. Rows that keep the
    status (a publication, a same-claim link on an approved claim) are not decisions."""
    return event.to_status in DECISIONS and event.from_status != event.to_status


def decision_rows():
    """SQL twin of ``is_decision_row``."""
    return and_(
        ReviewEvent.to_status.in_(DECISIONS), ReviewEvent.from_status != ReviewEvent.to_status
    )


def undone_decision():
    """SQL twin of ``undone_ids`` for ``ReviewEvent`` rows: the decision was undone."""
    undo = aliased(ReviewEvent)
    return exists().where(
        undo.annotation_id == ReviewEvent.annotation_id,
        undo.version == ReviewEvent.version + 1,
        undo.from_status == ReviewEvent.to_status,
        undo.to_status == Status.SUBMITTED,
        undo.actor_id == ReviewEvent.actor_id,
    )


def undoes_a_fix(session: Session, annotation: Annotation) -> bool:
    """Would an undo of the claim's last decision also undo a reviewer's fix?"""
    return bool(_before_the_fix(session, annotation))


def _before_the_fix(session: Session, annotation: Annotation) -> dict:
    """The author's values that the last decision replaced, when it was a fix: field →
    value, read from the fix's history row (empty for a plain decision, and for a fix
    recorded before the notes were exact)."""
    event = session.scalar(
        select(ReviewEvent)
        .where(
            ReviewEvent.annotation_id == annotation.id,
            ReviewEvent.to_status == Status.APPROVED,
            # the decision itself, not a later row that kept the status (a same-claim link)
            ReviewEvent.from_status != ReviewEvent.to_status,
        )
        .order_by(ReviewEvent.id.desc())
        .limit(1)
    )
    if event is None:
        return {}
    decoder = json.JSONDecoder()
    before: dict = {}
    # the header line, one line per change, then (after a blank line) the reviewer's note
    for line in event.comment.split("\n\n", 1)[0].splitlines()[1:]:
        name, colon, rest = line.partition(": ")
        if name not in FIXABLE or not colon:
            continue
        try:
            old, _end = decoder.raw_decode(rest)
        except ValueError:
            continue
        if name == "sources" and isinstance(old, list):
            before[name] = [{"title": "", "note": "", **row} for row in old]
        elif name != "sources" and isinstance(old, str):
            before[name] = old
    return before


def _exact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _change(name: str, old: object, new: object) -> str:
    """One line of a fix's note: ``name: old → new``, both exact."""
    return f"{name}: {_exact(old)} → {_exact(new)}"


def _compact(rows: list[dict]) -> list[dict]:
    """Sources as a note shows them: without their empty fields."""
    return [{k: v for k, v in row.items() if v not in (None, "", [], {})} for row in rows]


def fix_and_approve(
    session: Session,
    annotation: Annotation,
    reviewer: User,
    data: Mapping,
    *,
    version: object,
    comment: str = "",
) -> ReviewEvent:
    """Apply the reviewer's corrections and approve, as one conditional UPDATE."""
    claims.refuse_unknown(data, set(FIXABLE))
    STEPS[Status.SUBMITTED, Status.APPROVED].actor(reviewer, annotation)
    if annotation.status is not Status.SUBMITTED:
        raise Conflict(
            _("Only a claim in review can be fixed and approved."),
            code="invalid_transition",
        )
    version = parse_version(version)
    check_version(annotation, version)
    values: dict = {}
    changes: list[str] = []
    for name in TEXT_FIELDS:
        if name in data:
            new = claims._text(data, name)
            old = getattr(annotation, name) or ""
            if new != old:
                values[name] = new
                changes.append(_change(name, old, new))
    sources = (
        claims.checked_sources(session, annotation.project_id, data["sources"], reviewer)
        if "sources" in data
        else None
    )
    authors_sources = [s.as_dict() for s in annotation.sources]
    if sources is not None and sources == authors_sources:
        sources = None
    if sources is not None:
        changes.append(_change("sources", _compact(authors_sources), _compact(sources)))
    if "claim" in values and not values["claim"]:
        raise Invalid(_("The claim cannot be empty once submitted."), field="claim")
    if sources is not None and not sources:
        raise Invalid(_("Keep at least one source once submitted."), field="sources")
    if not changes:
        raise Invalid(_("Nothing was changed: approve the claim as it is."), field="claim")
    note = _("Fixed by the reviewer before approval:") + "\n" + "\n".join(changes)
    if (comment or "").strip():
        note += "\n\n" + comment.strip()
    now = utcnow()
    values.update(
        reviewed_at=now,
        reviewer_id=reviewer.id,
        review_comment=note,
        reserved_by_id=None,
        reserved_until=None,
    )
    return bump(
        session,
        annotation,
        reviewer,
        version,
        values=values,
        to=Status.APPROVED,
        comment=note,
        sources=sources,
        now=now,
        lost=lambda: lost_race(annotation, reviewer, Status.APPROVED, version),
    )
