"""The lexical route: full-text search over ``claim_text.norm`` (folded words).

SQLite: the FTS5 table ``claim_text_fts`` (ranked by bm25). PostgreSQL: ``to_tsvector(
'simple', norm)`` with its GIN index (ranked by ts_rank). Either way the database finds
candidates, and the score is computed here the same way on both: the share of the query's
words that the claim contains, so names and numbers ("OMS", "2019", "20") weigh in.
The last word may be unfinished (the claim is being typed): it matches as a prefix.

Words found in more than ``COMMON`` claims ("election", "percent" in a large archive) do
not look for candidates: ranking every claim that holds one costs more than the whole
search budget, and they say little. They still count in the score of the candidates that
the other words (or the semantic route) find. When every word is common, all search.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from .text import query_terms

LIMIT = 200
COMMON = 2000


@dataclass
class Hit:
    kind: str
    ref_id: int
    score: float


def search(session: Session, text: str, limit: int = LIMIT) -> list[Hit]:
    terms = query_terms(text)
    if not terms:
        return []
    prefix = terms[-1] if len(terms[-1]) >= 3 and not terms[-1].isdigit() else None
    postgresql = session.get_bind().dialect.name == "postgresql"
    search = _informative(session, terms, prefix, postgresql)
    if postgresql:
        parts = [f"{t}:*" if t == prefix else t for t in search]
        rows = session.execute(
            sql(
                "SELECT kind, ref_id, norm FROM claim_text "
                "WHERE to_tsvector('simple'::regconfig, norm) "
                "@@ to_tsquery('simple'::regconfig, :q) "
                "ORDER BY ts_rank(to_tsvector('simple'::regconfig, norm), "
                "to_tsquery('simple'::regconfig, :q)) DESC LIMIT :n"
            ),
            {"q": " | ".join(parts), "n": limit},
        ).all()
    else:
        parts = [f'"{t}"*' if t == prefix else f'"{t}"' for t in search]
        rows = session.execute(
            sql(
                "SELECT t.kind, t.ref_id, t.norm FROM claim_text_fts f "
                "JOIN claim_text t ON t.id = f.rowid "
                "WHERE claim_text_fts MATCH :q ORDER BY bm25(claim_text_fts) LIMIT :n"
            ),
            {"q": " OR ".join(parts), "n": limit},
        ).all()
    return [Hit(kind, ref_id, _overlap(terms, prefix, norm)) for kind, ref_id, norm in rows]


def _informative(session: Session, terms: list[str], prefix: str | None, postgresql: bool):
    """The terms found in fewer than ``COMMON`` claims (all of them if none is), counted
    in one query that stops counting at ``COMMON``."""
    if len(terms) == 1:
        return terms
    if postgresql:
        count = (
            "(SELECT count(*) FROM (SELECT 1 FROM claim_text WHERE to_tsvector("
            "'simple'::regconfig, norm) @@ to_tsquery('simple'::regconfig, :t{k}) "
            "LIMIT :cap) AS c{k})"
        )
        params = {f"t{k}": f"{t}:*" if t == prefix else t for k, t in enumerate(terms)}
    else:
        count = (
            "(SELECT count(*) FROM (SELECT 1 FROM claim_text_fts "
            "WHERE claim_text_fts MATCH :t{k} LIMIT :cap))"
        )
        params = {f"t{k}": f'"{t}"*' if t == prefix else f'"{t}"' for k, t in enumerate(terms)}
    query = "SELECT " + ", ".join(count.format(k=k) for k in range(len(terms)))
    counts = session.execute(sql(query), params | {"cap": COMMON}).one()
    rare = [t for t, n in zip(terms, counts, strict=True) if n < COMMON]
    return rare or terms


def _overlap(terms: list[str], prefix: str | None, norm: str) -> float:
    words = set(norm.split())
    found = 0
    for term in terms:
        if term in words or (term == prefix and any(w.startswith(term) for w in words)):
            found += 1
    return found / len(terms)
