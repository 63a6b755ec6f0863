"""The claims search in SQL: one select of annotations and one of past fact-checks, with
the same columns (``kind``, ``id``, ``rank``, ``day``, ``verdict_key``), filtered the same
way; the page is their UNION ALL ordered and cut, the distribution their GROUP BY.

Words go through the full-text index that "Checked before?" keeps (``claim_text``: the
claim as written, folded; services/matching/lexical.py): every word must be found, each as
a word prefix ("mair" finds "Maire"), accents and case ignored. SQLite ranks by FTS5's
bm25, PostgreSQL by ts_rank on its GIN index of ``to_tsvector('simple', norm)``; the
distribution does not rank at all.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import (
    Date,
    Float,
    Integer,
    String,
    case,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from ...models import Annotation, Article, FactCheck, Status
from ..matching.text import STOPWORDS, fold
from .params import HIDDEN, NO_VERDICT, Criteria
from .scope import Scope
from .sql import among

#: a word as typed: at most this many of them are searched
MAX_TERMS = 12


def terms_of(q: str) -> list[str]:
    """The folded words of ``q`` to find; stopwords only when there is nothing else."""
    words = list(dict.fromkeys(fold(q).split()))
    useful = [w for w in words if w not in STOPWORDS]
    return (useful or words)[:MAX_TERMS]


def _prefix(term: str) -> bool:
    """A word of 2 letters or more matches as a prefix; numbers match whole ("20" is not
    "2019")."""
    return len(term) >= 2 and not term.isdigit()


def _fts_query(terms: list[str], postgresql: bool) -> str:
    # folded words hold only letters and digits: nothing to escape in either syntax
    if postgresql:
        return " & ".join(f"{t}:*" if _prefix(t) else t for t in terms)
    return " AND ".join(f'"{t}"*' if _prefix(t) else f'"{t}"' for t in terms)


_PG_VECTOR = "to_tsvector('simple'::regconfig, norm)"
_PG_QUERY = "to_tsquery('simple'::regconfig, :fts_{kind})"
_SQLITE = (
    "SELECT t.ref_id AS ref_id, f.rank AS rank FROM claim_text t JOIN "
    "(SELECT rowid AS rid, {rank} AS rank FROM claim_text_fts "
    "WHERE claim_text_fts MATCH :fts_{kind}) f ON t.id = f.rid WHERE t.kind = '{kind}'"
)
_PG = "SELECT ref_id, {rank} AS rank FROM claim_text WHERE kind = '{kind}' AND {v} @@ {q}"
_RANKS = {
    "sqlite": "bm25(claim_text_fts)",
    "postgresql": f"-ts_rank({_PG_VECTOR}, {_PG_QUERY})",
}
#: the statements, by dialect, kind and whether they rank (the distribution does not);
#: each kind's parameter has its own name, as both meet in one UNION
_MATCH = {
    (dialect, kind, ranked): (_PG if dialect == "postgresql" else _SQLITE)
    .format(rank=_RANKS[dialect] if ranked else "0.0", v=_PG_VECTOR, q=_PG_QUERY, kind="{kind}")
    .format(kind=kind)
    for dialect in ("sqlite", "postgresql")
    for kind in ("annotation", "factcheck")
    for ranked in (True, False)
}


def _matches(session: Session, kind: str, terms: list[str], ranked: bool):
    """(ref_id, rank) of the ``kind`` claims holding every term; lower ranks first."""
    postgresql = session.get_bind().dialect.name == "postgresql"
    dialect = "postgresql" if postgresql else "sqlite"
    statement = sql(_MATCH[dialect, kind, ranked]).bindparams(
        **{f"fts_{kind}": _fts_query(terms, postgresql)}
    )
    return statement.columns(ref_id=Integer, rank=Float).subquery(f"m_{kind}")


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _day(session: Session, column):
    """A timestamp column as a date, comparable and sortable beside ``claim_date``."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(column, Date)
    return func.date(column)


def annotations(session: Session, scope: Scope, c: Criteria, *, ids=None, ranked=True):
    """The annotations of the search, or None when the filters leave none."""
    if "annotation" not in c.kinds:
        return None
    a = Annotation
    hidden = scope.hidden()
    verdict_key = case((hidden, literal(HIDDEN)), else_=func.coalesce(a.verdict, NO_VERDICT))
    terms = terms_of(c.q) if c.q and ids is None else []
    match = _matches(session, "annotation", terms, ranked) if terms else None
    rank = match.c.rank if match is not None else literal(0.0, Float)
    query = select(
        literal("annotation", String).label("kind"),
        a.id.label("id"),
        rank.label("rank"),
        a.claim_date.label("day"),
        verdict_key.label("verdict_key"),
    ).where(scope.visible())
    if match is not None:
        query = query.join(match, match.c.ref_id == a.id)
    if ids is not None:
        query = query.where(among(session, a.id, ids))
    if scope.project_ids is not None:
        query = query.where(a.project_id.in_(scope.project_ids))
    if scope.claimant_ids is not None:
        query = query.where(among(session, a.claimant_id, scope.claimant_ids))
    if c.statuses:
        wanted = [Status(s) for s in c.statuses if s != "published"]
        published = (a.status == Status.APPROVED) & a.published_at.is_not(None)
        condition = a.status.in_(wanted) if wanted else None
        if "published" in c.statuses:
            condition = published if condition is None else condition | published
        query = query.where(condition)
    if c.verdicts:
        query = query.where(verdict_key.in_(c.verdicts))
    if c.language:
        query = query.join(Article, Article.id == a.article_id).where(
            Article.language == c.language
        )
    if c.date_from:
        query = query.where(a.claim_date >= c.date_from)
    if c.date_to:
        query = query.where(a.claim_date <= c.date_to)
    return query


