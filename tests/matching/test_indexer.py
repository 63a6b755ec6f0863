"""The index follows the claims: the background pass, reindex, and a save that never waits."""

from __future__ import annotations

from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import ClaimText, ClaimVector, Status
from factcheck.services.matching import embedder_for, indexer


def _vector_hash(annotation_id):
    return db.session.scalar(
        select(ClaimVector.text_hash).where(
            ClaimVector.kind == "annotation", ClaimVector.ref_id == annotation_id
        )
    )


def test_background_pass_indexes_new_and_changed_claims(app, make):
    embedder = embedder_for(app.config, role="indexer")
    annotation = make.annotation(status=Status.SUBMITTED, claim="Le chômage a baissé de 10 %")
    assert db.session.scalar(select(func.count(ClaimText.id))) == 0  # the save wrote nothing
    since: dict = {}
    indexer._pass(db.session, embedder, since)
    first = _vector_hash(annotation.id)
    assert first is not None
    norm = db.session.scalar(select(ClaimText.norm).where(ClaimText.ref_id == annotation.id))
    assert norm == "le chomage a baisse de 10"

    annotation.claim = "Le chômage a augmenté de 10 %"
    annotation.updated_at = annotation.updated_at.replace(microsecond=0)
    db.session.commit()
    assert indexer.stale_ids(db.session, "annotation", [annotation.id], embedder.name) == [
        annotation.id
    ]
    indexer._pass(db.session, embedder, since)
    assert _vector_hash(annotation.id) not in (None, first)
    assert indexer.stale_ids(db.session, "annotation", [annotation.id], embedder.name) == []


def test_reindex_command_resumes_where_vectors_are_missing(app, make):
    for k in range(3):
        make.annotation(status=Status.APPROVED, claim=f"Claim number {k}")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert "3 claims indexed" in result.output
    again = runner.invoke(args=["reindex"])
    assert "0 claims indexed" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count(ClaimVector.id))) == 3
