"""The worth-checking score learned from a project's own work.

Positives: the sentences of the project's articles that overlap an approved claim's span;
negatives: the other sentences of those articles. Once there are ``MIN_POSITIVES`` and
``MIN_NEGATIVES`` of them (30 each: below that, a 394-column model fits noise, and the rule
score serves), a logistic regression on [the sentence's embedding (the matching model's,
when it is installed), the rule features] is fitted with Newton's method and an L2
penalty, in numpy (no scikit-learn: a few hundred rows, a few hundred columns, a dozen
iterations). Columns are standardized on the training rows.

Fitted weights are kept per process in a small LRU keyed by (project, number of approved
claims, model): a new approval refits once, at the next article read. The training set
is capped (``MAX_ARTICLES`` most recent articles) so that a fit stays bounded; sentence
embeddings are remembered (``sentence_vectors``) so a refit embeds only new sentences.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Annotation, Article, Status
from ...text.sentences import spans
from . import worth

MIN_POSITIVES = 30
MIN_NEGATIVES = 30
#: the training set: the sentences of at most this many articles (latest approvals first)
MAX_ARTICLES = 40
#: L2 penalty on the standardized weights (the intercept is free)
L2 = 3.0
ITERATIONS = 25


@dataclass(frozen=True)
class Model:
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    semantic: bool

    def predict(self, rows: np.ndarray) -> np.ndarray:
        z = ((rows - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def rows(sentences: list[str], vectors: np.ndarray | None) -> np.ndarray:
    """The model's input: one row per sentence, [embedding, rule features]."""
    feats = np.stack([worth.vector(s) for s in sentences]) if sentences else np.zeros((0, 9))
    if vectors is None:
        return feats.astype(np.float64)
    return np.hstack([vectors.astype(np.float64), feats.astype(np.float64)])


def fit(x: np.ndarray, y: np.ndarray, *, l2: float = L2, semantic: bool = False) -> Model:
    """Logistic regression by Newton's method (IRLS) with an L2 penalty."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    z = (x - mean) / scale
    n, d = z.shape
    design = np.hstack([z, np.ones((n, 1))])
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0
    beta = np.zeros(d + 1)
    for _ in range(ITERATIONS):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ beta, -30, 30)))
        gradient = design.T @ (p - y) + penalty * beta
        weight = p * (1 - p) + 1e-9
        hessian = (design * weight[:, None]).T @ design + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-6:
            break
    return Model(mean, scale, beta[:-1], float(beta[-1]), semantic)


_models: OrderedDict[tuple, Model | None] = OrderedDict()
_vectors: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
_lock = threading.Lock()
MODELS_KEPT = 32
VECTORS_KEPT = 20_000


def sentence_vectors(embedder, sentences: list[str]) -> np.ndarray | None:
    """The sentences' query embeddings (None without a model), remembered per process."""
    if embedder is None:
        return None
    keys = [
        (embedder.name, hashlib.blake2b(s.encode(), digest_size=16).hexdigest()) for s in sentences
    ]
    with _lock:
        missing = sorted({i for i, k in enumerate(keys) if k not in _vectors})
    if missing:
        fresh = embedder.embed_queries([sentences[i] for i in missing])
        with _lock:
            for i, row in zip(missing, fresh, strict=True):
                _vectors[keys[i]] = row
                _vectors.move_to_end(keys[i])
            while len(_vectors) > VECTORS_KEPT:
                _vectors.popitem(last=False)
    with _lock:
        out = [_vectors.get(k) for k in keys]
    if any(v is None for v in out):  # evicted meanwhile by a large batch: embed again
        return embedder.embed_queries(sentences)
    return np.stack(out) if out else np.zeros((0, embedder.dim), dtype=np.float32)


def model_for(session: Session, project_id: int, embedder) -> Model | None:
    """The project's fitted model, or None below the minimum of examples."""
    count = session.scalar(
        select(func.count(Annotation.id)).where(
            Annotation.project_id == project_id, Annotation.status == Status.APPROVED
        )
    )
    key = (project_id, int(count or 0), getattr(embedder, "name", None))
    with _lock:
        if key in _models:
            _models.move_to_end(key)
            return _models[key]
    model = None
    if (count or 0) >= MIN_POSITIVES:
        sentences, labels = training_set(session, project_id)
        if labels.sum() >= MIN_POSITIVES and (1 - labels).sum() >= MIN_NEGATIVES:
            vectors = sentence_vectors(embedder, sentences)
            model = fit(rows(sentences, vectors), labels, semantic=vectors is not None)
    with _lock:
        _models[key] = model
        while len(_models) > MODELS_KEPT:
            _models.popitem(last=False)
    return model


def training_set(session: Session, project_id: int) -> tuple[list[str], np.ndarray]:
    """The sentences of the project's latest articles holding approved claims, labelled 1
    when they overlap an approved claim's span."""
    approved = (
        select(Annotation.article_id, func.max(Annotation.id).label("latest"))
        .where(Annotation.project_id == project_id, Annotation.status == Status.APPROVED)
        .group_by(Annotation.article_id)
        .order_by(func.max(Annotation.id).desc())
        .limit(MAX_ARTICLES)
    )
    article_ids = [row.article_id for row in session.execute(approved)]
    if not article_ids:
        return [], np.zeros(0)
    claims: dict[int, list[tuple[int, int]]] = {}
    for article_id, start, end in session.execute(
        select(Annotation.article_id, Annotation.start, Annotation.end).where(
            Annotation.article_id.in_(article_ids), Annotation.status == Status.APPROVED
        )
    ):
        claims.setdefault(article_id, []).append((start, end))
    sentences: list[str] = []
    labels: list[float] = []
    for article_id, text in session.execute(
        select(Article.id, Article.text).where(Article.id.in_(article_ids)).order_by(Article.id)
    ):
        held = claims.get(article_id, [])
        for start, end in spans(text):
            sentences.append(text[start:end])
            labels.append(float(any(s < end and start < e for s, e in held)))
    return sentences, np.asarray(labels)


def forget() -> None:
    """Drop the fitted models (tests)."""
    with _lock:
        _models.clear()
