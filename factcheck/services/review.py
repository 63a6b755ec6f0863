"""The reviewers' verbs of the workflow (services/workflow.py holds its table and rules):
submit, approve, reject, reopen, and ``decide`` in the API's vocabulary."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ..models import Annotation, ReviewEvent, Status, User
from .errors import Invalid
from .paragraphs import context
from .workflow import transition


def submit(
    session: Session, annotation: Annotation, actor: User, *, version: int | None
) -> ReviewEvent:
    return transition(session, annotation, actor, Status.SUBMITTED, version=version)


def withdraw(
    session: Session, annotation: Annotation, actor: User, *, version: int | None
) -> ReviewEvent:
    """The author takes a submitted claim back to a draft."""
    return transition(session, annotation, actor, Status.DRAFT, version=version)


def approve(
    session: Session, annotation: Annotation, actor: User, *, version: int | None, comment: str = ""
) -> ReviewEvent:
    return transition(session, annotation, actor, Status.APPROVED, version=version, comment=comment)


def reject(
    session: Session, annotation: Annotation, actor: User, *, version: int | None, comment: str
) -> ReviewEvent:
    return transition(session, annotation, actor, Status.REJECTED, version=version, comment=comment)


def reopen(
    session: Session, annotation: Annotation, actor: User, *, version: int | None, reason: str
) -> ReviewEvent:
    return transition(session, annotation, actor, Status.SUBMITTED, version=version, comment=reason)


def decide(
    session: Session,
    annotation: Annotation,
    actor: User,
    decision: str,
    *,
    version: int | None,
    comment: str = "",
) -> ReviewEvent:
    """``decision`` is ``approve`` or ``reject`` (the API's vocabulary)."""
    if decision == "approve":
        return approve(session, annotation, actor, version=version, comment=comment)
    if decision == "reject":
        return reject(session, annotation, actor, version=version, comment=comment)
    raise Invalid(_("The decision must be “approve” or “reject”."), field="decision")


def paragraph_context(text: str, start: int, end: int, around: int = 1) -> dict:
    """The span in its paragraph, by the one paragraph rule (services/paragraphs.py)."""
    return context(text, start, end, around)
