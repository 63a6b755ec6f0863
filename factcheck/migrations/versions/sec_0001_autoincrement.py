"""SQLite: ids are never reused (AUTOINCREMENT on every table)

Without AUTOINCREMENT, SQLite hands the id of a deleted last row to the next insert, so an
old link or script pointing at /articles/41 would silently reach another article. Each
table is recreated in batch mode (copy, drop, rename), keeping every row and id; foreign
keys are off during the copy (env.py) and checked afterwards. PostgreSQL sequences never
reuse ids: nothing to do there.

Revision ID: sec_0001_autoincrement
Revises: ux_0002_search_text
Create Date: 2026-11-30 05:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "sec_0001_autoincrement"
down_revision = "ux_0002_search_text"
branch_labels = None
depends_on = None


def _tables(autoincrement: bool) -> list[str]:
    """Plain tables with an ``id INTEGER PRIMARY KEY``, with or without AUTOINCREMENT."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version' ORDER BY name"
        )
    ).all()
    inspector = sa.inspect(bind)
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
    found = []
    for name, sql in rows:
        # full-text indexes (FTS5) and their shadow tables belong to SQLite: left alone
        if name in virtual or any(name.startswith(f"{v}_") for v in virtual):
            continue
        if inspector.get_pk_constraint(name)["constrained_columns"] != ["id"]:
            continue
        if ("AUTOINCREMENT" in sql.upper()) is autoincrement:
            found.append(name)
    return found


def _recreate(names: list[str], autoincrement: bool) -> None:
    bind = op.get_bind()
    for name in names:
        # batch mode recreates the table without its triggers: put them back afterwards
        triggers = bind.execute(
            sa.text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
            {"t": name},
        ).scalars()
        triggers = [sql for sql in triggers if sql]
        with op.batch_alter_table(
            name, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass
        for sql in triggers:
            bind.exec_driver_sql(sql)


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    _recreate(_tables(autoincrement=False), autoincrement=True)


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    _recreate(_tables(autoincrement=True), autoincrement=False)
