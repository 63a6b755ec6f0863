"""Which annotations an export holds: the filters, parsed from a query string or the
CLI, checked against the database, and narrowed to what a user may export."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...extensions import db
from ...models import Article, Project, Role, Status, User, Verdict
from ...models.base import MAX_ID
from ...permissions import can_export, can_export_drafts, has_project_role
from ..errors import Invalid, NotAllowed
from ..projects import by_slug, list_projects

#: the anchors after an article revision (models.Anchor); the default export holds only
#: ``ok`` rows, so that ``text[start:end] == quote`` holds for the current text, always
ANCHORS = ("ok", "relocated", "orphaned")


@dataclass(frozen=True)
class ExportFilter:
    """Which annotations go out. ``statuses`` None means every status."""

    statuses: tuple[Status, ...] | None = (Status.APPROVED,)
    article_id: int | None = None
    verdict: str | None = None
    #: inclusive dates of the last decision (``reviewed_at``, UTC)
    date_from: date | None = None
    date_to: date | None = None
    #: anchors to include (None: all); by default only claims anchored on the current text
    anchors: tuple[str, ...] | None = ("ok",)
    #: ``project=SLUG`` as given; ``project_ids``: the projects the export reads
    #: (set by ``for_user``/``in_projects``; None: every project, for the CLI)
    project: str | None = None
    project_ids: tuple[int, ...] | None = None
    #: projects whose drafts may go out (their admins asked for drafts)
    draft_project_ids: tuple[int, ...] | None = None
    #: blind second verdict: the caller (``blind_reviewer_id``) reviews these blind
    #: projects, so their claims in review whose verdict is hidden from them stay out
    blind_reviewer_id: int | None = None
    blind_project_ids: tuple[int, ...] = ()
    #: raw values, to rebuild the query string of a download link
    args: dict = field(default_factory=dict, compare=False)


# --------------------------------------------------------------------------- filters


def parse_filters(args: Mapping[str, object]) -> ExportFilter:
    """Build a filter from query parameters / CLI options; bad values raise 400/422.

    Keys: ``status`` (``approved`` by default; ``all``; or a comma-separated list, or a
    list), ``article`` (id), ``verdict`` (key), ``from`` and ``to`` (``YYYY-MM-DD``).
    """
    raw_status = args.get("status") or "approved"
    parts = raw_status if isinstance(raw_status, list | tuple) else [raw_status]
    names = [p.strip().lower() for part in parts for p in str(part).split(",") if p.strip()]
    statuses: tuple[Status, ...] | None
    if not names or "all" in names:
        statuses = None
    else:
        try:
            statuses = tuple(dict.fromkeys(Status(name) for name in names))
        except ValueError:
            raise Invalid(
                _(
                    "Unknown status in %(value)s: use all, or a list of draft, submitted, "
                    "approved, rejected.",
                    value=", ".join(names),
                ),
                field="status",
            ) from None
    date_from = _parse_date(args.get("from"), "from")
    date_to = _parse_date(args.get("to"), "to")
    if date_from and date_to and date_from > date_to:
        raise Invalid(_("The start date comes after the end date."), field="from")
    kept = {k: v for k, v in args.items() if v not in (None, "", ())}
    return ExportFilter(
        anchors=parse_anchors(args.get("anchor")),
        statuses=statuses,
        article_id=_parse_id(args.get("article")),
        verdict=(str(args["verdict"]).strip() or None) if args.get("verdict") else None,
        date_from=date_from,
        date_to=date_to,
        project=(str(args["project"]).strip() or None) if args.get("project") else None,
        args=kept,
    )


def parse_anchors(value: object) -> tuple[str, ...] | None:
    """``ok`` (default), ``all``, or a comma-separated list of ok, relocated, orphaned."""
    names = [p.strip().lower() for p in str(value or "ok").split(",") if p.strip()] or ["ok"]
    if "all" in names:
        return None
    unknown = [name for name in names if name not in ANCHORS]
    if unknown:
        raise Invalid(
            _(
                "Unknown anchor %(value)s: use ok, all, or a list of ok, relocated, orphaned.",
                value=", ".join(unknown),
            ),
            field="anchor",
        )
    return tuple(dict.fromkeys(names))


def _parse_date(value: object, name: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise Invalid(
            _("%(name)s must be a date written YYYY-MM-DD.", name=name), field=name
        ) from None


def _parse_id(value: object) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_ID:
        raise Invalid(_("article must be an article id (a whole number)."), field="article")
    return number


def check_filters(session: Session, filters: ExportFilter) -> None:
    """Refuse a verdict key or an article that does not exist (422, naming it)."""
    if filters.project_ids is None and filters.project is not None:
        filters = in_projects(session, filters)
    if filters.verdict is not None:
        query = select(Verdict.id).where(Verdict.key == filters.verdict)
        if filters.project_ids is not None:
            query = query.where(Verdict.project_id.in_(filters.project_ids))
        found = session.scalar(query.limit(1))
        if found is None:
            raise Invalid(_("Unknown verdict: %(key)s.", key=filters.verdict), field="verdict")
    if filters.article_id is not None:
        article = session.get(Article, filters.article_id)
        # an article of a project the caller may not export does not exist for them
        if article is None or (
            filters.project_ids is not None and article.project_id not in filters.project_ids
        ):
            message = _("No article with id %(id)s.", id=filters.article_id)
            raise Invalid(str(message), field="article")


def in_projects(session: Session, filters: ExportFilter) -> ExportFilter:
    """Without a user (the CLI): ``project=SLUG`` restricts to that project (422 if unknown)."""
    if filters.project is None:
        return filters
    found = session.scalar(select(Project.id).where(Project.slug == filters.project))
    if found is None:
        raise Invalid(_("No project “%(slug)s”.", slug=filters.project), field="project")
    return replace(filters, project_ids=(found,))


def for_user(user: User, filters: ExportFilter, session: Session | None = None) -> ExportFilter:
    """What ``user`` may export: the projects where they may (``project=SLUG``: that one,
    404 for a non-member); drafts are private (permissions.can_see): only the project's
    admins export them; in a project that reviews blind, a reviewer (not an admin) does
    not get the claims in review whose verdict is still hidden from them."""
    session = session or db.session
    site_allows = bool(current_app.config.get("ANNOTATORS_CAN_EXPORT"))
    if filters.project is not None:
        project = by_slug(session, filters.project, user)
        if not can_export(user, project, site_allows=site_allows):
            raise NotAllowed(_("You may not export this project."))
        chosen = [project]
    else:
        chosen = [
            p for p in list_projects(session, user) if can_export(user, p, site_allows=site_allows)
        ]
    ids = tuple(p.id for p in chosen)
    admin_of = tuple(p.id for p in chosen if can_export_drafts(user, p.id))
    # the blind second verdict binds reviewers, not the admins who own the dataset
    blind = tuple(
        p.id
        for p in chosen
        if p.blind_second_verdict
        and p.id not in admin_of
        and has_project_role(user, p.id, Role.REVIEWER)
    )
    filters = replace(
        filters,
        project_ids=ids,
        draft_project_ids=admin_of,
        blind_reviewer_id=user.id if blind else None,
        blind_project_ids=blind,
    )
    if filters.statuses is None:
        return filters
    if Status.DRAFT in filters.statuses and not admin_of:
        raise NotAllowed(_("Drafts are private to their authors; only admins export them."))
    return filters


def approved_only(filters: ExportFilter) -> ExportFilter:
    """The approved claims among ``filters`` (ClaimReview publishes nothing else)."""
    return replace(filters, statuses=(Status.APPROVED,))
