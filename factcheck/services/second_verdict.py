"""Blind second verdict: in a project with the setting on, a reviewer gives their own verdict
on a claim before the annotator's verdict and rationale are shown to them; both are kept,
and annotator–reviewer agreement is measured on the pairs (Krippendorff's α, agreement.py).

The rules, for the edge cases too:

- *Who must commit*: anybody who may review the claim (a reviewer of its project, never its
  author), while it is submitted and they have no verdict of their own on it yet. Until then
  the review page, the queue, ``GET /review/next`` and every annotation JSON hide the
  annotator's verdict and rationale from them, and approve, reject and "fix and approve"
  answer 409 ``second_verdict_required``.
- *Once per claim and reviewer*: a committed verdict cannot be changed (the reviewer has seen
  the annotator's by then); sending the same one again is harmless, another one is 409.
- *Skip* keeps a committed verdict; the next visit shows everything. *Undo* of a decision
  keeps it too: the decision is taken back, not the independent judgement.
- *Resubmitted after rejection*: the reviewer who already committed is not asked again (they
  have seen the verdict); another reviewer is. The pair stored is always the annotator's
  verdict *as it stood when the reviewer committed*, so a verdict changed after a rejection
  (no longer independent) never enters the figures.
- *Setting switched off*: nothing is hidden or required any more; the stored pairs stay and
  still count. Switched on: claims already in review need a verdict from their next reviewer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from ..models import Annotation, Project, SecondVerdict, Status, User, Verdict, utcnow
from ..permissions import Role, can_review, has_project_role
from . import agreement
from .assignment_agreement import ordinal_order
from .errors import Conflict, Invalid, NotAllowed
from .projects import check_writable, default_project
from .verdicts import scale
from .versions import check_version

#: fields of a claim hidden from a reviewer who has not committed their own verdict
HIDDEN = ("verdict", "rationale")
PERIODS = ("week", "month")
#: at most this many periods on the dashboard's chart (the most recent)
MAX_PERIODS = 26


def is_on(session: Session, annotation: Annotation) -> bool:
    project = session.get(Project, annotation.project_id)
    return bool(project is not None and project.blind_second_verdict)


def mine(session: Session, annotation: Annotation, user: User) -> SecondVerdict | None:
    """The verdict ``user`` committed on ``annotation``, if any."""
    return session.scalar(
        select(SecondVerdict).where(
            SecondVerdict.annotation_id == annotation.id, SecondVerdict.reviewer_id == user.id
        )
    )


def must_commit(session: Session, annotation: Annotation, user: User | None) -> bool:
    """True while ``user`` must give their own verdict before seeing the annotator's."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        annotation.status is Status.SUBMITTED
        and is_on(session, annotation)
        and can_review(user, annotation)
        and mine(session, annotation, user) is None
    )


def hidden_ids(session: Session, user: User, annotations: list[Annotation]) -> set[int]:
    """Which of ``annotations`` ``user`` must not see the verdict of yet, in two queries
    whatever their number (for pages that list many claims, such as the annotate page)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    candidates = [a for a in annotations if a.status is Status.SUBMITTED and a.author_id != user.id]
    blind_projects = (
        set(
            session.scalars(
                select(Project.id).where(
                    Project.id.in_({a.project_id for a in candidates}),
                    Project.blind_second_verdict.is_(True),
                )
            )
        )
        if candidates
        else set()
    )
    candidates = [
        a
        for a in candidates
        if a.project_id in blind_projects and has_project_role(user, a.project_id, Role.REVIEWER)
    ]
    if not candidates:
        return set()
    committed = set(
        session.scalars(
            select(SecondVerdict.annotation_id).where(
                SecondVerdict.reviewer_id == user.id,
                SecondVerdict.annotation_id.in_([a.id for a in candidates]),
            )
        )
    )
    return {a.id for a in candidates} - committed


def verdict_visible(reviewer_id: int, project_ids: tuple[int, ...]) -> ColumnElement[bool]:
    """SQL twin of ``hidden_ids``, for a streaming query (the export): a condition on
    annotation rows that fails for those whose verdict is hidden from the reviewer
    ``reviewer_id`` — in review in one of ``project_ids`` (the blind projects where they
    review), by somebody else, and no verdict of their own on it yet."""
    row = Annotation.__table__.c
    own = SecondVerdict.__table__.c
    return or_(
        row.status != Status.SUBMITTED.value,
        row.project_id.not_in(project_ids),
        row.author_id == reviewer_id,
        exists().where(own.annotation_id == row.id, own.reviewer_id == reviewer_id),
    )


def choices(session: Session, annotation: Annotation) -> list[Verdict]:
    """The verdicts a reviewer may pick: the project's scale without retired ones."""
    return scale(session, annotation.project_id)


