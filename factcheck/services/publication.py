"""Publishing an approved claim's verdict (DESIGN.md, "The desk's memory"): where and when
the newsroom published it, which the ClaimReview export writes as ``url`` and
``datePublished``; and the project's publisher (ClaimReview ``author``).

Publishing keeps the claim approved: it is a write of the annotation like any other (it
names the version seen, bumps it, refuses a stale one with 409) and appends a history row
from ``approved`` to ``approved`` with ``action="publish"`` and the comment
``Published at <url>`` (data, stored as written; ``readable`` says it in the reader's
language). Publishing again (a corrected address) is recorded the same way; ``unpublish``
takes the address away, recorded as ``action="unpublish"``.

A claim reopened after publication keeps its ``published_url``: it leaves the ClaimReview
export while it is not approved, and comes back with its address once approved again.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ..models import Annotation, Project, ReviewEvent, Status, User, utcnow
from ..permissions import can_publish
from .errors import Invalid, NotAllowed
from .projects import check_writable
from .urls import MAX_LENGTH as URL_LIMIT
from .urls import web_address
from .versions import check_version, conflict
from .workflow import bump

#: ``ReviewEvent.action`` of a publication and of its withdrawal
PUBLISH = "publish"
UNPUBLISH = "unpublish"
#: how a publication is written in the claim's history (data: see ``readable``)
PUBLISHED_AT = "Published at "
UNPUBLISHED = "Unpublished: "
#: the publisher's name, as ``Project.publisher_name`` holds it
NAME_LIMIT = 300


def publish(
    session: Session,
    annotation: Annotation,
    user: User,
    published_url: object,
    published_at: object = None,
    *,
    version: int | None,
    now: datetime | None = None,
) -> ReviewEvent:
    """Record that ``annotation`` (approved) was published at ``published_url``, at
    ``published_at`` (an ISO 8601 instant or date, or a datetime; None: now)."""
    _check(session, annotation, user)
    url = clean_url(published_url, "published_url")
    now = now or utcnow()
    moment = clean_moment(published_at, "published_at") or now
    check_version(annotation, version)
    if annotation.published_url == url and (
        published_at is None or _same_moment(annotation.published_at, moment)
    ):
        raise conflict(
            annotation,
            _("This claim is already published at this address: nothing was changed."),
            "already_published",
        )
    return _write(
        session,
        annotation,
        user,
        version,
        {"published_url": url, "published_at": moment},
        PUBLISH,
        f"{PUBLISHED_AT}{url}",
        now,
    )


def unpublish(
    session: Session,
    annotation: Annotation,
    user: User,
    *,
    version: int | None,
    now: datetime | None = None,
) -> ReviewEvent:
    """Take the publication away (the address was wrong, the page withdrawn)."""
    _check(session, annotation, user)
    check_version(annotation, version)
    if not annotation.published_url:
        raise conflict(annotation, _("This claim is not published."), "not_published")
    comment = f"{UNPUBLISHED}{annotation.published_url}"
    values = {"published_url": None, "published_at": None}
    return _write(session, annotation, user, version, values, UNPUBLISH, comment, now)


def _check(session: Session, annotation: Annotation, user: User) -> None:
    """Who (403), the project writable (409), the claim approved (409)."""
    if not can_publish(user, annotation):
        raise NotAllowed(_("Only the reviewers and admins of the project can publish its claims."))
    check_writable(session.get(Project, annotation.project_id))
    if annotation.status is not Status.APPROVED:
        raise conflict(
            annotation,
            _(
                "Only an approved claim can be published; this one is %(status)s.",
                status=annotation.status.value,
            ),
            "not_approved",
        )


def _write(
    session: Session,
    annotation: Annotation,
    user: User,
    version: int,
    values: dict,
    action: str,
    comment: str,
    now: datetime | None,
) -> ReviewEvent:
    """One conditional UPDATE (workflow.bump: a concurrent write gets 409) and its history
    row, marked with ``action``."""
    event = bump(
        session,
        annotation,
        user,
        version,
        values=values,
        guard=(Annotation.status == Status.APPROVED,),
        comment=comment,
        now=now,
    )
    event.action = action
    session.flush()
    return event


def _same_moment(stored: datetime | None, moment: datetime) -> bool:
    return stored is not None and stored.replace(microsecond=0) == moment.replace(microsecond=0)


# --- reading what a client sent ----------------------------------------------------------


def clean_url(value: object, field: str) -> str:
    """An http(s) address (services/urls.py), else 422 naming ``field``."""
    if value is not None and not isinstance(value, str):
        raise Invalid(_("%(name)s must be text.", name=field), field=field)
    if not (value or "").strip():
        raise Invalid(_("%(name)s is required.", name=field), field=field)
    url = web_address(value, limit=URL_LIMIT)
    if url is None:
        raise Invalid(
            _(
                "%(name)s must be an http:// or https:// address of at most %(n)s characters.",
                name=field,
                n=URL_LIMIT,
            ),
            field=field,
        )
    return url


def clean_moment(value: object, field: str) -> datetime | None:
    """An ISO 8601 instant (``2026-12-07T09:30:00Z``; without an offset: UTC) or date
    (midnight UTC), or an aware datetime; None when absent; else 422 naming ``field``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        moment = _parse_moment(value.strip(), field)
    else:
        raise Invalid(_("%(name)s must be text.", name=field), field=field)
    try:
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except OverflowError:
        raise _bad_moment(field, str(value)) from None


