"""Claim matching ("Checked before?"): past fact-checks, confirmed links, and the search
index (normalized text for the lexical route, quantized vectors for the semantic one).

The index tables are derived data: ``factcheck reindex`` rebuilds them from the claims and
fact-checks at any time. They live in the database so that every worker on every host
shares them.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .annotation import Annotation
from .base import UTCDateTime, intpk, timestamp, utcnow

if TYPE_CHECKING:
    from .user import User

#: the indexer finds the claims written since its last pass by their updated_at
Index("ix_annotation_updated_at", Annotation.updated_at)


class FactCheck(db.Model):
    """A past fact-check, imported from a ClaimReview archive (ours or another newsroom's)."""

    __tablename__ = "factcheck"

    id: Mapped[intpk]
    #: the fact-check's own address: what makes a re-import idempotent
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    claim: Mapped[str] = mapped_column(Text)  # claimReviewed
    claimant: Mapped[str] = mapped_column(String(300), default="")  # itemReviewed.author.name
    #: reviewRating.alternateName as published ("Faux", "Mostly false"...)
    rating: Mapped[str] = mapped_column(String(300), default="")
    #: the key of our scale that the rating names, when one does (colour, comparisons)
    verdict: Mapped[str | None] = mapped_column(String(50))
    publisher: Mapped[str] = mapped_column(String(300), default="")  # author.name
    language: Mapped[str | None] = mapped_column(String(16))  # inLanguage
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # datePublished
    created_at: Mapped[timestamp]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<FactCheck {self.id} {self.url!r}>"


class ClaimLink(db.Model):
    """A person confirmed: this annotation states the same claim as ``target``."""

    __tablename__ = "claim_link"
    __table_args__ = (UniqueConstraint("annotation_id", "target", name="uq_claim_link_target"),)

    id: Mapped[intpk]
    annotation_id: Mapped[int] = mapped_column(
        ForeignKey("annotation.id", ondelete="CASCADE"), index=True
    )
    #: "annotation:<id>" or the URL of a past fact-check (the export's same_as cell)
    target: Mapped[str] = mapped_column(String(2000))
    target_annotation_id: Mapped[int | None] = mapped_column(
        ForeignKey("annotation.id", ondelete="CASCADE"), index=True
    )
    target_factcheck_id: Mapped[int | None] = mapped_column(
        ForeignKey("factcheck.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[timestamp]

    created_by: Mapped[User] = relationship(lazy="select")


class ClaimText(db.Model):
    """The lexical index: a claim's text folded (NFKD, marks stripped, casefolded).

    SQLite searches it through an FTS5 table kept in step by triggers, PostgreSQL through
    a GIN index on ``to_tsvector('simple', norm)`` (see services/matching/lexical.py).
    """

    __tablename__ = "claim_text"
    __table_args__ = (UniqueConstraint("kind", "ref_id", name="uq_claim_text_ref"),)

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(12))  # "annotation" | "factcheck"
    ref_id: Mapped[int]
    #: hash of the claim text as written: unchanged text is never indexed twice
    text_hash: Mapped[str] = mapped_column(String(32))
    norm: Mapped[str] = mapped_column(Text)


class ClaimVector(db.Model):
    """The semantic index: one embedding per claim and model.

    ``vector`` holds int8 components (the unit vector times 127), ``bits`` their signs
    packed (48 bytes for 384 dimensions), which every worker keeps in memory to shortlist
    candidates before rescoring them with ``vector``. A re-embedded claim gets a new row
    (a new id), so workers catch up by reading ids above the last one they saw.
    """

    __tablename__ = "claim_vector"
    __table_args__ = (
        UniqueConstraint("kind", "ref_id", "model", name="uq_claim_vector_ref"),
        Index("ix_claim_vector_model_id", "model", "id"),
    )

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(12))
    ref_id: Mapped[int]
    model: Mapped[str] = mapped_column(String(100))
    text_hash: Mapped[str] = mapped_column(String(32))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    bits: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[timestamp]


# --- the full-text indexes, outside the ORM metadata ----------------------------------
# SQLite's FTS5 table (and its shadow tables) and PostgreSQL's expression index cannot be
# declared as models; create_all creates them from these statements, and Alembic's
# comparison skips them by name (SEARCH_INDEX_NAMES). The migration match_0001 keeps its
# own frozen copy (a migration must not follow later app code); a change here needs a new
# migration, and tests/matching/test_fts_migration.py keeps the two copies in step.

SQLITE_FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS claim_text_fts USING fts5("
    "norm, content='claim_text', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER IF NOT EXISTS claim_text_ai AFTER INSERT ON claim_text BEGIN "
    "INSERT INTO claim_text_fts(rowid, norm) VALUES (new.id, new.norm); END",
    "CREATE TRIGGER IF NOT EXISTS claim_text_ad AFTER DELETE ON claim_text BEGIN "
    "INSERT INTO claim_text_fts(claim_text_fts, rowid, norm) "
    "VALUES ('delete', old.id, old.norm); END",
    "CREATE TRIGGER IF NOT EXISTS claim_text_au AFTER UPDATE ON claim_text BEGIN "
    "INSERT INTO claim_text_fts(claim_text_fts, rowid, norm) "
    "VALUES ('delete', old.id, old.norm); "
    "INSERT INTO claim_text_fts(rowid, norm) VALUES (new.id, new.norm); END",
)
SQLITE_FTS_DROP = (
    "DROP TRIGGER IF EXISTS claim_text_ai",
    "DROP TRIGGER IF EXISTS claim_text_ad",
    "DROP TRIGGER IF EXISTS claim_text_au",
    "DROP TABLE IF EXISTS claim_text_fts",
)
POSTGRESQL_FTS_DDL = (
    "CREATE INDEX IF NOT EXISTS ix_claim_text_fts ON claim_text "
    "USING gin (to_tsvector('simple'::regconfig, norm))",
)
POSTGRESQL_FTS_DROP = ("DROP INDEX IF EXISTS ix_claim_text_fts",)
#: tables and indexes that Alembic's autogenerate must leave alone
SEARCH_INDEX_NAMES = frozenset(
    {
        "claim_text_fts",
        "claim_text_fts_data",
        "claim_text_fts_idx",
        "claim_text_fts_docsize",
        "claim_text_fts_config",
        "claim_text_fts_content",
        "ix_claim_text_fts",
    }
)


def create_search_indexes(connection) -> None:
    """Create the full-text index of ``claim_text`` for the connection's database."""
    statements = {"sqlite": SQLITE_FTS_DDL, "postgresql": POSTGRESQL_FTS_DDL}
    for statement in statements.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)


def drop_search_indexes(connection) -> None:
    statements = {"sqlite": SQLITE_FTS_DROP, "postgresql": POSTGRESQL_FTS_DROP}
    for statement in statements.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)


def include_name(name, type_, parent_names) -> bool:
    """Alembic ``include_name``: skip the full-text objects created by hand above."""
    return name not in SEARCH_INDEX_NAMES


event.listen(
    ClaimText.__table__, "after_create", lambda target, conn, **kw: create_search_indexes(conn)
)
event.listen(
    ClaimText.__table__, "before_drop", lambda target, conn, **kw: drop_search_indexes(conn)
)
