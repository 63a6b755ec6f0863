"""Alembic: an empty database upgrades to head, and head matches the models."""

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from factcheck import create_app
from factcheck.extensions import Base, db
from factcheck.models.matching import include_name


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migrate.db'}"
        return
    name = f"fc_migrate_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield database_url.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_empty_database_to_head_twice(empty_database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": empty_database_url}
    )
    runner = app.test_cli_runner()
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0, first.output
    assert "Default verdict scale created (7 verdicts)" in first.output
    second = runner.invoke(args=["init"])  # idempotent
    assert second.exit_code == 0, second.output
    assert "verdict scale created" not in second.output
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        assert {"annotation", "article", "review_event", "source", "user_account"} <= tables
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_name": include_name})
            diff = compare_metadata(context, Base.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        db.engine.dispose()
