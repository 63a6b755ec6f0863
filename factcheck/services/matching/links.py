"""Confirmed matches ("same claim"): stored on the annotation, written to its history.

A person confirms; nothing is ever linked automatically. The target is
``annotation:<id>`` (a claim the person may see) or the URL of a past fact-check.
Confirming or removing a link is an edit of the annotation: it names the version seen,
bumps it, and appends a history row (the status does not change).
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Annotation, ClaimLink, FactCheck, User
from ...permissions import can_edit, can_review
from .. import second_verdict, verdicts
from ..errors import Conflict, Invalid, NotAllowed, NotFound
from ..workflow import bump, check_version
from .scope import visible_claims

PREFIX = "annotation:"


def resolve(session: Session, user: User, annotation: Annotation, target: object):
    """``target`` → (its canonical text, target annotation id, target fact-check id)."""
    if not isinstance(target, str) or not target.strip():
        raise Invalid(_("target: annotation:<id> or a fact-check URL."), field="target")
    target = target.strip()
    if target.startswith(PREFIX):
        number = target[len(PREFIX) :]
        if not number.isdigit() or int(number) > 2**31 - 1:
            raise Invalid(_("target: annotation:<id> or a fact-check URL."), field="target")
        other = session.scalar(
            select(Annotation.id).where(Annotation.id == int(number), visible_claims(user))
        )
        if other is None:
            raise Invalid(_("target: no such claim."), field="target")
        if other == annotation.id:
            raise Invalid(_("target: a claim is not a match of itself."), field="target")
        return f"{PREFIX}{other}", other, None
    factcheck = session.scalar(select(FactCheck.id).where(FactCheck.url == target))
    if factcheck is None:
        raise Invalid(_("target: no past fact-check has this URL."), field="target")
    return target, None, factcheck


def _check_may_link(user: User, annotation: Annotation) -> None:
    if not (can_edit(user, annotation) or can_review(user, annotation)):
        raise NotAllowed(_("Only the author or a reviewer can confirm a match."))


#: how a confirmed (or withdrawn) match is written in the claim's history: the rows are
#: data, stored as written; ``readable_comment`` says them in the reader's language
SAME = "same claim as "
NOT_SAME = "not the same claim as "


def readable_comment(comment: str) -> str:
    """A history comment as a page shows it: a match's note translated, others as written."""
    if comment.startswith(NOT_SAME):
        return _("Not the same claim as %(target)s", target=comment[len(NOT_SAME) :])
    if comment.startswith(SAME):
        return _("Same claim as %(target)s", target=comment[len(SAME) :])
    return comment


def confirm(
    session: Session, annotation: Annotation, user: User, target: object, *, version: int | None
) -> ClaimLink:
    _check_may_link(user, annotation)
    canonical, annotation_id, factcheck_id = resolve(session, user, annotation, target)
    check_version(annotation, version)
    existing = session.scalar(
        select(ClaimLink).where(
            ClaimLink.annotation_id == annotation.id, ClaimLink.target == canonical
        )
    )
    if existing is not None:
        raise Conflict(_("This match is already confirmed."), code="already_linked")
    link = ClaimLink(
        annotation_id=annotation.id,
        target=canonical,
        target_annotation_id=annotation_id,
        target_factcheck_id=factcheck_id,
        created_by_id=user.id,
    )
    session.add(link)
    bump(session, annotation, user, version, comment=f"{SAME}{canonical}")
    return link


def remove(
    session: Session, annotation: Annotation, user: User, target: object, *, version: int | None
) -> None:
    _check_may_link(user, annotation)
    if not isinstance(target, str) or not target.strip():
        raise Invalid(_("target: annotation:<id> or a fact-check URL."), field="target")
    link = session.scalar(
        select(ClaimLink).where(
            ClaimLink.annotation_id == annotation.id, ClaimLink.target == target.strip()
        )
    )
    if link is None:
        raise NotFound(_("No such confirmed match."))
    check_version(annotation, version)
    session.delete(link)
    bump(session, annotation, user, version, comment=f"{NOT_SAME}{link.target}")


def targets(session: Session, annotation_ids: Iterable[int]) -> dict[int, list[str]]:
    """annotation id → its confirmed targets, oldest first."""
    ids = list(annotation_ids)
    found: dict[int, list[str]] = {}
    if not ids:
        return found
    rows = session.execute(
        select(ClaimLink.annotation_id, ClaimLink.target)
        .where(ClaimLink.annotation_id.in_(ids))
        .order_by(ClaimLink.annotation_id, ClaimLink.id)
    )
    for annotation_id, target in rows:
        found.setdefault(annotation_id, []).append(target)
    return found


def confirmed(session: Session, user: User, annotation: Annotation) -> list[dict]:
    """The annotation's confirmed matches with what the reviewer needs to compare verdicts
    (a target the user may not see any more is listed by its name only).

    Blind second verdict: a target in review whose verdict the user must not see yet comes
    without it (``verdict_hidden``), and while the annotation's own verdict is hidden from
    the user, ``differs`` says nothing (it would tell them something about it)."""
    links = list(
        session.scalars(
            select(ClaimLink).where(ClaimLink.annotation_id == annotation.id).order_by(ClaimLink.id)
        )
    )
    wanted = [link.target_annotation_id for link in links if link.target_annotation_id]
    others = (
        {
            other.id: other
            for other in session.scalars(
                select(Annotation).where(Annotation.id.in_(wanted), visible_claims(user))
            )
        }
        if wanted
        else {}
    )
    hidden = second_verdict.hidden_ids(session, user, [annotation, *others.values()])
    return [_confirmed_json(session, link, others, hidden, annotation) for link in links]


def _confirmed_json(session, link, others, hidden, annotation) -> dict:
    item = {"target": link.target, "claim": None, "verdict": None, "verdict_label": None}
    item["url"] = link.target if link.target_factcheck_id else None
    item["verdict_hidden"] = False
    other = others.get(link.target_annotation_id)
    if other is not None:
        item.update(
            claim=other.claim, url=f"/articles/{other.article_id}/annotate?annotation={other.id}"
        )
        if other.id in hidden:
            item["verdict_hidden"] = True
        else:
            item.update(
                verdict=other.verdict,
                verdict_label=verdicts.label(other.verdict_row) if other.verdict_row else None,
            )
    elif link.target_factcheck_id:
        factcheck = session.get(FactCheck, link.target_factcheck_id)
        item.update(
            claim=factcheck.claim,
            verdict=factcheck.verdict,
            verdict_label=verdicts.rating_label(factcheck),
        )
    item["differs"] = bool(
        annotation.id not in hidden
        and item["verdict"]
        and annotation.verdict
        and item["verdict"] != annotation.verdict
    )
    return item
