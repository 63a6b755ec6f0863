"""Creating, editing and deleting annotations; the span rules live in spans.py.

Input is a plain mapping (a JSON body, or a form turned into one): only the contract
fields are ever read from it. ``status``, ``author``, ``reviewer``, ``version`` and ids
come from the server; ``version`` is read only as the optimistic-lock input of a write.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from flask_babel import gettext as _
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, selectinload

from ..models import Anchor, Annotation, Appearance, Article, ReviewEvent, Source, Status, User
from ..permissions import (
    Role,
    can_edit,
    can_see,
    drafts_visible,
    is_member,
    is_project_admin,
    visible_projects,
)
from . import appearances, assignment_rules, claimants, projects, review, revisions, verdicts
from .errors import Conflict, Invalid, NotAllowed, NotFound
from .evidence import citations
from .projects import refuse_unknown
from .spans import span_values, validate_span
from .text import check_storable
from .urls import web_address
from .workflow import bump, check_submittable, check_version, parse_version, record

#: fields an author writes (when and where: services/appearances.py)
EDITABLE = (
    *("start", "end", "quote", "claim", "claimant", "verdict", "rationale", "sources"),
    *("claimant_id", "claim_date", "claim_medium", "appearances"),
)
#: limits in code points
LIMITS = {"claim": 2000, "claimant": 300, "rationale": 10_000}
SOURCE_LIMITS = {"url": 2000, "title": 500, "note": 2000}
MAX_SOURCES = 20


# --- input checks ---------------------------------------------------------------------


#: fields that are one sentence: what a paste from a web page or a document brings along
#: (line breaks, runs of spaces, zero-width characters) is tidied on save
ONE_LINE = ("claim", "claimant")
_INVISIBLE = re.compile(
    "[\u200b\u2060\ufeff\u00ad]"
)  # zero-width space, word joiner, BOM, soft hyphen
_BREAKS = re.compile(r"\s*[\r\n\t\v\f\u2028\u2029]+\s*|[ \u00a0]{2,}")


def one_line(value: str) -> str:
    """A pasted one-sentence field as one tidy line: invisible characters dropped, line
    breaks, tabs and runs of spaces made one space. A single no-break space (French
    typography: « … », 20 %) and the joiner inside an emoji stay as they are."""
    return _BREAKS.sub(" ", _INVISIBLE.sub("", value)).strip()


def _text(data: Mapping, name: str) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Invalid(_("%(field)s must be text.", field=name), field=name)
    check_storable(value, name)
    value = one_line(value) if name in ONE_LINE else value.strip()
    if len(value) > LIMITS[name]:
        raise Invalid(
            str(_("%(field)s is too long (at most %(n)s characters).", field=name, n=LIMITS[name])),
            field=name,
        )
    return value


def check_url(url: object) -> str:
    """A web address (services/urls.py), or a 422 naming ``sources``."""
    limit = SOURCE_LIMITS["url"]
    if isinstance(url, str) and len(url.strip()) > limit:
        raise Invalid(
            _(
                "A source's web address is at most %(n)s characters; this one has %(m)s.",
                n=limit,
                m=len(url.strip()),
            ),
            field="sources",
        )
    clean = web_address(url, limit)
    if clean is None:
        raise Invalid(
            _("A source must be a web address starting with http:// or https://."),
            field="sources",
        )
    return clean


def clean_sources(value: object) -> list[dict]:
    """The shape of each cited source (services/evidence/citations.py: with its stance and
    excerpts); ``checked_sources`` ties them to the project's sources."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise Invalid(_("sources must be a list."), field="sources")
    if len(value) > MAX_SOURCES:
        raise Invalid(_("At most %(n)s sources.", n=MAX_SOURCES), field="sources")
    cleaned = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            item = {"url": item}
        if not isinstance(item, dict):
            raise Invalid(_("Each source is an object with a url."), field="sources")
        unknown = set(item) - set(SOURCE_LIMITS) - set(citations.FIELDS)
        if unknown:
            raise Invalid(
                _("Unknown source field: %(names)s.", names=", ".join(sorted(unknown))),
                field="sources",
            )
        row = {"url": check_url(item.get("url"))}
        for name in ("title", "note"):
            text = item.get(name) or ""
            if not isinstance(text, str) or len(text) > SOURCE_LIMITS[name]:
                raise Invalid(
                    str(
                        _(
                            "A source %(field)s is text of at most %(n)s characters.",
                            field=name,
                            n=SOURCE_LIMITS[name],
                        )
                    ),
                    field="sources",
                )
            check_storable(text, "sources")
            row[name] = text.strip()
        row.update(citations.clean(item, i))
        cleaned.append(row)
    return cleaned


