"""The export formats: each one described once, here.

The API routes, the download page, the CLI's ``--format``, the file names and the row
counts all read ``FORMATS``; a new format is one ``Format`` below (plus its writer).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Project
from ..errors import BadRequest
from .claimreview import Publisher, claimreview_batches
from .csv import csv_batches
from .filters import ExportFilter, approved_only
from .jsonl import jsonl_batches
from .query import count


@dataclass(frozen=True)
class Options:
    """How to write: ``spreadsheet_safe`` and ``bom`` for a format that has a spreadsheet
    mode (the others ignore them), who publishes the ClaimReview."""

    spreadsheet_safe: bool = False
    bom: bool = False
    publisher: Publisher = Publisher("factcheck")


#: ``(session, filters, options)`` → ``(rows in chunk, UTF-8 bytes)`` pairs
Writer = Callable[[Session, ExportFilter, Options], Iterator[tuple[int, bytes]]]


@dataclass(frozen=True)
class Format:
    name: str  # --format NAME, the key
    suffix: str  # of file names and URLs: /api/v1/export.SUFFIX, /export/download.SUFFIX
    media_type: str  # the Content-Type of the download
    write: Writer
    summary: str  # for --help
    #: only approved claims go out, whatever the status filter says
    approved_only: bool = False
    #: has a spreadsheet-safe mode (formula neutralizing, BOM); otherwise always exact
    spreadsheet_mode: bool = False

    def restrict(self, filters: ExportFilter) -> ExportFilter:
        return approved_only(filters) if self.approved_only else filters


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "csv",
            "csv",
            "text/csv; charset=utf-8",
            lambda session, filters, o: csv_batches(
                session, filters, spreadsheet_safe=o.spreadsheet_safe, bom=o.bom
            ),
            "the contract columns",
            spreadsheet_mode=True,
        ),
        Format(
            "jsonl",
            "jsonl",
            "application/jsonl; charset=utf-8",
            lambda session, filters, o: jsonl_batches(session, filters),
            "sources and history",
        ),
        Format(
            "claimreview",
            "claimreview.json",
            "application/ld+json; charset=utf-8",
            lambda session, filters, o: claimreview_batches(session, filters, o.publisher),
            "a JSON array of schema.org ClaimReview, approved claims only",
            approved_only=True,
        ),
    )
}


def get(name: str) -> Format:
    """The format called ``name`` (400 if there is none)."""
    try:
        return FORMATS[name]
    except KeyError:
        names = ", ".join(FORMATS)
        raise BadRequest(
            _("Unknown format %(fmt)s: use %(names)s.", fmt=name, names=names)
        ) from None


def by_suffix(suffix: str) -> Format | None:
    """The format whose files end in ``suffix`` (``claimreview.json`` → claimreview)."""
    return next((f for f in FORMATS.values() if f.suffix == suffix), None)


def chunks(
    session: Session,
    fmt: str,
    filters: ExportFilter,
    *,
    spreadsheet_safe: bool = False,
    bom: bool = False,
    publisher: Publisher | None = None,
) -> Iterator[tuple[int, bytes]]:
    """``(rows, UTF-8 bytes)`` chunks of an export in format ``fmt``."""
    found = get(fmt)
    options = Options(spreadsheet_safe, bom, publisher or Publisher("factcheck"))
    return found.write(session, found.restrict(filters), options)


def project_label(session: Session, filters: ExportFilter) -> str | None:
    """What a download's name says of its projects: the slug asked for, the slug of the one
    project read, ``all-projects`` for several, None when unrestricted (the CLI)."""
    if filters.project:
        return filters.project
    if filters.project_ids is None:
        return None
    if len(filters.project_ids) == 1:
        return session.scalar(select(Project.slug).where(Project.id == filters.project_ids[0]))
    return "all-projects"


def count_for(session: Session, fmt: str, filters: ExportFilter) -> int:
    """How many rows an export in ``fmt`` holds (for progress bars)."""
    return count(session, get(fmt).restrict(filters))


def texts(pairs: Iterable[tuple[int, bytes]]) -> Iterator[bytes]:
    return (data for _n, data in pairs)


def filename(
    fmt: str,
    today: date | None = None,
    *,
    spreadsheet_safe: bool = False,
    filters: ExportFilter | None = None,
    project: str | None = None,
) -> str:
    """``factcheck-newsroom-2026-11-30-approved-article-12-exact.csv``: the project (its
    slug, or ``all-projects``), the day, the filters, the mode and the format, so that two
    downloads never get the same name."""
    day = (today or datetime.now(UTC).date()).isoformat()
    parts = [f"factcheck-{project}" if project else "factcheck-export", day]
    if filters is not None:
        parts.append("+".join(s.value for s in filters.statuses) if filters.statuses else "all")
        if filters.article_id:
            parts.append(f"article-{filters.article_id}")
        if filters.verdict:
            parts.append(f"verdict-{filters.verdict}")
        if filters.date_from:
            parts.append(f"from-{filters.date_from.isoformat()}")
        if filters.date_to:
            parts.append(f"to-{filters.date_to.isoformat()}")
    parts.append("excel" if spreadsheet_safe else "exact")
    name = "-".join(parts)
    return re.sub(r"[^A-Za-z0-9+._-]", "_", name) + "." + get(fmt).suffix
