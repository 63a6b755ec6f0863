"""Reviewers' second chances: undo one's own decision for a few minutes, and "fix and
approve" (edit claim, claimant, rationale or sources, then approve, in one step).

Both are recorded transitions, never deletions: an undo is a history row
``approved → submitted`` (or ``rejected → submitted``) by the same reviewer; a fix is the
``submitted → approved`` row whose comment lists what the reviewer changed, and the
author reads it as the review comment.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ..models import Annotation, ReviewEvent, Status, User, utcnow
from . import annotations as claims
from .errors import Conflict, Invalid, NotAllowed
from .workflow import DECISIONS, STEPS, bump, check_version, lost_race, parse_version

#: how long a reviewer may take back their own decision
UNDO_MINUTES = 5
#: fields a reviewer may fix before approving (the span stays the annotator's)
FIXABLE = ("claim", "claimant", "rationale", "sources")
UNDO_NOTE = "Decision undone by the reviewer."


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
            str(
                _l("Too late to undo: a decision can be undone for %(n)s minutes.", n=UNDO_MINUTES)
            ),
            code="undo_expired",
        )
    version = parse_version(version)
    check_version(annotation, version)
    values = {
        "reviewer_id": None,
        "reviewed_at": None,
        "review_comment": "",
        # back in the queue, held for the reviewer who is about to decide again
        "reserved_by_id": reviewer.id,
        "reserved_until": now + timedelta(minutes=15),
    }
    return bump(
        session,
        annotation,
        reviewer,
        version,
        values=values,
        to=Status.SUBMITTED,
        comment=UNDO_NOTE,
        now=now,
    )


def _clip(text: str, n: int = 200) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


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
    for name in ("claim", "claimant", "rationale"):
        if name in data:
            new = claims._text(data, name)
            old = getattr(annotation, name) or ""
            if new != old:
                values[name] = new
                changes.append(f"{name}: «{_clip(old)}» → «{_clip(new)}»")
    sources = claims.clean_sources(data["sources"]) if "sources" in data else None
    if sources is not None and sources == [s.as_dict() for s in annotation.sources]:
        sources = None
    if sources is not None:
        changes.append("sources: " + " ".join(s["url"] for s in sources))
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
