"""The CSV (the contract): ``COLUMNS`` in order, written bytes in, bytes out, column by column.

UTF-8, RFC 4180 quoting (what ``csv.writer`` writes with ``QUOTE_MINIMAL`` and ``\\r\\n``
line ends; a newline inside a cell is kept as is, inside quotes). Times are ISO 8601 UTC
with ``Z`` at second precision (``2026-11-25T10:04:05Z``), dates ``YYYY-MM-DD``.
``source_urls``, ``same_as`` and ``appearances`` are joined by one space. *Exact* mode
writes the stored text unchanged.
*Spreadsheet-safe* mode prefixes ``'`` to any text cell starting with ``=``, ``+``,
``-``, ``@``, tab, CR or NUL so that Excel or LibreOffice never runs it as a formula
(numeric columns are never touched); the browser download also starts with a UTF-8 BOM
so Excel reads the accents right. An exact file loads unchanged in pandas with
``pd.read_csv(path, keep_default_na=False, dtype=str)``.

Every column is described once, in ``SPEC``: its name and where its cells come from.
The select, the lookups, the quoting and the order of the cells are derived from it, so
adding a column is one line there. For a million rows:

- the database does the per-cell conversions: every cell comes back as its final text
  (numbers cast to text, NULL as ''; times formatted ISO 8601 UTC ``Z``, see ``_time``). On
  SQLite the cells are cast to BLOB, so they arrive as UTF-8 bytes and are never decoded
  or re-encoded; on PostgreSQL they arrive as ``str`` and are encoded once per column.
- rows are read from the DBAPI cursor (SQLAlchemy compiles and binds the statement, but
  builds no row objects), still in keyset batches on ``annotation.id`` with the sources
  of a batch in one extra query: memory stays flat.
- no joins: articles, accounts, verdicts and projects are few next to annotations, so
  their cells are encoded once and looked up by key (``Via``, ``_Cells``: fetched for the
  keys a batch needs, a bounded cache), instead of being joined, sent and quoted again
  on every row.
- quoting works per column: one scan of the joined column finds whether any cell holds
  ``,`` ``"`` CR or LF (most columns of most batches do not), and only then is each cell
  checked. Numbers and times never need quotes nor neutralizing and skip both. UTF-8
  continuation bytes are never ASCII, so testing bytes is exact. tests/export/oracle.py
  writes the same file the slow, obvious way and the tests compare both.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import DateTime, Integer, LargeBinary, Text, cast, func, select
from sqlalchemy.orm import Session

from ...models import Appearance, Article, Project, Source, User, Verdict
from .. import verdicts
from . import query
from .filters import ExportFilter

#: the CSV path holds no row objects: bigger batches, fewer queries, same flat memory
CSV_BATCH_SIZE = 5_000
#: the leading characters a spreadsheet may run as a formula (OWASP CSV injection)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")

#: a cell that needs quotes (csv.QUOTE_MINIMAL with "," as delimiter and "\r\n" lines)
_NEEDS_QUOTES = re.compile(rb'[",\r\n]').search
_FORMULA_FIRST = frozenset(s.encode() for s in FORMULA_STARTS)

_a = query.annotation.c
_ac, _vc, _uc, _pc = Article.__table__.c, Verdict.__table__.c, User.__table__.c, Project.__table__.c


@dataclass(frozen=True, eq=False)
class Via:
    """Cells from a small table, looked up by key rather than joined on every row."""

    key: tuple  # the table's key columns
    by: tuple  # the annotation's columns that hold the key


ARTICLE = Via((_ac.id,), (_a.article_id,))
VERDICT = Via((_vc.project_id, _vc.key), (_a.project_id, _a.verdict))  # a scale per project
AUTHOR = Via((_uc.id,), (_a.author_id,))
REVIEWER = Via((_uc.id,), (_a.reviewer_id,))
PROJECT = Via((_pc.id,), (_a.project_id,))


def _source_urls(session: Session, ids: list[int], blob: bool) -> dict[int, bytes]:
    """annotation id → its source URLs joined by a space (bytes), for one batch."""
    return _urls(session, Source.__table__.c, ids, blob)


def _appearance_urls(session: Session, ids: list[int], blob: bool) -> dict[int, bytes]:
    """annotation id → the URLs of its appearances joined by a space, for one batch."""
    return _urls(session, Appearance.__table__.c, ids, blob)


def _urls(session: Session, sc, ids: list[int], blob: bool) -> dict[int, bytes]:
    """annotation id → the ``url`` of its rows of a table (sources, appearances) in position
    order, joined by a space (bytes), in one query for the batch."""
    url = cast(sc.url, LargeBinary) if blob else sc.url
    statement = (
        select(sc.annotation_id, url)
        .where(query.id_clause(sc.annotation_id, ids))
        .order_by(sc.annotation_id, sc.position, sc.id)
    )
    result = session.connection().execute(statement)
    found: dict[int, bytes] = {}
    for annotation_id, value in result.cursor.fetchall():
        if not blob:
            value = value.encode()
        known = found.get(annotation_id)
        found[annotation_id] = value if known is None else known + b" " + value
    result.close()
    return found


def _source_stances(session: Session, ids: list[int], blob: bool) -> dict[int, bytes]:
    """annotation id → the stance of each source, in the order of ``source_urls`` (``-``
    for none yet), joined by a space, for one batch."""
    return {key: " ".join(found).encode() for key, found in query.stances(session, ids).items()}


def _same_as(session: Session, ids: list[int], blob: bool) -> dict[int, bytes]:
    """annotation id → its confirmed matches joined by a space (bytes), for one batch;
    few annotations have any, so the row reader serves."""
    return {key: " ".join(targets).encode() for key, targets in query.same_as(session, ids).items()}


@dataclass(frozen=True, eq=False)
class Column:
    """One CSV column: an annotation column (``value``), a column of a table looked up
    ``via`` a key, or ``per_batch``: a function ``(session, ids, blob)`` → {id: bytes}."""

    name: str
    value: object = None
    via: Via | None = None
    per_batch: Callable[[Session, list[int], bool], dict[int, bytes]] | None = None
    #: cells of a closed vocabulary (``source_stances``: stance words, ``-``, spaces; dates;
    #: ``claim_medium``): never quoted nor neutralized, as numbers
    plain: bool = False

    @property
    def numeric(self) -> bool:
        return self.value is not None and issubclass(self.value.type._type_affinity, Integer)

    @property
    def time(self) -> bool:
        return self.value is not None and issubclass(self.value.type._type_affinity, DateTime)


#: the contract columns, in order (docs/contract.md#csv-columns); appended only
SPEC = (
    Column("annotation_id", _a.id),
    Column("status", _a.status),
    Column("article_id", _ac.id, ARTICLE),
    Column("article_external_id", _ac.external_id, ARTICLE),
    Column("article_title", _ac.title, ARTICLE),
    Column("article_url", _ac.url, ARTICLE),
    Column("start", _a.start),
    Column("end", _a.end),
    Column("quote", _a.quote),
    Column("claim", _a.claim),
    Column("claimant", _a.claimant),
    Column("verdict", _vc.key, VERDICT),
    Column("verdict_label", _vc.label, VERDICT),
    Column("rationale", _a.rationale),
    Column("source_urls", per_batch=_source_urls),
    Column("annotator", _uc.username, AUTHOR),
    Column("reviewer", _uc.username, REVIEWER),
    Column("created_at", _a.created_at),
    Column("submitted_at", _a.submitted_at),
    Column("reviewed_at", _a.reviewed_at),
    Column("review_comment", _a.review_comment),
    Column("article_revision", _a.article_revision),
    Column("same_as", per_batch=_same_as),
    Column("project", _pc.slug, PROJECT),
    Column("guidelines_version", _a.guidelines_version),
    Column("source_stances", per_batch=_source_stances, plain=True),
    # the desk's memory (DESIGN.md): who, when and where, and the publication
    Column("claimant_id", _a.claimant_id),
    Column("claim_date", _a.claim_date, plain=True),
    Column("claim_medium", _a.claim_medium, plain=True),
    Column("appearances", per_batch=_appearance_urls),
    Column("published_url", _a.published_url),
)
COLUMNS = tuple(column.name for column in SPEC)
#: columns holding numbers: spreadsheet-safe mode never touches them
NUMERIC_COLUMNS = frozenset(column.name for column in SPEC if column.numeric)


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True, eq=False)
class _Own:
    """Cells of the annotation's own column at ``index`` in the select."""

    index: int
    time: bool
    plain: bool  # numbers and times: never quoted nor neutralized


