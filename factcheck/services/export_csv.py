"""The fast CSV writer behind ``export.csv_batches``: bytes in, bytes out, column by column.

The generic path (``export.rows`` + ``csv.writer``) spends most of its time per cell in
Python: SQLAlchemy row objects, one datetime format per timestamp, the csv module's
character loop, then UTF-8 encoding. Here, for a million rows:

- the database does the per-cell conversions: every cell comes back as its final text
  (numbers cast to text, NULL as '', times formatted ISO 8601 UTC ``Z`` in SQL). On
  SQLite the cells are cast to BLOB, so they arrive as UTF-8 bytes and are never decoded
  or re-encoded; on PostgreSQL they arrive as ``str`` and are encoded once per column.
- rows are read from the DBAPI cursor (SQLAlchemy compiles and binds the statement, but
  builds no row objects), still in keyset batches on ``annotation.id`` with the sources
  of a batch in one extra query: memory stays flat.
- quoting works per column: one scan of the joined column finds whether any cell holds
  ``,`` ``"`` CR or LF (most columns of most batches do not), and only then is each cell
  checked. The result is byte for byte what ``csv.writer`` writes with ``QUOTE_MINIMAL``
  and ``\\r\\n`` (tests/export/test_fast_csv.py compares both). UTF-8 continuation
  bytes are never ASCII, so testing bytes is exact.
- spreadsheet-safe mode neutralizes formula starts before quoting, like ``_make_safe``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlalchemy import LargeBinary, String, Text, cast, func, select, type_coerce
from sqlalchemy.orm import Session

from ..models import Source

#: a cell that needs quotes (csv.QUOTE_MINIMAL with "," as delimiter and "\r\n" lines)
_NEEDS_QUOTES = re.compile(rb'[",\r\n]').search
#: first bytes a spreadsheet may run as a formula (export.FORMULA_STARTS, as bytes)
_FORMULA_FIRST = frozenset(bytes([c]) for c in b"=+-@\t\r\0")


def csv_batches(
    session: Session,
    filters,
    *,
    spreadsheet_safe: bool = False,
    bom: bool = False,
    batch_size: int,
) -> Iterator[tuple[int, bytes]]:
    """Yield ``(rows in chunk, UTF-8 CSV bytes)``: the header first, then one per batch."""
    from . import export  # the columns and filters live there; it imports this module

    header = ",".join(export.COLUMNS).encode() + b"\r\n"
    yield 0, (b"\xef\xbb\xbf" if bom else b"") + header
    blob = session.get_bind().dialect.name == "sqlite"
    query = _select(export, filters, blob).limit(batch_size)
    connection = session.connection()
    last = 0
    while True:
        result = connection.execute(query.where(export.Annotation.__table__.c.id > last))
        rows = result.cursor.fetchall()  # plain tuples: no Row objects, no type processing
        result.close()
        if not rows:
            return
        ids = [r[0] for r in rows]
        urls = _source_urls(session, export._id_clause, ids, blob)
        yield len(rows), _encode(rows, ids, urls, blob, spreadsheet_safe)
        if len(rows) < batch_size:
            return
        last = ids[-1]


# --------------------------------------------------------------------------- reading

#: positions (after the leading integer id) of the text cells that may need quotes or
#: neutralizing; ids, offsets and times never do
_SOURCES_AT = 14
_TEXT_COLUMNS = (1, 3, 4, 5, 8, 9, 10, 11, 12, 13, _SOURCES_AT, 15, 16, 20)


def _select(export, filters, blob: bool):
    """The contract columns as final text; SQLite hands them over as BLOB (UTF-8 bytes)."""
    a = export.Annotation.__table__.c
    article, verdict = export._article.c, export._verdict.c
    author, reviewer = export._author.c, export._reviewer.c

    def cell(expr, nullable: bool = False):
        if nullable:
            expr = func.coalesce(expr, "")
        return cast(expr, LargeBinary) if blob else cast(expr, Text)

    def time(column, nullable: bool = True):
        text = _iso_sql(column, blob)
        return cell(text, nullable)

    columns = [
        a.id,
        cell(a.id),
        cell(a.status),
        cell(a.article_id),
        cell(article.external_id, True),
        cell(article.title),
        cell(article.url, True),
        cell(a.start),
        cell(a.end),
        cell(a.quote),
        cell(a.claim),
        cell(a.claimant),
        cell(a.verdict, True),
        cell(verdict.label, True),
        cell(a.rationale),
        # source_urls come from their own query (_source_urls), inserted at _SOURCES_AT
        cell(author.username),
        cell(reviewer.username, True),
        time(a.created_at, False),
        time(a.submitted_at),
        time(a.reviewed_at),
        cell(a.review_comment),
    ]
    return export.joined_select(columns, filters)


def _iso_sql(column, blob: bool):
    """``YYYY-MM-DDTHH:MM:SSZ`` in SQL (what ``export.iso`` does in Python).

    SQLite stores SQLAlchemy's naive-UTC text ``YYYY-MM-DD HH:MM:SS.ffffff``: cut and
    glue, as ``iso`` does. PostgreSQL: the timestamptz converted to UTC, then formatted.
    """
    if blob:
        text = type_coerce(column, String)
        return func.substr(text, 1, 10) + "T" + func.substr(text, 12, 8) + "Z"
    return func.to_char(func.timezone("UTC", column), 'YYYY-MM-DD"T"HH24:MI:SS"Z"')


def _source_urls(session: Session, id_clause, ids: list[int], blob: bool) -> dict[int, bytes]:
    """annotation id → its source URLs joined by a space (bytes), for one batch."""
    sc = Source.__table__.c
    url = cast(sc.url, LargeBinary) if blob else sc.url
    query = (
        select(sc.annotation_id, url)
        .where(id_clause(sc.annotation_id, ids))
        .order_by(sc.annotation_id, sc.position, sc.id)
    )
    result = session.connection().execute(query)
    found: dict[int, bytes] = {}
    for annotation_id, value in result.cursor.fetchall():
        if not blob:
            value = value.encode()
        known = found.get(annotation_id)
        found[annotation_id] = value if known is None else known + b" " + value
    result.close()
    return found


# --------------------------------------------------------------------------- writing


def _encode(rows: list[tuple], ids: list[int], urls: dict, blob: bool, safe: bool) -> bytes:
    """One batch of rows → CSV bytes, working on whole columns."""
    columns = list(zip(*rows, strict=True))[1:]  # drop the integer id used for keys
    if not blob:
        columns = [list(map(str.encode, column)) for column in columns]
    get = urls.get
    columns.insert(_SOURCES_AT, [get(i, b"") for i in ids])
    for i in _TEXT_COLUMNS:
        column = _neutralized(columns[i]) if safe else columns[i]
        columns[i] = _quoted(column)
    return b"\r\n".join(map(b",".join, zip(*columns, strict=True))) + b"\r\n"


def _quoted(column):
    """csv.QUOTE_MINIMAL for a column: untouched unless some cell needs quotes."""
    joined = b"".join(column)
    if not (b"," in joined or b'"' in joined or b"\n" in joined or b"\r" in joined):
        return column
    needs = _NEEDS_QUOTES
    return [b'"' + v.replace(b'"', b'""') + b'"' if needs(v) else v for v in column]


def _neutralized(column):
    """Spreadsheet-safe mode: ``'`` before a cell a spreadsheet would run as a formula."""
    first = _FORMULA_FIRST
    return [b"'" + v if v[:1] in first else v for v in column]
