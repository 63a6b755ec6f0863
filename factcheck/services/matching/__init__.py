""" "Checked before?": the claims most similar to a text, among the claims a user may see
and the past fact-checks.

Two routes, merged: the semantic one (a multilingual embedding model, see embedder.py and
vectors.py) and the lexical one (full-text search on folded words, lexical.py). Scores are
in [0, 1]: the model's cosine rescaled from its useful range (``COSINE_FLOOR`` …
``COSINE_CEILING``; e5 puts unrelated sentences near 0.7), blended with the share of the
query's words that the claim contains. Without the model the lexical score serves alone
(``"semantic": false``). Nothing here links or copies anything: a person decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from ...models import Annotation, Article, FactCheck, Status, User
from ..errors import Invalid
from . import lexical
from .embedder import Embedder, get_embedder
from .scope import visible_claims
from .vectors import index_for

MAX_TEXT = 2000
MAX_LIMIT = 50
COSINE_FLOOR, COSINE_CEILING = 0.75, 0.95
SEMANTIC_WEIGHT = 0.8
#: statuses in the order shown at equal scores: what was checked comes first
STATUS_ORDER = {"approved": 0, "published": 0, "submitted": 1, "rejected": 2, "draft": 3}
FACTCHECK_STATUS = "published"


def embedder_for(config: Mapping, role: str = "query") -> Embedder | None:
    """The configured model (``MATCHING_MODEL``; empty disables it), or None."""
    return get_embedder(config.get("MATCHING_MODEL"), role, config.get("MATCHING_THREADS", 1))


@dataclass
class _Found:
    kind: str
    ref_id: int
    cosine: float | None = None
    lexical: float = 0.0
    obj: object = field(default=None, repr=False)

    def score(self, semantic: bool) -> float:
        if not semantic:
            return self.lexical
        scaled = 0.0
        if self.cosine is not None:
            scaled = (self.cosine - COSINE_FLOOR) / (COSINE_CEILING - COSINE_FLOOR)
            scaled = min(1.0, max(0.0, scaled))
        return SEMANTIC_WEIGHT * scaled + (1 - SEMANTIC_WEIGHT) * self.lexical

    def route(self, semantic: bool) -> str:
        if not semantic or self.cosine is None:
            return "lexical"
        return "both" if self.lexical > 0 else "semantic"


def check_text(text: object) -> str:
    if not isinstance(text, str) or not text.strip():
        raise Invalid(str(_l("text: write the claim to compare.")), field="text")
    if len(text) > MAX_TEXT:
        raise Invalid(str(_l("text: at most %(n)s characters.", n=MAX_TEXT)), field="text")
    return text.strip()


def check_limit(value: object, default: int = 10) -> int:
    if value is None or value == "":
        return default
    try:
        limit = int(value)
    except (TypeError, ValueError):
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid(str(_l("limit: a whole number from 1 to %(n)s.", n=MAX_LIMIT)), field="limit")
    return limit


def check_statuses(value: str | None) -> tuple[str, ...] | None:
    if not value:
        return None
    names = tuple(v.strip() for v in value.split(",") if v.strip())
    allowed = {s.value for s in Status} | {FACTCHECK_STATUS}
    bad = [n for n in names if n not in allowed]
    if bad:
        raise Invalid(
            str(
                _l(
                    "status: unknown status %(name)s (one of %(names)s).",
                    name=bad[0][:40],
                    names=", ".join(sorted(allowed)),
                )
            ),
            field="status",
        )
    return names


def similar(
    session: Session,
    user: User,
    text: str,
    *,
    config: Mapping,
    limit: int = 10,
    language: str | None = None,
    statuses: tuple[str, ...] | None = None,
    exclude: int | None = None,
) -> dict:
    """The contract's answer: ``{"items": [...], "semantic": bool}``, best first."""
    embedder = embedder_for(config)
    found: dict[tuple[str, int], _Found] = {}
    if embedder is not None:
        index = index_for(str(session.get_bind().url), embedder.name, embedder.dim)
        vector = embedder.embed_queries([text])[0]
        for c in index.search(session, vector):
            found.setdefault((c.kind, c.ref_id), _Found(c.kind, c.ref_id)).cosine = c.cosine
    for hit in lexical.search(session, text):
        found.setdefault((hit.kind, hit.ref_id), _Found(hit.kind, hit.ref_id)).lexical = hit.score
    semantic = embedder is not None
    _attach(session, user, found, language, statuses, exclude)
    kept = [f for f in found.values() if f.obj is not None and f.score(semantic) > 0]
    kept.sort(
        key=lambda f: (
            -round(f.score(semantic), 2),
            STATUS_ORDER.get(_status(f.obj), 9),
            -f.score(semantic),
        )
    )
    return {"items": [item_json(f, semantic) for f in kept[:limit]], "semantic": semantic}


def _attach(session, user, found, language, statuses, exclude) -> None:
    """Load the candidates the user may see (and that pass the filters) onto ``found``."""
    ids = [k[1] for k in found if k[0] == "annotation" and k[1] != exclude]
    if ids:
        query = (
            select(Annotation)
            .where(Annotation.id.in_(ids), visible_claims(user))
            # each answer names the verdict and the language: never the article's text
            .options(
                joinedload(Annotation.article).load_only(Article.id, Article.language),
                selectinload(Annotation.verdict_row),
            )
        )
        if statuses:
            query = query.where(Annotation.status.in_(statuses))
        if language:
            query = query.join(Article, Article.id == Annotation.article_id).where(
                Article.language == language
            )
        for annotation in session.scalars(query):
            found[("annotation", annotation.id)].obj = annotation
    ids = [k[1] for k in found if k[0] == "factcheck"]
    if ids and (not statuses or FACTCHECK_STATUS in statuses):
        query = select(FactCheck).where(FactCheck.id.in_(ids))
        if language:
            query = query.where(FactCheck.language == language)
        for factcheck in session.scalars(query):
            found[("factcheck", factcheck.id)].obj = factcheck


def _status(obj) -> str:
    return obj.status.value if isinstance(obj, Annotation) else FACTCHECK_STATUS


def _iso(value) -> str | None:
    return value.isoformat(timespec="seconds").replace("+00:00", "Z") if value else None


def item_json(found: _Found, semantic: bool) -> dict:
    obj = found.obj
    common = {
        "kind": found.kind,
        "id": obj.id,
        "claim": obj.claim,
        "claimant": obj.claimant,
        "score": round(found.score(semantic), 4),
        "route": found.route(semantic),
    }
    if isinstance(obj, Annotation):
        return common | {
            "article_id": obj.article_id,
            "verdict": obj.verdict,
            "verdict_label": obj.verdict_row.label if obj.verdict_row else None,
            "status": obj.status.value,
            "url": f"/articles/{obj.article_id}/annotate?annotation={obj.id}",
            "language": obj.article.language,
            "checked_at": _iso(obj.reviewed_at or obj.submitted_at or obj.updated_at),
        }
    return common | {
        "verdict": obj.verdict,
        "verdict_label": obj.rating,
        "status": FACTCHECK_STATUS,
        "url": obj.url,
        "language": obj.language,
        "checked_at": _iso(obj.published_at),
    }
