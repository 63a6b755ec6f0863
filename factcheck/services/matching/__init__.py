""" "Checked before?": the claims most similar to a text, among the claims a user may see
and the past fact-checks.

Two routes, merged: the semantic one (a multilingual embedding model, see embedder.py and
vectors.py) and the lexical one (full-text search on folded words, lexical.py). Scores are
in [0, 1]: the model's cosine rescaled from its useful range (``COSINE_FLOOR`` …
``COSINE_CEILING``; e5 puts unrelated sentences near 0.7); a claim the model does not
bring close but that holds the query's words (a rare name, a number) scores a fifth of the
share of the query's words it contains. Without the model the lexical score serves alone
(``"semantic": false``). The best candidates are then ranked again by a learned model over
cheap signals (ranking.py: figures, years, names, trigrams…), whose output is the score;
those under its floor are hidden and counted. Nothing here links or copies anything: a
person decides.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from ...models import Annotation, Article, FactCheck, Status, User
from ...times import iso
from .. import second_verdict, verdicts
from ..errors import Invalid
from . import lexical, ranking
from .embedder import Embedder, centre_of, get_embedder
from .scope import visible_claims
from .text import direction, direction_conflict, figures, figures_conflict
from .vectors import index_for

MAX_TEXT = 2000
MAX_LIMIT = 50
COSINE_FLOOR, COSINE_CEILING = 0.75, 0.95
#: the model ranks: on both our sets, blending in the share of shared words (0.8 / 0.2
#: before) lifted the near copies that say another thing ("… in Lyon", "… in 2015") over
#: the same claim reworded or translated. Success@1 0.33 → 0.48 on the development set
#: (where 1.0 was chosen among 0.7–1.0) and 0.15 → 0.31 on the held-out one; success@10
#: kept. The words still bring what the model misses, at ``LEXICAL_WEIGHT``.
SEMANTIC_WEIGHT = 1.0
LEXICAL_WEIGHT = 0.2
#: a claim stating other figures is another claim ("fell 20 %" / "fell 10 %"), though the
#: model sees the same: its score loses this share (chosen on the development set among
#: 0.1, 0.2, 0.3: success@1 0.23 → 0.33, success@10 unchanged; it stays listed, flagged)
FIGURES_PENALTY = 0.3
#: likewise a claim saying the thing went the other way ("rose" / "fell"), which the model
#: barely tells apart (chosen on the development set, checked on the held-out one)
DIRECTION_PENALTY = 0.3
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
    #: the figures the claim states, once loaded, and whether they contradict the query's
    figures: tuple[str, ...] = ()
    conflict: bool = False
    #: which way the claim says something went, and whether it is opposite to the query's
    direction: tuple[str, tuple[str, ...]] | None = None
    opposite: bool = False
    #: ranks among all the candidates by cosine and by lexical score (1 = best)
    cosine_rank: int | None = None
    lexical_rank: int | None = None
    #: the learned ranking's score, once ranked again (ranking.py)
    learned: float | None = None

    def score(self, semantic: bool) -> float:
        if self.learned is not None:
            return self.learned
        if not semantic:
            base = self.lexical
        else:
            base = 0.0
            if self.cosine is not None:
                scaled = (self.cosine - COSINE_FLOOR) / (COSINE_CEILING - COSINE_FLOOR)
                scaled = min(1.0, max(0.0, scaled))
                base = SEMANTIC_WEIGHT * scaled + (1 - SEMANTIC_WEIGHT) * self.lexical
            # found by its words (a name, a number) where the model sees little or nothing
            # of the query (outside its shortlist, or under its floor): listed, below what
            # the model finds close
            base = max(base, LEXICAL_WEIGHT * self.lexical)
        # known only once loaded: it can only lower a score, so the best-first loading
        # (which ranks on the scores before) never skips a better candidate
        if self.conflict:
            base *= 1 - FIGURES_PENALTY
        if self.opposite:
            base *= 1 - DIRECTION_PENALTY
        return base

    def route(self, semantic: bool) -> str:
        if not semantic or self.cosine is None:
            return "lexical"
        return "both" if self.lexical > 0 else "semantic"


def check_text(text: object) -> str:
    if not isinstance(text, str) or not text.strip():
        raise Invalid(_("text: write the claim to compare."), field="text")
    if len(text) > MAX_TEXT:
        raise Invalid(_("text: at most %(n)s characters.", n=MAX_TEXT), field="text")
    return text.strip()


def check_limit(value: object, default: int = 10) -> int:
    if value is None or value == "":
        return default
    try:
        limit = int(value)
    except (TypeError, ValueError):
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid(_("limit: a whole number from 1 to %(n)s.", n=MAX_LIMIT), field="limit")
    return limit


def check_statuses(value: str | None) -> tuple[str, ...] | None:
    if not value:
        return None
    names = tuple(v.strip() for v in value.split(",") if v.strip())
    allowed = {s.value for s in Status} | {FACTCHECK_STATUS}
    bad = [n for n in names if n not in allowed]
    if bad:
        raise Invalid(
            _(
                "status: unknown status %(name)s (one of %(names)s).",
                name=bad[0][:40],
                names=", ".join(sorted(allowed)),
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
    floor: float | None = None,
) -> dict:
    """The contract's answer: ``{"items": [...], "semantic": bool, "hidden": n}``, best
    first. Of the ``limit`` best, those scoring under ``floor`` (by default the learned
    ranking's, chosen on the development set; 0 shows all) are left out and counted in
    ``hidden``."""
    # the learned ranking needs the model's cosine: by words alone, their share ranks
    model = ranking.load() if embedder_for(config) is not None else None
    depth = max(limit, ranking.DEPTH) if model is not None else limit
    stated = Stated(figures(text), direction(text))
    found, kept, semantic = _candidates(
        session, user, text, config, depth, (language, statuses, exclude), stated
    )
    if model is not None and kept:
        _rerank(model, text, kept, found.values(), semantic)
    kept.sort(key=lambda f: _order(f, semantic))
    kept = kept[:limit]
    if floor is None:
        floor = model.floor(semantic) if model is not None else 0.0
    shown = [f for f in kept if f.score(semantic) >= floor]
    hidden_count, kept = len(kept) - len(shown), shown
    # blind second verdict: claims in review whose verdict the user must not see yet
    hidden = second_verdict.hidden_ids(
        session, user, [f.obj for f in kept if isinstance(f.obj, Annotation)]
    )
    items = [
        item_json(f, semantic, hidden=f.kind == "annotation" and f.ref_id in hidden) for f in kept
    ]
    return {
        "items": items,
        "semantic": semantic,
        "hidden": hidden_count,
        "query_figures": list(stated.figures),
        "query_direction": direction_json(stated.direction),
    }


def _candidates(session, user, text, config, depth, filters, stated):
    """Both routes' candidates (``found``), and the ``depth`` best by their scores that the
    user may see and that pass the ``filters`` (language, statuses, exclude), loaded."""
    embedder = embedder_for(config)
    found: dict[tuple[str, int], _Found] = {}
    if embedder is not None:
        index = index_for(
            str(session.get_bind().url), embedder.name, embedder.dim, centre_of(embedder)
        )
        for c in index.search(session, query_vector(embedder, text)):
            found.setdefault((c.kind, c.ref_id), _Found(c.kind, c.ref_id)).cosine = c.cosine
    for hit in lexical.search(session, text):
        found.setdefault((hit.kind, hit.ref_id), _Found(hit.kind, hit.ref_id)).lexical = hit.score
    semantic = embedder is not None
    _rank(found.values())
    kept = _best_visible(session, user, found, semantic, depth, *filters, stated)
    return found, kept, semantic


def ranking_rows(session: Session, user: User, text: str, *, config: Mapping) -> tuple:
    """What bench/fit_ranking.py fits on: the candidates the learned ranking would rank for
    ``text`` (loaded, best by the routes' scores first), their features, and whether the
    model took part."""
    stated = Stated(figures(text), direction(text))
    found, kept, semantic = _candidates(
        session, user, text, config, ranking.DEPTH, (None, None, None), stated
    )
    return kept, candidate_rows(text, kept, found.values()), semantic


def _rank(found) -> None:
    """Each candidate's rank among all of them by cosine, and by lexical score."""
    by_cosine = sorted((f for f in found if f.cosine is not None), key=lambda f: -f.cosine)
    for k, f in enumerate(by_cosine, 1):
        f.cosine_rank = k
    by_words = sorted((f for f in found if f.lexical > 0), key=lambda f: -f.lexical)
    for k, f in enumerate(by_words, 1):
        f.lexical_rank = k


def rescaled(cosine: float | None) -> float | None:
    """The cosine as the ranking reads it: 0 at ``RANKING_COSINE_ZERO`` and under, 1 at 1."""
    if cosine is None:
        return None
    return max(0.0, (cosine - RANKING_COSINE_ZERO) / (1 - RANKING_COSINE_ZERO))


RANKING_COSINE_ZERO = 0.6


def signals(found: _Found) -> ranking.Signals:
    return ranking.Signals(
        rescaled(found.cosine), found.cosine_rank, found.lexical, found.lexical_rank
    )


def candidate_rows(text: str, kept: list[_Found], found) -> list[list[float]]:
    """The learned ranking's features of the loaded candidates ``kept`` (bench/fit_ranking.py
    fits on these very rows)."""
    query = ranking.analyse(text)
    best = max((f.cosine for f in found if f.cosine is not None), default=None)
    best_scaled = rescaled(best) or 0.0
    return [
        ranking.features(query, ranking.analyse(_claim_text(f.obj)), signals(f), best_scaled)
        for f in kept
    ]


def _rerank(model: ranking.Model, text: str, kept: list[_Found], found, semantic: bool) -> None:
    for f, score in zip(
        kept, model.score(candidate_rows(text, kept, found), semantic), strict=True
    ):
        f.learned = score


def _claim_text(obj) -> str:
    return obj.claim or getattr(obj, "quote", None) or ""


_vectors: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
_vectors_lock = threading.Lock()
QUERY_CACHE = 512


def query_vector(embedder: Embedder, text: str) -> np.ndarray:
    """The query's embedding, remembered for the ``QUERY_CACHE`` latest texts of this
    process: the panel asks again for the same text (debounced repeats, the review page
    reopened), and the embedding is most of a search's time."""
    key = (embedder.name, text)
    with _vectors_lock:
        if key in _vectors:
            _vectors.move_to_end(key)
            return _vectors[key]
    vector = embedder.embed_queries([text])[0]
    with _vectors_lock:
        _vectors[key] = vector
        while len(_vectors) > QUERY_CACHE:
            _vectors.popitem(last=False)
    return vector


@dataclass(frozen=True)
class Stated:
    """What the searched text states that the model does not read: figures, a direction."""

    figures: tuple[str, ...] = ()
    direction: tuple[str, tuple[str, ...]] | None = None


def direction_json(found: tuple[str, tuple[str, ...]] | None) -> dict | None:
    return None if found is None else {"way": found[0], "words": list(found[1])}


def _best_visible(session, user, found, semantic, limit, language, statuses, exclude, stated):
    """The best candidates that the user may see and that pass the filters, loaded: at
    least ``limit`` of them (when there are), and every one tied with the last (rounded
    score) so that the status order breaks the tie. Candidates are loaded best first, a
    few at a time, so a search loads tens of rows, not the hundreds it scored."""
    ranked = [f for f in found.values() if f.score(semantic) > 0]
    ranked.sort(key=lambda f: (-round(f.score(semantic), 2), -f.score(semantic)))
    kept: list[_Found] = []
    start, step = 0, max(2 * limit, 20)
    while start < len(ranked):
        chunk = ranked[start : start + step]
        _attach(session, user, chunk, language, statuses, exclude, stated)
        kept.extend(f for f in chunk if f.obj is not None)
        start, step = start + len(chunk), step * 2
        if len(kept) >= limit and start < len(ranked):
            top = sorted(kept, key=lambda f: _order(f, semantic))[:limit]
            cutoff = round(top[-1].score(semantic), 2)
            if round(ranked[start].score(semantic), 2) < cutoff:
                break
            # a later candidate tied at the cutoff scores less than the kept ones, so it
            # could only pass one of them by its status: not when they all come first
            tied = [f for f in top if round(f.score(semantic), 2) == cutoff]
            if all(STATUS_ORDER.get(_status(f.obj), 9) == 0 for f in tied):
                break
    return kept


def _order(found: _Found, semantic: bool) -> tuple:
    """Best first; at equal (rounded) scores, what was checked first."""
    score = found.score(semantic)
    return (-round(score, 2), STATUS_ORDER.get(_status(found.obj), 9), -score)


def _attach(session, user, chunk, language, statuses, exclude, stated: Stated) -> None:
    """Load the candidates of ``chunk`` the user may see (and that pass the filters)."""
    found = {(f.kind, f.ref_id): f for f in chunk}
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
    for f in chunk:
        if f.obj is not None:
            claim = _claim_text(f.obj)
            f.figures = figures(claim)
            f.conflict = figures_conflict(stated.figures, f.figures)
            f.direction = direction(claim)
            f.opposite = direction_conflict(stated.direction, f.direction)


def _status(obj) -> str:
    return obj.status.value if isinstance(obj, Annotation) else FACTCHECK_STATUS


def item_json(found: _Found, semantic: bool, *, hidden: bool = False) -> dict:
    """One suggestion; ``hidden``: a claim in review whose verdict the user must not see
    before giving their own (blind second verdict), shown without it. ``figures_differ``:
    the claim states figures that contradict the text searched for ("unemployment fell
    20 %" / "… fell 10 %": the model sees the same claim, a person must not)."""
    obj = found.obj
    common = {
        "figures": list(found.figures),
        "figures_differ": found.conflict,
        "direction": direction_json(found.direction),
        "direction_differs": found.opposite,
        "kind": found.kind,
        "id": obj.id,
        "claim": obj.claim,
        "claimant": obj.claimant,
        "score": round(found.score(semantic), 4),
        "route": found.route(semantic),
        "verdict_hidden": hidden,
    }
    if isinstance(obj, Annotation):
        return common | {
            "article_id": obj.article_id,
            "verdict": None if hidden else obj.verdict,
            "verdict_label": None
            if hidden or not obj.verdict_row
            else verdicts.label(obj.verdict_row),
            "status": obj.status.value,
            "url": f"/articles/{obj.article_id}/annotate?annotation={obj.id}",
            "language": obj.article.language,
            "checked_at": iso(obj.reviewed_at or obj.submitted_at or obj.updated_at, seconds=True),
        }
    return common | {
        "verdict": obj.verdict,
        "verdict_label": verdicts.rating_label(obj),
        "status": FACTCHECK_STATUS,
        "url": obj.url,
        "language": obj.language,
        "checked_at": iso(obj.published_at, seconds=True),
    }
