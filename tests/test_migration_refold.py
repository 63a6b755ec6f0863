"""The refold migration brings stored article.search_text to the one search fold."""

from flask_migrate import upgrade
from sqlalchemy import text

from factcheck import create_app
from factcheck.extensions import db

from .test_migrations import empty_database_url  # noqa: F401  (fixture)


def test_articles_folded_the_old_way_are_found_by_the_new_fold(
    empty_database_url,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "Kq3v-Zt9pWm2XrB7nYc4LdH8sFj6GaE1uTo5",
            "SQLALCHEMY_DATABASE_URI": empty_database_url,
        }
    )
    with app.app_context():
        upgrade(revision="evid_0001_evidence")
        with db.engine.begin() as conn:
            # what the earlier fold stored: the ligature and the curly quote kept
            for title, stored in [("Œuvre", "œuvre\nl’été"), ("Plain", "plain\nl'ete")]:
                conn.execute(
                    text(
                        "INSERT INTO article (title, text, text_sha256, search_text, created_at,"
                        " updated_at, project_id) VALUES (:t, :x, :h, :s, CURRENT_TIMESTAMP,"
                        " CURRENT_TIMESTAMP, (SELECT min(id) FROM project))"
                    ),
                    {
                        "t": title,
                        "x": "L’été" if title == "Œuvre" else "l'ete",
                        "h": title,
                        "s": stored,
                    },
                )
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT title, search_text FROM article ORDER BY id")).all()
        db.engine.dispose()
    assert rows == [("Œuvre", "oeuvre\nl'ete"), ("Plain", "plain\nl'ete")]
