"""The projects migration on a database made by the previous schema: nothing is lost.

The database is upgraded to b31cf5f5310c (the schema before projects), filled with rows
written in plain SQL as that code would have stored them, then upgraded to head; every
row and every link must still be there, inside the "default" project.
"""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text

from factcheck import create_app
from factcheck.extensions import db

from .test_migrations import empty_database_url  # noqa: F401  (the fixture)

BEFORE = "b31cf5f5310c"
T0 = "2026-11-01 10:00:00"

USERS = [
    (1, "ada", ["admin", "reviewer"]),
    (2, "annie", ["annotator"]),
    (3, "rita", ["reviewer", "annotator"]),
    (4, "dora", ["annotator"]),
]
VERDICTS = [
    (1, "true", "True", 5, "1", 0, False),
    (2, "false", "False", 1, "2", 1, False),
    (3, "old", "An old verdict", None, None, 2, True),
]
ARTICLES = [
    (1, "Un article", "Le chômage a baissé de 10 %. 🎉 Vraiment ?", "a-1"),
    (2, "Two", "Another text here.", None),
]
# id, article, author, start, end, verdict, status, reviewer
ANNOTATIONS = [
    (1, 1, 2, 0, 11, "false", "approved", 3),
    (2, 1, 2, 12, 27, "true", "submitted", None),
    (3, 2, 4, 0, 7, None, "draft", None),
    (4, 2, 3, 8, 12, "old", "rejected", 1),
]


def _fill(conn) -> None:
    for uid, name, roles in USERS:
        conn.execute(
            text(
                "INSERT INTO user_account (id, username, display_name, password_hash, active, "
                "session_token, created_at) VALUES (:id, :n, '', 'x', :a, :t, :c)"
            ),
            {"id": uid, "n": name, "a": True, "t": f"token-{uid}", "c": T0},
        )
        for role in roles:
            conn.execute(
                text("INSERT INTO user_role (user_id, role) VALUES (:u, :r)"), {"u": uid, "r": role}
            )
    conn.execute(
        text(
            "INSERT INTO api_token (user_id, label, token_hash, hint, created_at) "
            "VALUES (2, 'script', 'h1', 'fc_ab', :c)"
        ),
        {"c": T0},
    )
    for vid, key, label, rating, shortcut, position, retired in VERDICTS:
        conn.execute(
            text(
                "INSERT INTO verdict (id, key, label, label_fr, rating, colour, shortcut, "
                "position, retired) VALUES (:id, :k, :l, '', :r, '#123456', :s, :p, :x)"
            ),
            {
                "id": vid,
                "k": key,
                "l": label,
                "r": rating,
                "s": shortcut,
                "p": position,
                "x": retired,
            },
        )
    for aid, title, body, external in ARTICLES:
        conn.execute(
            text(
                "INSERT INTO article (id, title, text, language, external_id, text_sha256, "
                "imported_by_id, created_at, updated_at) "
                "VALUES (:id, :t, :x, 'fr', :e, 'sha', 1, :c, :c)"
            ),
            {"id": aid, "t": title, "x": body, "e": external, "c": T0},
        )
    for nid, article, author, start, end, verdict, status, reviewer in ANNOTATIONS:
        body = dict(ARTICLES_BY_ID)[article]
        conn.execute(
            text(
                'INSERT INTO annotation (id, article_id, author_id, start, "end", quote, prefix, '
                "suffix, claim, claimant, verdict, rationale, status, version, created_at, "
                "updated_at, reviewer_id, review_comment) VALUES (:id, :a, :u, :s, :e, :q, '', "
                "'', 'A claim', 'Someone', :v, 'Because', :st, 2, :c, :c, :r, '')"
            ),
            {
                "id": nid,
                "a": article,
                "u": author,
                "s": start,
                "e": end,
                "q": body[start:end],
                "v": verdict,
                "st": status,
                "c": T0,
                "r": reviewer,
            },
        )
        conn.execute(
            text(
                "INSERT INTO source (annotation_id, position, url, title, note) "
                "VALUES (:a, 0, :u, '', '')"
            ),
            {"a": nid, "u": f"https://example.org/{nid}"},
        )
        conn.execute(
            text(
                "INSERT INTO review_event (annotation_id, actor_id, at, from_status, to_status, "
                "comment, version) VALUES (:a, :u, :c, NULL, 'draft', '', 1)"
            ),
            {"a": nid, "u": author, "c": T0},
        )