def checked_sources(session: Session, project_id: int, value: object, user: User) -> list[dict]:
    """``clean_sources``, each tied to the project's source (created and captured when
    new), its excerpts checked against their captures."""
    return citations.link(session, project_id, clean_sources(value), user)


def check_verdict(session: Session, key: object, project_id: int | None = None) -> str | None:
    """A verdict key of the project's scale (422 otherwise, retired ones included)."""
    if key is None or key == "":
        return None
    verdict = verdicts.find(session, project_id, key)
    if verdict is None:
        raise Invalid(
            _("Unknown verdict: %(key)s (not in this project's scale).", key=str(key)[:40]),
            field="verdict",
        )
    if verdict.retired:
        raise Invalid(
            _("The verdict “%(key)s” is retired; pick another.", key=key), field="verdict"
        )
    return verdict.key


# --- reading --------------------------------------------------------------------------


def article_project(session: Session, article: Article, user: User | None) -> projects.Project:
    """The article's project; 404 for a user who is not one of its members."""
    project = session.get(projects.Project, article.project_id)
    if user is not None and not is_member(user, project.id):
        raise NotFound(_("No such article."))
    return project


def visible_for_article(
    session: Session, article: Article, user: User, *, with_history: bool = False
) -> list[Annotation]:
    """Every annotation of the article that ``user`` may see (``permissions.sees_draft``:
    other people's drafts only for the project's admins), in text order."""
    query = (
        select(Annotation)
        .where(
            Annotation.article_id == article.id,
            or_(
                drafts_visible(user),
                # co-annotators of an open assignment see each other's versions
                Annotation.author_id.in_(
                    assignment_rules.visible_peers(session, article.id, user.id)
                ),
            ),
        )
        .order_by(Annotation.start, Annotation.end, Annotation.id)
        .options(selectinload(Annotation.author))  # the page names each claim's author
    )
    if with_history:  # the API's list: each claim's whole JSON
        query = query.options(
            selectinload(Annotation.sources),
            selectinload(Annotation.appearances),
            selectinload(Annotation.reviewer),
            selectinload(Annotation.events).joinedload(ReviewEvent.actor),
        )
    return list(session.scalars(query))


def mine(session: Session, user: User, project_id: int | None = None) -> list[Annotation]:
    query = (
        select(Annotation)
        .where(Annotation.author_id == user.id, visible_projects(user, Annotation.project_id))
        .order_by(Annotation.updated_at.desc(), Annotation.id.desc())
        .options(selectinload(Annotation.reviewer))
    )
    if project_id is not None:
        query = query.where(Annotation.project_id == project_id)
    return list(session.scalars(query))


# --- writing --------------------------------------------------------------------------


