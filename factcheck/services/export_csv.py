"""The fast CSV writer behind ``export.csv_batches``: bytes in, bytes out, column by column.

The generic path (``export.rows`` + ``csv.writer``) spends most of its time per cell in
Python: SQLAlchemy row objects, one datetime format per timestamp, the csv module's
character loop, then UTF-8 encoding. Here, for a million rows:

- the database does the per-cell conversions: every cell comes back as its final text
  (numbers cast to text, NULL as ''; times formatted ISO 8601 UTC ``Z``, see ``_time``). On
  SQLite the cells are cast to BLOB, so they arrive as UTF-8 bytes and are never decoded
  or re-encoded; on PostgreSQL they arrive as ``str`` and are encoded once per column.
- rows are read from the DBAPI cursor (SQLAlchemy compiles and binds the statement, but
  builds no row objects), still in keyset batches on ``annotation.id`` with the sources
  of a batch in one extra query: memory stays flat.
- no joins: articles, accounts and verdicts are few next to annotations, so their cells
  are encoded once and looked up by id (``_Cells``: fetched for the ids a batch needs,
  a bounded cache), instead of being joined, sent and quoted again on every row.
- quoting works per column: one scan of the joined column finds whether any cell holds
  ``,`` ``"`` CR or LF (most columns of most batches do not), and only then is each cell
  checked. The result is byte for byte what ``csv.writer`` writes with ``QUOTE_MINIMAL``
  and ``\\r\\n`` (tests/export/test_fast_csv.py compares both). UTF-8 continuation
  bytes are never ASCII, so testing bytes is exact.
- spreadsheet-safe mode neutralizes formula starts before quoting, like ``_make_safe``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator

from sqlalchemy import LargeBinary, Text, cast, func, select
from sqlalchemy.orm import Session

from ..models import Article, Project, Source, User, Verdict

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
    a = export.Annotation.__table__.c
    query = _select(a, filters, export._where, blob).limit(batch_size)
    lookups = _Lookups(session, spreadsheet_safe)
    connection = session.connection()
    last = 0
    while True:
        result = connection.execute(query.where(a.id > last))
        rows = result.cursor.fetchall()  # plain tuples: no Row objects, no type processing
        result.close()
        if not rows:
            return
        ids = [r[0] for r in rows]
        urls = _source_urls(session, export._id_clause, ids, blob)
        same_as = _same_as(session, export._same_as, ids)
        yield len(rows), _encode(rows, urls, same_as, lookups, blob, spreadsheet_safe)
        if len(rows) < batch_size:
            return
        last = ids[-1]


# --------------------------------------------------------------------------- reading

# positions in a row of _select; the first is the integer id (keys and keyset)
_CELLS = (1, 2, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16, 17, 19)  # final text (bytes on SQLite)
_ARTICLE, _VERDICT, _AUTHOR, _REVIEWER, _PROJECT = 3, 9, 11, 12, 18  # lookup keys
_QUOTABLE = (2, 6, 7, 8, 10, 16)
_TIMES = (13, 14, 15)  # annotation text: status, quote, claim, claimant, ...


def _select(a, filters, where, blob: bool):
    """An annotation's own columns, cells as final text; SQLite hands them over as BLOB."""

    def cell(expr, nullable: bool = False):
        if nullable:
            expr = func.coalesce(cast(expr, Text), "")
        return cast(expr, LargeBinary) if blob else cast(expr, Text)

    return (
        select(
            a.id,
            cell(a.id),
            cell(a.status),
            a.article_id,
            cell(a.start),
            cell(a.end),
            cell(a.quote),
            cell(a.claim),
            cell(a.claimant),
            a.verdict,
            cell(a.rationale),
            a.author_id,
            a.reviewer_id,
            _time(a.created_at, blob),
            _time(a.submitted_at, blob),
            _time(a.reviewed_at, blob),
            cell(a.review_comment),
            cell(a.article_revision),
            a.project_id,
            cell(a.guidelines_version, nullable=True),
        )
        .where(*where(filters))
        .order_by(a.id)
    )