def _parse_moment(text: str, field: str) -> datetime:
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        if len(text) < 16 or text[10] not in "Tt ":
            raise ValueError(text)
        return datetime.fromisoformat(text)
    except ValueError:
        raise _bad_moment(field, text) from None


def _bad_moment(field: str, text: str) -> Invalid:
    return Invalid(
        _(
            "%(name)s: %(value)s is not an ISO 8601 moment (2026-12-07T09:30:00Z) or date "
            "(2026-12-07).",
            name=field,
            value=text[:40],
        ),
        field=field,
    )


# --- the history, as a page shows it ----------------------------------------------------


def readable(event: ReviewEvent) -> str | None:
    """A publication's history row in the reader's language; None for any other row."""
    comment = event.comment or ""
    if event.action == PUBLISH and comment.startswith(PUBLISHED_AT):
        return _("Published at %(url)s", url=comment[len(PUBLISHED_AT) :])
    if event.action == UNPUBLISH and comment.startswith(UNPUBLISHED):
        return _("Unpublished (it was at %(url)s)", url=comment[len(UNPUBLISHED) :])
    return None


def published_address(event: ReviewEvent) -> str | None:
    """The address a publication row names (for a link), else None."""
    comment = event.comment or ""
    if event.action == PUBLISH and comment.startswith(PUBLISHED_AT):
        return comment[len(PUBLISHED_AT) :]
    return None


# --- the project's publisher (ClaimReview ``author``) ------------------------------------


def set_publisher(project: Project, name: object, url: object) -> None:
    """The publisher the project's ClaimReview names (empty: the installation's)."""
    if name is not None and not isinstance(name, str):
        raise Invalid(_("%(name)s must be text.", name="publisher_name"), field="publisher_name")
    name = (name or "").strip()
    if len(name) > NAME_LIMIT:
        raise Invalid(
            _("publisher_name is longer than %(n)s characters.", n=NAME_LIMIT),
            field="publisher_name",
        )
    cleaned = None
    if isinstance(url, str) and url.strip():
        cleaned = clean_url(url, "publisher_url")
    elif url is not None and not isinstance(url, str):
        raise Invalid(_("%(name)s must be text.", name="publisher_url"), field="publisher_url")
    project.publisher_name = name or None
    project.publisher_url = cleaned