ARTICLES_BY_ID = [(a[0], a[2]) for a in ARTICLES]


def _count(conn, table: str) -> int:
    return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()


def test_upgrade_from_the_schema_before_projects_keeps_every_row(
    empty_database_url,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": empty_database_url}
    )
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            _fill(conn)
            if conn.dialect.name == "postgresql":  # explicit ids: move the sequences on
                for table in ("user_account", "verdict", "article", "annotation"):
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT max(id) FROM {table}))"
                        )
                    )
            before = {
                t: _count(conn, t)
                for t in (
                    "user_account",
                    "api_token",
                    "verdict",
                    "article",
                    "annotation",
                    "source",
                    "review_event",
                )
            }
        upgrade()
        with db.engine.connect() as conn:
            # no row lost
            for table, n in before.items():
                assert _count(conn, table) == n, table
            default = conn.execute(text("SELECT id FROM project WHERE slug = 'default'")).scalar()
            assert _count(conn, "project") == 1
            # every article, verdict and annotation in the default project
            for table in ("article", "verdict", "annotation"):
                other = conn.execute(
                    text(f"SELECT count(*) FROM {table} WHERE project_id != :p"), {"p": default}
                ).scalar()
                assert other == 0, table
            # verdicts: same ids, keys and settings
            rows = conn.execute(
                text("SELECT id, key, label, rating, shortcut, position, retired FROM verdict")
            ).all()
            assert (
                sorted((r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6])) for r in rows) == VERDICTS
            )
            # annotations: same article, author, span, verdict, status, reviewer, version
            rows = conn.execute(
                text(
                    'SELECT id, article_id, author_id, start, "end", verdict, status, '
                    "reviewer_id, version, guidelines_version FROM annotation ORDER BY id"
                )
            ).all()
            assert [tuple(r[:8]) for r in rows] == ANNOTATIONS
            assert {r[8] for r in rows} == {2} and {r[9] for r in rows} == {None}
            # each annotation's verdict is a verdict of its project's scale (the new link)
            linked = conn.execute(
                text(
                    "SELECT count(*) FROM annotation a JOIN verdict v "
                    "ON v.project_id = a.project_id AND v.key = a.verdict"
                )
            ).scalar()
            assert linked == sum(1 for a in ANNOTATIONS if a[5])
            # sources and history still point at their annotation
            assert conn.execute(
                text("SELECT count(*) FROM source s JOIN annotation a ON a.id = s.annotation_id")
            ).scalar() == len(ANNOTATIONS)
            # roles: admin stays a site role; the others are held in the default project
            site = conn.execute(text("SELECT user_id, role FROM user_role")).all()
            assert sorted(site) == [(1, "admin")]
            members = conn.execute(
                text("SELECT user_id, role FROM project_member WHERE project_id = :p"),
                {"p": default},
            ).all()
            expected = {
                (uid, "project_admin" if role == "admin" else role)
                for uid, _n, roles in USERS
                for role in roles
            }
            assert set(members) == expected
        db.engine.dispose()


def test_the_migrated_installation_works_as_before(
    empty_database_url,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    """Today's users keep their roles: the app reads the migrated rows as before."""
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": empty_database_url}
    )
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            _fill(conn)
        upgrade()
        from factcheck.models import Annotation, Role, User
        from factcheck.permissions import can_review, can_see

        rita = db.session.get(User, 3)
        annie = db.session.get(User, 2)
        ada = db.session.get(User, 1)
        assert rita.has_role(Role.REVIEWER) and rita.has_role(Role.ANNOTATOR)
        assert ada.has_role(Role.ADMIN) and not annie.has_role(Role.REVIEWER)
        submitted = db.session.get(Annotation, 2)
        assert can_review(rita, submitted) and not can_review(annie, submitted)
        assert not can_see(rita, db.session.get(Annotation, 3))  # dora's draft
        assert submitted.verdict_row.label == "True"
        db.session.remove()
        db.engine.dispose()
