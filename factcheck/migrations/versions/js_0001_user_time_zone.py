"""user.time_zone: the zone the user's pages show times in

An IANA name (``Europe/Paris``) chosen on the profile page; NULL follows the browser's
zone, as every page did before. Exports stay in UTC.

Revision ID: js_0001_user_time_zone
Revises: sec_0002_rate_limit
Create Date: 2026-11-30 08:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "js_0001_user_time_zone"
down_revision = "sec_0002_rate_limit"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("time_zone")
