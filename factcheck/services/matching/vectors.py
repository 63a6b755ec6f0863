"""The semantic index in each worker: sign bits in memory, int8 vectors in the database.

Every worker keeps, for each stored vector, its id, what it points to and its sign bits
(48 bytes for 384 dimensions: 12 MB for 250,000 claims). A search shortlists the
``SHORTLIST`` nearest rows by Hamming distance on the bits, then rescores them exactly with
their int8 vectors read from the database. The worker catches up incrementally: each
search reads the rows stored since the last one it saw (at most once a second), and the
whole table is re-read every ``FULL_RELOAD_SECONDS`` to forget deleted rows.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import ClaimVector

KINDS = ("annotation", "factcheck")
SHORTLIST = 200
REFRESH_SECONDS = 1.0
FULL_RELOAD_SECONDS = 600.0
_CHUNK = 32_768  # rows per Hamming step: bounds the temporary arrays


def quantize(vectors: np.ndarray) -> tuple[list[bytes], list[bytes]]:
    """Unit float vectors → (int8 components scaled to ±127, packed sign bits)."""
    peak = np.maximum(np.abs(vectors).max(axis=1, keepdims=True), 1e-12)
    q = np.rint(vectors / peak * 127).astype(np.int8)
    bits = np.packbits(vectors > 0, axis=1)
    return [row.tobytes() for row in q], [row.tobytes() for row in bits]


def query_bits(vector: np.ndarray) -> np.ndarray:
    return np.packbits(vector > 0).view(np.uint64)


@dataclass
class Candidate:
    kind: str
    ref_id: int
    cosine: float


class VectorIndex:
    """One per process and (database, model)."""

    def __init__(self, model: str, dim: int):
        self.model, self.dim = model, dim
        words = (dim + 63) // 64
        self._words = words
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self.size = 0
        self._allocate(1024)
        self.last_id = 0
        self.checked_at = 0.0
        self.loaded_at = time.monotonic()

    def _allocate(self, capacity: int) -> None:
        """Room for ``capacity`` rows (ids fit 32 bits: see models/base.py MAX_ID)."""
        size = self.size
        for name, dtype, width in (
            ("row_ids", np.int32, None),
            ("kinds", np.int8, None),
            ("refs", np.int32, None),
            ("codes", np.uint64, self._words),
        ):
            shape = (capacity,) if width is None else (capacity, width)
            new = np.zeros(shape, dtype=dtype)
            if size:
                new[:size] = getattr(self, name)[:size]
            setattr(self, name, new)

    # --- keeping up --------------------------------------------------------------------

    def refresh(self, session: Session, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.checked_at < REFRESH_SECONDS:
            return
        with self._lock:
            if now - self.loaded_at > FULL_RELOAD_SECONDS:
                self._reset()
            self.checked_at = now
            c = ClaimVector.__table__.c
            top = session.scalar(select(func.max(c.id)).where(c.model == self.model)) or 0
            if top < self.last_id:  # the table was emptied or rebuilt: start again
                self._reset()
            if top > self.last_id and self.size == 0:  # first load: allocate once
                total = session.scalar(
                    select(func.count(c.id)).where(c.model == self.model, c.id > self.last_id)
                )
                self._allocate(int((total or 0) * 1.05) + 1024)
            while True:
                query = (
                    select(c.id, c.kind, c.ref_id, c.bits)
                    .where(c.model == self.model, c.id > self.last_id)
                    .order_by(c.id)
                    .limit(5_000)
                )
                rows = session.connection().execute(query).all()
                if not rows:
                    return
                self._append(rows)

    def _append(self, rows) -> None:
        n = len(rows)
        need = self.size + n
        if need > len(self.row_ids):
            self._allocate(max(need, int(len(self.row_ids) * 1.25)))
        end = self.size + n
        self.row_ids[self.size : end] = [r[0] for r in rows]
        self.kinds[self.size : end] = [KINDS.index(r[1]) for r in rows]
        self.refs[self.size : end] = [r[2] for r in rows]
        packed = np.frombuffer(b"".join(bytes(r[3]) for r in rows), dtype=np.uint8)
        self.codes[self.size : end] = packed.reshape(n, -1).view(np.uint64)
        self.size = end
        self.last_id = int(rows[-1][0])

    # --- searching ---------------------------------------------------------------------

    def shortlist(self, vector: np.ndarray, k: int = SHORTLIST) -> np.ndarray:
        """Ids (claim_vector.id) of the ``k`` rows whose signs agree most with ``vector``."""
        size = self.size
        if size <= k:
            return self.row_ids[:size].copy()
        q = query_bits(vector)
        distances = np.empty(size, dtype=np.uint16)
        for start in range(0, size, _CHUNK):
            block = self.codes[start : min(size, start + _CHUNK)]
            counts = np.bitwise_count(block ^ q)
            distances[start : start + len(block)] = counts.sum(axis=1, dtype=np.uint16)
        best = np.argpartition(distances, k)[:k]
        return self.row_ids[best]

    def search(self, session: Session, vector: np.ndarray, k: int = SHORTLIST) -> list[Candidate]:
        """The shortlist rescored with the stored int8 vectors, best first."""
        self.refresh(session)
        ids = self.shortlist(vector, k)
        if not len(ids):
            return []
        c = ClaimVector.__table__.c
        rows = session.connection().execute(
            select(c.kind, c.ref_id, c.vector).where(
                c.id.in_([int(i) for i in ids]), c.model == self.model
            )
        )
        rows = rows.all()
        if not rows:
            return []
        matrix = np.frombuffer(b"".join(bytes(r[2]) for r in rows), dtype=np.int8)
        matrix = matrix.reshape(len(rows), -1).astype(np.float32)
        cosines = (matrix @ vector) / np.maximum(np.linalg.norm(matrix, axis=1), 1e-12)
        order = np.argsort(-cosines)
        return [Candidate(rows[i][0], int(rows[i][1]), float(cosines[i])) for i in order]


_indexes: dict[tuple[str, str], VectorIndex] = {}
_indexes_lock = threading.Lock()


def index_for(database_key: str, model: str, dim: int) -> VectorIndex:
    key = (database_key, model)
    with _indexes_lock:
        if key not in _indexes:
            _indexes[key] = VectorIndex(model, dim)
        return _indexes[key]


def forget_indexes() -> None:
    """Drop every in-process index (tests empty the tables under them)."""
    with _indexes_lock:
        _indexes.clear()
