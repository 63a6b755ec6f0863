"""An adjudicator's second chance: their last decision may be taken back for a few
minutes, as a reviewer's (review_undo.py). The group is open again, and the article too
when that decision had closed it; the approved claim an accept made is withdrawn."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..models import Annotation, ReviewEvent, Source, Status, User, utcnow
from ..models.assignment import Adjudication, AssignmentArticle
from ..text.names import claim_name
from .adjudication import check_adjudicator, get, groups
from .errors import Conflict
from .queue import reservation_minutes
from .review_undo import UNDO_MINUTES


def last_decision(session: Session, user: User, now: datetime | None = None) -> Adjudication | None:
    """``user``'s latest adjudication decision while it may still be undone."""
    now = now or utcnow()
    return session.scalar(
        select(Adjudication)
        .where(
            Adjudication.adjudicator_id == user.id,
            Adjudication.at >= now - timedelta(minutes=UNDO_MINUTES),
        )
        .order_by(Adjudication.at.desc(), Adjudication.id.desc())
        .limit(1)
    )


def deadline(decision: Adjudication) -> datetime:
    return decision.at + timedelta(minutes=UNDO_MINUTES)


def undo(session: Session, user: User, decision_id: object) -> Adjudication:
    """Take back ``user``'s last decision (``decision_id``, within UNDO_MINUTES): the
    approved claim it made is withdrawn, the group is open again, and so is the article,
    held for ``user``. The decision row goes: a group holds one decision (its key)."""
    last = last_decision(session, user)
    if last is None or last.id != decision_id:
        raise Conflict(
            _(
                "Only your last decision can be undone, for %(n)s minutes after it.",
                n=UNDO_MINUTES,
            ),
            code="undo_expired",
        )
    aa = get(session, last.assignment_id, last.article_id)
    check_adjudicator(session, aa, user)
    copy = session.get(Annotation, last.result_annotation_id or 0)
    if copy is not None:
        _check_unchanged(copy)
    session.delete(last)  # first: it names the copy
    session.flush()
    if copy is not None:
        _withdraw(session, copy)
    now = utcnow()
    session.execute(
        update(AssignmentArticle)
        .where(AssignmentArticle.id == aa.id)
        .values(
            adjudicated_at=None,
            adjudicator_id=None,
            reserved_by_id=user.id,
            reserved_until=now + timedelta(minutes=reservation_minutes(aa.assignment.project)),
        )
        .execution_options(synchronize_session=False)
    )
    session.flush()
    session.refresh(aa)
    return last


def _check_unchanged(copy: Annotation) -> None:
    """The approved claim an accept made may go as long as nobody changed it since."""
    if copy.status is not Status.APPROVED or copy.version != 2:
        raise Conflict(
            _(
                "The accepted claim “%(claim)s” changed since: its decision stands.",
                claim=claim_name(copy.claim, copy.quote),
            ),
            code="changed",
        )


def _withdraw(session: Session, copy: Annotation) -> None:
    annotation_id = copy.id
    session.execute(delete(Source).where(Source.annotation_id == annotation_id))
    session.execute(delete(ReviewEvent).where(ReviewEvent.annotation_id == annotation_id))
    session.execute(
        delete(Annotation)
        .where(Annotation.id == annotation_id)
        .execution_options(synchronize_session=False)
    )
    session.expunge(copy)


def group_number(session: Session, decision: Adjudication) -> int | None:
    """The group's number on the adjudication page (1 = first in the text)."""
    aa = get(session, decision.assignment_id, decision.article_id)
    for number, group in enumerate(groups(session, aa), start=1):
        if (group.start, group.end) == (decision.group_start, decision.group_end):
            return number
    return None
