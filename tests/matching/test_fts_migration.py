"""The claim_text full-text DDL lives twice on purpose: in ``models/matching.py`` (create_all)
and frozen in the migration ``match_0001_claim_matching`` (a migration must not import app
code that may change later). Alembic's comparison skips these objects (SEARCH_INDEX_NAMES),
so this test is what keeps the two copies from drifting apart."""

import importlib.util
from pathlib import Path

from factcheck.models import matching

MIGRATION = (
    Path(matching.__file__).parent.parent
    / "migrations"
    / "versions"
    / "match_0001_claim_matching.py"
)


def _migration():
    spec = importlib.util.spec_from_file_location("match_0001_claim_matching", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_migration_creates_the_full_text_index_the_models_declare():
    # a change to the model's DDL needs a new migration that applies it (then compare the
    # model with that migration here instead)
    migration = _migration()
    assert migration.SQLITE_FTS == matching.SQLITE_FTS_DDL
    assert migration.SQLITE_FTS_DROP == matching.SQLITE_FTS_DROP
    assert migration.POSTGRESQL_FTS == matching.POSTGRESQL_FTS_DDL
    assert migration.POSTGRESQL_FTS_DROP == matching.POSTGRESQL_FTS_DROP
