"""article.search_text folded again by the one search fold (ligatures spelled out,
typographic quotes and spaces made plain), so "oeuvre" finds an article saying "Œuvre"

Revision ID: text_0001_refold
Revises: evid_0001_evidence
Create Date: 2026-12-07 19:10:00

"""
from alembic import op
import sqlalchemy as sa

from factcheck.services.fold import article_search_text


# revision identifiers, used by Alembic.
revision = "text_0001_refold"
down_revision = "evid_0001_evidence"
branch_labels = None
depends_on = None

BATCH = 500


def upgrade():
    # only rows whose folded text changes are written, a batch of reads at a time
    connection = op.get_bind()
    article = sa.table(
        "article",
        sa.column("id", sa.Integer),
        sa.column("title", sa.String),
        sa.column("text", sa.Text),
        sa.column("search_text", sa.Text),
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(article.c.id, article.c.title, article.c.text, article.c.search_text)
            .where(article.c.id > last)
            .order_by(article.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        for id_, title, text, stored in rows:
            folded = article_search_text(title, text)
            if folded != stored:
                connection.execute(
                    article.update().where(article.c.id == id_).values(search_text=folded)
                )
        last = rows[-1][0]


def downgrade():
    # the earlier fold found less; the text folded this way still finds all it found
    pass
