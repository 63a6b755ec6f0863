"""The search_text migration fills the column of the articles already there (no row lost)."""

from flask_migrate import upgrade
from sqlalchemy import text

from factcheck import create_app
from factcheck.extensions import db

from .test_migrations import empty_database_url  # noqa: F401  (fixture)


def test_existing_articles_get_their_folded_search_text(
    empty_database_url,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": empty_database_url}
    )
    with app.app_context():
        upgrade(revision="ux_0001_idempotency")
        with db.engine.begin() as conn:
            for i, title in enumerate(["Élection présidentielle", "Été"]):
                conn.execute(
                    text(
                        "INSERT INTO article (title, text, text_sha256, created_at, updated_at,"
                        " project_id) VALUES (:t, :x, :h, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP,"
                        " (SELECT min(id) FROM project))"
                    ),
                    {"t": title, "x": f"Il s'est mêlé de tout {i}.", "h": str(i)},
                )
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT title, search_text FROM article ORDER BY id")).all()
        db.engine.dispose()
    assert rows == [
        ("Élection présidentielle", "election presidentielle\nil s'est mele de tout 0."),
        ("Été", "ete\nil s'est mele de tout 1."),
    ]
