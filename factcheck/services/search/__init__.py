"""Claims search (DESIGN.md, "The desk's memory"): every claim the caller may see in all
their projects and every past fact-check, by words or by meaning, filtered, ordered,
paginated, with the verdict distribution of the whole result, and as CSV.

``params`` reads the query string, ``scope`` decides what the caller sees (drafts of
others never, other projects never, blind verdicts hidden), ``query`` builds the SQL,
``semantic`` the route by meaning, ``items`` the answer's rows, ``csv`` the download.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from ...models import User
from . import params, query, semantic
from .items import load
from .params import MAX_PER_PAGE, Criteria, parse
from .scope import Scope, blind_projects, scope_for

__all__ = [
    "MAX_PER_PAGE",
    "Criteria",
    "Scope",
    "hidden_anywhere",
    "params",
    "parse",
    "run",
    "scope_for",
    "semantic",
]


def hidden_anywhere(session: Session, user: User) -> bool:
    """Whether some verdict may be hidden from ``user`` (they review a blind project)."""
    return bool(blind_projects(session, user))


def run(session: Session, user: User, criteria: Criteria, *, config: Mapping) -> dict:
    """The answer: ``items`` (this page), ``total``, ``verdicts`` (key → count over the
    whole result; ``hidden`` and ``none`` included), ``page``, ``per_page``, ``semantic``
    (whether the model served), ``order``."""
    scope = scope_for(session, user, criteria)
    by_meaning = bool(criteria.semantic and criteria.q and semantic.available(config))
    terms = query.terms_of(criteria.q) if criteria.q else []
    if by_meaning:
        rows, scores = semantic.rows(session, scope, criteria, config)
        counts: dict[str, int] = {}
        for row in rows:
            counts[row.verdict_key] = counts.get(row.verdict_key, 0) + 1
        start = (criteria.page - 1) * criteria.per_page
        page_rows = rows[start : start + criteria.per_page]
        items = load(session, user, page_rows, terms, scores=scores)
        total = len(rows)
        verdict_counts = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    else:
        page_rows, verdict_counts = query.page_and_counts(session, scope, criteria)
        total = sum(verdict_counts.values())
        items = load(session, user, page_rows, terms)
    return {
        "items": items,
        "total": total,
        "verdicts": verdict_counts,
        "page": criteria.page,
        "per_page": criteria.per_page,
        "semantic": by_meaning,
        "order": criteria.order,
    }
