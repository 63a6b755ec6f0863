"""Adjudication: an adjudicator settles a double-annotated article, group by group.

A *group* is a unit of the agreement figures: the connected spans (of all the article's
annotators) that share a character. For each group the adjudicator accepts one version
(optionally edited) or drops the group. An accepted version becomes a new, approved claim
with the adjudicator as reviewer; the annotators' own versions are never changed, and the
decision row names them all. Two adjudicators deciding one group at once: the unique
(article, group) key lets one insert win; the other gets 409 with who decided and when.

An adjudicator may take back their last decision for a few minutes: adjudication_undo.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from ..models import Annotation, Source, Status, User, utcnow
from ..models.assignment import Adjudication, Assignment, AssignmentArticle, AssignmentTask
from ..permissions import Role, has_project_role, visible_projects
from ..times import iso
from . import agreement, assignment_agreement
from .annotations import LIMITS, _text, check_verdict
from .errors import Conflict, Invalid, NotAllowed, NotFound
from .queue import reservation_minutes
from .spans import span_values
from .workflow import record

EDITABLE = ("claim", "claimant", "verdict", "rationale")


@dataclass
class Group:
    start: int
    end: int
    versions: list[Annotation]
    decision: Adjudication | None = None
    verdicts: dict[str, str | None] = field(default_factory=dict)

    @property
    def agreed(self) -> bool:
        values = {a.verdict for a in self.versions}
        return len(values) == 1 and len({a.author_id for a in self.versions}) > 1


def annotator_ids(session: Session, aa: AssignmentArticle) -> set[int]:
    return set(
        session.scalars(
            select(AssignmentTask.annotator_id).where(
                AssignmentTask.assignment_id == aa.assignment_id,
                AssignmentTask.article_id == aa.article_id,
            )
        )
    )


def _ready(session: Session, aa: AssignmentArticle) -> bool:
    pending = session.scalar(
        select(AssignmentTask.id)
        .where(
            AssignmentTask.assignment_id == aa.assignment_id,
            AssignmentTask.article_id == aa.article_id,
            AssignmentTask.done_at.is_(None),
        )
        .limit(1)
    )
    return pending is None


def check_adjudicator(session: Session, aa: AssignmentArticle, user: User) -> None:
    """A reviewer (or admin) who is not one of the article's annotators, once all are done."""
    if not has_project_role(user, aa.assignment.project_id, Role.REVIEWER):
        raise NotAllowed(_("Adjudication is for reviewers."))
    if user.id in annotator_ids(session, aa):
        raise NotAllowed(
            _("You annotated this article: somebody else adjudicates it."), code="own_article"
        )
    if not _ready(session, aa):
        raise Conflict(_("Not every annotator has marked this article done yet."), code="not_ready")


def get(session: Session, assignment_id: int, article_id: int) -> AssignmentArticle:
    aa = session.scalar(
        select(AssignmentArticle).where(
            AssignmentArticle.assignment_id == assignment_id,
            AssignmentArticle.article_id == article_id,
        )
    )
    if aa is None:
        raise NotFound(_("This article is not part of the assignment."))
    return aa


def groups(session: Session, aa: AssignmentArticle) -> list[Group]:
    """The article's groups of overlapping versions, in text order, with their decisions."""
    ids = annotator_ids(session, aa)
    results = select(Adjudication.result_annotation_id).where(
        Adjudication.result_annotation_id.is_not(None)
    )
    versions = list(
        session.scalars(
            select(Annotation)
            .where(
                Annotation.article_id == aa.article_id,
                Annotation.author_id.in_(ids),
                Annotation.id.not_in(results),
            )
            .order_by(Annotation.start, Annotation.end, Annotation.id)
            .options(selectinload(Annotation.sources))
        )
    )
    decisions = {
        (d.group_start, d.group_end): d
        for d in session.scalars(
            select(Adjudication).where(Adjudication.article_id == aa.article_id)
        )
    }
    found: list[Group] = []
    reach = -1
    for annotation in versions:
        if found and annotation.start < reach:
            found[-1].versions.append(annotation)
            found[-1].end = max(found[-1].end, annotation.end)
        else:
            found.append(Group(annotation.start, annotation.end, [annotation]))
        reach = max(reach, annotation.end)
    for group in found:
        group.decision = decisions.get((group.start, group.end))
    return found


def queue(session: Session, user: User) -> list[tuple[AssignmentArticle, float]]:
    """Articles waiting for adjudication that ``user`` may take, most disagreement first."""
    waiting = list(
        session.scalars(
            select(AssignmentArticle)
            .join(Assignment, Assignment.id == AssignmentArticle.assignment_id)
            .where(
                AssignmentArticle.adjudicated_at.is_(None),
                visible_projects(user, Assignment.project_id, Role.REVIEWER),
            )
            .order_by(AssignmentArticle.id)
        )
    )
    rows = []
    for aa in waiting:
        ids = annotator_ids(session, aa)
        if user.id in ids or not _ready(session, aa):
            continue
        spans = [
            agreement.Span(a.article_id, str(a.author_id), a.start, a.end, a.verdict)
            for g in groups(session, aa)
            for a in g.versions
        ]
        rows.append((aa, assignment_agreement.disagreement(spans, [str(i) for i in ids])))
    rows.sort(key=lambda row: (-row[1], row[0].id))
    return rows