def create(session: Session, article: Article, author: User, data: Mapping) -> Annotation:
    """A new annotation by ``author``; ``data["status"]`` is ``draft`` (default) or
    ``submitted`` (then the claim must be complete, as for ``submit``)."""
    refuse_unknown(data, set(EDITABLE) | {"status"})
    status = data.get("status") or Status.DRAFT.value
    if status not in (Status.DRAFT.value, Status.SUBMITTED.value):
        raise Invalid(_("A new claim is a draft or submitted."), field="status")
    project = article_project(session, article, author)
    projects.check_writable(project)
    projects.require_role(project, author, Role.ANNOTATOR)
    assignment_rules.refuse_when_done(session, article.id, author.id)
    if status == Status.SUBMITTED.value:
        assignment_rules.refuse_submit(session, article.id, author.id)
    span = validate_span(article.text, data.get("start"), data.get("end"), data.get("quote"))
    claimant = _text(data, "claimant")
    annotation = Annotation(
        article_id=article.id,
        project_id=project.id,
        guidelines_version=project.guidelines_version or None,
        author_id=author.id,
        **span_values(span),
        claim=_text(data, "claim"),
        claimant=claimant,
        claim_date=appearances.parse_day(data.get("claim_date"), "claim_date"),
        claim_medium=appearances.check_medium(data.get("claim_medium")),
        rationale=_text(data, "rationale"),
        verdict=check_verdict(session, data.get("verdict"), project.id),
        status=Status.DRAFT,
        version=1,
        article_revision=article.revision,
    )
    rows = checked_sources(session, project.id, data.get("sources"), author)
    annotation.sources = [Source(position=i, **row) for i, row in enumerate(rows)]
    found = appearances.clean(data.get("appearances"))
    annotation.appearances = [Appearance(position=i, **row) for i, row in enumerate(found)]
    # the id wins; the name stays as written
    annotation.claimant_id = claimants.resolve(session, claimant, data.get("claimant_id"))
    if status == Status.SUBMITTED.value:
        check_submittable(annotation)  # before anything is written
    revisions.check_current(session, article)  # the span was checked against this text
    session.add(annotation)
    session.flush()
    # history starts with the creation; submitting is then the ordinary transition
    record(session, annotation.id, author, None, Status.DRAFT, 1, at=annotation.created_at)
    session.flush()
    if status == Status.SUBMITTED.value:
        review.submit(session, annotation, author, version=1)
    return annotation


def _check_can_edit(user: User, annotation: Annotation) -> None:
    if annotation.author_id != user.id:
        raise NotAllowed(_("Only the author can change this claim."))
    if not can_edit(user, annotation):
        raise NotAllowed(
            _("An approved claim is frozen; an administrator can reopen it."),
            code="frozen",
        )


def update_annotation(
    session: Session, annotation: Annotation, user: User, data: Mapping, *, version: object
) -> Annotation:
    """Change the fields present in ``data`` (a partial update) if nobody wrote since
    ``version``. Every edit bumps the version, in one conditional UPDATE."""
    if annotation.author_id != user.id:
        raise NotAllowed(_("Only the author can change this claim."))
    project = session.get(projects.Project, annotation.project_id)
    projects.check_writable(project)
    refuse_unknown(data, set(EDITABLE))
    assignment_rules.refuse_when_done(session, annotation.article_id, annotation.author_id)
    version = parse_version(version)
    # an edit that lost a race to a decision is a 409 saying what happened, before the
    # "approved claims are frozen" rule would answer 403 (SQLite serializes the two writes,
    # so the edit always sees the approval already committed)
    check_version(annotation, version)
    _check_can_edit(user, annotation)
    values: dict = {}
    if _span_changed(annotation, data):
        span = validate_span(
            annotation.article.text,
            data.get("start", annotation.start),
            data.get("end", annotation.end),
            data.get("quote", annotation.quote),
        )
        values.update(span_values(span))
        # a span chosen by hand on the current text settles a revision's doubt
        revisions.check_current(session, annotation.article)
        values.update(anchor=Anchor.OK, article_revision=annotation.article.revision)
        if annotation.anchor is not Anchor.OK:
            values.update(
                previous_start=None, previous_end=None, previous_quote=None, previous_revision=None
            )
    for name in ("claim", "claimant", "rationale"):
        if name in data:
            values[name] = _text(data, name)
    values.update(_when_where(session, annotation, data, values))
    if "verdict" in data and data["verdict"] != annotation.verdict:
        values["verdict"] = check_verdict(session, data["verdict"], annotation.project_id)
    sources = (
        checked_sources(session, annotation.project_id, data["sources"], user)
        if "sources" in data
        else None
    )
    if annotation.status is not Status.DRAFT:
        # what is in review (or back from it) stays complete
        if "claim" in values and not values["claim"]:
            raise Invalid(_("The claim cannot be empty once submitted."), field="claim")
        if "verdict" in data and not values.get("verdict", annotation.verdict):
            raise Invalid(_("Keep a verdict once submitted."), field="verdict")
        if sources is not None and not sources:
            raise Invalid(_("Keep at least one source once submitted."), field="sources")

    # the claim as it now stands was written under the current guidelines
    values["guidelines_version"] = project.guidelines_version or None
    settled = values.get("anchor") is Anchor.OK and annotation.anchor is not Anchor.OK
    note = _("Span moved by hand after a revision of the article.") if settled else None
    rows = (
        appearances.changes(annotation, appearances.clean(data["appearances"]))
        if "appearances" in data
        else None
    )
    bump(
        session,
        annotation,
        user,
        version,
        values=values,
        comment=note,
        sources=sources,
        appearances=rows,
    )
    return annotation


