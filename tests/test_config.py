"""Configuration: the secret-key rules and the database settings."""

import os
import secrets
import stat

import pytest

from factcheck import create_app
from factcheck.config import secret_key_problem

from .conftest import TEST_SECRET


def test_secret_key_is_generated_into_instance_with_mode_600(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("FACTCHECK_SECRET_KEY", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == app.config["SECRET_KEY"]
    assert len(app.config["SECRET_KEY"]) >= 32
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    # the same key on the next start: sessions survive restarts
    again = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert again.config["SECRET_KEY"] == app.config["SECRET_KEY"]


@pytest.mark.parametrize("placeholder", ["dev", "change-me", "secret", "short"])
def test_placeholder_secret_key_is_refused_outside_tests(tmp_path, monkeypatch, placeholder):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("FACTCHECK_SECRET_KEY", placeholder)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_placeholder_allowed_in_tests(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "dev",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db",
        }
    )
    assert app.config["SECRET_KEY"] == "dev"


def test_environment_overrides_instance_config(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text(
        "ORGANIZATION_NAME = 'From file'\nREVIEW_RESERVATION_MINUTES = 5\n"
    )
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("FACTCHECK_REVIEW_RESERVATION_MINUTES", "20")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["ORGANIZATION_NAME"] == "From file"
    assert app.config["REVIEW_RESERVATION_MINUTES"] == 20


def test_database_url_uses_psycopg3(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgres://u@127.0.0.1:5432/db")
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 32})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@127.0.0.1:5432/db"


def test_sqlite_pragmas(app, app_ctx):
    from factcheck.extensions import db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


# --- guessable secret keys (issue 24, item 10) -----------------------------------------

GUESSABLE_KEYS = [
    "thisismysecretkeyforthefactcheckapp",
    "factcheck-production-secret-key-2026",
    "abcdefghijklmnopqrstuvwxyz012345",
    "qwertyuiopasdfghjklzxcvbnm123456",  # a keyboard walk
    "azertyuiopqsdfghjklmwxcvbn987654",  # the same on a French keyboard
    "ThisIsMySecretKeyForTheFactCheckApp!",
    "Th1s-1s-My-S3cr3t-K3y-F0r-Pr0duct10n",
    "correct-horse-battery-staple-newsroom-2026",
    "zyxwvutsrqponmlkjihgfedcba9876543210",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",  # keyboard columns
]


@pytest.mark.parametrize("key", GUESSABLE_KEYS)
def test_a_key_made_of_words_runs_or_keyboard_walks_is_refused(tmp_path, monkeypatch, key):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("FACTCHECK_SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="SECRET_KEY is unfit") as refused:
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    # the error says how to make a good one
    assert 'python -c "import secrets; print(secrets.token_urlsafe(48))"' in str(refused.value)


def test_random_keys_always_pass():
    makers = [
        secrets.token_hex,
        lambda: secrets.token_hex(16),  # 32 characters, the shortest allowed
        secrets.token_urlsafe,
        lambda: secrets.token_urlsafe(24),  # 32 characters
        lambda: secrets.token_urlsafe(48),
    ]
    for make in makers:  # in a million keys of each, words and walks explained 15 of 32 at most
        for _ in range(1000):
            key = make()
            assert secret_key_problem(key) is None, key


def test_the_suites_own_key_would_start_a_real_server():
    assert secret_key_problem(TEST_SECRET) is None


# --- SQLite files stay private wherever they are (issue 24, item 11) ---------------------


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def usual_umask():
    old = os.umask(0o022)  # the usual umask: files would be 644, folders 755
    yield
    os.umask(old)


@pytest.mark.parametrize("where", ["outside", "relative"])
def test_a_sqlite_database_named_by_database_url_is_private(
    tmp_path, monkeypatch, usual_umask, where
):
    instance = tmp_path / "instance"
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(instance))
    if where == "outside":  # a folder of the operator's choosing, left as it is
        folder = tmp_path / "data"
        folder.mkdir()
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{folder}/factcheck.db")
    else:  # Flask-SQLAlchemy reads a relative path inside the instance folder
        folder = instance
        monkeypatch.setenv("DATABASE_URL", "sqlite:///relative.db")
    app = create_app({"SECRET_KEY": secrets.token_urlsafe(48)})
    database = folder / ("factcheck.db" if where == "outside" else "relative.db")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith(str(database.name))
    from factcheck.extensions import db

    with app.app_context():
        assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
        with db.engine.connect() as conn:  # open: the -wal and -shm files exist
            conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar()
            for name in (database, f"{database}-wal", f"{database}-shm"):
                assert _mode(name) == 0o600, name
        db.engine.dispose()
    if where == "relative":
        assert _mode(instance) == 0o700


def test_an_open_sqlite_database_outside_the_instance_folder_is_tightened(
    tmp_path, monkeypatch, usual_umask
):
    folder = tmp_path / "data"
    folder.mkdir()
    database = folder / "factcheck.db"
    for name in (database, f"{database}-wal", f"{database}-shm"):
        with open(name, "w"):
            pass
        os.chmod(name, 0o644)  # noqa: S103 (the old, too open mode under test)
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    create_app({"SECRET_KEY": secrets.token_urlsafe(48)})
    for name in (database, f"{database}-wal", f"{database}-shm"):
        assert _mode(name) == 0o600, name
