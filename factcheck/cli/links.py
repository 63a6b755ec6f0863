"""`factcheck import URL…`: articles from web pages (services/evidence/importing.py).

``import`` takes files and links alike: ``FILE_OR_URL`` tells them apart, and the links
are fetched one by one, each committed with its capture, after the files.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..extensions import db
from ..services.errors import DomainError
from ..services.evidence.importing import article_from_link
from ..services.urls import web_address


class FileOrUrl(click.ParamType):
    """An existing file (a Path), or an http(s) address (a str)."""

    name = "FILE_OR_URL"

    def convert(self, value, param, ctx):
        if isinstance(value, str) and value.lower().startswith(("http://", "https://")):
            url = web_address(value)
            if url is None:
                self.fail(f"{value!r} is not a valid web address.", param, ctx)
            return url
        return click.Path(exists=True, dir_okay=False, path_type=Path).convert(value, param, ctx)


FILE_OR_URL = FileOrUrl()


def import_links(links: list[str], project, language: str | None) -> int:
    """Import each page as an article; the number that failed (each said on stderr)."""
    failed = 0
    for url in links:
        try:
            result = article_from_link(db.session, url, None, project, language=language)
        except DomainError as error:
            db.session.rollback()
            click.echo(f"{url}: error: {error.message}", err=True)
            failed += 1
            continue
        db.session.commit()
        if result.article is None:
            click.echo(f"{url}: duplicate: an article with this external id exists.", err=True)
            continue
        article = result.article
        click.echo(
            f"{url}: article {article.id}, “{article.title}” ({article.language or '?'}), "
            f"capture {result.capture.id}"
        )
    return failed
