"""the desk's memory and its reading of articles: claimants as entities, when and where a
claim was made, publication, publisher settings, and an article's suggestions; citations
written before evidence existed get their project's source

Every distinct claimant text already written becomes one claimant, and its claims point
to it. Two different strings are never merged here, even when they fold alike ("Le
maire" and "le Maire"): the admin list of claimants proposes those, a person confirms.

Columns added to existing tables use a plain ADD COLUMN (with an inline REFERENCES on
SQLite): a batch copy would drop the tables' SQLite AUTOINCREMENT and triggers.

Revision ID: desk_0001_memory
Revises: rev_0002_stored_diff
Create Date: 2026-12-07 21:40:00
"""

from urllib.parse import urlsplit

import sqlalchemy as sa
from alembic import op

from factcheck.services.claimants.core import folded, words_of
from factcheck.services.evidence.sources import normalize_url, url_sha256

revision = "desk_0001_memory"
down_revision = "rev_0002_stored_diff"
branch_labels = None
depends_on = None

MEDIA = ("article", "tv", "radio", "social", "speech", "interview", "press_release", "other")


def _add_reference(table: str, column: str, target: str, name: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} INTEGER "
            f"CONSTRAINT {name} REFERENCES {target} (id)"
        )
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(name, table, target, [column], ["id"])


