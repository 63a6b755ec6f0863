"""The oracle of the CSV export: the same file, written the slow and obvious way.

The production writer (services/export/csv.py) reads DBAPI tuples, has the database
format the cells, looks articles and accounts up by key and quotes whole columns at a
time. Here every row is one joined select with typed values (enums, aware datetimes),
its sources and matches come one query per row, and ``csv.writer`` does the quoting. Only
the filters (``query.where``) are shared: the tests compare bytes, not the selection.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC

from sqlalchemy import select

from factcheck.models import (
    Annotation,
    Appearance,
    Article,
    ClaimLink,
    Project,
    Source,
    User,
    Verdict,
)
from factcheck.services.export import COLUMNS, FORMULA_STARTS, NUMERIC_COLUMNS, csv_batches
from factcheck.services.export.query import where


def rows(session, filters) -> list[list]:
    """The CSV rows in ``COLUMNS`` order (None for an empty cell)."""
    a, ar, v, p = (m.__table__ for m in (Annotation, Article, Verdict, Project))
    author, reviewer = User.__table__.alias(), User.__table__.alias()
    statement = (
        select(
            a.c.id.label("annotation_id"),
            a.c.status,
            a.c.article_id,
            ar.c.external_id.label("article_external_id"),
            ar.c.title.label("article_title"),
            ar.c.url.label("article_url"),
            a.c.start,
            a.c.end,
            a.c.quote,
            a.c.claim,
            a.c.claimant,
            a.c.verdict,
            v.c.label.label("verdict_label"),
            a.c.rationale,
            author.c.username.label("annotator"),
            reviewer.c.username.label("reviewer"),
            a.c.created_at,
            a.c.submitted_at,
            a.c.reviewed_at,
            a.c.review_comment,
            a.c.article_revision,
            p.c.slug.label("project"),
            a.c.guidelines_version,
            a.c.claimant_id,
            a.c.claim_date,
            a.c.claim_medium,
            a.c.published_url,
        )
        .join(ar, ar.c.id == a.c.article_id)
        .join(author, author.c.id == a.c.author_id)
        .outerjoin(reviewer, reviewer.c.id == a.c.reviewer_id)
        .join(p, p.c.id == a.c.project_id)
        .outerjoin(v, (v.c.project_id == a.c.project_id) & (v.c.key == a.c.verdict))
        .where(*where(filters))
        .order_by(a.c.id)
    )
    found = []
    for row in session.execute(statement).mappings():
        cells = dict(row)
        cells["status"] = row["status"].value
        for name in ("created_at", "submitted_at", "reviewed_at"):
            cells[name] = _iso(row[name])
        cells["source_urls"] = " ".join(
            session.scalars(
                select(Source.url)
                .where(Source.annotation_id == row["annotation_id"])
                .order_by(Source.position, Source.id)
            )
        )
        cells["source_stances"] = " ".join(
            (stance.value if stance else "-")
            for stance in session.scalars(
                select(Source.stance)
                .where(Source.annotation_id == row["annotation_id"])
                .order_by(Source.position, Source.id)
            )
        )
        cells["claim_date"] = row["claim_date"] and row["claim_date"].isoformat()
        cells["claim_medium"] = row["claim_medium"] and row["claim_medium"].value
        cells["appearances"] = " ".join(
            session.scalars(
                select(Appearance.url)
                .where(Appearance.annotation_id == row["annotation_id"])
                .order_by(Appearance.position, Appearance.id)
            )
        )
        cells["same_as"] = " ".join(
            session.scalars(
                select(ClaimLink.target)
                .where(ClaimLink.annotation_id == row["annotation_id"])
                .order_by(ClaimLink.id)
            )
        )
        found.append([cells[name] for name in COLUMNS])
    return found


def _iso(value) -> str | None:
    return None if value is None else value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_safe(row: list) -> list:
    """Spreadsheet-safe mode: ``'`` before a text cell a spreadsheet would run as a formula."""
    return [
        "'" + value
        if name not in NUMERIC_COLUMNS
        and name != "source_stances"  # stance words and "-": never a formula
        and isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        else value
        for name, value in zip(COLUMNS, row, strict=True)
    ]


def reference(session, filters, safe: bool = False) -> bytes:
    """The whole file: header and rows through the csv module (a BOM in safe mode)."""
    buffer = io.StringIO()
    if safe:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows(session, filters):
        writer.writerow(make_safe(row) if safe else row)
    return buffer.getvalue().encode("utf-8")


def fast(session, filters, safe: bool = False, batch_size: int = 3) -> bytes:
    """The production writer's file, in small batches (so batch edges get crossed)."""
    pairs = csv_batches(session, filters, spreadsheet_safe=safe, bom=safe, batch_size=batch_size)
    return b"".join(data for _n, data in pairs)
