"""SQLite: the migration to AUTOINCREMENT keeps every row, id and foreign key."""

from __future__ import annotations

import sqlite3

import pytest
from flask_migrate import upgrade

from factcheck import create_app
from factcheck.extensions import db

NOW = "2026-11-30 05:00:00.000000"
ROWS = [
    "INSERT INTO user_account (id, username, display_name, password_hash, active, "
    f"session_token, created_at) VALUES (1, 'anna', '', 'x', 1, 't1', '{NOW}'), "
    f"(2, 'rita', '', 'x', 1, 't2', '{NOW}')",
    "INSERT INTO user_role (id, user_id, role) VALUES (1, 1, 'annotator'), (2, 2, 'reviewer')",
    "INSERT INTO api_token (id, user_id, label, token_hash, hint, created_at) "
    f"VALUES (1, 1, '', 'h', 'fc_', '{NOW}')",
    "INSERT INTO verdict (id, key, label, label_fr, colour, position, retired) "
    "VALUES (1, 'false', 'False', 'Faux', '#000000', 1, 0)",
    "INSERT INTO article (id, title, text, text_sha256, created_at, updated_at) "
    f"VALUES (5, 'A', 'Un texte.', 's', '{NOW}', '{NOW}'), "
    f"(9, 'B', 'Deux textes.', 's2', '{NOW}', '{NOW}')",
    'INSERT INTO annotation (id, article_id, author_id, start, "end", quote, prefix, suffix, '
    "claim, claimant, verdict, rationale, status, version, created_at, updated_at, "
    "review_comment) VALUES (7, 9, 1, 0, 4, 'Deux', '', '', 'c', 'x', 'false', 'r', "
    f"'submitted', 1, '{NOW}', '{NOW}', '')",
    "INSERT INTO source (id, annotation_id, position, url, title, note) "
    "VALUES (3, 7, 0, 'https://example.org', 't', '')",
    "INSERT INTO review_event (id, annotation_id, actor_id, at, to_status, comment, version) "
    f"VALUES (4, 7, 1, '{NOW}', 'submitted', '', 1)",
]


def _counts(path) -> dict[str, list[int]]:
    with sqlite3.connect(path) as conn:
        rows = list(conn.execute("SELECT name, sql FROM sqlite_master WHERE type='table'"))
        virtual = [n for n, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
        # full-text indexes and their shadow tables belong to SQLite (the migration skips them)
        tables = [
            n
            for n, _sql in rows
            if n not in virtual and not any(n.startswith(f"{v}_") for v in virtual)
        ]
        # tables keyed by an ``id`` (full-text indexes and their shadow tables have none)
        keyed = [
            t
            for t in tables
            if t != "alembic_version"
            and not t.startswith("sqlite_")
            and "id" in [c[1] for c in conn.execute(f'PRAGMA table_info("{t}")')]
        ]
        return {
            t: [r[0] for r in conn.execute(f'SELECT id FROM "{t}" ORDER BY id')]  # noqa: S608
            for t in keyed
        }


def test_upgrade_to_autoincrement_keeps_rows_and_foreign_keys(database_url, tmp_path, monkeypatch):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite only: PostgreSQL sequences never reuse ids (the API test checks)")
    path = tmp_path / "old.db"
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        upgrade(revision="b31cf5f5310c")
        with db.engine.begin() as conn:
            for statement in ROWS:
                conn.exec_driver_sql(statement)
        # the migrations in between (projects, assignments, revisions, matching) reshape tables:
        # what this one must keep is what it finds
        upgrade(revision="ux_0002_search_text")
        before = _counts(path)
        upgrade(revision="sec_0001_autoincrement")
        db.engine.dispose()
    after = _counts(path)
    assert {t: after[t] for t in before} == before  # every row, with its id
    with sqlite3.connect(path) as conn:
        sql = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type='table'"))
        for table in before:
            assert "AUTOINCREMENT" in sql[table].upper(), table
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert "ck_annotation_span" in sql["annotation"]
        fks = {tuple(r[2:5]) for r in conn.execute("PRAGMA foreign_key_list(annotation)")}
        assert ("article", "article_id", "id") in fks
        assert ("verdict", "verdict", "key") in fks
        cascade = list(conn.execute("PRAGMA foreign_key_list(source)"))
        assert cascade[0][6] == "CASCADE"  # on_delete kept
        conn.execute("PRAGMA foreign_keys = ON")
        # the ids of the deleted last rows are not given again
        conn.execute("DELETE FROM article_revision WHERE article_id = 5")
        conn.execute("DELETE FROM article WHERE id = 5")
        conn.execute("DELETE FROM review_event WHERE id = 4")
        conn.execute(
            "INSERT INTO article (title, text, text_sha256, created_at, updated_at, project_id, "
            f"search_text) VALUES ('C', 't', 's3', '{NOW}', '{NOW}', "
            "(SELECT min(id) FROM project), 'c t')"
        )
        new_id = conn.execute("SELECT id FROM article WHERE title = 'C'").fetchone()[0]
        assert new_id == 10
        with pytest.raises(sqlite3.IntegrityError):  # foreign keys still enforced
            conn.execute(
                "INSERT INTO source (annotation_id, position, url, title, note) "
                "VALUES (999, 0, 'https://x', '', '')"
            )
    with app.app_context():
        upgrade()  # and on to head
        db.engine.dispose()
    assert _counts(path)["annotation"] == [7]


def test_every_table_at_head_never_reuses_ids(database_url, tmp_path, monkeypatch):
    """A table added by a later migration needs ``sqlite_autoincrement=True`` in its
    ``op.create_table`` (or sec_0001_autoincrement must run after it)."""
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite only: PostgreSQL sequences never reuse ids")
    path = tmp_path / "head.db"
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
        virtual = [n for n, sql in rows if sql.upper().startswith("CREATE VIRTUAL")]
        missing = []
        for name, sql in rows:
            if name.startswith("sqlite_") or name == "alembic_version" or name in virtual:
                continue
            if any(name.startswith(f"{v}_") for v in virtual):
                continue  # FTS shadow tables
            pk = [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")') if r[5]]
            if pk == ["id"] and "AUTOINCREMENT" not in sql.upper():
                missing.append(name)
    assert missing == [], f"tables that would reuse ids on SQLite: {missing}"
