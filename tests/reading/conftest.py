"""Reading an article: fixtures (people, a known claim, the search index)."""

from __future__ import annotations

import pytest

from factcheck.extensions import db
from factcheck.models import Role
from factcheck.services.matching import embedder_for, indexer, vectors
from factcheck.services.reading import learned


@pytest.fixture
def app_config(app_config):
    """Imports and revisions queue the suggestions here, as on a real server (the other
    tests leave them off: SUGGEST_ON_IMPORT)."""
    return {**app_config, "SUGGEST_ON_IMPORT": True}


@pytest.fixture
def index(app):
    """``index()`` indexes every claim and fact-check not indexed yet (the lexical table,
    and the vectors when a model is configured)."""
    vectors.forget_indexes()
    learned.forget()

    def _index() -> int:
        with app.app_context():
            done = indexer.index_now(db.session, embedder_for(app.config, role="indexer"))
            db.session.commit()
            return done

    yield _index
    vectors.forget_indexes()
    learned.forget()


@pytest.fixture
def people(make):
    return {
        "alice": make.user("alice", roles=[Role.ANNOTATOR]),
        "bob": make.user("bob", roles=[Role.ANNOTATOR]),
        "rita": make.user("rita", roles=[Role.REVIEWER]),
        "admin": make.user("ada", roles=[Role.ADMIN]),
        "outsider": make.user("olga", roles=[]),
    }