def next_item(session: Session, user: User) -> AssignmentArticle | None:
    """Reserve the worst free article for ``user`` (their own reservation first)."""
    now = utcnow()
    for aa, _score in sorted(queue(session, user), key=lambda r: r[0].reserved_by_id != user.id):
        minutes = reservation_minutes(aa.assignment.project)
        taken = session.execute(
            update(AssignmentArticle)
            .where(
                AssignmentArticle.id == aa.id,
                or_(
                    AssignmentArticle.reserved_until.is_(None),
                    AssignmentArticle.reserved_until < now,
                    AssignmentArticle.reserved_by_id == user.id,
                ),
            )
            .values(reserved_by_id=user.id, reserved_until=now + timedelta(minutes=minutes))
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount == 1:
            session.refresh(aa)
            return aa
    return None


def decide(
    session: Session,
    aa: AssignmentArticle,
    user: User,
    data: Mapping,
) -> Adjudication:
    """Settle one group: ``{"start", "end", "decision": "accept"|"drop", "annotation_id",
    "edits": {claim, claimant, verdict, rationale}}``."""
    check_adjudicator(session, aa, user)
    unknown = sorted(set(data) - {"start", "end", "decision", "annotation_id", "edits"})
    if unknown:
        raise Invalid(_("Unknown field: %(names)s.", names=", ".join(unknown)), field=unknown[0])
    group = _find_group(session, aa, data.get("start"), data.get("end"))
    decision = data.get("decision")
    if decision not in ("accept", "drop"):
        raise Invalid(_("decision is accept or drop."), field="decision")
    if group.decision is not None:
        raise _already(session, group.decision)
    source = result = None
    if decision == "accept":
        source = _version(group, data.get("annotation_id"))
        result = _approved_copy(session, source, user, data.get("edits") or {}, group)
    row = Adjudication(
        assignment_id=aa.assignment_id,
        article_id=aa.article_id,
        group_start=group.start,
        group_end=group.end,
        decision=decision,
        source_annotation_id=source.id if source else None,
        result_annotation_id=result.id if result else None,
        versions=" ".join(str(a.id) for a in group.versions),
        adjudicator_id=user.id,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        winner = session.scalar(
            select(Adjudication).where(
                Adjudication.article_id == aa.article_id,
                Adjudication.group_start == group.start,
                Adjudication.group_end == group.end,
            )
        )
        raise _already(session, winner) from None
    _finish_if_complete(session, aa, user)
    return row


def _already(session: Session, decision: Adjudication | None) -> Conflict:
    if decision is None:
        return Conflict(_("This group was decided meanwhile."), code="already_decided")
    who = session.get(User, decision.adjudicator_id)
    return Conflict(
        _(
            "%(who)s already decided this group (%(decision)s) at %(at)s.",
            who=who.username if who else "?",
            decision=decision.decision,
            at=decision.at.strftime("%Y-%m-%d %H:%M UTC"),
        ),
        code="already_decided",
    )


def _find_group(session: Session, aa: AssignmentArticle, start: object, end: object) -> Group:
    for group in groups(session, aa):
        if group.start == start and group.end == end:
            return group
    message = _("No group of claims at %(start)s–%(end)s.", start=start, end=end)
    raise Invalid(message, field="start")


def _version(group: Group, annotation_id: object) -> Annotation:
    for annotation in group.versions:
        if annotation.id == annotation_id:
            return annotation
    raise Invalid(_("Pick one of the group's versions to accept."), field="annotation_id")


def _approved_copy(
    session: Session, source: Annotation, user: User, edits: object, group: Group
) -> Annotation:
    if not isinstance(edits, Mapping) or set(edits) - set(EDITABLE):
        raise Invalid(
            _("edits may change %(fields)s only.", fields=", ".join(EDITABLE)), field="edits"
        )
    values = {name: getattr(source, name) for name in ("claim", "claimant", "rationale")}
    values.update({name: _text(edits, name) for name in LIMITS if name in edits})
    verdict = (
        check_verdict(session, edits["verdict"], source.project_id)
        if "verdict" in edits
        else source.verdict
    )
    if not values["claim"].strip() or not verdict:
        raise Invalid(_("An accepted claim needs a claim and a verdict."), field="edits")
    now = utcnow()
    copy = Annotation(
        article_id=source.article_id,
        author_id=source.author_id,
        **span_values(source),
        verdict=verdict,
        status=Status.APPROVED,
        version=2,
        submitted_at=now,
        reviewed_at=now,
        reviewer_id=user.id,
        **values,
    )
    copy.sources = [  # the evidence too: the source cited, its stance, its excerpts
        Source(
            position=s.position,
            url=s.url,
            title=s.title,
            note=s.note,
            source_id=s.source_id,
            stance=s.stance,
            excerpts=s.excerpts,
        )
        for s in source.sources
    ]
    session.add(copy)
    session.flush()
    versions = ", ".join(f"#{a.id} ({a.verdict or '—'})" for a in group.versions)
    edited = _(" (edited: %(fields)s)", fields=", ".join(sorted(edits))) if edits else ""
    comment = _(
        "Adjudicated: version #%(id)s accepted%(edited)s; versions in the group: %(versions)s.",
        id=source.id,
        edited=edited,
        versions=versions,
    )
    record(session, copy.id, source.author_id, None, Status.SUBMITTED, 1, at=now)
    record(session, copy.id, user, Status.SUBMITTED, Status.APPROVED, 2, comment, at=now)
    return copy


def _finish_if_complete(session: Session, aa: AssignmentArticle, user: User) -> None:
    if all(g.decision is not None for g in groups(session, aa)):
        session.execute(
            update(AssignmentArticle)
            .where(AssignmentArticle.id == aa.id, AssignmentArticle.adjudicated_at.is_(None))
            .values(adjudicated_at=utcnow(), adjudicator_id=user.id, reserved_by_id=None)
            .execution_options(synchronize_session=False)
        )
        session.refresh(aa)


def finish_empty(session: Session, aa: AssignmentArticle, user: User) -> None:
    """An article where nobody found a claim: adjudicated as it is."""
    check_adjudicator(session, aa, user)
    _finish_if_complete(session, aa, user)


# --- what the export carries ---------------------------------------------------------------


def _version_dict(annotation: Annotation, names: dict[int, str]) -> dict:
    return {
        "annotation_id": annotation.id,
        "annotator": names.get(annotation.author_id),
        "start": annotation.start,
        "end": annotation.end,
        "quote": annotation.quote,
        "claim": annotation.claim,
        "claimant": annotation.claimant,
        "verdict": annotation.verdict,
        "rationale": annotation.rationale,
    }


def originals(session: Session, ids: list[int]) -> dict[int, dict]:
    """For the adjudicated claims among ``ids``: the decision and every annotator's version."""
    decisions = list(
        session.scalars(select(Adjudication).where(Adjudication.result_annotation_id.in_(ids)))
    )
    if not decisions:
        return {}
    version_ids = {int(i) for d in decisions for i in d.versions.split()}
    versions = {
        a.id: a for a in session.scalars(select(Annotation).where(Annotation.id.in_(version_ids)))
    }
    names = _usernames(session, {a.author_id for a in versions.values()})
    names |= _usernames(session, {d.adjudicator_id for d in decisions})
    return {
        d.result_annotation_id: {
            "assignment_id": d.assignment_id,
            "adjudicator": names.get(d.adjudicator_id),
            "accepted_version": d.source_annotation_id,
            "versions": [
                _version_dict(versions[int(i)], names)
                for i in d.versions.split()
                if int(i) in versions
            ],
        }
        for d in decisions
    }


def _usernames(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())


def annotator_versions(session: Session):
    """Every annotator's own claim in every assignment, adjudicated or not (for researchers
    who model disagreement): one dict each, with the assignment and the annotator."""
    results = select(Adjudication.result_annotation_id).where(
        Adjudication.result_annotation_id.is_not(None)
    )
    rows = session.execute(
        select(Annotation, AssignmentTask, AssignmentArticle.adjudicated_at)
        .join(
            AssignmentTask,
            (AssignmentTask.article_id == Annotation.article_id)
            & (AssignmentTask.annotator_id == Annotation.author_id),
        )
        .join(
            AssignmentArticle,
            (AssignmentArticle.article_id == AssignmentTask.article_id)
            & (AssignmentArticle.assignment_id == AssignmentTask.assignment_id),
        )
        .where(Annotation.id.not_in(results))
        .order_by(AssignmentTask.assignment_id, Annotation.article_id, Annotation.start)
    )
    accepted = set(
        session.scalars(
            select(Adjudication.source_annotation_id).where(
                Adjudication.source_annotation_id.is_not(None)
            )
        )
    )
    for annotation, task, adjudicated_at in rows:
        yield {
            "record": "annotator_version",
            "assignment_id": task.assignment_id,
            "article_id": annotation.article_id,
            "done_at": iso(task.done_at),
            "adjudicated": adjudicated_at is not None,
            "accepted": annotation.id in accepted,
            **_version_dict(annotation, {annotation.author_id: task.annotator.username}),
        }