@dataclass(frozen=True, eq=False)
class _Looked:
    """Consecutive columns from one lookup: one piece of ``,``-joined cells per row."""

    via: Via
    fields: tuple
    keys: tuple[int, ...]  # positions of ``via.by`` in the select


@dataclass(frozen=True, eq=False)
class _Batch:
    read: Callable
    plain: bool = False


def _plan() -> tuple[list, list]:
    """The select's columns (the annotation id first) and the pieces of a line, in order."""
    selected: list = [_a.id]
    keys: dict = {}  # annotation key column → its position in the select

    def key_position(column) -> int:
        if column.key not in keys:
            keys[column.key] = len(selected)
            selected.append(column)
        return keys[column.key]

    pieces: list = []
    for via, group in itertools.groupby(SPEC, key=lambda c: c.via):
        columns = list(group)
        if via is not None:
            positions = tuple(key_position(c) for c in via.by)
            pieces.append(_Looked(via, tuple(c.value for c in columns), positions))
            continue
        for column in columns:
            if column.per_batch is not None:
                pieces.append(_Batch(column.per_batch, column.plain))
            elif column.value.table is not query.annotation:  # no join: it needs a Via
                raise ValueError(f"column {column.name} is not the annotation's: give its via")
            else:
                plain = column.numeric or column.time or column.plain
                pieces.append(_Own(len(selected), column.time, plain))
                selected.append(column)
    return selected, pieces


