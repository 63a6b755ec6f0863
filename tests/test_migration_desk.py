"""The desk's memory migration: every distinct claimant text becomes a claimant of its own
(two strings are never merged by the migration), and citations written before evidence
existed get their project's source."""

from flask_migrate import upgrade
from sqlalchemy import text

from factcheck import create_app
from factcheck.extensions import db

from .test_migrations import empty_database_url  # noqa: F401  (fixture)


def _insert(conn, sql: str, **values) -> int:
    return conn.execute(text(sql + " RETURNING id"), values).scalar_one()


def test_claimant_texts_become_claimants_and_old_citations_get_sources(
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
        upgrade(revision="rev_0002_stored_diff")
        with db.engine.begin() as conn:
            first = conn.execute(text("SELECT min(id) FROM project")).scalar_one()
            second = _insert(
                conn,
                "INSERT INTO project (slug, name, description, guidelines, guidelines_version,"
                " annotators_can_export, blind_second_verdict, evidence_required, archived,"
                " created_at) VALUES ('autre', 'Autre', '', '', 0, false, false, false, false,"
                " CURRENT_TIMESTAMP)",
            )
            user = _insert(
                conn,
                "INSERT INTO user_account (username, display_name, password_hash, active,"
                " created_at, session_token)"
                " VALUES ('ana', 'Ana', 'x', true, CURRENT_TIMESTAMP, 'tok')",
            )
            claims = {}
            for n, (claimant, project) in enumerate(
                [
                    ("Le maire", first),
                    ("le Maire", first),  # folds alike: proposed later, never merged here
                    (" Le maire ", first),  # the same text once trimmed
                    ("", first),
                    ("Le maire", second),
                ]
            ):
                article = _insert(
                    conn,
                    "INSERT INTO article (title, text, text_sha256, search_text, created_at,"
                    " updated_at, project_id, revision) VALUES (:t, 'Un texte.', :h, 'un texte.',"
                    " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, :p, 1)",
                    t=f"A{n}",
                    h=f"h{n}",
                    p=project,
                )
                claims[n] = _insert(
                    conn,
                    'INSERT INTO annotation (article_id, author_id, start, "end", quote,'
                    " prefix, suffix, claim, claimant, project_id, rationale, status, version,"
                    " created_at, updated_at, review_comment, anchor, article_revision)"
                    " VALUES (:a, :u, 0, 2, 'Un', '', '', 'c', :c, :p, '', 'draft', 1,"
                    " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '', 'ok', 1)",
                    a=article,
                    u=user,
                    c=claimant,
                    p=project,
                )
            for n, url in [
                (0, "https://Example.org/page?utm_source=x"),
                (1, "https://example.org/page"),
                (4, "https://example.org/page"),  # another project: its own source
                (4, "https://example.org/doc.pdf"),
            ]:
                conn.execute(
                    text(
                        "INSERT INTO source (annotation_id, position, url, title, note)"
                        " VALUES (:a, 0, :u, 'Titre', '')"
                    ),
                    {"a": claims[n], "u": url},
                )
        upgrade()
        with db.engine.connect() as conn:
            claimants = dict(conn.execute(text("SELECT id, name FROM claimant ORDER BY id")).all())
            by_claim = dict(conn.execute(text("SELECT id, claimant_id FROM annotation")).all())
            cited = conn.execute(
                text(
                    "SELECT s.annotation_id, e.project_id, e.url, e.medium, e.health"
                    " FROM source s JOIN evidence_source e ON e.id = s.source_id"
                    " ORDER BY s.id"
                )
            ).all()
            sources = conn.execute(text("SELECT count(*) FROM evidence_source")).scalar_one()
        db.engine.dispose()
    assert sorted(claimants.values()) == ["Le maire", "le Maire"]
    names = {claim: claimants.get(claimant_id) for claim, claimant_id in by_claim.items()}
    assert [names[claims[n]] for n in range(5)] == [
        "Le maire",
        "le Maire",
        "Le maire",
        None,
        "Le maire",  # one claimant for the installation, whatever the project
    ]
    assert cited == [
        (claims[0], first, "https://example.org/page", "web", "unchecked"),
        (claims[1], first, "https://example.org/page", "web", "unchecked"),
        (claims[4], second, "https://example.org/page", "web", "unchecked"),
        (claims[4], second, "https://example.org/doc.pdf", "pdf", "unchecked"),
    ]
    assert sources == 3
