"""Known claims: which sentences of an article repeat a claim already checked.

The candidates are the approved claims of the article's project (its other articles: a
claim made on this article is not a known claim of it) and the past fact-checks, which
every project shares. Never drafts, claims in review or rejected ones, never another
project's: the suggestions are stored per article, for the whole project, so they are
computed for the project's scope and checked again for each reader (suggestions.read).

Candidates are found as "Checked before?" finds them (services/matching: the vector
index's shortlist and the lexical search, for the fact-checks; the project's own approved
claims are few enough to be compared with every sentence). Each (sentence, claim) pair is
then scored here, because a sentence is not a query being typed: it holds the claim and
more ("…, selon le ministre"), so the lexical part is the share of the **claim's** words
the sentence holds, blended with the share of the sentence's; the model's cosine is
rescaled as matching does. A claim stating other figures, the other way ("rose" /
"fell"), or, when most words are shared, other names, is another claim: its score loses a
share (the matching service's own figure and direction readers).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import regex
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Annotation, Article, ClaimVector, FactCheck, Status
from .. import matching
from ..matching import lexical
from ..matching.embedder import centre_of
from ..matching.text import STOPWORDS, direction, direction_conflict, figures, fold
from ..matching.text import figures_conflict as _figures_conflict
from ..matching.vectors import index_for

#: the score from which a sentence is marked when its project sets no threshold. It and
#: the weights below were chosen together on the development half of
#: bench/data/reading/known_claims.json (cosine range floor 0.75/0.78/0.80 × ceiling
#: 0.90/0.92/0.95, model share 0.5/0.7/0.85, claim side 0.5/0.7, model alone 0.8/0.9/1.0,
#: threshold 0.30–0.95: the highest recall at precision >= 0.90); bench_reading.py reports
#: the held-out half at this threshold
DEFAULT_THRESHOLD = 0.56
#: best matches from this score are stored, so that a project's threshold can be changed
#: without computing again
FLOOR = 0.3
#: the model's share of a pair's score when the model is installed
SEMANTIC_SHARE = 0.85
#: what the model's score alone is worth (the words shared then count for nothing)
SEMANTIC_ALONE = 0.8
#: the model's cosine rescaled from this range to [0, 1] (matching's own by default)
COSINE_FLOOR, COSINE_CEILING = matching.COSINE_FLOOR, 0.92
#: of the lexical part, the share of the claim's words found (the rest: the sentence's)
CLAIM_SIDE = 0.5
#: a claim stating other figures, or saying the thing went the other way, is another
#: claim: half its score goes (the development half was indifferent from 0.35 to 0.6;
#: the larger share keeps a near copy with another figure under the threshold even when
#: the model sees the same sentence)
FIGURES_PENALTY = 0.5
DIRECTION_PENALTY = 0.5
NAMES_PENALTY = 0.3
#: names are compared only between near copies (this share of the claim's words shared)
NAMES_FROM = 0.4
#: the project's approved claims compared directly, at most (latest first)
MAX_PROJECT_CLAIMS = 20_000
#: candidates looked at per sentence, per route
PER_SENTENCE = 8
#: numbers written in words, read as figures ("un sur trois" / "one in three" agree, "one in
#: five" / "one in ten" do not): the matching service reads only digits
_NUMBER_WORDS = {
    word: value
    for value, words in {
        "2": "deux two twice",
        "3": "trois three",
        "4": "quatre four",
        "5": "cinq five",
        "6": "six",
        "7": "sept seven",
        "8": "huit eight",
        "9": "neuf nine",
        "10": "dix ten",
        "1/2": "moitie half",
        "1/3": "tiers third",
        "1/4": "quart quarter",
        "1/10": "dixieme tenth",
        "x2": "double doubled doubles doubler",
        "x3": "triple tripled triples tripler",
    }.items()
    for word in words.split()
}
#: comparisons that say the opposite ("higher" / "lower"): the matching service's direction
#: reader keeps to verbs of change
_OPPOSITES = (
    ("superieur", "inferieur"),
    ("higher", "lower"),
    ("more", "less"),
    ("more", "fewer"),
    ("plus", "moins"),
    ("hausse", "baisse"),
    ("best", "worst"),
    ("highest", "lowest"),
)
_NAME = regex.compile(r"\b\p{Lu}[\p{L}\-]+")
_OPENING = (".", "!", "?", "«", '"', "“", ":", "—")


@dataclass
class Known:
    """A candidate known claim, prepared once for every sentence."""

    kind: str
    ref_id: int
    text: str
    target: str
    vector: np.ndarray | None = None
    terms: frozenset[str] = field(default_factory=frozenset)
    words: frozenset[str] = field(default_factory=frozenset)
    figures: tuple[str, ...] = ()
    direction: tuple | None = None
    names: frozenset[str] = field(default_factory=frozenset)


@dataclass
class Sentence:
    text: str
    terms: frozenset[str]
    words: frozenset[str]
    figures: tuple[str, ...]
    direction: tuple | None
    names: frozenset[str]


def terms_of(text: str) -> frozenset[str]:
    return frozenset(
        w for w in fold(text).split() if w not in STOPWORDS and (len(w) >= 2 or w.isdigit())
    )


def names_of(text: str) -> frozenset[str]:
    """Capitalized words not opening the text: the names it mentions, folded."""
    text = text[:2000]
    return frozenset(
        fold(m.group())
        for m in _NAME.finditer(text)
        if text[: m.start()].strip() and not text[: m.start()].rstrip().endswith(_OPENING)
    )


def figures_of(text: str) -> tuple[str, ...]:
    """The figures of ``text``: in digits (the matching service's reader), and in words."""
    words = {_NUMBER_WORDS[w] for w in fold(text).split() if w in _NUMBER_WORDS}
    return tuple(sorted(set(figures(text)) | words))


def prepare(kind: str, ref_id: int, text: str, target: str, vector=None) -> Known:
    return Known(
        kind,
        ref_id,
        text,
        target,
        vector,
        terms_of(text),
        frozenset(fold(text).split()),
        figures_of(text),
        direction(text),
        names_of(text),
    )


def sentence(text: str) -> Sentence:
    return Sentence(
        text,
        terms_of(text),
        frozenset(fold(text).split()),
        figures_of(text),
        direction(text),
        names_of(text),
    )


def _opposite(mine: frozenset[str], theirs: frozenset[str]) -> bool:
    for a, b in _OPPOSITES:
        if (a in mine and b in theirs and a not in theirs) or (
            b in mine and a in theirs and b not in theirs
        ):
            return True
    return False


def pair_score(s: Sentence, cosine: float | None, k: Known) -> float:
    """How surely sentence ``s`` repeats claim ``k``, in [0, 1]."""
    shared = len(s.terms & k.terms)
    claim_side = shared / len(k.terms) if k.terms else 0.0
    sentence_side = shared / len(s.terms) if s.terms else 0.0
    lex = CLAIM_SIDE * claim_side + (1 - CLAIM_SIDE) * sentence_side
    if cosine is None:
        base = lex
    else:
        scaled = (cosine - COSINE_FLOOR) / (COSINE_CEILING - COSINE_FLOOR)
        scaled = min(1.0, max(0.0, scaled))
        # a translation shares few words: the model alone may carry it, a little lower
        base = max(SEMANTIC_SHARE * scaled + (1 - SEMANTIC_SHARE) * lex, SEMANTIC_ALONE * scaled)
    if _figures_conflict(s.figures, k.figures):
        base *= 1 - FIGURES_PENALTY
    if direction_conflict(s.direction, k.direction) or _opposite(s.words, k.words):
        base *= 1 - DIRECTION_PENALTY
    if claim_side >= NAMES_FROM and (k.names - s.names) and (s.names - k.names):
        base *= 1 - NAMES_PENALTY
    return base


def best_matches(
    sentences: list[Sentence],
    vectors: np.ndarray | None,
    candidates: list[Known],
    shortlists: list[set[int]] | None = None,
    floor: float = FLOOR,
) -> list[tuple[float, Known] | None]:
    """For each sentence, its best candidate and score (None under ``floor``).

    ``shortlists[i]``: the candidates found for sentence ``i`` by the fact-check routes
    (indexes into ``candidates``); the sentence is also compared with the
    ``PER_SENTENCE`` candidates nearest by the model and those sharing the most words."""
    if not candidates or not sentences:
        return [None] * len(sentences)
    with_vectors = [i for i, k in enumerate(candidates) if k.vector is not None]
    cosines = None
    if vectors is not None and with_vectors:
        matrix = np.stack([candidates[i].vector for i in with_vectors]).astype(np.float32)
        cosines = vectors.astype(np.float32) @ matrix.T
    column = {c: j for j, c in enumerate(with_vectors)}
    by_term: dict[str, list[int]] = {}
    for i, k in enumerate(candidates):
        for term in k.terms:
            by_term.setdefault(term, []).append(i)
    found: list[tuple[float, Known] | None] = []
    for n, s in enumerate(sentences):
        pool = set(shortlists[n]) if shortlists else set()
        counts: dict[int, int] = {}
        for term in s.terms:
            for i in by_term.get(term, ()):
                counts[i] = counts.get(i, 0) + 1
        pool.update(
            sorted(counts, key=lambda i: -counts[i] / len(candidates[i].terms))[:PER_SENTENCE]
        )
        if cosines is not None:
            row = cosines[n]
            top = np.argsort(-row)[:PER_SENTENCE]
            pool.update(with_vectors[j] for j in top)
        best: tuple[float, Known] | None = None
        for i in pool:
            k = candidates[i]
            cosine = None
            if cosines is not None:
                j = column.get(i)
                # a claim not indexed yet is compared by its words only
                cosine = float(cosines[n, j]) if j is not None else None
            score = pair_score(s, cosine, k)
            if score >= floor and (best is None or score > best[0]):
                best = (score, k)
        found.append(best)
    return found


def _unit(raw: bytes) -> np.ndarray:
    v = np.frombuffer(bytes(raw), dtype=np.int8).astype(np.float32)
    return v / max(float(np.linalg.norm(v)), 1e-12)


def project_claims(session: Session, article: Article, embedder) -> list[Known]:
    """The approved claims of the article's project, not made on this article."""
    rows = session.execute(
        select(Annotation.id, Annotation.claim, Annotation.quote)
        .where(
            Annotation.project_id == article.project_id,
            Annotation.status == Status.APPROVED,
            Annotation.article_id != article.id,
        )
        .order_by(Annotation.id.desc())
        .limit(MAX_PROJECT_CLAIMS)
    ).all()
    vectors: dict[int, np.ndarray] = {}
    if embedder is not None and rows:
        ids = [r.id for r in rows]
        c = ClaimVector.__table__.c
        for start in range(0, len(ids), 1000):
            for ref_id, raw in session.execute(
                select(c.ref_id, c.vector).where(
                    c.kind == "annotation",
                    c.model == embedder.name,
                    c.ref_id.in_(ids[start : start + 1000]),
                )
            ):
                vectors[ref_id] = _unit(raw)
        missing = [r for r in rows if r.id not in vectors][:200]  # not indexed yet
        if missing:
            fresh = embedder.embed_passages([r.claim or r.quote for r in missing])
            vectors.update({r.id: v for r, v in zip(missing, fresh, strict=True)})
    return [
        prepare("annotation", r.id, r.claim or r.quote, f"annotation:{r.id}", vectors.get(r.id))
        for r in rows
    ]


def factcheck_candidates(
    session: Session, texts: list[str], vectors: np.ndarray | None, embedder
) -> tuple[list[Known], list[set[int]]]:
    """The past fact-checks found for each sentence (the model's shortlist and the lexical
    search), prepared, and each sentence's shortlist as indexes into them."""
    found: list[set[int]] = []
    if embedder is not None and vectors is not None:
        index = index_for(
            str(session.get_bind().url), embedder.name, embedder.dim, centre_of(embedder)
        )
    for n, text in enumerate(texts):
        ids: set[int] = set()
        if embedder is not None and vectors is not None:
            hits = index.search(session, vectors[n], k=4 * PER_SENTENCE)
            ids.update(h.ref_id for h in hits if h.kind == "factcheck")
        ids.update(
            h.ref_id
            for h in lexical.search(session, text, limit=4 * PER_SENTENCE)
            if h.kind == "factcheck"
        )
        found.append(ids)
    wanted = sorted(set().union(*found)) if found else []
    known: dict[int, Known] = {}
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        for f in session.execute(
            select(FactCheck.id, FactCheck.claim, FactCheck.url).where(FactCheck.id.in_(chunk))
        ):
            known[f.id] = prepare("factcheck", f.id, f.claim, f.url)
        if embedder is not None:
            c = ClaimVector.__table__.c
            for ref_id, raw in session.execute(
                select(c.ref_id, c.vector).where(
                    c.kind == "factcheck", c.model == embedder.name, c.ref_id.in_(chunk)
                )
            ):
                if ref_id in known:
                    known[ref_id].vector = _unit(raw)
    order = {ref_id: i for i, ref_id in enumerate(known)}
    return list(known.values()), [{order[i] for i in ids if i in order} for ids in found]


def any_factcheck(session: Session) -> bool:
    """Whether there is any past fact-check to search (none: no search per sentence)."""
    return session.scalar(select(FactCheck.id).limit(1)) is not None


def match(
    session: Session,
    article: Article,
    texts: list[str],
    vectors,
    embedder,
    *,
    factchecks: bool = True,
) -> list[dict | None]:
    """Each sentence's best known claim (``{"kind", "id", "target", "score"}``) or None;
    ``factchecks`` False: among the project's claims only (the quick pass: the past
    fact-checks are searched sentence by sentence, which takes seconds for a long
    article)."""
    own = project_claims(session, article, embedder)
    if factchecks and any_factcheck(session):
        past, shortlists = factcheck_candidates(session, texts, vectors, embedder)
    else:
        past, shortlists = [], [set() for _ in texts]
    offset = len(own)
    candidates = own + past
    lists = [{offset + i for i in ids} for ids in shortlists]
    best = best_matches([sentence(t) for t in texts], vectors, candidates, lists)
    return [
        None
        if b is None
        else {"kind": b[1].kind, "id": b[1].ref_id, "target": b[1].target, "score": round(b[0], 4)}
        for b in best
    ]