def factchecks(session: Session, scope: Scope, c: Criteria, *, ids=None, ranked=True):
    """The past fact-checks of the search, or None when the filters leave none: they
    belong to no project, are all published, and none hides its verdict."""
    if "factcheck" not in c.kinds or scope.project_ids is not None:
        return None
    if c.statuses and "published" not in c.statuses:
        return None
    if c.verdicts == (HIDDEN,):
        return None
    f = FactCheck
    terms = terms_of(c.q) if c.q and ids is None else []
    match = _matches(session, "factcheck", terms, ranked) if terms else None
    rank = match.c.rank if match is not None else literal(0.0, Float)
    verdict_key = func.coalesce(f.verdict, NO_VERDICT)
    query = select(
        literal("factcheck", String).label("kind"),
        f.id.label("id"),
        rank.label("rank"),
        _day(session, f.published_at).label("day"),
        verdict_key.label("verdict_key"),
    )
    if match is not None:
        query = query.join(match, match.c.ref_id == f.id)
    if ids is not None:
        query = query.where(among(session, f.id, ids))
    if scope.claimant_ids is not None:
        query = query.where(among(session, f.claimant, scope.claimant_names, String))
    if c.verdicts:
        query = query.where(verdict_key.in_(c.verdicts))
    if c.language:
        query = query.where(f.language == c.language)
    if c.date_from:
        query = query.where(f.published_at >= _midnight(c.date_from))
    if c.date_to:
        query = query.where(f.published_at < _midnight(c.date_to + timedelta(days=1)))
    return query


def parts(session: Session, scope: Scope, c: Criteria, **kw) -> list:
    found = [annotations(session, scope, c, **kw), factchecks(session, scope, c, **kw)]
    return [p for p in found if p is not None]


def distribution(session: Session, scope: Scope, c: Criteria) -> dict[str, int]:
    """verdict key → count over the whole result (``hidden``: verdicts hidden from the
    caller; ``none``: no verdict yet); nothing is ranked."""
    counts: dict[str, int] = {}
    for part in parts(session, scope, c, ranked=False):
        inner = part.subquery()
        rows = session.execute(
            select(inner.c.verdict_key, func.count()).group_by(inner.c.verdict_key)
        )
        for key, n in rows:
            counts[key] = counts.get(key, 0) + n
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def ordered(session: Session, scope: Scope, c: Criteria):
    """The whole result's rows (kind, id, rank, day, verdict_key), in the order asked,
    as a select to cut into pages or stream."""
    found = parts(session, scope, c, ranked=c.order == "relevance" and bool(c.q))
    if not found:
        return None
    both = (union_all(*found) if len(found) > 1 else found[0]).subquery("found")
    order = [both.c.day.desc().nulls_last(), both.c.kind, both.c.id.desc()]
    if c.order == "relevance" and c.q:
        order.insert(0, both.c.rank)
    return select(both).order_by(*order)


def page_and_counts(session: Session, scope: Scope, c: Criteria) -> tuple[list, dict[str, int]]:
    """The page's rows and the distribution. With words, in one statement over the
    matches materialized once (the full-text search and the joins run once, not twice);
    without, as two (the page then reads whole tables, a materialized copy would cost
    more than a second pass)."""
    if not c.q:
        return page(session, scope, c), distribution(session, scope, c)
    found = parts(session, scope, c, ranked=c.order == "relevance")
    if not found:
        return [], {}
    both = (union_all(*found) if len(found) > 1 else found[0]).cte("found")
    both = both.prefix_with("MATERIALIZED")  # computed once (SQLite ≥ 3.35, PostgreSQL ≥ 12)
    order = [both.c.day.desc().nulls_last(), both.c.kind, both.c.id.desc()]
    if c.order == "relevance":
        order.insert(0, both.c.rank)
    cut = (
        select(both, literal(0).label("n"))
        .order_by(*order)
        .limit(c.per_page)
        .offset((c.page - 1) * c.per_page)
        .subquery("cut")
    )
    counts = select(
        literal("count", String).label("kind"),
        literal(0).label("id"),
        literal(0.0, Float).label("rank"),
        null().label("day"),
        both.c.verdict_key,
        func.count().label("n"),
    ).group_by(both.c.verdict_key)
    statement = union_all(select(cut), counts)
    rows = session.execute(statement).all()
    page_rows = [r for r in rows if r.kind != "count"]
    order_key = _sort_key(c)
    page_rows.sort(key=order_key)
    tally = {r.verdict_key: r.n for r in rows if r.kind == "count"}
    return page_rows, dict(sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])))


def _sort_key(c: Criteria):
    """The page's order again in Python (a UNION keeps no order): as ``ordered``."""

    def key(row):
        day = "" if row.day is None else str(row.day)[:10]
        # latest first, undated last: invert the date's characters
        inverted = "".join(chr(0x7F - ord(ch)) for ch in day) if day else "\x7f"
        rank = row.rank if c.order == "relevance" and c.q else 0.0
        return (rank, inverted, row.kind, -row.id)

    return key


def page(session: Session, scope: Scope, c: Criteria) -> list:
    query = ordered(session, scope, c)
    if query is None:
        return []
    offset = (c.page - 1) * c.per_page
    return session.execute(query.limit(c.per_page).offset(offset)).all()
