"""The workflow of an annotation (docs/contract.md#workflow-of-an-annotation): a table of steps,
and ``bump``, the one conditional UPDATE through which every write of an annotation goes.

draft ─submit─▶ submitted ─approve─▶ approved ─reopen (admin)─▶ submitted
                  │   ▲
           reject ▼   │ resubmit
                rejected

A step is a row of ``STEPS``: who may take it, whether it needs a comment, what must hold of
the claim first. A write is one conditional UPDATE (``WHERE id = … AND version = … AND
status = …``) that bumps ``version`` and appends a history row: of two concurrent writers
exactly one changes the row, the other gets ``Conflict``, on SQLite and PostgreSQL alike,
without holding locks across requests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from ..models import Annotation, Appearance, ReviewEvent, Source, Status, User, utcnow
from ..permissions import is_project_admin
from . import assignment_rules, second_verdict
from .errors import Conflict, Invalid, NotAllowed
from .evidence import citations
from .projects import Project, check_writable

# the one version parser and stale check (services import them from here too)
from .versions import check_version, conflict, stale
from .versions import parse_version as parse_version

DECISIONS = (Status.APPROVED, Status.REJECTED)

# --- who may take a step ----------------------------------------------------------------


def author(actor: User, annotation: Annotation) -> None:
    if annotation.author_id != actor.id:
        raise NotAllowed(_("Only the author can submit this claim."))


def withdrawer(actor: User, annotation: Annotation) -> None:
    if annotation.author_id != actor.id:
        raise NotAllowed(_("Only the author can withdraw this claim."))


def reviewer(actor: User, annotation: Annotation) -> None:
    """Four eyes: a reviewer of the claim's project, and not its author."""
    second_verdict.check_four_eyes(
        actor, annotation, _("Only reviewers can approve or reject claims.")
    )
    # blind second verdict (services/second_verdict.py): the reviewer's own comes first
    second_verdict.require_committed(annotation, actor)


def admin(actor: User, annotation: Annotation) -> None:
    if not is_project_admin(actor, annotation.project_id):
        raise NotAllowed(_("Only an administrator can reopen an approved claim."))


# --- what must hold of the claim --------------------------------------------------------


def check_submittable(annotation: Annotation) -> None:
    """A claim goes to review only when it is complete."""
    if not (annotation.claim or "").strip():
        raise Invalid(_("Write the claim before submitting."), field="claim")
    if not annotation.verdict:
        raise Invalid(_("Pick a verdict before submitting."), field="verdict")
    if not annotation.sources:
        raise Invalid(_("Add at least one source before submitting."), field="sources")


def submittable(session: Session, annotation: Annotation) -> None:
    """Not on an assigned article (adjudication settles those), and complete (with the
    evidence its project asks for)."""
    assignment_rules.refuse_submit(session, annotation.article_id, annotation.author_id)
    check_submittable(annotation)
    project = session.get(Project, annotation.project_id)
    citations.require_evidence(project, annotation.sources)


# --- the table --------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """What one move from a status to another asks."""

    #: raises NotAllowed unless the actor may take the step
    actor: Callable[[User, Annotation], None]
    #: the message when the comment is missing; None: the comment is optional
    comment_rule: LazyString | None = None
    #: what must hold of the claim, checked first (raises Invalid)
    precheck: Callable[[Session, Annotation], None] | None = None


SUBMIT = Step(author, precheck=submittable)
#: (from, to) → the step; a pair that is not here is not a move of the workflow
STEPS: dict[tuple[Status, Status], Step] = {
    (Status.DRAFT, Status.SUBMITTED): SUBMIT,
    (Status.REJECTED, Status.SUBMITTED): SUBMIT,
    # the author takes a claim back from review to correct or delete it (a claim whose
    # passage a revision removed, a second thought): the history keeps the round trip
    (Status.SUBMITTED, Status.DRAFT): Step(withdrawer),
    (Status.SUBMITTED, Status.APPROVED): Step(reviewer),
    (Status.SUBMITTED, Status.REJECTED): Step(
        reviewer,
        comment_rule=_l("Say why you reject the claim: the comment goes to its author."),
    ),
    (Status.APPROVED, Status.SUBMITTED): Step(
        admin, comment_rule=_l("Give a reason for reopening.")
    ),
}


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
    step = STEPS.get((annotation.status, to))
    if step is None:
        raise _not_a_step(annotation, actor, to, version)
    if step.precheck is not None:
        step.precheck(session, annotation)
    step.actor(actor, annotation)
    check_writable(session.get(Project, annotation.project_id))
    check_version(annotation, version)
    comment = (comment or "").strip()
    if step.comment_rule is not None and not comment:
        raise Invalid(str(step.comment_rule), field="comment")
    now = now or utcnow()
    values: dict = {"reserved_by_id": None, "reserved_until": None}
    if to is Status.SUBMITTED:
        # a resubmitted claim no longer carries the old comment (the history keeps it)
        values.update(submitted_at=now, review_comment="")
    if to in DECISIONS:
        values.update(reviewed_at=now, reviewer_id=actor.id, review_comment=comment)
    return bump(
        session,
        annotation,
        actor,
        version,
        values=values,
        to=to,
        comment=comment,
        now=now,
        lost=lambda: lost_race(annotation, actor, to, version),
    )


