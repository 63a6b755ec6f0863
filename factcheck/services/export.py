"""The dataset export: CSV (the contract), JSON Lines and schema.org ClaimReview.

Everything streams. Rows are read in batches by keyset pagination on ``annotation.id``
with Core selects of just the needed columns (no ORM objects: a million rows must go out
at hundreds of thousands per second); the sources (and, for JSON Lines, the review
history) of each batch come in ONE extra query per batch. Nothing holds more than one
batch, so memory stays flat whatever the row count.

The CSV download itself goes through services/export_csv.py (DBAPI cursor, cells
formatted by the database, quoting per column, articles/accounts/verdicts looked up
once): ``rows`` stays the readable reference, used by the preview, and the tests check
that both write the same bytes.

Formats:

- CSV: the contract columns (``COLUMNS``), UTF-8, RFC 4180 quoting through the ``csv``
  module with ``\\r\\n`` line ends (RFC 4180; a newline inside a cell is kept as is, inside
  quotes). Times are ISO 8601 UTC with ``Z`` at second precision
  (``2026-11-25T10:04:05Z``). ``source_urls`` are joined by one space in source order.
  *Exact* mode writes the stored text unchanged. *Spreadsheet-safe* mode prefixes ``'`` to
  any text cell starting with ``=``, ``+``, ``-``, ``@``, tab, CR or NUL so that Excel or
  LibreOffice never runs it as a formula (numeric columns are never touched); the browser
  download also starts with a UTF-8 BOM so Excel reads the accents right.
  An exact file loads unchanged in pandas with
  ``pd.read_csv(path, keep_default_na=False, dtype=str)`` (``keep_default_na=False``
  keeps empty cells and words like ``NA`` as text; ``dtype=str`` keeps ids as written).
- JSON Lines: one object per annotation with the CSV fields (``source_urls`` replaced by
  ``sources`` objects), ``prefix``/``suffix`` and the review ``history``; always exact.
- ClaimReview: a JSON array of schema.org ``ClaimReview`` objects, one per *approved*
  annotation (an array is one valid JSON document, ready to publish or embed); in
  services/claimreview.py, re-exported here.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, and_, func, select, type_coerce
from sqlalchemy.orm import Session

from .. import jsonsafe
from ..models import (
    Annotation,
    Article,
    ClaimLink,
    Project,
    ReviewEvent,
    Source,
    Status,
    User,
    Verdict,
)
from ..models.base import MAX_ID
from ..permissions import can_export, is_project_admin
from . import adjudication, export_csv

# ClaimReview moved to its own module; these names stay importable from here
from .claimreview import (  # noqa: F401
    Publisher,
    claim_review,
    claimreview_batches,
    jsonld_for_html,
)
from .errors import BadRequest, Invalid, NotAllowed

#: the contract columns, in order (DESIGN.md "Export (contract)")
COLUMNS = (
    "annotation_id",
    "status",
    "article_id",
    "article_external_id",
    "article_title",
    "article_url",
    "start",
    "end",
    "quote",
    "claim",
    "claimant",
    "verdict",
    "verdict_label",
    "rationale",
    "source_urls",
    "annotator",
    "reviewer",
    "created_at",
    "submitted_at",
    "reviewed_at",
    "review_comment",
    "article_revision",
    "same_as",
    "project",
    "guidelines_version",
)
#: columns holding numbers: spreadsheet-safe mode never touches them
NUMERIC_COLUMNS = frozenset({"annotation_id", "article_id", "start", "end", "article_revision"})
#: the anchors after an article revision (models.Anchor); the default export holds only
#: ``ok`` rows, so that ``text[start:end] == quote`` holds for the current text, always
ANCHORS = ("ok", "relocated", "orphaned")
#: the leading characters a spreadsheet may run as a formula (OWASP CSV injection)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
FORMATS = ("csv", "jsonl", "claimreview")
BATCH_SIZE = 2000
#: the CSV path holds no row objects: bigger batches, fewer queries, same flat memory
CSV_BATCH_SIZE = 5_000


@dataclass(frozen=True)
class ExportFilter:
    """Which annotations go out. ``statuses`` None means every status."""

    statuses: tuple[Status, ...] | None = (Status.APPROVED,)
    article_id: int | None = None
    verdict: str | None = None
    #: inclusive dates of the last decision (``reviewed_at``, UTC)
    date_from: date | None = None
    date_to: date | None = None
    #: anchors to include (None: all); by default only claims anchored on the current text
    anchors: tuple[str, ...] | None = ("ok",)
    #: ``project=SLUG`` as given; ``project_ids``: the projects the export reads
    #: (set by ``for_user``/``in_projects``; None: every project, for the CLI)
    project: str | None = None
    project_ids: tuple[int, ...] | None = None
    #: projects whose drafts may go out (their admins asked for drafts)
    draft_project_ids: tuple[int, ...] | None = None
    #: raw values, to rebuild the query string of a download link
    args: dict = field(default_factory=dict, compare=False)


# --------------------------------------------------------------------------- filters


def parse_filters(args: Mapping[str, object]) -> ExportFilter:
    """Build a filter from query parameters / CLI options; bad values raise 400/422.

    Keys: ``status`` (``approved`` by default; ``all``; or a comma-separated list, or a
    list), ``article`` (id), ``verdict`` (key), ``from`` and ``to`` (``YYYY-MM-DD``).
    """
    raw_status = args.get("status") or "approved"
    parts = raw_status if isinstance(raw_status, list | tuple) else [raw_status]
    names = [p.strip().lower() for part in parts for p in str(part).split(",") if p.strip()]
    statuses: tuple[Status, ...] | None
    if not names or "all" in names:
        statuses = None
    else:
        try:
            statuses = tuple(dict.fromkeys(Status(name) for name in names))
        except ValueError:
            raise Invalid(
                str(
                    _l(
                        "Unknown status in %(value)s: use all, or a list of draft, submitted, "
                        "approved, rejected.",
                        value=", ".join(names),
                    )
                ),
                field="status",
            ) from None
    date_from = _parse_date(args.get("from"), "from")
    date_to = _parse_date(args.get("to"), "to")
    if date_from and date_to and date_from > date_to:
        raise Invalid(str(_l("The start date comes after the end date.")), field="from")
    kept = {k: v for k, v in args.items() if v not in (None, "", ())}
    return ExportFilter(
        anchors=parse_anchors(args.get("anchor")),
        statuses=statuses,
        article_id=_parse_id(args.get("article")),
        verdict=(str(args["verdict"]).strip() or None) if args.get("verdict") else None,
        date_from=date_from,
        date_to=date_to,
        project=(str(args["project"]).strip() or None) if args.get("project") else None,
        args=kept,
    )


def parse_anchors(value: object) -> tuple[str, ...] | None:
    """``ok`` (default), ``all``, or a comma-separated list of ok, relocated, orphaned."""
    names = [p.strip().lower() for p in str(value or "ok").split(",") if p.strip()] or ["ok"]
    if "all" in names:
        return None
    unknown = [name for name in names if name not in ANCHORS]
    if unknown:
        raise Invalid(
            str(
                _l(
                    "Unknown anchor %(value)s: use ok, all, or a list of ok, relocated, orphaned.",
                    value=", ".join(unknown),
                )
            ),
            field="anchor",
        )
    return tuple(dict.fromkeys(names))


def _parse_date(value: object, name: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise Invalid(
            str(_l("%(name)s must be a date written YYYY-MM-DD.", name=name)), field=name
        ) from None


def _parse_id(value: object) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_ID:
        raise Invalid(str(_l("article must be an article id (a whole number).")), field="article")
    return number


def check_filters(session: Session, filters: ExportFilter) -> None:
    """Refuse a verdict key or an article that does not exist (422, naming it)."""
    if filters.project_ids is None and filters.project is not None:
        filters = in_projects(session, filters)
    if filters.verdict is not None:
        query = select(Verdict.id).where(Verdict.key == filters.verdict)
        if filters.project_ids is not None:
            query = query.where(Verdict.project_id.in_(filters.project_ids))
        found = session.scalar(query.limit(1))
        if found is None:
            raise Invalid(
                str(_l("Unknown verdict: %(key)s.", key=filters.verdict)), field="verdict"
            )
    if filters.article_id is not None:
        article = session.get(Article, filters.article_id)
        # an article of a project the caller may not export does not exist for them
        if article is None or (
            filters.project_ids is not None and article.project_id not in filters.project_ids
        ):
            message = _l("No article with id %(id)s.", id=filters.article_id)
            raise Invalid(str(message), field="article")


def in_projects(session: Session, filters: ExportFilter) -> ExportFilter:
    """Without a user (the CLI): ``project=SLUG`` restricts to that project (422 if unknown)."""
    if filters.project is None:
        return filters
    found = session.scalar(select(Project.id).where(Project.slug == filters.project))
    if found is None:
        raise Invalid(str(_l("No project “%(slug)s”.", slug=filters.project)), field="project")
    return replace(filters, project_ids=(found,))


def for_user(user: User, filters: ExportFilter, session: Session | None = None) -> ExportFilter:
    """What ``user`` may export: the projects where they may (``project=SLUG``: that one,
    404 for a non-member); drafts are private (permissions.can_see): only the project's
    admins export them."""
    from flask import current_app

    from ..extensions import db
    from .projects import by_slug, list_projects

    session = session or db.session
    site_allows = bool(current_app.config.get("ANNOTATORS_CAN_EXPORT"))
    if filters.project is not None:
        project = by_slug(session, filters.project, user)
        if not can_export(user, project, site_allows=site_allows):
            raise NotAllowed(str(_l("You may not export this project.")))
        chosen = [project]
    else:
        chosen = [
            p for p in list_projects(session, user) if can_export(user, p, site_allows=site_allows)
        ]
    ids = tuple(p.id for p in chosen)
    admin_of = tuple(p.id for p in chosen if is_project_admin(user, p.id))
    filters = replace(filters, project_ids=ids, draft_project_ids=admin_of)
    if filters.statuses is None:
        return filters
    if Status.DRAFT in filters.statuses and not admin_of:
        raise NotAllowed(str(_l("Drafts are private to their authors; only admins export them.")))
    return filters


# --------------------------------------------------------------------------- reading

# Core tables and aliases only: no ORM entity in the selects, so rows skip ORM loading
_author = User.__table__.alias("author_account")
_reviewer = User.__table__.alias("reviewer_account")
_article = Article.__table__
_verdict = Verdict.__table__
_project = Project.__table__
_a = Annotation.__table__.c


def _raw(column, name: str):
    """Skip the per-row type conversion (enum, aware datetime): we format strings ourselves."""
    return type_coerce(column, String).label(name)


def _base_columns() -> list:
    return [
        _a.id.label("annotation_id"),
        _raw(_a.status, "status"),
        _a.article_id,
        _article.c.external_id,
        _article.c.title,
        _article.c.url,
        _a.start,
        _a.end,
        _a.quote,
        _a.claim,
        _a.claimant,
        _a.verdict,
        _verdict.c.label.label("verdict_label"),
        _a.rationale,
        _author.c.username.label("annotator"),
        _reviewer.c.username.label("reviewer"),
        _raw(_a.created_at, "created_at"),
        _raw(_a.submitted_at, "submitted_at"),
        _raw(_a.reviewed_at, "reviewed_at"),
        _a.review_comment,
        _a.article_revision,
        _project.c.slug.label("project"),
        _a.guidelines_version,
    ]


def _extra_columns() -> list:
    """What JSON Lines and ClaimReview need beyond the CSV columns."""
    return [
        _a.prefix,
        _a.suffix,
        _verdict.c.rating.label("verdict_rating"),
        _raw(_article.c.published_at, "article_published_at"),
        _raw(_a.anchor, "anchor"),
        _a.previous_start,
        _a.previous_end,
        _a.previous_quote,
        _a.previous_revision,
        _article.c.language.label("article_language"),
        _verdict.c.label_fr.label("verdict_label_fr"),
    ]


def _where(filters: ExportFilter) -> list:
    clauses = []
    if filters.project_ids is not None:
        clauses.append(_a.project_id.in_(filters.project_ids))
    if filters.statuses is None and filters.draft_project_ids is not None:
        # every status, drafts only where the caller administers the project
        clauses.append(
            (_a.status != Status.DRAFT.value) | _a.project_id.in_(filters.draft_project_ids)
        )
    elif filters.statuses is not None and filters.draft_project_ids is not None:
        statuses = [s.value for s in filters.statuses]
        if Status.DRAFT.value in statuses:
            clauses.append(
                (_a.status != Status.DRAFT.value) | _a.project_id.in_(filters.draft_project_ids)
            )
    if filters.statuses is not None:
        clauses.append(_a.status.in_([s.value for s in filters.statuses]))
    if filters.article_id is not None:
        clauses.append(_a.article_id == filters.article_id)
    if filters.verdict is not None:
        clauses.append(_a.verdict == filters.verdict)
    if filters.anchors is not None:
        clauses.append(_a.anchor.in_(filters.anchors))
    if filters.date_from is not None:
        clauses.append(_a.reviewed_at >= _midnight(filters.date_from))
    if filters.date_to is not None:
        clauses.append(_a.reviewed_at < _midnight(filters.date_to + timedelta(days=1)))
    return clauses


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _select(filters: ExportFilter, extra: bool):
    return joined_select(_base_columns() + (_extra_columns() if extra else []), filters)


def joined_select(columns: list, filters: ExportFilter):
    """``columns`` of annotations joined to their article, accounts and verdict, by id."""
    return (
        select(*columns)
        .select_from(Annotation.__table__)
        .join(_article, _article.c.id == _a.article_id)
        .join(_author, _author.c.id == _a.author_id)
        .outerjoin(_reviewer, _reviewer.c.id == _a.reviewer_id)
        .join(_project, _project.c.id == _a.project_id)
        .outerjoin(
            _verdict, (_verdict.c.project_id == _a.project_id) & (_verdict.c.key == _a.verdict)
        )
        .where(*_where(filters))
        .order_by(_a.id)
    )


def count(session: Session, filters: ExportFilter) -> int:
    """How many rows an export with these filters has (for the page and progress bars)."""
    query = select(func.count()).select_from(Annotation.__table__).where(*_where(filters))
    return session.scalar(query) or 0


def _batches(
    session: Session, filters: ExportFilter, *, extra: bool = False, batch_size: int = BATCH_SIZE
) -> Iterator[list]:
    """Yield lists of rows, keyset-paginated on annotation.id (no OFFSET: flat cost)."""
    query = _select(filters, extra).limit(batch_size)
    last = 0
    while True:
        rows = session.connection().execute(query.where(_a.id > last)).all()
        if not rows:
            return
        yield rows
        if len(rows) < batch_size:
            return
        last = rows[-1][0]


def _id_clause(column, ids: list[int]):
    """A range when the batch is dense (the common case), the ids themselves otherwise."""
    first, last = ids[0], ids[-1]
    if last - first + 1 <= 2 * len(ids):
        return and_(column >= first, column <= last)
    return column.in_(ids)


def _source_urls(session: Session, ids: list[int]) -> dict[int, str]:
    """annotation id → its source URLs joined by a space, for one batch, in one query."""
    sc = Source.__table__.c
    query = (
        select(sc.annotation_id, sc.url)
        .where(_id_clause(sc.annotation_id, ids))
        .order_by(sc.annotation_id, sc.position, sc.id)
    )
    rows = session.connection().execute(query).all()
    return {
        key: " ".join(r[1] for r in group)
        for key, group in itertools.groupby(rows, key=lambda r: r[0])
    }


def _sources(session: Session, ids: list[int]) -> dict[int, list[dict]]:
    sc = Source.__table__.c
    query = (
        select(sc.annotation_id, sc.url, sc.title, sc.note)
        .where(_id_clause(sc.annotation_id, ids))
        .order_by(sc.annotation_id, sc.position, sc.id)
    )
    found: dict[int, list[dict]] = {}
    for annotation_id, url, title, note in session.connection().execute(query):
        found.setdefault(annotation_id, []).append({"url": url, "title": title, "note": note})
    return found


def _same_as(session: Session, ids: list[int]) -> dict[int, list[str]]:
    """annotation id → its confirmed matches ("same claim"), for one batch."""
    lc = ClaimLink.__table__.c
    query = (
        select(lc.annotation_id, lc.target)
        .where(_id_clause(lc.annotation_id, ids))
        .order_by(lc.annotation_id, lc.id)
    )
    found: dict[int, list[str]] = {}
    for annotation_id, target in session.connection().execute(query):
        found.setdefault(annotation_id, []).append(target)
    return found


def _histories(session: Session, ids: list[int]) -> dict[int, list[dict]]:
    ec = ReviewEvent.__table__.c
    query = (
        select(
            ec.annotation_id,
            _raw(ec.from_status, "from_status"),
            _raw(ec.to_status, "to_status"),
            User.__table__.c.username,
            _raw(ec.at, "at"),
            ec.comment,
            ec.version,
        )
        .join(User.__table__, User.__table__.c.id == ec.actor_id)
        .where(_id_clause(ec.annotation_id, ids))
        .order_by(ec.annotation_id, ec.id)
    )
    found: dict[int, list[dict]] = {}
    for annotation_id, from_, to, by, at, comment, version in session.connection().execute(query):
        found.setdefault(annotation_id, []).append(
            {
                "from": from_,
                "to": to,
                "by": by,
                "at": iso(at),
                "comment": comment,
                "version": version,
            }
        )
    return found


def iso(value: object) -> str:
    """ISO 8601 UTC with Z at second precision; '' for None.

    SQLite hands back the stored text (``YYYY-MM-DD HH:MM:SS.ffffff``, UTC — see
    models/base.py), PostgreSQL a datetime.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return f"{value[:10]}T{value[11:19]}Z"
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