def _time(column, blob: bool):
    """A time cell: ``YYYY-MM-DDTHH:MM:SSZ`` (what ``export.iso`` writes), '' for NULL.

    PostgreSQL formats the timestamptz in UTC itself. SQLite hands over the stored text
    (SQLAlchemy's naive UTC ``YYYY-MM-DD HH:MM:SS.ffffff``) and ``_iso_column`` cuts it
    in Python: three ``substr`` and four ``||`` per cell cost SQLite more than slicing.
    """
    if blob:
        return cast(column, LargeBinary)
    iso = func.to_char(func.timezone("UTC", column), 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
    return cast(func.coalesce(iso, ""), Text)


def _iso_column(column) -> list[bytes]:
    return [v[:10] + b"T" + v[11:19] + b"Z" if v else b"" for v in column]


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


def _same_as(session: Session, read, ids: list[int]) -> dict[int, bytes]:
    """annotation id → its confirmed matches joined by a space (bytes), for one batch;
    few annotations have any, so the reference reader (``export._same_as``) serves."""
    return {key: " ".join(targets).encode() for key, targets in read(session, ids).items()}


class _Cells:
    """key → finished CSV cells (quoted, neutralized, joined by ","), fetched on demand.

    ``query(keys)`` selects ``(key, *texts)`` for the keys asked. A key that is not found
    (impossible with foreign keys on) or NULL (no reviewer) gives empty cells. The cache
    is bounded so that memory stays flat even with millions of articles.
    """

    LIMIT = 20_000

    def __init__(self, session: Session, query, width: int, safe: bool):
        self.session, self.query, self.safe = session, query, safe
        self.empty = b"," * (width - 1)
        self.cache: dict = {None: self.empty}

    def load(self, keys: Iterable) -> None:
        """Fetch, in one query, the keys not cached yet."""
        cache = self.cache
        missing = set(keys).difference(cache)
        if not missing:
            return
        if len(cache) + len(missing) > self.LIMIT:
            cache.clear()
            cache[None] = self.empty
            missing = set(keys) - {None}
        cache.update(dict.fromkeys(missing, self.empty))
        for key, *texts in self.session.execute(self.query(sorted(missing))):
            cache[key] = self._encode(texts)

    def column(self, keys: Iterable) -> list[bytes]:
        self.load(keys)
        cache = self.cache
        return [cache[key] for key in keys]

    def _encode(self, texts) -> bytes:
        cells = [("" if text is None else str(text)).encode() for text in texts]
        if self.safe:
            cells = _neutralized(cells)
        return b",".join(_quoted(cells))


class _VerdictCells(_Cells):
    """Verdict cells keyed by (project id, key): every project has its own scale."""

    def load(self, keys: Iterable) -> None:
        cache = self.cache
        missing = set(keys).difference(cache)
        if not missing:
            return
        if len(cache) + len(missing) > self.LIMIT:
            cache.clear()
            cache[None] = self.empty
            missing = set(keys) - {None}
        cache.update(dict.fromkeys(missing, self.empty))
        for project_id, key, *texts in self.session.execute(self.query(sorted(missing))):
            cache[(project_id, key)] = self._encode(texts)


class _Lookups:
    """The cells of articles (id, external id, title, url), verdicts (key, label), users
    and projects (slug)."""

    def __init__(self, session: Session, safe: bool):
        ac, vc, uc = Article.__table__.c, Verdict.__table__.c, User.__table__.c
        pc = Project.__table__.c
        article = select(ac.id, ac.id, ac.external_id, ac.title, ac.url)
        verdict = select(vc.project_id, vc.key, vc.key, vc.label)
        user = select(uc.id, uc.username)
        project = select(pc.id, pc.slug)

        def verdicts(pairs):
            projects = {p for p, _k in pairs}
            keys = {k for _p, k in pairs}
            return verdict.where(vc.project_id.in_(projects), vc.key.in_(keys))

        self.articles = _Cells(session, lambda ids: article.where(ac.id.in_(ids)), 4, safe)
        self.verdicts = _VerdictCells(session, verdicts, 2, safe)
        self.users = _Cells(session, lambda ids: user.where(uc.id.in_(ids)), 1, safe)
        self.projects = _Cells(session, lambda ids: project.where(pc.id.in_(ids)), 1, safe)


# --------------------------------------------------------------------------- writing


def _encode(
    rows: list[tuple], urls: dict, same_as: dict, lookups: _Lookups, blob: bool, safe: bool
) -> bytes:
    """One batch of rows → CSV bytes, working on whole columns."""
    columns: list = list(zip(*rows, strict=True))
    if blob:
        for i in _TIMES:
            columns[i] = _iso_column(columns[i])
    else:
        for i in _CELLS:
            columns[i] = list(map(str.encode, columns[i]))
    for i in _QUOTABLE:
        columns[i] = _quoted(_neutralized(columns[i]) if safe else columns[i])
    get = urls.get
    sources = [get(i, b"") for i in columns[0]]
    sources = _quoted(_neutralized(sources) if safe else sources)
    links = [same_as.get(i, b"") for i in columns[0]]
    links = _quoted(_neutralized(links) if safe else links)
    lookups.users.load(columns[_AUTHOR] + columns[_REVIEWER])  # one query for both columns
    c = columns
    verdict_keys = [
        None if key is None else (project_id, key)
        for project_id, key in zip(c[_PROJECT], c[_VERDICT], strict=True)
    ]
    lines = map(
        b",".join,
        zip(
            c[1],
            c[2],
            lookups.articles.column(c[_ARTICLE]),
            c[4],
            c[5],
            c[6],
            c[7],
            c[8],
            lookups.verdicts.column(verdict_keys),
            c[10],
            sources,
            lookups.users.column(c[_AUTHOR]),
            lookups.users.column(c[_REVIEWER]),
            c[13],
            c[14],
            c[15],
            c[16],
            c[17],
            links,
            lookups.projects.column(c[_PROJECT]),
            c[19],
            strict=True,
        ),
    )
    return b"\r\n".join(itertools.chain(lines, [b""]))  # the last line ends too, no copy


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