def _when_where(session: Session, annotation: Annotation, data: Mapping, values: dict) -> dict:
    """The claimant's id, the claim's date and medium among ``data``, checked.

    A ``claimant_id`` sent that differs from the stored one wins (the name stays as
    written); without one, a changed name finds (or makes) its claimant. A name sent back
    unchanged keeps the stored id, so a save of an untouched form resolves nothing."""
    found: dict = {}
    given = data.get("claimant_id")
    if given not in (None, "") and given != annotation.claimant_id:
        name = values.get("claimant", annotation.claimant)
        found["claimant_id"] = claimants.resolve(session, name, given)
    elif given in (None, "") and values.get("claimant", annotation.claimant) != annotation.claimant:
        found["claimant_id"] = claimants.resolve(session, values["claimant"])
    if "claim_date" in data:
        found["claim_date"] = appearances.parse_day(data["claim_date"], "claim_date")
    if "claim_medium" in data:
        found["claim_medium"] = appearances.check_medium(data["claim_medium"])
    return found


def _span_changed(annotation: Annotation, data: Mapping) -> bool:
    """A span in ``data`` that differs from the stored one. Sending back the stored span
    (the claim form always does) changes nothing: it does not confirm a relocated claim's
    place, nor re-check an orphan's old span against the new text."""
    return any(
        name in data and data[name] != getattr(annotation, name)
        for name in ("start", "end", "quote")
    )


def delete_annotation(
    session: Session, annotation: Annotation, user: User, *, version: object
) -> None:
    """Drafts only, by their author or an admin, naming the version seen."""
    if annotation.author_id != user.id and not is_project_admin(user, annotation.project_id):
        raise NotAllowed(_("Only the author can delete this claim."))
    if annotation.status is not Status.DRAFT:
        raise NotAllowed(
            str(
                _(
                    "Only drafts can be deleted; this claim is %(status)s.",
                    status=annotation.status.value,
                )
            ),
            code="not_a_draft",
        )
    assignment_rules.refuse_when_done(session, annotation.article_id, annotation.author_id)
    version = parse_version(version)
    check_version(annotation, version)
    annotation_id = annotation.id
    session.execute(delete(Source).where(Source.annotation_id == annotation_id))
    session.execute(delete(ReviewEvent).where(ReviewEvent.annotation_id == annotation_id))
    result = session.execute(
        delete(Annotation)
        .where(
            Annotation.id == annotation_id,
            Annotation.version == version,
            Annotation.status == Status.DRAFT,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(
            _("This claim changed while you were deleting it; nothing was deleted."),
            code="stale_version",
        )
    session.expunge(annotation)


def submit(session: Session, annotation: Annotation, user: User, *, version: object):
    if not can_see(user, annotation):
        raise NotFound(_("No such claim."))
    return review.submit(session, annotation, user, version=parse_version(version))


def withdraw(session: Session, annotation: Annotation, user: User, *, version: object):
    """A submitted claim back to a draft, by its author (to correct or delete it)."""
    if not can_see(user, annotation):
        raise NotFound(_("No such claim."))
    return review.withdraw(session, annotation, user, version=parse_version(version))