# --------------------------------------------------------------------------- CSV


def rows(
    session: Session, filters: ExportFilter, *, batch_size: int = BATCH_SIZE
) -> Iterator[list[list]]:
    """Batches of CSV rows (lists in ``COLUMNS`` order, exact text)."""
    for batch in _batches(session, filters, batch_size=batch_size):
        urls = _source_urls(session, [r[0] for r in batch])
        get = urls.get
        same_as = _same_as(session, [r[0] for r in batch])
        yield [
            [
                r[0],
                r[1],
                r[2],
                r[3] or "",
                r[4],
                r[5] or "",
                r[6],
                r[7],
                r[8],
                r[9],
                r[10],
                r[11] or "",
                r[12] or "",
                r[13],
                get(r[0], ""),
                r[14],
                r[15] or "",
                iso(r[16]),
                iso(r[17]),
                iso(r[18]),
                r[19],
                r[20],
                " ".join(same_as.get(r[0], ())),
                r[21],
                "" if r[22] is None else str(r[22]),
            ]
            for r in batch
        ]


def preview(session: Session, filters: ExportFilter, limit: int = 10) -> list[dict]:
    """The first ``limit`` rows as dicts (for the export page)."""
    for batch in rows(session, filters, batch_size=limit):
        return [dict(zip(COLUMNS, row, strict=True)) for row in batch]
    return []


