"""article_revision.diff: each revision's changes, computed once and stored

Revision ID: rev_0002_stored_diff
Revises: text_0001_refold
Create Date: 2026-12-08 09:00:00

A nullable column, no back-fill: a revision made before it gets its diff on its first view
(services/revisions/diffs.py), so the upgrade touches no row and takes no time.
"""

import sqlalchemy as sa
from alembic import op

revision = "rev_0002_stored_diff"
down_revision = "text_0001_refold"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("article_revision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("diff", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("article_revision", schema=None) as batch_op:
        batch_op.drop_column("diff")
