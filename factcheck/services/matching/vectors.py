"""The semantic index in each worker: sign bits in memory, int8 vectors in the database.

Every worker keeps, for each stored vector, its id, what it points to and its sign bits
(48 bytes for 384 dimensions: 12 MB for 250,000 claims), taken around the model's centre
(``sign_bits``). The bits are stored word-major
(one contiguous array of 64-bit words per 64 dimensions), so that the Hamming distance to
every row is a few vectorized passes (xor, popcount, add) over contiguous memory. A
search shortlists the ``SHORTLIST`` nearest rows, then rescores them exactly with their
int8 vectors read from the database in one query. The worker catches up incrementally: each
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

SHORTLIST = 200
REFRESH_SECONDS = 1.0
FULL_RELOAD_SECONDS = 600.0


def sign_bits(vectors: np.ndarray, centre: np.ndarray | None) -> np.ndarray:
    """Packed signs of each row *around the model's centre* (uint8, 48 bytes for 384 dims).

    Sentence-embedding models put every text in a narrow cone: with e5, the mean claim
    vector has norm 0.9 and most dimensions have the same sign in nine claims out of ten,
    so raw signs say little about which claims are near and the shortlist lost targets the
    model ranked in its top 10. Signs taken around the mean vector (``centre``) split the
    claims evenly on every dimension."""
    if centre is not None:
        vectors = vectors - centre
    return np.packbits(vectors > 0, axis=-1)


def quantize(
    vectors: np.ndarray, centre: np.ndarray | None = None
) -> tuple[list[bytes], list[bytes]]:
    """Unit float vectors → (int8 components scaled to ±127, packed sign bits).

    The bits are those of the int8 vector as stored (made unit again), so that they can
    be recomputed from the database alone, as migrations do, and come out the same."""
    peak = np.maximum(np.abs(vectors).max(axis=1, keepdims=True), 1e-12)
    q = np.rint(vectors / peak * 127).astype(np.int8)
    stored = q.astype(np.float32)
    stored /= np.maximum(np.linalg.norm(stored, axis=1, keepdims=True), 1e-12)
    bits = sign_bits(stored, centre)
    return [row.tobytes() for row in q], [row.tobytes() for row in bits]


def query_bits(vector: np.ndarray, centre: np.ndarray | None = None) -> np.ndarray:
    return sign_bits(vector, centre).view(np.uint64)


@dataclass
class Candidate:
    kind: str
    ref_id: int
    cosine: float


class _Table:
    """The rows a worker holds: claim_vector ids and sign bits, the first ``size`` valid.

    Appending writes past ``size`` and then moves it, so a search that read ``size``
    first sees consistent rows; growing or reloading builds a new table that is swapped
    in whole, so a search never sees a half-loaded index.
    """

    def __init__(self, words: int, capacity: int, previous: _Table | None = None):
        self.size = 0
        self.row_ids = np.zeros(capacity, dtype=np.int32)  # ids fit 32 bits (models MAX_ID)
        # word-major: row i's bits are codes[:, i]; each word's column is contiguous
        self.codes = np.zeros((words, capacity), dtype=np.uint64)
        if previous is not None and previous.size:
            n = previous.size
            self.row_ids[:n] = previous.row_ids[:n]
            self.codes[:, :n] = previous.codes[:, :n]
            self.size = n

    @property
    def capacity(self) -> int:
        return len(self.row_ids)

    def append(self, ids: list[int], packed: bytes) -> None:
        start, end = self.size, self.size + len(ids)
        self.row_ids[start:end] = ids
        bits = np.frombuffer(packed, dtype=np.uint8).reshape(len(ids), -1)
        self.codes[:, start:end] = bits.view(np.uint64).T
        self.size = end


class VectorIndex:
    """One per process and (database, model)."""

    def __init__(self, model: str, dim: int, centre: np.ndarray | None = None):
        self.model, self.dim, self.centre = model, dim, centre
        self._words = (dim + 63) // 64
        self._lock = threading.Lock()
        self._table = _Table(self._words, 0)
        self.last_id = 0
        self.checked_at = 0.0
        self.loaded_at = time.monotonic()

    @property
    def size(self) -> int:
        return self._table.size

    # --- keeping up --------------------------------------------------------------------

    def refresh(self, session: Session, force: bool = False) -> None:
        """Read the rows stored since the last refresh (at most once a second, unless
        ``force``); every ``FULL_RELOAD_SECONDS``, or when the table was rebuilt, read it
        all again into a new table (deleted rows go) and swap it in."""
        now = time.monotonic()
        if not force and now - self.checked_at < REFRESH_SECONDS:
            return
        with self._lock:
            self.checked_at = now
            c = ClaimVector.__table__.c
            top = session.scalar(select(func.max(c.id)).where(c.model == self.model)) or 0
            reload = (
                top < self.last_id
                or now - self.loaded_at > FULL_RELOAD_SECONDS
                or (top and not self._table.size)  # the first load: sized once
            )
            if reload:
                total = session.scalar(select(func.count(c.id)).where(c.model == self.model))
                table, last_id = _Table(self._words, int((total or 0) * 1.05) + 1024), 0
            elif top > self.last_id:
                table, last_id = self._table, self.last_id
            else:
                return
            while True:
                rows = (
                    session.connection()
                    .execute(
                        select(c.id, c.bits)
                        .where(c.model == self.model, c.id > last_id)
                        .order_by(c.id)
                        .limit(10_000)
                    )
                    .all()
                )
                if not rows:
                    break
                if table.size + len(rows) > table.capacity:
                    grown = max(table.size + len(rows), int(table.capacity * 1.25) + 1024)
                    table = _Table(self._words, grown, table)
                table.append([r[0] for r in rows], b"".join(bytes(r[1]) for r in rows))
                last_id = int(rows[-1][0])
                if not reload:  # new rows are searchable batch by batch
                    self._table, self.last_id = table, last_id
            self._table, self.last_id = table, last_id
            if reload:
                self.loaded_at = now

    # --- searching ---------------------------------------------------------------------

    def shortlist(self, vector: np.ndarray, k: int = SHORTLIST) -> np.ndarray:
        """Ids (claim_vector.id) of the ``k`` rows whose signs agree most with ``vector``."""
        table = self._table
        size = table.size
        if size <= k:
            return table.row_ids[:size].copy()
        q = query_bits(vector, self.centre)
        distances = np.zeros(size, dtype=np.uint16)
        differ = np.empty(size, dtype=np.uint64)
        counts = np.empty(size, dtype=np.uint8)
        for word in range(self._words):
            np.bitwise_xor(table.codes[word, :size], q[word], out=differ)
            np.bitwise_count(differ, out=counts)
            np.add(distances, counts, out=distances)
        # the k smallest distances without a sort: distances are small integers, so count
        # them, find the distance at which k rows are reached, keep those below and enough
        # of those at it
        reached = int(np.searchsorted(np.cumsum(np.bincount(distances)), k))
        below = np.flatnonzero(distances < reached)
        at = np.flatnonzero(distances == reached)[: k - len(below)]
        best = np.concatenate([below, at])
        return table.row_ids[best]

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


def index_for(
    database_key: str, model: str, dim: int, centre: np.ndarray | None = None
) -> VectorIndex:
    key = (database_key, model)
    with _indexes_lock:
        if key not in _indexes:
            _indexes[key] = VectorIndex(model, dim, centre)
        return _indexes[key]


def forget_indexes() -> None:
    """Drop every in-process index (tests empty the tables under them)."""
    with _indexes_lock:
        _indexes.clear()
