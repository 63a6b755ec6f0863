"""claim matching: the semantic index's sign bits taken around the model's centre

The sign bits that every worker keeps in memory to shortlist candidates were the raw signs
of each vector. Sentence-embedding models put every text in a narrow cone, so most raw
signs are the same for every claim and the shortlist lost claims the model ranked first
(services/matching/vectors.py, ``sign_bits``). The bits are now the signs around the
model's mean vector (services/matching/centres.json). They are recomputed here from the
stored int8 vectors: no model is needed, and the rows keep their ids.

Revision ID: match_0002_centred_bits
Revises: blind_0001_second_verdict
Create Date: 2026-11-30 12:40:00
"""

import json
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from alembic import op

revision = "match_0002_centred_bits"
down_revision = "blind_0001_second_verdict"
branch_labels = None
depends_on = None

CENTRES = Path(__file__).resolve().parents[2] / "services" / "matching" / "centres.json"
CHUNK = 5000

vectors = sa.table(
    "claim_vector",
    sa.column("id", sa.Integer),
    sa.column("model", sa.String),
    sa.column("vector", sa.LargeBinary),
    sa.column("bits", sa.LargeBinary),
)


def _bits(rows, centre) -> list[bytes]:
    q = np.frombuffer(b"".join(bytes(r.vector) for r in rows), dtype=np.int8)
    unit = q.reshape(len(rows), -1).astype(np.float32)
    unit /= np.maximum(np.linalg.norm(unit, axis=1, keepdims=True), 1e-12)
    if centre is not None and len(centre) == unit.shape[1]:
        unit -= np.asarray(centre, dtype=np.float32)
    return [row.tobytes() for row in np.packbits(unit > 0, axis=1)]


def _recompute(centres: dict) -> None:
    conn = op.get_bind()
    last = 0
    while rows := conn.execute(
        sa.select(vectors.c.id, vectors.c.model, vectors.c.vector)
        .where(vectors.c.id > last)
        .order_by(vectors.c.id)
        .limit(CHUNK)
    ).all():
        changes = []
        for model in {r.model for r in rows}:
            group = [r for r in rows if r.model == model]
            bits = _bits(group, centres.get(model))
            changes += [{"row": r.id, "new": b} for r, b in zip(group, bits, strict=True)]
        conn.execute(
            vectors.update()
            .where(vectors.c.id == sa.bindparam("row"))
            .values(bits=sa.bindparam("new")),
            changes,
        )
        last = rows[-1].id


def upgrade():
    _recompute(json.loads(CENTRES.read_text()))


def downgrade():
    _recompute({})  # the raw signs
