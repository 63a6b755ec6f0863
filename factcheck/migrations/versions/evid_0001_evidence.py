"""evidence: the project's sources, their captures and link checks, excerpts, stances

A claim's ``source`` rows become citations: they gain the project's source they cite
(``source_id``) and a ``stance``; every existing row keeps its URL, title and note, with
no stance (not said yet). The columns added to existing tables use a plain ADD COLUMN
(with an inline REFERENCES on SQLite): a batch copy would drop the tables' SQLite
AUTOINCREMENT and triggers.

Revision ID: evid_0001_evidence
Revises: match_0002_centred_bits
Create Date: 2026-12-07 18:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "evid_0001_evidence"
down_revision = "match_0002_centred_bits"
branch_labels = None
depends_on = None

HEALTH = ("unchecked", "live", "changed", "gone", "blocked")


def _health():
    return sa.Enum(*HEALTH, name="evidence_health", native_enum=False, length=12)


def _add_reference(table: str, column: str, target: str, name: str) -> None:
    """A nullable column referencing ``target``.id (no ON DELETE: SQLite does not reflect
    one given with the column, and neither row is deleted while referenced)."""
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds the reference with the column (an ALTER cannot add it later)
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} INTEGER "
            f"CONSTRAINT {name} REFERENCES {target} (id)"
        )
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(name, table, target, [column], ["id"])


def upgrade():
    op.create_table(
        "evidence_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("url_sha256", sa.String(length=64), nullable=False),
        sa.Column("final_url", sa.String(length=2000), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("publisher", sa.String(length=300), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "medium",
            sa.Enum(
                "web", "pdf", "document", "dataset", "video", "audio", "interview", "other",
                name="evidence_medium", native_enum=False, length=12,
            ),
            nullable=False,
        ),
        sa.Column("health", _health(), nullable=False),
        sa.Column("health_checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("health_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "url_sha256", name="uq_evidence_source_url"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_evidence_source_project_health", "evidence_source", ["project_id", "health", "id"]
    )

    op.create_table(
        "capture",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("fetch", "upload", name="capture_kind", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=200), nullable=False),
        sa.Column("bytes", sa.LargeBinary(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("author", sa.String(length=300), server_default="", nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["source_id"], ["evidence_source.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_capture_source_id", "capture", ["source_id", "id"])

    op.create_table(
        "source_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("health", _health(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["capture_id"], ["capture.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["source_id"], ["evidence_source.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_source_check_source_id", "source_check", ["source_id", "id"])

    op.create_table(
        "excerpt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("citation_id", sa.Integer(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.CheckConstraint('start >= 0 AND "end" > start', name="ck_excerpt_span"),
        sa.ForeignKeyConstraint(["capture_id"], ["capture.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["citation_id"], ["source.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_excerpt_capture_id", "excerpt", ["capture_id"])
    op.create_index("ix_excerpt_citation_position", "excerpt", ["citation_id", "position"])

    op.add_column(
        "project",
        sa.Column("evidence_required", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    _add_reference("article", "capture_id", "capture", "fk_article_capture_id")
    _add_reference("source", "source_id", "evidence_source", "fk_source_source_id")
    op.add_column(
        "source",
        sa.Column(
            "stance",
            sa.Enum(
                "supports", "refutes", "context", "no_evidence",
                name="citation_stance", native_enum=False, length=12,
            ),
            nullable=True,
        ),
    )
    op.create_index("ix_source_source_id", "source", ["source_id"])


def downgrade():
    op.drop_index("ix_source_source_id", table_name="source")
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, column, name in (
        ("source", "source_id", "fk_source_source_id"),
        ("article", "capture_id", "fk_article_capture_id"),
    ):
        if not sqlite:
            op.drop_constraint(name, table, type_="foreignkey")
    # SQLite (3.35+) drops a column only when nothing references through it: the batch
    # copy is the way there, at the price the upgrade avoided
    with op.batch_alter_table("source", recreate="auto" if not sqlite else "always",
                              table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_column("stance")
        batch_op.drop_column("source_id")
    with op.batch_alter_table("article", recreate="auto" if not sqlite else "always",
                              table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_column("capture_id")
    with op.batch_alter_table("project", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("evidence_required")
    op.drop_index("ix_excerpt_citation_position", table_name="excerpt")
    op.drop_index("ix_excerpt_capture_id", table_name="excerpt")
    op.drop_table("excerpt")
    op.drop_index("ix_source_check_source_id", table_name="source_check")
    op.drop_table("source_check")
    op.drop_index("ix_capture_source_id", table_name="capture")
    op.drop_table("capture")
    op.drop_index("ix_evidence_source_project_health", table_name="evidence_source")
    op.drop_table("evidence_source")