_SELECTED, _PIECES = _plan()


def _select(filters: ExportFilter, blob: bool):
    """The annotation's own columns as final text (SQLite: as BLOB) and the lookup keys."""

    def cell(column: Column):
        if column.time:
            return _time(column.value, blob)
        expr = column.value
        if expr.nullable:
            expr = func.coalesce(cast(expr, Text), "")
        return cast(expr, LargeBinary) if blob else cast(expr, Text)

    columns = [c if not isinstance(c, Column) else cell(c) for c in _SELECTED]
    return select(*columns).where(*query.where(filters)).order_by(_a.id)


def _time(column, blob: bool):
    """A time cell: ``YYYY-MM-DDTHH:MM:SSZ`` (what ``query.iso`` writes), '' for NULL.

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


# --------------------------------------------------------------------------- writing


def csv_batches(
    session: Session,
    filters: ExportFilter,
    *,
    spreadsheet_safe: bool = False,
    bom: bool = False,
    batch_size: int = CSV_BATCH_SIZE,
) -> Iterator[tuple[int, bytes]]:
    """Yield ``(rows in chunk, UTF-8 CSV bytes)``: the header first, then one per batch."""
    header = ",".join(COLUMNS).encode() + b"\r\n"
    yield 0, (b"\xef\xbb\xbf" if bom else b"") + header
    blob = session.get_bind().dialect.name == "sqlite"
    statement = _select(filters, blob).limit(batch_size)
    lookups = _Lookups(session, spreadsheet_safe)
    connection = session.connection()
    last = 0
    while True:
        result = connection.execute(statement.where(_a.id > last))
        rows = result.cursor.fetchall()  # plain tuples: no Row objects, no type processing
        result.close()
        if not rows:
            return
        yield len(rows), _encode(session, rows, lookups, blob, spreadsheet_safe)
        if len(rows) < batch_size:
            return
        last = rows[-1][0]


def _encode(session: Session, rows: list[tuple], lookups: _Lookups, blob: bool, safe: bool):
    """One batch of rows → CSV bytes, working on whole columns."""
    columns: list = list(zip(*rows, strict=True))
    ids = list(columns[0])
    keys = {id(p): _keys(columns, p.keys) for p in _PIECES if isinstance(p, _Looked)}
    wanted: dict[_Cells, list] = {}
    for piece in _PIECES:
        if isinstance(piece, _Looked):
            wanted.setdefault(lookups.cells(piece), []).extend(keys[id(piece)])
    for cells, needed in wanted.items():
        cells.load(needed)  # one query per cache: the author and the reviewer together
    parts = []
    for piece in _PIECES:
        if isinstance(piece, _Own):
            column = columns[piece.index]
            if blob:
                column = _iso_column(column) if piece.time else column
            else:
                column = list(map(str.encode, column))
            if not piece.plain:
                column = _quoted(neutralized(column) if safe else column)
            parts.append(column)
        elif isinstance(piece, _Looked):
            parts.append(lookups.cells(piece).column(keys[id(piece)]))
        else:
            cells = piece.read(session, ids, blob)
            column = [cells.get(i, b"") for i in ids]
            parts.append(
                column if piece.plain else _quoted(neutralized(column) if safe else column)
            )
    lines = map(b",".join, zip(*parts, strict=True))
    return b"\r\n".join(itertools.chain(lines, [b""]))  # the last line ends too, no copy


def _keys(columns: list, positions: tuple[int, ...]) -> list:
    """The lookup key of each row: the value, or a tuple (None if any part is NULL)."""
    if len(positions) == 1:
        return columns[positions[0]]
    parts = [columns[p] for p in positions]
    return [None if None in key else key for key in zip(*parts, strict=True)]


def _quoted(column):
    """csv.QUOTE_MINIMAL for a column: untouched unless some cell needs quotes."""
    joined = b"".join(column)
    if not (b"," in joined or b'"' in joined or b"\n" in joined or b"\r" in joined):
        return column
    needs = _NEEDS_QUOTES
    return [b'"' + v.replace(b'"', b'""') + b'"' if needs(v) else v for v in column]


def neutralized(column: list[bytes]) -> list[bytes]:
    """Spreadsheet-safe mode: ``'`` before a cell a spreadsheet would run as a formula."""
    first = _FORMULA_FIRST
    return [b"'" + v if v[:1] in first else v for v in column]