def check_four_eyes(reviewer: User, annotation: Annotation, not_reviewer: str) -> None:
    """The four-eyes rule, for a review step and a second verdict alike: never the author
    (``four_eyes``), and a reviewer of the claim's project (else ``not_reviewer``)."""
    if annotation.author_id == reviewer.id:
        raise NotAllowed(
            _("You cannot review your own claim: another reviewer must check it."),
            code="four_eyes",
        )
    if not can_review(reviewer, annotation):
        raise NotAllowed(not_reviewer)


def commit(
    session: Session,
    annotation: Annotation,
    reviewer: User,
    verdict: object,
    *,
    version: int | None = None,
) -> SecondVerdict:
    """Store ``reviewer``'s own verdict on ``annotation`` with the annotator's as it stands."""
    check_four_eyes(reviewer, annotation, _("Only reviewers can give a second verdict."))
    if not is_on(session, annotation):
        raise Conflict(
            _("This project does not ask reviewers for a blind second verdict."),
            code="not_blind",
        )
    existing = mine(session, annotation, reviewer)
    if existing is not None:
        return _same_or_conflict(existing, verdict)
    if annotation.status is not Status.SUBMITTED:
        raise Conflict(
            _("Only a claim in review takes a second verdict."), code="invalid_transition"
        )
    check_writable(session.get(Project, annotation.project_id))
    if version is not None:  # optional here: a script may leave it out, the page names it
        check_version(annotation, version)
    if not isinstance(verdict, str) or verdict not in {v.key for v in choices(session, annotation)}:
        raise Invalid(_("Pick a verdict of the project's scale."), field="verdict")
    row = SecondVerdict(
        annotation_id=annotation.id,
        reviewer_id=reviewer.id,
        annotator_id=annotation.author_id,
        project_id=annotation.project_id,
        verdict=verdict,
        annotator_verdict=annotation.verdict,
        annotation_version=annotation.version,
        created_at=utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        # the same reviewer committed from another tab a moment earlier
        return _same_or_conflict(mine(session, annotation, reviewer), verdict)
    return row


def _same_or_conflict(existing: SecondVerdict, verdict: object) -> SecondVerdict:
    if existing.verdict == verdict:
        return existing  # a retry or a double click: recorded once
    raise Conflict(
        _("You already gave your verdict on this claim; it cannot be changed."),
        code="already_committed",
        details={"second_verdict": existing.verdict},
    )


def require_committed(annotation: Annotation, actor: User) -> None:
    """The decision guard (review.py): 409 while ``actor`` owes their own verdict."""
    session = object_session(annotation)
    if session is not None and must_commit(session, annotation, actor):
        raise Conflict(
            _("Give your own verdict first: this project reviews blind."),
            code="second_verdict_required",
        )


def redact(session: Session, data: dict, annotation: Annotation, viewer: User | None) -> dict:
    """The annotation JSON as ``viewer`` may see it: without the annotator's verdict and
    rationale while they owe their own, and with a ``second_verdict`` field in blind
    projects for those who may review the claim."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return data
    if not is_on(session, annotation) or not can_review(viewer, annotation):
        return data
    own = mine(session, annotation, viewer)
    required = own is None and annotation.status is Status.SUBMITTED
    if required:
        for name in HIDDEN:
            data[name] = None
    data["second_verdict"] = {
        "required": required,
        "hidden": list(HIDDEN) if required else [],
        "mine": own.verdict if own is not None else None,
    }
    return data


# --- annotator–reviewer agreement ----------------------------------------------------------


@dataclass
class Figures:
    """α over a set of (annotator verdict, reviewer verdict) pairs."""

    pairs: int = 0
    same: int = 0
    alpha_nominal: float | None = None
    alpha_ordinal: float | None = None


@dataclass
class Period(Figures):
    start: date = date.min


@dataclass
class AnnotatorFigures(Figures):
    annotator: User | None = None


@dataclass
class Report:
    overall: Figures
    periods: list[Period] = field(default_factory=list)
    per_annotator: list[AnnotatorFigures] = field(default_factory=list)
    period: str = "week"


def figures(pairs: list[tuple[str | None, str]], order: list[str]) -> Figures:
    """α of annotator (row 1) against reviewer (row 2), one unit per pair."""
    if not pairs:
        return Figures()
    matrix = [[a for a, _ in pairs], [r for _, r in pairs]]
    return Figures(
        pairs=len(pairs),
        same=sum(1 for a, r in pairs if a == r),
        alpha_nominal=agreement.alpha(matrix),
        alpha_ordinal=agreement.alpha(matrix, "ordinal", order),
    )


def period_start(moment: datetime, period: str = "week") -> date:
    """The first day (UTC) of the ISO week (Monday) or month holding ``moment``."""
    day = moment.date()
    if period == "month":
        return day.replace(day=1)
    return day - timedelta(days=day.weekday())


def _next_start(start: date, period: str) -> date:
    if period == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=7)


def stored_pairs(session: Session, project_id: int | None) -> list:
    """The pairs as light rows (annotator_id, annotator_verdict, verdict, created_at)."""
    query = select(
        SecondVerdict.annotator_id,
        SecondVerdict.annotator_verdict,
        SecondVerdict.verdict,
        SecondVerdict.created_at,
    ).order_by(SecondVerdict.created_at, SecondVerdict.id)
    if project_id is not None:
        query = query.where(SecondVerdict.project_id == project_id)
    return list(session.execute(query))


def report(session: Session, project_id: int | None, period: str = "week") -> Report | None:
    """Annotator–reviewer verdict α of a project (None: every stored pair), overall, per
    period (week or month, by when the reviewer committed) and per annotator; None when
    no pair is stored."""
    if period not in PERIODS:
        raise Invalid(_("The period is “week” or “month”."), field="period")
    rows = stored_pairs(session, project_id)
    if not rows:
        return None
    order = _ordinal_order(session, project_id)
    by_period: dict[date, list[tuple]] = defaultdict(list)
    by_annotator: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        pair = (row.annotator_verdict, row.verdict)
        by_period[period_start(row.created_at, period)].append(pair)
        by_annotator[row.annotator_id].append(pair)
    periods = []
    start, last = min(by_period), max(by_period)
    while start <= last:
        periods.append(Period(start=start, **vars(figures(by_period.get(start, []), order))))
        start = _next_start(start, period)
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(by_annotator)))}
    per_annotator = [
        AnnotatorFigures(annotator=users.get(uid), **vars(figures(pairs, order)))
        for uid, pairs in by_annotator.items()
    ]
    per_annotator.sort(key=lambda f: (-f.pairs, f.annotator.username if f.annotator else ""))
    return Report(
        overall=figures([(r.annotator_verdict, r.verdict) for r in rows], order),
        periods=periods[-MAX_PERIODS:],
        per_annotator=per_annotator,
        period=period,
    )


def _ordinal_order(session: Session, project_id: int | None) -> list[str]:
    """The scale's order (verdicts with a rating), as for assignments' ordinal α."""

    if project_id is None:
        default = default_project(session)
        project_id = default.id if default is not None else None
    return ordinal_order(session, project_id) if project_id is not None else []
