"""An article from a link: the page is fetched with the rules of fetch.py, its body,
title, author and date read (extract.py), its language detected when not given, and the
article keeps its URL and the capture it came from (a capture of the project's source for
that URL). The usual import rules then apply (records.py, importing.py)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...database import start_write
from ...models import Article, Capture, Project, User
from ...text.language import detect_language
from .. import importing
from ..errors import Invalid
from . import sources
from .capture import attempt, limits, record


@dataclass
class LinkImport:
    report: importing.ImportReport
    article: Article | None = None
    capture: Capture | None = None
    author: str = ""


def article_from_link(
    session: Session,
    url: object,
    user: User | None,
    project: Project,
    *,
    language: str | None = None,
    title: str | None = None,
    external_id: str | None = None,
) -> LinkImport:
    """Fetch ``url`` and import its page as an article of ``project`` (flushed, not
    committed); a fetch that fails, or a page without text, is a 422 naming ``url``."""
    url = sources.clean_url(url)
    start_write(session)  # no transaction (nor SQLite's write lock) held across the network
    outcome = attempt(url, limits())
    if not outcome.ok:
        raise Invalid(
            _("The page could not be fetched: %(why)s.", why=outcome.failure.reason), field="url"
        )
    page = outcome.text
    if not page.text:
        raise Invalid(_("The page has no text to import: %(why)s", why=page.error), field="url")
    record_data = {
        "title": title or page.title or url,
        "text": page.text,
        "url": url,
        "language": language or detect_language(page.text),
    }
    if page.published_at is not None:
        record_data["published_at"] = page.published_at.date().isoformat()
    if external_id:
        record_data["external_id"] = external_id
    report = importing.import_records(session, [record_data], user, project=project)
    result = LinkImport(report=report, author=page.author)
    if report.articles:
        source, _created = sources.find_or_create(session, project.id, url, user)
        session.flush()
        result.capture = record(session, source, outcome, user)
        result.article = report.articles[0]
        result.article.capture_id = result.capture.id
        session.flush()
    return result