# --------------------------------------------------------------------------- lookups


class _Cells:
    """key → finished CSV cells (quoted, neutralized, joined by ","), fetched on demand.

    ``query(keys)`` selects ``(*key, *texts)`` for the keys asked. A key that is not found
    (impossible with foreign keys on) or NULL (no reviewer) gives empty cells. The cache
    is bounded so that memory stays flat even with millions of articles.
    """

    LIMIT = 20_000

    def __init__(self, session: Session, via: Via, fields: tuple, safe: bool):
        self.session, self.via, self.fields, self.safe = session, via, fields, safe
        self.empty = b"," * (len(fields) - 1)
        self.cache: dict = {None: self.empty}

    def query(self, keys: list):
        key = self.via.key
        if len(key) == 1:
            return select(*key, *self.fields).where(key[0].in_(keys))
        # each part of a composite key among its values: a superset, the cache keys pick
        parts = [{k[i] for k in keys} for i in range(len(key))]
        clauses = (c.in_(p) for c, p in zip(key, parts, strict=True))
        return select(*key, *self.fields).where(*clauses)

    def load(self, keys: Iterable) -> None:
        """Fetch, in one query, the keys not cached yet."""
        keys = set(keys)
        cache = self.cache
        missing = keys.difference(cache)
        if not missing:
            return
        if len(cache) + len(missing) > self.LIMIT:
            cache.clear()
            cache[None] = self.empty
            missing = keys - {None}
        cache.update(dict.fromkeys(missing, self.empty))
        width = len(self.via.key)
        for row in self.session.execute(self.query(sorted(missing))):
            key = row[0] if width == 1 else tuple(row[:width])
            cache[key] = self._encode(row[width:])

    def column(self, keys: Iterable) -> list[bytes]:
        self.load(keys)
        cache = self.cache
        return [cache[key] for key in keys]

    def _encode(self, texts) -> bytes:
        cells = [("" if text is None else str(text)).encode() for text in texts]
        if self.safe:
            cells = neutralized(cells)
        return b",".join(_quoted(cells))


class _Lookups:
    """The caches of one export: one per table, key and fields (the author and the
    reviewer share the accounts' one)."""

    def __init__(self, session: Session, safe: bool):
        self.session, self.safe = session, safe
        self.caches: dict = {}

    def cells(self, piece: _Looked) -> _Cells:
        name = (tuple(str(c) for c in piece.via.key), tuple(str(c) for c in piece.fields))
        if name not in self.caches:
            self.caches[name] = _Cells(self.session, piece.via, piece.fields, self.safe)
        return self.caches[name]


# --------------------------------------------------------------------------- preview


def preview(session: Session, filters: ExportFilter, limit: int = 10) -> list[dict]:
    """The first ``limit`` rows as the CSV has them, column name → cell (the export page),
    the verdict's label in the interface language."""
    pairs = csv_batches(session, filters, batch_size=limit)
    data = b"".join(chunk for _n, chunk in itertools.islice(pairs, 2))
    pairs.close()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    return verdicts.relabel_rows(session, rows)
