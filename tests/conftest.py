"""Fixtures: ``app``, ``client``, ``login`` and ``make``.

Tests run on SQLite, or on PostgreSQL when FACTCHECK_TEST_DATABASE_URL is set. The schema
is created once per run; each test starts from empty tables and the default verdicts.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text

import factcheck.models  # noqa: F401  (register the tables)
from factcheck import create_app
from factcheck.config import normalize_database_url
from factcheck.extensions import db

from .factories import Factory

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"

# property-based tests: the same examples on every run (deterministic CI), and no
# per-example deadline (a busy CI machine is slow, not wrong)
hypothesis_settings.register_profile("factcheck", deadline=None, derandomize=True)
hypothesis_settings.load_profile("factcheck")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("FACTCHECK_TEST_DATABASE_URL")
    if url:
        url = normalize_database_url(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    engine = create_engine(url)
    from factcheck.extensions import Base as ModelBase

    with engine.begin() as conn:
        ModelBase.metadata.drop_all(conn)
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        ModelBase.metadata.create_all(conn)
    engine.dispose()
    return url


@pytest.fixture
def app_config(database_url, tmp_path) -> dict:
    """Override in a test module (or use ``@pytest.mark.parametrize``) to change settings."""
    return {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "LOGIN_RATE_LIMIT": 5,
        # claim matching without its model: only tests/matching loads it (see its conftest)
        "MATCHING_MODEL": "",
    }


@pytest.fixture
def app(app_config, tmp_path, monkeypatch, request):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    config = dict(app_config)
    if request.node.get_closest_marker("csrf"):
        config["WTF_CSRF_ENABLED"] = True
    application = create_app(config)
    with application.app_context():
        from factcheck.services.verdicts import ensure_default_scale

        ensure_default_scale(db.session)
        db.session.commit()
    yield application
    with application.app_context():
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def _empty_tables(attempts: int = 5) -> None:
    import time

    from sqlalchemy.exc import OperationalError

    from factcheck.extensions import Base as ModelBase

    for attempt in range(attempts):
        try:
            with db.engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    names = ", ".join(f'"{t.name}"' for t in ModelBase.metadata.sorted_tables)
                    conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
                else:
                    for table in reversed(ModelBase.metadata.sorted_tables):
                        conn.execute(table.delete())
            return
        except OperationalError:
            # a browser test's live server may still answer the page's last request (a
            # debounced search, a draft save): PostgreSQL then reports a deadlock with the
            # TRUNCATE; that request ends within moments, so try again
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make(app_ctx):
    return Factory(db.session)


@pytest.fixture
def login(client):
    """Log ``user`` into ``client`` (the test client by default) without the login form."""

    def _login(user, into=None):
        target = into or client
        with target.session_transaction() as session:
            session["_user_id"] = user.session_token
            session["_fresh"] = True
        return target

    return _login


def pytest_configure(config):
    config.addinivalue_line("markers", "csrf: run the test with CSRF protection on")
