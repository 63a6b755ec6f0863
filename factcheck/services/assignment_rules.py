"""What an assignment forbids in the ordinary claim workflow (kept apart from
``assignments.py`` so that ``annotations.py`` can call it without an import cycle).

An annotator's claims on an article assigned to them are their own version: they stay drafts
(nobody else sees drafts, which is what keeps a blind assignment blind), they cannot be
submitted to the ordinary review queue (the adjudicator settles them), and they are frozen
while the annotator has marked the article done.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models.assignment import Assignment, AssignmentArticle, AssignmentTask
from .errors import Conflict, Invalid


def task_for(session: Session, article_id: int, annotator_id: int) -> AssignmentTask | None:
    return session.scalar(
        select(AssignmentTask).where(
            AssignmentTask.article_id == article_id, AssignmentTask.annotator_id == annotator_id
        )
    )


def refuse_submit(session: Session, article_id: int, author_id: int) -> None:
    """Claims on an assigned article are settled by adjudication, not by the review queue."""
    if task_for(session, article_id, author_id) is not None:
        raise Invalid(
            _(
                "This article is assigned to you for double annotation: keep your claims as "
                "drafts and mark the article done; an adjudicator settles them."
            ),
            field="status",
            code="assigned_article",
        )


def refuse_when_done(session: Session, article_id: int, author_id: int) -> None:
    """An article marked done is frozen for its annotator until they undo it."""
    task = task_for(session, article_id, author_id)
    if task is not None and task.done_at is not None:
        raise Conflict(
            _("You marked this article done: undo that in My work before changing your claims."),
            code="assignment_done",
        )


def visible_peers(session: Session, article_id: int, user_id: int) -> set[int]:
    """The co-annotators whose drafts on this article ``user_id`` may read: everyone's in an
    open (not blind) assignment, and in a blind one once the article is adjudicated."""
    task = task_for(session, article_id, user_id)
    if task is None:
        return set()
    row = session.execute(
        select(Assignment.blind, AssignmentArticle.adjudicated_at)
        .join(AssignmentArticle, AssignmentArticle.assignment_id == Assignment.id)
        .where(
            AssignmentArticle.assignment_id == task.assignment_id,
            AssignmentArticle.article_id == article_id,
        )
    ).first()
    if row is None or (row.blind and row.adjudicated_at is None):
        return set()
    peers = session.scalars(
        select(AssignmentTask.annotator_id).where(
            AssignmentTask.assignment_id == task.assignment_id,
            AssignmentTask.article_id == article_id,
        )
    )
    return set(peers) - {user_id}
