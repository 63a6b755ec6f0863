"""The desk migration's claimants, as the service then sees them: one claimant per distinct
claimant text (never merged by the migration), the look-alikes proposed as likely
duplicates for a person to confirm, all found by the suggestions."""

from flask_migrate import upgrade
from sqlalchemy import text

from factcheck import create_app
from factcheck.extensions import db
from factcheck.services import claimants

from ..test_migrations import empty_database_url  # noqa: F401  (fixture)

TEXTS = [
    "Le maire",
    "le Maire",
    "Hélène Dupont",
    "Helene Dupont",
    "Sophie Martin",
    "Le maire",
    "Sophie  Martin",
    "Jean-Luc Mélenchon",
]


def _insert(conn, sql: str, **values) -> int:
    return conn.execute(text(sql + " RETURNING id"), values).scalar_one()


def test_distinct_texts_become_distinct_claimants_proposed_as_duplicates(
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
            "MATCHING_MODEL": "",
        }
    )
    with app.app_context():
        upgrade(revision="rev_0002_stored_diff")
        with db.engine.begin() as conn:
            project = conn.execute(text("SELECT min(id) FROM project")).scalar_one()
            user = _insert(
                conn,
                "INSERT INTO user_account (username, display_name, password_hash, active,"
                " created_at, session_token)"
                " VALUES ('ana', 'Ana', 'x', true, CURRENT_TIMESTAMP, 'tok')",
            )
            article = _insert(
                conn,
                "INSERT INTO article (title, text, text_sha256, search_text, created_at,"
                " updated_at, project_id, revision) VALUES ('A', 'Un texte.', 'h', 'un texte.',"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, :p, 1)",
                p=project,
            )
            claims = [
                _insert(
                    conn,
                    'INSERT INTO annotation (article_id, author_id, start, "end", quote,'
                    " prefix, suffix, claim, claimant, project_id, rationale, status, version,"
                    " created_at, updated_at, review_comment, anchor, article_revision)"
                    " VALUES (:a, :u, 0, 2, 'Un', '', '', 'c', :c, :p, '', 'submitted', 1,"
                    " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '', 'ok', 1)",
                    a=article,
                    u=user,
                    c=claimant,
                    p=project,
                )
                for claimant in TEXTS
            ]
        upgrade()
        with db.engine.connect() as conn:
            ids = dict(conn.execute(text("SELECT id, claimant_id FROM annotation")).all())
            words = conn.execute(
                text(
                    "SELECT c.name, w.word FROM claimant_word w"
                    " JOIN claimant c ON c.id = w.claimant_id ORDER BY w.id"
                )
            ).all()
        names = {c.id: c.name for c in db.session.scalars(db.select(claimants.core.Claimant))}
        pairs = {frozenset((a.name, b.name)) for a, b in claimants.duplicates(db.session)}
        found = {s.claimant.name for s in claimants.suggest(db.session, "MAIR")}
        helene = {s.claimant.name for s in claimants.suggest(db.session, "dupont")}
        martin = {s.claimant.name for s in claimants.suggest(db.session, "mart")}
        luc = [s.claimant.name for s in claimants.suggest(db.session, "luc")]
        db.session.remove()
        db.engine.dispose()
    assert sorted(names.values()) == sorted(set(TEXTS))  # seven claimants, none merged
    assert [names[ids[c]] for c in claims] == TEXTS
    assert pairs == {
        frozenset(("le Maire", "Le maire")),
        frozenset(("Helene Dupont", "Hélène Dupont")),
        frozenset(("Sophie  Martin", "Sophie Martin")),  # folded as the service folds
    }
    assert [w for name, w in words if name == "Jean-Luc Mélenchon"] == ["jean", "luc", "melenchon"]
    assert [w for name, w in words if name == "Sophie  Martin"] == ["sophie", "martin"]
    assert {name for name, _w in words} == set(TEXTS)  # every claimant has its words
    assert found == {"Le maire", "le Maire"}
    assert helene == {"Hélène Dupont", "Helene Dupont"}
    assert martin == {"Sophie Martin", "Sophie  Martin"}
    assert luc == ["Jean-Luc Mélenchon"]
