"""``semantic=1``: claims by meaning, through the matching model and the vector index that
"Checked before?" uses (services/matching): the query's embedding shortlists the nearest
claims (``SHORTLIST`` of them, rescored exactly), the lexical route adds those holding the
query's words, each scored as ``similar`` scores it; the filters and the caller's scope
then keep what they may see. The result is that ranked list: its ``total`` counts the
filtered candidates, not the whole archive."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import ClaimVector
from ..matching import (
    COSINE_CEILING,
    COSINE_FLOOR,
    LEXICAL_WEIGHT,
    embedder_for,
    lexical,
    query_vector,
)
from ..matching.embedder import centre_of
from ..matching.vectors import index_for
from .params import Criteria
from .query import annotations, factchecks
from .scope import Scope
from .sql import among

#: nearest claims rescored: 2.5× what "Checked before?" shortlists, since filters come after
SHORTLIST = 500


def available(config: Mapping) -> bool:
    return embedder_for(config) is not None


def candidates(session: Session, text: str, config: Mapping) -> dict[tuple[str, int], float]:
    """(kind, id) → score in [0, 1] of the claims closest in meaning to ``text``."""
    embedder = embedder_for(config)
    scores: dict[tuple[str, int], float] = {}
    if embedder is not None:
        index = index_for(
            str(session.get_bind().url), embedder.name, embedder.dim, centre_of(embedder)
        )
        vector = query_vector(embedder, text)
        for kind, ref_id, cosine in _nearest(session, index, vector, embedder.name):
            scaled = (cosine - COSINE_FLOOR) / (COSINE_CEILING - COSINE_FLOOR)
            scores[(kind, ref_id)] = min(1.0, max(0.0, scaled))
    for hit in lexical.search(session, text):
        key = (hit.kind, hit.ref_id)
        scores[key] = max(scores.get(key, 0.0), LEXICAL_WEIGHT * hit.score)
    return {key: round(score, 4) for key, score in scores.items() if score > 0}


def _nearest(session: Session, index, vector, model: str):
    """``VectorIndex.search`` (the shortlist rescored with the stored int8 vectors), its
    rows read with one array parameter (``among``): psycopg does not cache the conversion
    of a statement as long as 500 parameters make it, and converting it cost 30 ms."""
    index.refresh(session)
    ids = index.shortlist(vector, SHORTLIST)
    if not len(ids):
        return []
    c = ClaimVector.__table__.c
    rows = session.execute(
        select(c.kind, c.ref_id, c.vector).where(among(session, c.id, ids), c.model == model)
    ).all()
    if not rows:
        return []
    matrix = np.frombuffer(b"".join(bytes(r[2]) for r in rows), dtype=np.int8)
    matrix = matrix.reshape(len(rows), -1).astype(np.float32)
    cosines = (matrix @ vector) / np.maximum(np.linalg.norm(matrix, axis=1), 1e-12)
    return [(r[0], int(r[1]), float(cos)) for r, cos in zip(rows, cosines, strict=True)]


def rows(session: Session, scope: Scope, c: Criteria, config: Mapping):
    """Every filtered candidate's row (kind, id, rank, day, verdict_key), best first (or
    latest first), and the scores."""
    scores = candidates(session, c.q, config)
    found = []
    for kind, build in (("annotation", annotations), ("factcheck", factchecks)):
        ids = [ref for (k, ref) in scores if k == kind]
        part = build(session, scope, c, ids=ids, ranked=False) if ids else None
        if part is not None:
            found.extend(session.execute(part).all())
    # best first; by date: latest first, undated last (both orders end on kind and id)
    found.sort(key=lambda r: (r.kind, -r.id))
    if c.order == "date":
        found.sort(key=lambda r: day_text(r.day), reverse=True)
    else:
        found.sort(key=lambda r: -scores[(r.kind, r.id)])
    return found, scores


def day_text(day) -> str:
    """A row's day as YYYY-MM-DD ("" when undated): SQLite's date() gives text, a Date
    column a date."""
    return "" if day is None else str(day)[:10]
