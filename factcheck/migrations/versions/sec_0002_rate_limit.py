"""rate_limit counters replace the login_attempt log

One row per limited thing (account at an address, address, account, device, token
address), bumped by an atomic upsert. The old log held only failed logins of the last
hour, which limit nothing once the new counters are in place: it is dropped.

Revision ID: sec_0002_rate_limit
Revises: sec_0001_autoincrement
Create Date: 2026-11-30 05:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "sec_0002_rate_limit"
down_revision = "sec_0001_autoincrement"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rate_limit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("rate_limit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rate_limit_window_start"), ["window_start"], unique=False
        )
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_login_attempt_address_at")
        batch_op.drop_index("ix_login_attempt_username_at")
    op.drop_table("login_attempt")


def downgrade():
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.create_index("ix_login_attempt_address_at", ["address", "at"], unique=False)
        batch_op.create_index("ix_login_attempt_username_at", ["username", "at"], unique=False)
    with op.batch_alter_table("rate_limit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rate_limit_window_start"))
    op.drop_table("rate_limit")
