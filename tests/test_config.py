"""Configuration: the secret-key rules and the database settings."""

import os
import stat

import pytest

from factcheck import create_app


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
