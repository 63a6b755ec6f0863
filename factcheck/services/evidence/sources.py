"""A project's sources: one per normalized URL, created when first cited, read by the
members of the project only."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ... import tasks
from ...models import Annotation, Article, EvidenceSource, Health, Medium, Project, Source, User
from ...permissions import drafts_visible, is_member, visible_projects
from ..errors import Invalid, NotFound
from ..urls import web_address

#: query parameters that only track a click: the same page without them
TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "xtor")
DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_url(url: str) -> str:
    """The address that names a source: scheme and host in lower case, no default port, no
    fragment, no tracking parameters, ``/`` for an empty path; the rest as given."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if not k.lower().startswith(TRACKING)]
        if len(kept) != len(pairs):
            query = urlencode(kept)
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def url_sha256(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def clean_url(value: object, field: str = "url") -> str:
    url = web_address(value)
    if url is None:
        raise Invalid(
            _("A source must be a web address starting with http:// or https://."), field=field
        )
    try:
        urlsplit(url).port  # noqa: B018  (a port that is not a number raises)
    except ValueError:
        raise Invalid(_("This web address has an invalid port."), field=field) from None
    return url


def find(session: Session, project_id: int, url: str) -> EvidenceSource | None:
    key = url_sha256(normalize_url(url))
    return session.scalar(
        select(EvidenceSource).where(
            EvidenceSource.project_id == project_id, EvidenceSource.url_sha256 == key
        )
    )


def find_or_create(
    session: Session, project_id: int, url: object, user: User | None = None
) -> tuple[EvidenceSource, bool]:
    """The project's source for ``url`` (created when missing) and whether it is new."""
    url = clean_url(url)
    found = find(session, project_id, url)
    if found is not None:
        return found, False
    normalized = normalize_url(url)
    source = EvidenceSource(
        project_id=project_id,
        url=normalized,
        url_sha256=url_sha256(normalized),
        medium=Medium.PDF if urlsplit(normalized).path.lower().endswith(".pdf") else Medium.WEB,
        health=Health.UNCHECKED,
        created_by_id=user.id if user is not None else None,
    )
    try:
        with session.begin_nested():  # two people citing the same new page at once
            session.add(source)
    except IntegrityError:
        found = find(session, project_id, url)
        if found is None:
            raise
        return found, False
    return source, True


def captures_on() -> bool:
    """CAPTURE_ON_CITE: whether captures are queued at all (None: yes, except under TESTING,
    where no test reaches the network unless it asks)."""
    value = current_app.config.get("CAPTURE_ON_CITE")
    return (not current_app.testing) if value is None else bool(value)


def cite(
    session: Session, project_id: int, url: object, user: User | None = None
) -> EvidenceSource:
    """The source a claim cites; a new one is captured in the background once the claim's
    transaction commits (the claim never waits for the network)."""
    source, created = find_or_create(session, project_id, url, user)
    if created:
        capture_later(session, source.id)
    return source


def capture_later(session: Session, source_id: int) -> bool:
    """Queue a capture of the source once ``session`` commits (when captures are on)."""
    if not captures_on():
        return False
    tasks.after_commit(session, "capture_source", source_id)
    return True


# --- reading -------------------------------------------------------------------------------


def get(session: Session, source_id: int, user: User | None) -> EvidenceSource:
    """The source, for the members of its project (else 404)."""
    source = session.get(EvidenceSource, source_id)
    if source is None or (user is not None and not is_member(user, source.project_id)):
        raise NotFound(_("No such source."))
    return source


@dataclass
class Filter:
    project_id: int | None = None
    health: Health | None = None
    q: str = ""


def parse_filter(args) -> Filter:
    wanted = Filter()
    health = (args.get("health") or "").strip()
    if health:
        try:
            wanted.health = Health(health)
        except ValueError:
            raise Invalid(
                _("health is one of: %(values)s.", values=", ".join(h.value for h in Health)),
                field="health",
            ) from None
    wanted.q = (args.get("q") or "").strip()[:200]
    return wanted


def list_sources(
    session: Session, user: User, wanted: Filter, page: int, per_page: int
) -> tuple[list[EvidenceSource], int]:
    """The sources of the projects ``user`` belongs to, newest first."""
    conditions = [visible_projects(user, EvidenceSource.project_id)]
    if wanted.project_id is not None:
        conditions.append(EvidenceSource.project_id == wanted.project_id)
    if wanted.health is not None:
        conditions.append(EvidenceSource.health == wanted.health)
    if wanted.q:
        pattern = "%" + wanted.q.lower().replace("\\", "\\\\").replace("%", "\\%") + "%"
        pattern = pattern.replace("_", "\\_")
        conditions.append(
            or_(
                func.lower(EvidenceSource.url).like(pattern, escape="\\"),
                func.lower(EvidenceSource.title).like(pattern, escape="\\"),
                func.lower(EvidenceSource.publisher).like(pattern, escape="\\"),
            )
        )
    total = session.scalar(select(func.count()).select_from(EvidenceSource).where(*conditions))
    items = session.scalars(
        select(EvidenceSource)
        .where(*conditions)
        .order_by(EvidenceSource.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return list(items), int(total or 0)


def citing_claims(session: Session, source: EvidenceSource, user: User) -> list[tuple]:
    """(annotation, citation, the article's date) of the claims citing ``source`` that
    ``user`` may see (the article's text stays in the database)."""
    rows = session.execute(
        select(Annotation, Source, Article.published_at)
        .join(Source, Source.annotation_id == Annotation.id)
        .join(Article, Article.id == Annotation.article_id)
        .where(Source.source_id == source.id, drafts_visible(user))
        .order_by(Annotation.id.desc())
        .limit(200)
    )
    return [tuple(row) for row in rows]


def project_of(session: Session, source: EvidenceSource) -> Project:
    return session.get(Project, source.project_id)
