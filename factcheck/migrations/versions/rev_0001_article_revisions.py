"""article revisions and re-anchoring

Revision ID: rev_0001_revisions
Revises: agree_0001_assignments
Create Date: 2026-11-30 05:00:00

Adds ``article.revision``, the ``article_revision`` table (every text an article has had)
and the anchor columns of ``annotation``. Every existing article gets its revision 1 (its
current text) and every existing annotation stays ``ok`` on revision 1: no row is lost.
"""

import sqlalchemy as sa
from alembic import op

revision = "rev_0001_revisions"
down_revision = "agree_0001_assignments"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="1", nullable=False))

    op.create_table(
        "article_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["article.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("article_id", "number", name="uq_article_revision_number"),
    )
    # back-fill: the text every article has now is its revision 1
    op.execute(
        "INSERT INTO article_revision "
        "(article_id, number, text, text_sha256, note, created_by_id, created_at) "
        "SELECT id, 1, text, text_sha256, '', imported_by_id, created_at FROM article"
    )

    with op.batch_alter_table("annotation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("anchor", sa.String(length=12), server_default="ok", nullable=False)
        )
        batch_op.add_column(
            sa.Column("article_revision", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.add_column(sa.Column("previous_start", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("previous_end", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("previous_quote", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("previous_revision", sa.Integer(), nullable=True))
        batch_op.create_index(
            "ix_annotation_anchor_attention",
            ["anchor", "article_id"],
            unique=False,
            sqlite_where=sa.text("anchor != 'ok'"),
            postgresql_where=sa.text("anchor != 'ok'"),
        )


def downgrade():
    with op.batch_alter_table("annotation", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_annotation_anchor_attention",
            sqlite_where=sa.text("anchor != 'ok'"),
            postgresql_where=sa.text("anchor != 'ok'"),
        )
        batch_op.drop_column("previous_revision")
        batch_op.drop_column("previous_quote")
        batch_op.drop_column("previous_end")
        batch_op.drop_column("previous_start")
        batch_op.drop_column("article_revision")
        batch_op.drop_column("anchor")
    op.drop_table("article_revision")
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_column("revision")
