"""People settle what a revision could not: confirm a relocated claim, or move its span.

``POST /api/v1/annotations/<id>/anchor`` with ``{"action": "confirm", "version": N}`` or
``{"action": "move", "start", "end", "quote", "version": N}``. The author or a reviewer
of the project (not the author: the four-eyes rule still holds for what they approve) may
act; admins too (``permissions.can_settle_anchor``, which the pages ask as well). Both
set ``anchor`` to ``ok`` on the current revision and write a history row. An approved
claim stays approved only if its quote is the one that was approved; otherwise it goes
back to review. Each is one conditional UPDATE on (id, version, anchor).
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from ..models import Anchor, Annotation, Article, Status, User, utcnow
from ..permissions import can_settle_anchor, settleable_claims
from .errors import Conflict, Invalid, NotAllowed
from .revisions import check_current
from .spans import span_values, validate_span
from .workflow import bump, check_version, parse_version

ACTIONS = ("confirm", "move")


def needs_attention(
    session: Session, user: User, limit: int = 20, project_id: int | None = None
) -> list[Annotation]:
    """Claims a revision left relocated or orphaned that ``user`` may settle: their own,
    and in the projects where they review (or administer) every one that is not a draft;
    of one project when ``project_id`` is given (the home page's current project)."""
    query = select(Annotation).where(
        Annotation.anchor != Anchor.OK,
        settleable_claims(user),
        or_(Annotation.author_id == user.id, Annotation.status != Status.DRAFT),
    )
    if project_id is not None:
        query = query.where(Annotation.project_id == project_id)
    # the list shows article titles: never the articles' full text
    query = query.options(joinedload(Annotation.article).load_only(Article.id, Article.title))
    return list(session.scalars(query.order_by(Annotation.updated_at.desc()).limit(limit)))


def act(
    session: Session, annotation: Annotation, user: User, data: Mapping, *, version: object
) -> Annotation:
    """Confirm or move the span of a relocated or orphaned claim."""
    unknown = set(data) - {"action", "start", "end", "quote"}
    if unknown:
        names = ", ".join(sorted(unknown))
        raise Invalid(_("Unknown or read-only field: %(names)s.", names=names))
    action = data.get("action")
    if action not in ACTIONS:
        raise Invalid(_("action must be “confirm” or “move”."), field="action")
    if not can_settle_anchor(user, annotation):
        raise NotAllowed(_("Only the author or a reviewer can settle this claim's place."))
    if annotation.anchor is Anchor.OK:
        raise Conflict(_("This claim's place needs no confirmation."), code="anchor_ok")
    version = parse_version(version, text=False, required=True)
    check_version(annotation, version)
    article = session.get(Article, annotation.article_id)
    if action == "confirm":
        return _confirm(session, annotation, article, user, version)
    return _move(session, annotation, article, user, data, version)


def _confirm(session, annotation, article, user, version) -> Annotation:
    if annotation.anchor is Anchor.ORPHANED:
        raise Invalid(
            _("This passage is gone: select the right text to move the claim there."),
            field="action",
        )
    if annotation.article_revision != article.revision:
        raise Conflict(
            _("The article was revised again; reload to see the new best guess."),
            code="article_revised",
        )
    comment = _(
        "Place confirmed on revision %(n)s by %(name)s.", n=article.revision, name=user.username
    )
    values = {}
    return _settle(session, annotation, user, version, values, str(comment))


def _move(session, annotation, article, user, data, version) -> Annotation:
    check_current(session, article)
    span = validate_span(article.text, data.get("start"), data.get("end"), data.get("quote"))
    values = {**span_values(span), "article_revision": article.revision}
    comment = _(
        "Span moved on revision %(n)s by %(name)s: %(start)s–%(end)s.",
        n=article.revision,
        name=user.username,
        start=span.start,
        end=span.end,
    )
    return _settle(session, annotation, user, version, values, str(comment))


def _settle(session, annotation, user, version, values: dict, comment: str) -> Annotation:
    """anchor → ok (and back to review if an approved quote changed), in one UPDATE."""
    approved_quote = annotation.previous_quote or annotation.quote
    quote = values.get("quote", annotation.quote)
    source = annotation.status
    to = source
    if source is Status.APPROVED and quote != approved_quote:
        to = Status.SUBMITTED
        comment += " " + _("It was approved: back to review, its quote changed.")
    now = utcnow()
    values.update(
        anchor=Anchor.OK,
        previous_start=None,
        previous_end=None,
        previous_quote=None,
        previous_revision=None,
    )
    if to is not source:
        values.update(submitted_at=now, reserved_by_id=None, reserved_until=None)
    guard = [Annotation.anchor == annotation.anchor]
    bump(
        session,
        annotation,
        user,
        version,
        values=values,
        to=to,
        comment=comment,
        now=now,
        guard=guard,
    )
    return annotation
