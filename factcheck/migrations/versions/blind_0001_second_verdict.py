"""blind second verdict: the project setting and the reviewers' own verdicts

Revision ID: blind_0001_second_verdict
Revises: js_0001_user_time_zone
Create Date: 2026-11-30 08:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "blind_0001_second_verdict"
down_revision = "js_0001_user_time_zone"
branch_labels = None
depends_on = None


def upgrade():
    # a plain ADD COLUMN: a batch copy would drop the table's SQLite AUTOINCREMENT
    op.add_column(
        "project",
        sa.Column("blind_second_verdict", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_table(
        "second_verdict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("annotation_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=40), nullable=False),
        sa.Column("annotator_verdict", sa.String(length=40), nullable=True),
        sa.Column("annotation_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["annotation_id"], ["annotation.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["annotator_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reviewer_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("annotation_id", "reviewer_id", name="uq_second_verdict"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("second_verdict", schema=None) as batch_op:
        batch_op.create_index(
            "ix_second_verdict_project_at", ["project_id", "created_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("second_verdict", schema=None) as batch_op:
        batch_op.drop_index("ix_second_verdict_project_at")
    op.drop_table("second_verdict")
    with op.batch_alter_table("project", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("blind_second_verdict")