# --- the one write ----------------------------------------------------------------------


def bump(
    session: Session,
    annotation: Annotation,
    actor: User,
    version: int,
    *,
    values: dict | None = None,
    to: Status | None = None,
    comment: str | None = None,
    sources: list[dict] | None = None,
    appearances: list[dict] | None = None,
    guard: Iterable = (),
    now: datetime | None = None,
    lost: Callable[[], Conflict] | None = None,
) -> ReviewEvent | None:
    """Write ``values`` (status ``to``, version + 1) if the row is still at ``version``, in
    its status, and ``guard`` holds; else 409 (``lost()``, or the stale-version one).

    ``sources`` replaces the claim's sources, ``appearances`` its appearances (None: kept).
    ``comment`` (None: no history row) goes to the history row from the old status to the
    new one. The annotation is reloaded."""
    now = now or utcnow()
    source = annotation.status
    to = to or source
    result = session.execute(
        update(Annotation)
        .where(
            Annotation.id == annotation.id,
            Annotation.version == version,
            Annotation.status == source,
            *guard,
        )
        .values(**(values or {}), status=to, version=Annotation.version + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.refresh(annotation)
        raise lost() if lost is not None else stale(annotation, version)
    if sources is not None:
        session.execute(delete(Source).where(Source.annotation_id == annotation.id))
        session.add_all(
            Source(annotation_id=annotation.id, position=i, **row) for i, row in enumerate(sources)
        )
    if appearances is not None:
        session.execute(delete(Appearance).where(Appearance.annotation_id == annotation.id))
        session.add_all(
            Appearance(annotation_id=annotation.id, position=i, **row)
            for i, row in enumerate(appearances)
        )
    event = None
    if comment is not None:
        event = record(session, annotation.id, actor, source, to, version + 1, comment, at=now)
    session.flush()
    session.expire(annotation)
    session.refresh(annotation)
    return event


def record(
    session: Session,
    annotation_id: int,
    actor: User | int,
    source: Status | None,
    to: Status,
    version: int,
    comment: str = "",
    *,
    at: datetime | None = None,
) -> ReviewEvent:
    """Append a row to the history of an annotation (it is never rewritten)."""
    event = ReviewEvent(
        annotation_id=annotation_id,
        actor_id=actor if isinstance(actor, int) else actor.id,
        at=at or utcnow(),
        from_status=source,
        to_status=to,
        comment=comment,
        version=version,
    )
    session.add(event)
    return event


# --- conflicts (the version checks live in versions.py) ---------------------------------


def lost_race(annotation: Annotation, actor: User, to: Status, version: int | None) -> Conflict:
    """The 409 of a decision that another write beat (``annotation`` is reloaded)."""
    _refuse_repeat(annotation, actor, to, version)
    return conflict(annotation, race_message(annotation, actor))


def _not_a_step(annotation: Annotation, actor: User, to: Status, version: int | None) -> Conflict:
    _refuse_repeat(annotation, actor, to, version)
    source = annotation.status
    if to in DECISIONS and source in DECISIONS and annotation.reviewer_id != actor.id:
        # the loser of a race: say who decided, and when
        message = race_message(annotation, actor)
    else:
        message = _(
            "A claim that is %(status)s cannot become %(to)s.", status=source.value, to=to.value
        )
    return conflict(annotation, message, "invalid_transition")


def _refuse_repeat(annotation: Annotation, actor: User, to: Status, version: int | None) -> None:
    """A double-click or a client retry of a decision already recorded: 409 that says so.

    The second request names the version the first one saw, so the stored version is
    exactly one higher and the stored decision is the same one, by the same reviewer.
    The UI may treat ``already_decided`` as success: nothing was recorded twice.
    """
    if (
        to in DECISIONS
        and annotation.status is to
        and annotation.reviewer_id == actor.id
        and isinstance(version, int)
        and annotation.version == version + 1
    ):
        message = (
            _("Already approved by you: your decision was recorded once.")
            if to is Status.APPROVED
            else _("Already rejected by you: your decision was recorded once.")
        )
        raise conflict(annotation, message, "already_decided")


def race_message(annotation: Annotation, actor: User) -> str:
    if (
        annotation.reviewer_id
        and annotation.reviewer_id != actor.id
        and annotation.status in DECISIONS
    ):
        when = annotation.reviewed_at
        return _(
            "Another reviewer (%(name)s) decided first, on %(when)s: the claim is now "
            "%(status)s. Your decision was not recorded.",
            name=annotation.reviewer.username if annotation.reviewer else "?",
            # written in UTC; an HTML page shows it in the reader's zone (templating.py)
            when=when.strftime("%Y-%m-%d %H:%M UTC") if when else "?",
            status=annotation.status.value,
        )
    return _(
        "This claim changed while you were deciding (it is now version %(v)s, "
        "%(status)s). Nothing was saved; reload to see the current state.",
        v=annotation.version,
        status=annotation.status.value,
    )
