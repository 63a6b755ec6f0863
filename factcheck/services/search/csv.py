"""The search result as CSV, streamed in batches (the whole result, in the order asked):
``kind, id, claim, claimant, claimant_id, verdict, verdict_label, status, published,
project, language, claim_date, checked_at, url, score``. A hidden verdict is written
``hidden`` with no label, as the API shows it. ``safe``: the export's spreadsheet-safe
mode (services/export: a cell a spreadsheet would run as a formula gets a leading ``'``)
and a BOM, for the page's download."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from itertools import islice

from sqlalchemy.orm import Session

from ...models import User
from ..export.csv import neutralized
from . import query, semantic
from .items import load
from .params import HIDDEN, Criteria
from .scope import scope_for

COLUMNS = (
    "kind",
    "id",
    "claim",
    "claimant",
    "claimant_id",
    "verdict",
    "verdict_label",
    "status",
    "published",
    "project",
    "language",
    "claim_date",
    "checked_at",
    "url",
    "score",
)
BATCH = 500
BOM = "\ufeff"


def filename(criteria: Criteria) -> str:
    return "claims-search-safe.csv" if criteria.spreadsheet_safe else "claims-search.csv"


def lines(
    session: Session, user: User, criteria: Criteria, *, config: Mapping, base_url: str = ""
) -> Iterator[str]:
    """Check the criteria (a 422 comes before the first line), then the CSV text in pieces."""
    scope = scope_for(session, user, criteria)
    terms = query.terms_of(criteria.q) if criteria.q else []
    if criteria.semantic and criteria.q and semantic.available(config):
        rows, scores = semantic.rows(session, scope, criteria, config)
        batches = _chunks(iter(rows))
    else:
        scores = None
        ordered = query.ordered(session, scope, criteria)
        found = iter(()) if ordered is None else session.execute(ordered).yield_per(BATCH)
        batches = _chunks(found)
    return _text(session, user, batches, terms, scores, criteria.spreadsheet_safe, base_url)


def _chunks(rows: Iterator) -> Iterator[list]:
    while batch := list(islice(rows, BATCH)):
        yield batch


def _text(session, user, batches, terms, scores, safe: bool, base_url: str) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    yield (BOM if safe else "") + _take(buffer)
    for batch in batches:
        for item in load(session, user, batch, terms, scores=scores, labels=False):
            writer.writerow(_cells(item, safe, base_url))
        yield _take(buffer)


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _cells(item: dict, safe: bool, base_url: str) -> list[str]:
    url = item["url"] or ""
    if url.startswith("/"):
        url = base_url.rstrip("/") + url
    verdict = HIDDEN if item["verdict_hidden"] else item["verdict"]
    cells = [
        item["kind"],
        str(item["id"]),
        item["claim"] or "",
        item["claimant"] or "",
        "" if item["claimant_id"] is None else str(item["claimant_id"]),
        verdict or "",
        item["verdict_label"] or "",
        item["status"],
        "1" if item["published"] else "0",
        item["project"] or "",
        item["language"] or "",
        item["claim_date"] or "",
        item["checked_at"] or "",
        url,
        "" if item["score"] is None else str(item["score"]),
    ]
    if not safe:
        return cells
    return [c.decode() for c in neutralized([c.encode() for c in cells])]
