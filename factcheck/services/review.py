"""The annotation workflow: every state change goes through ``transition``.

draft ─submit─▶ submitted ─approve─▶ approved ─reopen (admin)─▶ submitted
                  │   ▲
           reject ▼   │ resubmit
                rejected

A transition is one conditional UPDATE (``WHERE id = … AND version = … AND status = …``):
of two concurrent writers exactly one changes the row, the other gets ``Conflict``,
on SQLite and PostgreSQL alike, without holding locks across requests.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.orm import Session

from ..models import Annotation, ReviewEvent, Status, User, utcnow
from ..permissions import Role, can_review, is_project_admin
from .errors import Conflict, Invalid, NotAllowed

#: (from, to) → what must hold of the actor
ALLOWED = {
    (Status.DRAFT, Status.SUBMITTED): "author",
    (Status.REJECTED, Status.SUBMITTED): "author",
    (Status.SUBMITTED, Status.APPROVED): "reviewer",
    (Status.SUBMITTED, Status.REJECTED): "reviewer",
    (Status.APPROVED, Status.SUBMITTED): "admin",
}
DECISIONS = (Status.APPROVED, Status.REJECTED)


def stale_message(annotation: Annotation, seen_version: int) -> str:
    return str(
        _l(
            "This claim changed since you opened it (you saw version %(seen)s, it is now "
            "version %(now)s, %(status)s). Nothing was saved; reload to see the current state.",
            seen=seen_version,
            now=annotation.version,
            status=annotation.status.value,
        )
    )


def check_version(session: Session, annotation: Annotation, version: int | None) -> None:
    """Refuse a write that names no version or an old one."""
    if version is None:
        raise Invalid(str(_l("The version you saw is required.")), field="version")
    if version != annotation.version:
        raise Conflict(
            stale_message(annotation, version),
            code="stale_version",
            details={"current": _state(annotation)},
        )


def _state(annotation: Annotation) -> dict:
    return {"status": annotation.status.value, "version": annotation.version}


def _check_actor(actor: User, annotation: Annotation, need: str) -> None:
    if need == "author" and annotation.author_id != actor.id:
        raise NotAllowed(str(_l("Only the author can submit this claim.")))
    if need == "reviewer":
        if annotation.author_id == actor.id:
            raise NotAllowed(
                str(_l("You cannot review your own claim: another reviewer must check it.")),
                code="four_eyes",
            )
        if not can_review(actor, annotation):
            raise NotAllowed(str(_l("Only reviewers can approve or reject claims.")))
        # blind second verdict (services/second_verdict.py): the reviewer's own comes first
        from .second_verdict import require_committed

        require_committed(annotation, actor)
    if need == "admin" and not is_project_admin(actor, annotation.project_id):
        raise NotAllowed(str(_l("Only an administrator can reopen an approved claim.")))


def transition(
    session: Session,
    annotation: Annotation,
    actor: User,
    to: Status,
    *,
    version: int | None,
    comment: str = "",
    now: datetime | None = None,
) -> ReviewEvent:
    """Move ``annotation`` to ``to`` if ``actor`` may and nobody wrote since ``version``."""
    now = now or utcnow()
    source = annotation.status
    need = ALLOWED.get((source, to))
    if need is None:
        _refuse_repeat(annotation, actor, to, version)
        if to in DECISIONS and source in DECISIONS and annotation.reviewer_id != actor.id:
            # the loser of a race: say who decided, and when
            raise Conflict(
                _race_message(annotation, actor),
                code="invalid_transition",
                details={"current": _state(annotation)},
            )
        raise Conflict(
            str(
                _l(
                    "A claim that is %(status)s cannot become %(to)s.",
                    status=source.value,
                    to=to.value,
                )
            ),
            code="invalid_transition",
            details={"current": _state(annotation)},
        )
    _check_actor(actor, annotation, need)
    from .projects import Project, check_writable

    check_writable(session.get(Project, annotation.project_id))
    check_version(session, annotation, version)
    comment = (comment or "").strip()
    if to is Status.REJECTED and not comment:
        raise Invalid(
            str(_l("Say why you reject the claim: the comment goes to its author.")),
            field="comment",
        )
    if need == "admin" and not comment:
        raise Invalid(str(_l("Give a reason for reopening.")), field="comment")

    values: dict = {
        "status": to,
        "version": Annotation.version + 1,
        "updated_at": now,
        "reserved_by_id": None,
        "reserved_until": None,
    }
    if to is Status.SUBMITTED:
        values["submitted_at"] = now
        # a resubmitted claim no longer carries the old comment (the history keeps it)
        values["review_comment"] = ""
    if need == "reviewer":
        values.update(reviewed_at=now, reviewer_id=actor.id, review_comment=comment)
    result = session.execute(
        update(Annotation)
        .where(
            Annotation.id == annotation.id,
            Annotation.version == version,
            Annotation.status == source,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.refresh(annotation)
        _refuse_repeat(annotation, actor, to, version)
        raise Conflict(
            _race_message(annotation, actor),
            code="stale_version",
            details={"current": _state(annotation)},
        )
    session.refresh(annotation)
    event = ReviewEvent(
        annotation_id=annotation.id,
        actor_id=actor.id,
        at=now,
        from_status=source,
        to_status=to,
        comment=comment,
        version=annotation.version,
    )
    session.add(event)
    session.flush()
    return event


def _refuse_repeat(annotation: Annotation, actor: User, to: Status, version: int | None) -> None:
    """A double-click or a client retry of a decision already recorded: 409 that says so.

    The second request names the version the first one saw, so the stored version is
    exactly one higher and the stored decision is the same one, by the same reviewer.
    The UI may treat ``already_decided`` as success: nothing was recorded twice.
    """
    if (
        to in (Status.APPROVED, Status.REJECTED)
        and annotation.status is to
        and annotation.reviewer_id == actor.id
        and isinstance(version, int)
        and annotation.version == version + 1
    ):
        message = (
            _l("Already approved by you: your decision was recorded once.")
            if to is Status.APPROVED
            else _l("Already rejected by you: your decision was recorded once.")
        )
        raise Conflict(
            str(message), code="already_decided", details={"current": _state(annotation)}
        )


def _race_message(annotation: Annotation, actor: User) -> str:
    if (
        annotation.reviewer_id
        and annotation.reviewer_id != actor.id
        and annotation.status in (Status.APPROVED, Status.REJECTED)
    ):
        when = annotation.reviewed_at
        return str(
            _l(
                "Another reviewer (%(name)s) decided first, on %(when)s UTC: the claim is now "
                "%(status)s. Your decision was not recorded.",
                name=annotation.reviewer.username if annotation.reviewer else "?",
                when=when.strftime("%Y-%m-%d %H:%M:%S") if when else "?",
                status=annotation.status.value,
            )
        )
    return str(
        _l(
            "This claim changed while you were deciding (it is now version %(v)s, "
            "%(status)s). Nothing was saved; reload to see the current state.",
            v=annotation.version,
            status=annotation.status.value,
        )
    )


def submit(session: Session, annotation: Annotation, actor: User, *, version: int | None):
    from .annotations import check_submittable  # the rules of a complete claim

    check_submittable(annotation)
    return transition(session, annotation, actor, Status.SUBMITTED, version=version)


def approve(
    session: Session, annotation: Annotation, actor: User, *, version: int | None, comment: str = ""
):
    return transition(session, annotation, actor, Status.APPROVED, version=version, comment=comment)


def reject(
    session: Session, annotation: Annotation, actor: User, *, version: int | None, comment: str
):
    return transition(session, annotation, actor, Status.REJECTED, version=version, comment=comment)


def reopen(
    session: Session, annotation: Annotation, actor: User, *, version: int | None, reason: str
):
    return transition(session, annotation, actor, Status.SUBMITTED, version=version, comment=reason)


def decide(
    session: Session,
    annotation: Annotation,
    actor: User,
    decision: str,
    *,
    version: int | None,
    comment: str = "",
):
    """``decision`` is ``approve`` or ``reject`` (the API's vocabulary)."""
    if decision == "approve":
        return approve(session, annotation, actor, version=version, comment=comment)
    if decision == "reject":
        return reject(session, annotation, actor, version=version, comment=comment)
    raise Invalid(str(_l("The decision must be “approve” or “reject”.")), field="decision")


__all__ = ["Role", "approve", "decide", "reject", "reopen", "submit", "transition"]


def paragraph_context(text: str, start: int, end: int, around: int = 1) -> dict:
    """The span in its paragraph, by the one paragraph rule (services/paragraphs.py)."""
    from .paragraphs import context

    return context(text, start, end, around)