_TEXT_INDEXES = [i for i, name in enumerate(COLUMNS) if name not in NUMERIC_COLUMNS]


def neutralize(value: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would run as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _make_safe(batch: list[list]) -> list[list]:
    for row in batch:
        for i in _TEXT_INDEXES:
            value = row[i]
            if value and value.startswith(FORMULA_STARTS):
                row[i] = "'" + value
    return batch


def csv_batches(
    session: Session,
    filters: ExportFilter,
    *,
    spreadsheet_safe: bool = False,
    bom: bool = False,
    batch_size: int = CSV_BATCH_SIZE,
) -> Iterator[tuple[int, bytes]]:
    """Yield ``(rows in chunk, UTF-8 CSV bytes)``: the header first, then one chunk per batch.

    The fast path (services/export_csv.py); it writes what ``csv.writer`` would write for
    ``rows`` (after ``_make_safe`` in spreadsheet-safe mode), byte for byte.
    """
    return export_csv.csv_batches(
        session, filters, spreadsheet_safe=spreadsheet_safe, bom=bom, batch_size=batch_size
    )


def csv_chunks(session: Session, filters: ExportFilter, **options) -> Iterator[str]:
    """The CSV as text chunks (each batch ends a line, so each chunk decodes alone)."""
    return (data.decode("utf-8") for _n, data in csv_batches(session, filters, **options))


# --------------------------------------------------------------------------- JSON Lines


def records(
    session: Session, filters: ExportFilter, *, batch_size: int = BATCH_SIZE
) -> Iterator[list[dict]]:
    """Batches of annotation dicts: the CSV fields, sources objects, prefix/suffix, history."""
    for batch in _batches(session, filters, extra=True, batch_size=batch_size):
        ids = [r[0] for r in batch]
        sources = _sources(session, ids)
        histories = _histories(session, ids)
        same_as = _same_as(session, ids)
        yield [
            _record(r, sources.get(r[0], []), histories.get(r[0], []), same_as.get(r[0], []))
            for r in batch
        ]


def _record(r, sources: list[dict], history: list[dict], same_as: list[str]) -> dict:
    return {
        "annotation_id": r.annotation_id,
        "status": r.status,
        "article_id": r.article_id,
        "article_external_id": r.external_id,
        "article_title": r.title,
        "article_url": r.url,
        "start": r.start,
        "end": r.end,
        "quote": r.quote,
        "prefix": r.prefix,
        "suffix": r.suffix,
        "claim": r.claim,
        "claimant": r.claimant,
        "verdict": r.verdict,
        "verdict_label": r.verdict_label,
        "verdict_rating": r.verdict_rating,
        "rationale": r.rationale,
        "sources": sources,
        "annotator": r.annotator,
        "reviewer": r.reviewer,
        "created_at": iso(r.created_at) or None,
        "submitted_at": iso(r.submitted_at) or None,
        "reviewed_at": iso(r.reviewed_at) or None,
        "review_comment": r.review_comment,
        "project": r.project,
        "guidelines_version": r.guidelines_version,
        "same_as": same_as,
        "history": history,
        "anchor": r.anchor,
        "article_revision": r.article_revision,
        "previous": (
            {
                "start": r.previous_start,
                "end": r.previous_end,
                "quote": r.previous_quote,
                "revision": r.previous_revision,
            }
            if r.anchor != "ok" and r.previous_start is not None
            else None
        ),
        "_article_published_at": iso(r.article_published_at) or None,
        "_article_language": r.article_language,
        "_verdict_label_fr": r.verdict_label_fr,
    }


def jsonl_batches(
    session: Session, filters: ExportFilter, *, batch_size: int = BATCH_SIZE
) -> Iterator[tuple[int, str]]:
    for batch in records(session, filters, batch_size=batch_size):
        lines = []
        adjudicated = adjudication.originals(session, [r["annotation_id"] for r in batch])
        for record in batch:
            for private in ("_article_published_at", "_article_language", "_verdict_label_fr"):
                record.pop(private)
            # adjudicated claims carry the annotators' original versions (null otherwise)
            record["adjudication"] = adjudicated.get(record["annotation_id"])
            lines.append(jsonsafe.dumps(record) + "\n")  # safe to embed in HTML
        yield len(batch), "".join(lines)


# --------------------------------------------------------------------------- dispatch


def chunks(
    session: Session,
    fmt: str,
    filters: ExportFilter,
    *,
    spreadsheet_safe: bool = False,
    bom: bool = False,
    publisher: Publisher | None = None,
) -> Iterator[tuple[int, str]]:
    """``(rows, text)`` chunks of an export in ``fmt`` (csv, jsonl or claimreview)."""
    if fmt == "csv":
        return csv_batches(session, filters, spreadsheet_safe=spreadsheet_safe, bom=bom)
    if fmt == "jsonl":
        return jsonl_batches(session, filters)
    if fmt == "claimreview":
        return claimreview_batches(session, filters, publisher or Publisher("factcheck"))
    raise BadRequest(str(_l("Unknown format %(fmt)s: use csv, jsonl or claimreview.", fmt=fmt)))


def count_for(session: Session, fmt: str, filters: ExportFilter) -> int:
    if fmt == "claimreview":
        filters = replace(filters, statuses=(Status.APPROVED,))
    return count(session, filters)


def texts(pairs: Iterable[tuple[int, str | bytes]]) -> Iterator[str | bytes]:
    return (text for _n, text in pairs)


def filename(
    fmt: str,
    today: date | None = None,
    *,
    spreadsheet_safe: bool = False,
    filters: ExportFilter | None = None,
) -> str:
    """``factcheck-export-2026-11-30-approved-article-12-exact.csv``: the day, the filters,
    the mode and the format, so that two downloads never get the same name."""
    day = (today or datetime.now(UTC).date()).isoformat()
    suffix = {"csv": "csv", "jsonl": "jsonl", "claimreview": "claimreview.json"}[fmt]
    parts = ["factcheck-export", day]
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
    return re.sub(r"[^A-Za-z0-9+._-]", "_", name) + "." + suffix
