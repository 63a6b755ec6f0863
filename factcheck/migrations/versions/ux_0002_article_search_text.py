"""article.search_text: title and text folded (case and accents dropped) for search

Revision ID: ux_0002_search_text
Revises: ux_0001_idempotency
Create Date: 2026-11-30 05:15:00

"""
from alembic import op
import sqlalchemy as sa

from factcheck.services.fold import article_search_text


# revision identifiers, used by Alembic.
revision = 'ux_0002_search_text'
down_revision = 'ux_0001_idempotency'
branch_labels = None
depends_on = None

BATCH = 500


def upgrade():
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.Text(), nullable=True))
    # fill it for the articles already there, a batch at a time (no row is touched otherwise)
    connection = op.get_bind()
    article = sa.table(
        'article',
        sa.column('id', sa.Integer),
        sa.column('title', sa.String),
        sa.column('text', sa.Text),
        sa.column('search_text', sa.Text),
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(article.c.id, article.c.title, article.c.text)
            .where(article.c.id > last)
            .order_by(article.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        for id_, title, text in rows:
            connection.execute(
                article.update()
                .where(article.c.id == id_)
                .values(search_text=article_search_text(title, text))
            )
        last = rows[-1][0]
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.alter_column('search_text', existing_type=sa.Text(), nullable=False)


def downgrade():
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_column('search_text')
