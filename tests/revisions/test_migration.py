"""The revisions migration back-fills revision 1 of every article and keeps every row."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text

from factcheck import create_app
from factcheck.extensions import db
from tests.test_migrations import empty_database_url  # noqa: F401  (the fixture)


def test_upgrade_from_the_initial_schema_keeps_every_row(empty_database_url, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": empty_database_url}
    )
    with app.app_context():
        upgrade(revision="b31cf5f5310c")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO user_account (id, username, display_name, password_hash, active,"
                    " session_token, created_at) VALUES (1, 'u', '', 'x', true, 't',"
                    " '2026-01-01 00:00:00')"
                )
            )
            for i in (1, 2):
                conn.execute(
                    text(
                        "INSERT INTO article (id, title, text, text_sha256, created_at,"
                        " updated_at) VALUES (:id, 'T', :text, 'h', '2026-01-01 00:00:00',"
                        " '2026-01-01 00:00:00')"
                    ),
                    {"id": i, "text": f"Texte numéro {i}."},
                )
            conn.execute(
                text(
                    'INSERT INTO annotation (id, article_id, author_id, start, "end", quote,'
                    " prefix, suffix, claim, claimant, rationale, status, version, created_at,"
                    " updated_at, review_comment) VALUES (1, 1, 1, 0, 5, 'Texte', '', ' numéro 1.',"
                    " '', '', '', 'approved', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00', '')"
                )
            )
        upgrade()
        with db.engine.connect() as conn:
            revisions = conn.execute(
                text("SELECT article_id, number, text FROM article_revision ORDER BY article_id")
            ).all()
            assert [tuple(r) for r in revisions] == [
                (1, 1, "Texte numéro 1."),
                (2, 1, "Texte numéro 2."),
            ]
            assert conn.execute(text("SELECT revision FROM article ORDER BY id")).all() == [
                (1,),
                (1,),
            ]
            row = conn.execute(
                text("SELECT anchor, article_revision, status, quote FROM annotation")
            ).one()
            assert tuple(row) == ("ok", 1, "approved", "Texte")
        db.engine.dispose()
