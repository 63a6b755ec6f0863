"""projects: a default project holding all existing data

Every article, verdict and annotation joins the project ``default``; every user becomes
a member of it in the roles they held (annotator, reviewer; an admin also becomes its
project admin and stays a site admin). The verdict key is now unique per project, and an
annotation's verdict refers to (project_id, key).

SQLite rebuilds tables in batch mode; foreign keys are switched off around the rebuild
(the SQLite way: PRAGMA foreign_keys only changes outside a transaction) and checked
with PRAGMA foreign_key_check before the new schema is kept.

Revision ID: proj_0001_projects
Revises: b31cf5f5310c
Create Date: 2026-11-30 05:00:00

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "proj_0001_projects"
down_revision = "b31cf5f5310c"
branch_labels = None
depends_on = None

#: the names SQLite batch mode gives the constraints the initial schema left unnamed
SQLITE_NAMES = {
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
}


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _foreign_keys(on: bool) -> None:
    """SQLite only: end the transaction, switch enforcement, start a new one."""
    if not _sqlite():
        return
    bind = op.get_bind()
    if not on:
        if bind.connection.dbapi_connection.in_transaction:
            bind.exec_driver_sql("COMMIT")
        bind.exec_driver_sql("PRAGMA foreign_keys = OFF")
        bind.exec_driver_sql("BEGIN")
    else:
        problems = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"foreign keys broken by the migration: {problems[:5]}")
        # enforcement stays off: later migrations of the same run recreate tables too, and
        # migrations/env.py switches it back on (after a last check) once all have run


def upgrade():
    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("guidelines", sa.Text(), nullable=False),
        sa.Column("guidelines_version", sa.Integer(), nullable=False),
        sa.Column("reservation_minutes", sa.Integer(), nullable=True),
        sa.Column("annotators_can_export", sa.Boolean(), nullable=False),
        sa.Column("default_language", sa.String(length=8), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug"),
    )
    op.create_table(
        "guideline_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "number", name="uq_guideline_version"),
    )
    op.create_table(
        "project_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "user_id", "role", name="uq_project_member_role"),
    )
    with op.batch_alter_table("project_member", schema=None) as batch_op:
        batch_op.create_index("ix_project_member_user", ["user_id", "project_id"], unique=False)

    bind = op.get_bind()
    project = sa.table(
        "project",
        sa.column("id", sa.Integer),
        sa.column("slug", sa.String),
        sa.column("name", sa.String),
        sa.column("description", sa.Text),
        sa.column("guidelines", sa.Text),
        sa.column("guidelines_version", sa.Integer),
        sa.column("annotators_can_export", sa.Boolean),
        sa.column("archived", sa.Boolean),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    if bind.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # stored as naive UTC text (models/base.py)
    op.bulk_insert(
        project,
        [
            {
                "slug": "default",
                "name": "Default",
                "description": "",
                "guidelines": "",
                "guidelines_version": 0,
                "annotators_can_export": False,
                "archived": False,
                "created_at": now,
            }
        ],
    )
    default_id = bind.execute(sa.text("SELECT id FROM project WHERE slug = 'default'")).scalar()

    # memberships: the roles users hold today, in the default project; only admin stays a
    # site role (and an admin also administers the default project)
    bind.execute(
        sa.text(
            "INSERT INTO project_member (project_id, user_id, role) "
            "SELECT :p, user_id, CASE role WHEN 'admin' THEN 'project_admin' ELSE role END "
            "FROM user_role WHERE role IN ('annotator', 'reviewer', 'admin') ORDER BY id"
        ),
        {"p": default_id},
    )
    bind.execute(sa.text("DELETE FROM user_role WHERE role IN ('annotator', 'reviewer')"))

    _foreign_keys(False)
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_project_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_user_account_last_project_id_project",
            "project",
            ["last_project_id"],
            ["id"],
            ondelete="SET NULL",
        )

    # articles
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.add_column(sa.Column("project_id", sa.Integer(), nullable=True))
    bind.execute(sa.text("UPDATE article SET project_id = :p"), {"p": default_id})
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.alter_column("project_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index("ix_article_project_id", ["project_id"], unique=False)
        batch_op.create_foreign_key("fk_article_project_id_project", "project", ["project_id"], ["id"])

    # annotations lose the foreign key to verdict.key before the key stops being unique
    names = SQLITE_NAMES if _sqlite() else None
    verdict_fk = "fk_annotation_verdict_verdict" if _sqlite() else "annotation_verdict_fkey"
    with op.batch_alter_table("annotation", schema=None, naming_convention=names) as batch_op:
        batch_op.drop_constraint(verdict_fk, type_="foreignkey")
        batch_op.add_column(sa.Column("project_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("guidelines_version", sa.Integer(), nullable=True))
    bind.execute(
        sa.text(
            "UPDATE annotation SET project_id = "
            "(SELECT article.project_id FROM article WHERE article.id = annotation.article_id)"
        )
    )

    # verdicts: one scale per project
    verdict_uq = "uq_verdict_key" if _sqlite() else "verdict_key_key"
    with op.batch_alter_table("verdict", schema=None, naming_convention=names) as batch_op:
        batch_op.add_column(sa.Column("project_id", sa.Integer(), nullable=True))
    bind.execute(sa.text("UPDATE verdict SET project_id = :p"), {"p": default_id})
    with op.batch_alter_table("verdict", schema=None, naming_convention=names) as batch_op:
        batch_op.alter_column("project_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(verdict_uq, type_="unique")
        batch_op.create_unique_constraint("uq_verdict_project_key", ["project_id", "key"])
        batch_op.create_foreign_key("fk_verdict_project_id_project", "project", ["project_id"], ["id"])

    with op.batch_alter_table("annotation", schema=None) as batch_op:
        batch_op.alter_column("project_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            "fk_annotation_project_id_project", "project", ["project_id"], ["id"]
        )
        batch_op.create_foreign_key(
            "fk_annotation_project_verdict",
            "verdict",
            ["project_id", "verdict"],
            ["project_id", "key"],
        )
        batch_op.create_index(
            "ix_annotation_project_status", ["project_id", "status", "id"], unique=False
        )
    _foreign_keys(True)


def downgrade():
    """Back to one installation-wide scale: only possible with a single project."""
    bind = op.get_bind()
    count = bind.execute(sa.text("SELECT count(*) FROM project")).scalar()
    if count > 1:
        raise RuntimeError("Several projects exist: merge them by hand before downgrading.")
    _foreign_keys(False)
    with op.batch_alter_table("annotation", schema=None) as batch_op:
        batch_op.drop_index("ix_annotation_project_status")
        batch_op.drop_constraint("fk_annotation_project_verdict", type_="foreignkey")
        batch_op.drop_constraint("fk_annotation_project_id_project", type_="foreignkey")
        batch_op.drop_column("guidelines_version")
        batch_op.drop_column("project_id")
    with op.batch_alter_table("verdict", schema=None) as batch_op:
        batch_op.drop_constraint("fk_verdict_project_id_project", type_="foreignkey")
        batch_op.drop_constraint("uq_verdict_project_key", type_="unique")
        batch_op.create_unique_constraint("verdict_key_key", ["key"])
        batch_op.drop_column("project_id")
    with op.batch_alter_table("annotation", schema=None) as batch_op:
        batch_op.create_foreign_key("annotation_verdict_fkey", "verdict", ["verdict"], ["key"])
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_constraint("fk_article_project_id_project", type_="foreignkey")
        batch_op.drop_index("ix_article_project_id")
        batch_op.drop_column("project_id")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_constraint("fk_user_account_last_project_id_project", type_="foreignkey")
        batch_op.drop_column("last_project_id")
    bind.execute(
        sa.text(
            "INSERT INTO user_role (user_id, role) SELECT DISTINCT user_id, role "
            "FROM project_member WHERE role IN ('annotator', 'reviewer')"
        )
    )
    _foreign_keys(True)
    with op.batch_alter_table("project_member", schema=None) as batch_op:
        batch_op.drop_index("ix_project_member_user")
    op.drop_table("project_member")
    op.drop_table("guideline_version")
    op.drop_table("project")
