"""Fixtures: ``app``, ``client``, ``login`` (and ``login_as``), ``make``, and ``blind``.

Tests run on SQLite, or on PostgreSQL when FACTCHECK_TEST_DATABASE_URL is set. The schema
is created once per run; each test starts from empty tables and the default verdicts.
"""

from __future__ import annotations

import copy
import os
import time

import pytest
from flask import Flask, g
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, make_url, text

import factcheck.models  # noqa: F401  (register the tables)
from factcheck import create_app
from factcheck.config import normalize_database_url
from factcheck.extensions import db
from factcheck.services import projects

from .factories import Factory

#: random (secrets.token_urlsafe(36)), as a real key must be: tests/server.py starts real
#: servers with it, which refuse a key made of words (config.secret_key_problem)
TEST_SECRET = "l0-SEDUWwT9gwRoVUptf_JYt6GTIZMVHKdP8WBAiIaU_qCYJ"

# property-based tests: the same examples on every run (deterministic CI), and no
# per-example deadline (a busy CI machine is slow, not wrong)
hypothesis_settings.register_profile("factcheck", deadline=None, derandomize=True)
hypothesis_settings.load_profile("factcheck")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("FACTCHECK_TEST_DATABASE_URL")
    if url:
        url = _worker_database(normalize_database_url(url))
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


def _worker_database(url: str) -> str:
    """Under pytest-xdist each worker gets a database of its own, created next to the
    given one (``factcheck_ci`` → ``factcheck_ci_gw0``); alone, the given one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


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


#: apps already built, by their settings: building one costs ~0.2 s (Werkzeug compiles a
#: builder for each of the ~530 routes), so a test reuses the app of an earlier test with
#: the same settings; its config is restored and its tables emptied between tests
_APPS: dict[str, tuple[Flask, dict]] = {}

#: the database whose tables still hold the hardening world (tests/hardening/conftest.py)
#: after a test that wrote nothing: the next test that asks for the world finds it as it
#: was, and any other test empties the tables first
KEPT_WORLD: dict[str, str | None] = {"url": None}


@pytest.fixture
def app(app_config, tmp_path, monkeypatch, request):
    instance = tmp_path / "instance"
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(instance))
    config = dict(app_config)
    if request.node.get_closest_marker("csrf"):
        config["WTF_CSRF_ENABLED"] = True
    fresh = bool(request.node.get_closest_marker("fresh_app"))
    application = _app_for(config, fresh=fresh)
    application.instance_path = str(instance)
    with application.app_context():
        if KEPT_WORLD["url"] is not None and "world" not in request.fixturenames:
            _empty_tables()  # the hardening world an earlier test left: not this test's
            KEPT_WORLD["url"] = None
        from factcheck.services.verdicts import ensure_default_scale

        ensure_default_scale(db.session)
        db.session.commit()
    yield application
    with application.app_context():
        db.session.remove()
        if KEPT_WORLD["url"] is None or fresh:
            KEPT_WORLD["url"] = None
            _empty_tables()
        if fresh:
            db.engine.dispose()


def _app_for(config: dict, fresh: bool = False) -> Flask:
    """An app with these settings: a new one, or the one an earlier test used, as new."""
    key = repr(sorted(config.items(), key=lambda item: item[0]))
    if fresh or key not in _APPS:
        application = create_app(config)
        if fresh:
            return application
        _APPS[key] = (application, copy.deepcopy(dict(application.config)))
    application, settings = _APPS[key]
    application.config.clear()
    application.config.update(copy.deepcopy(settings))
    return application


def _empty_tables(attempts: int = 5) -> None:
    """Delete every row, children first. DELETE, not TRUNCATE: on PostgreSQL a TRUNCATE of
    the ~25 tables costs ~0.3 s a test, the DELETEs of a test's few rows ~10 ms (ids are not
    restarted: no test relies on them, as on SQLite where AUTOINCREMENT never reuses one)."""
    from sqlalchemy.exc import OperationalError

    from factcheck.extensions import Base as ModelBase

    statements = [table.delete() for table in reversed(ModelBase.metadata.sorted_tables)]
    for attempt in range(attempts):
        try:
            with db.engine.begin() as conn:
                for statement in statements:
                    conn.execute(statement)
            return
        except OperationalError:
            # a browser test's live server may still answer the page's last request (a
            # debounced search, a draft save): PostgreSQL may then report a deadlock; that
            # request ends within moments, so try again
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


@pytest.fixture
def login_as(login):
    """Like ``login``, for switching users within one test.

    The tests' requests share the test's app context, where Flask-Login caches the
    user in ``g``: forget it, or the next request still sees the previous user.
    """

    def _login_as(user, into=None):
        g.pop("_login_user", None)
        return login(user, into=into)

    return _login_as


@pytest.fixture
def blind(app_ctx):
    """The blind second verdict turned on for the default project."""
    project = projects.default_project(db.session)
    project.blind_second_verdict = True
    db.session.commit()
    return project


def pytest_configure(config):
    config.addinivalue_line("markers", "csrf: run the test with CSRF protection on")
    config.addinivalue_line(
        "markers", "fresh_app: build a new app for the test (it changes the app itself)"
    )


def pytest_collection_modifyitems(config, items):
    """Mark ``once`` what does not depend on the test database's dialect: tests that never
    ask for the test database (pure modules, packaging, tests bringing a database of their
    own) and the browser tests (they exercise the pages and their scripts, whose database
    paths the rest of the suite covers on both). CI runs the whole suite on SQLite and
    ``-m "not once"`` on PostgreSQL, so each of these runs once per CI run."""
    for item in items:
        if "database_url" not in item.fixturenames or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.once)