def upgrade():
    op.create_table(
        "claimant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("folded", sa.String(length=300), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("person", "organization", name="claimant_kind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("same_as", sa.JSON(), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["merged_into_id"], ["claimant.id"]),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_claimant_folded", "claimant", ["folded"])
    op.create_index("ix_claimant_merged_into_id", "claimant", ["merged_into_id"])

    op.create_table(
        "claimant_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claimant_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=300), nullable=False),
        sa.Column("folded", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["claimant_id"], ["claimant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("claimant_id", "folded", name="uq_claimant_alias"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_claimant_alias_folded", "claimant_alias", ["folded"])

    op.create_table(
        "claimant_word",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claimant_id", sa.Integer(), nullable=False),
        sa.Column("word", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["claimant_id"], ["claimant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("claimant_id", "word", name="uq_claimant_word"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_claimant_word_word", "claimant_word", ["word", "claimant_id"])

    op.create_table(
        "appearance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("annotation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("first", sa.Boolean(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["annotation_id"], ["annotation.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["article_id"], ["article.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_appearance_annotation_position", "appearance", ["annotation_id", "position"]
    )

    op.create_table(
        "article_suggestions",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=20), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["article.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id"),
    )

    op.create_table(
        "suggestion_dismissal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["article.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "article_id", "revision", "start", "end", "kind", name="uq_suggestion_dismissal"
        ),
        sqlite_autoincrement=True,
    )

    _add_reference("annotation", "claimant_id", "claimant", "fk_annotation_claimant_id")
    op.create_index("ix_annotation_claimant_id", "annotation", ["claimant_id"])
    op.add_column("annotation", sa.Column("claim_date", sa.Date(), nullable=True))
    op.add_column(
        "annotation",
        sa.Column(
            "claim_medium",
            sa.Enum(*MEDIA, name="claim_medium", native_enum=False, length=20),
            nullable=True,
        ),
    )
    op.add_column("annotation", sa.Column("published_url", sa.String(length=2000), nullable=True))
    op.add_column(
        "annotation", sa.Column("published_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("review_event", sa.Column("action", sa.String(length=20), nullable=True))
    op.add_column("project", sa.Column("publisher_name", sa.String(length=300), nullable=True))
    op.add_column("project", sa.Column("publisher_url", sa.String(length=2000), nullable=True))
    op.add_column("project", sa.Column("known_claim_threshold", sa.Float(), nullable=True))

    _claimants_from_text()
    _citations_to_sources()


BATCH = 500


def _citations_to_sources() -> None:
    """Citations written before evidence existed (``source.source_id`` empty) get their
    project's source, as citing them today would make it: one per normalized address,
    unchecked, with no capture (the link check or a person captures it later)."""
    connection = op.get_bind()
    citation = sa.table(
        "source",
        sa.column("id", sa.Integer),
        sa.column("annotation_id", sa.Integer),
        sa.column("url", sa.String),
        sa.column("title", sa.String),
        sa.column("source_id", sa.Integer),
    )
    annotation = sa.table(
        "annotation", sa.column("id", sa.Integer), sa.column("project_id", sa.Integer)
    )
    evidence = sa.table(
        "evidence_source",
        sa.column("id", sa.Integer),
        sa.column("project_id", sa.Integer),
        sa.column("url", sa.String),
        sa.column("url_sha256", sa.String),
        sa.column("title", sa.String),
        sa.column("publisher", sa.String),
        sa.column("medium", sa.String),
        sa.column("health", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    known: dict[tuple[int, str], int] = {}
    last = 0
    while True:
        rows = connection.execute(
            sa.select(citation.c.id, citation.c.url, citation.c.title, annotation.c.project_id)
            .join(annotation, annotation.c.id == citation.c.annotation_id)
            .where(citation.c.source_id.is_(None), citation.c.id > last)
            .order_by(citation.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        for citation_id, url, title, project_id in rows:
            normalized = normalize_url(url)
            key = (project_id, url_sha256(normalized))
            if key not in known:
                found = connection.scalar(
                    sa.select(evidence.c.id).where(
                        evidence.c.project_id == project_id, evidence.c.url_sha256 == key[1]
                    )
                )
                if found is None:
                    pdf = urlsplit(normalized).path.lower().endswith(".pdf")
                    found = connection.execute(
                        evidence.insert()
                        .values(
                            project_id=project_id,
                            url=normalized[:2000],
                            url_sha256=key[1],
                            title=(title or "")[:500],
                            publisher="",
                            medium="pdf" if pdf else "web",
                            health="unchecked",
                            created_at=sa.func.current_timestamp(),
                        )
                        .returning(evidence.c.id)
                    ).scalar_one()
                known[key] = found
            connection.execute(
                citation.update().where(citation.c.id == citation_id).values(source_id=known[key])
            )
        last = rows[-1][0]


def _claimants_from_text() -> None:
    """One claimant per distinct claimant text (trimmed), exactly as written, folded as the
    claimants service folds (spaces collapsed: "Sophie  Martin" is a duplicate of "Sophie
    Martin"), with its words in ``claimant_word`` for the suggestions."""
    connection = op.get_bind()
    annotation = sa.table(
        "annotation",
        sa.column("id", sa.Integer),
        sa.column("claimant", sa.String),
        sa.column("claimant_id", sa.Integer),
    )
    claimant = sa.table(
        "claimant",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("folded", sa.String),
        sa.column("kind", sa.String),
        sa.column("description", sa.Text),
        sa.column("same_as", sa.JSON),
        sa.column("version", sa.Integer),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    word = sa.table(
        "claimant_word",
        sa.column("claimant_id", sa.Integer),
        sa.column("word", sa.String),
    )
    names = connection.execute(
        sa.select(annotation.c.claimant).distinct().where(annotation.c.claimant != "")
    ).scalars()
    now = sa.func.current_timestamp()
    by_name: dict[str, list[str]] = {}
    for written in names:
        name = written.strip()
        if name:
            by_name.setdefault(name, []).append(written)
    for name, spellings in by_name.items():
        new_id = connection.execute(
            claimant.insert()
            .values(
                name=name,
                folded=folded(name),
                kind="person",
                description="",
                same_as=[],
                version=1,
                created_at=now,
                updated_at=now,
            )
            .returning(claimant.c.id)
        ).scalar_one()
        words = words_of(folded(name))
        if words:
            connection.execute(word.insert(), [{"claimant_id": new_id, "word": w} for w in words])
        connection.execute(
            annotation.update()
            .where(annotation.c.claimant.in_(spellings))
            .values(claimant_id=new_id)
        )


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    for column in ("known_claim_threshold", "publisher_url", "publisher_name"):
        op.drop_column("project", column)
    op.drop_column("review_event", "action")
    op.drop_index("ix_annotation_claimant_id", table_name="annotation")
    for column in ("published_at", "published_url", "claim_medium", "claim_date"):
        op.drop_column("annotation", column)
    if not sqlite:
        op.drop_constraint("fk_annotation_claimant_id", "annotation", type_="foreignkey")
        op.drop_column("annotation", "claimant_id")
    else:
        # SQLite drops a column that references another table only by a batch copy
        with op.batch_alter_table(
            "annotation", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ) as batch_op:
            batch_op.drop_column("claimant_id")
    op.drop_table("suggestion_dismissal")
    op.drop_table("article_suggestions")
    op.drop_index("ix_appearance_annotation_position", table_name="appearance")
    op.drop_table("appearance")
    op.drop_index("ix_claimant_word_word", table_name="claimant_word")
    op.drop_table("claimant_word")
    op.drop_index("ix_claimant_alias_folded", table_name="claimant_alias")
    op.drop_table("claimant_alias")
    op.drop_index("ix_claimant_merged_into_id", table_name="claimant")
    op.drop_index("ix_claimant_folded", table_name="claimant")
    op.drop_table("claimant")
