"""Evidence: the sources of a project, their captures (append-only) and link checks, and
the excerpts a claim quotes from a capture (services/evidence/).

A claim's citation of a source is the ``source`` row of its annotation (models/annotation.py:
``Source``, with ``source_id`` and ``stance``); the project's record of a web page or a
document is an ``EvidenceSource`` (table ``evidence_source``), which many claims may cite.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, intpk, str_enum, timestamp, utcnow


class Medium(enum.StrEnum):
    WEB = "web"
    PDF = "pdf"
    DOCUMENT = "document"
    DATASET = "dataset"
    VIDEO = "video"
    AUDIO = "audio"
    INTERVIEW = "interview"
    OTHER = "other"


class Health(enum.StrEnum):
    """What the last link check found (services/evidence/health.py)."""

    UNCHECKED = "unchecked"
    LIVE = "live"
    #: the readable text differs from the last capture's
    CHANGED = "changed"
    #: 404, 410, or the name no longer resolves
    GONE = "gone"
    #: 401, 403, 429, or the fetch was refused
    BLOCKED = "blocked"


class Stance(enum.StrEnum):
    """What a source shows about the claim as written."""

    SUPPORTS = "supports"
    REFUTES = "refutes"
    CONTEXT = "context"
    NO_EVIDENCE = "no_evidence"


class CaptureKind(enum.StrEnum):
    FETCH = "fetch"
    UPLOAD = "upload"


medium_type = str_enum(Medium, "evidence_medium", 12)
health_type = str_enum(Health, "evidence_health", 12)
stance_type = str_enum(Stance, "citation_stance", 12)
capture_kind_type = str_enum(CaptureKind, "capture_kind", 8)


class EvidenceSource(db.Model):
    """A page or document of a project, one per normalized URL."""

    __tablename__ = "evidence_source"
    __table_args__ = (
        # one source per address in a project (the hash: a 2,000-character URL is too long
        # for a PostgreSQL index entry)
        UniqueConstraint("project_id", "url_sha256", name="uq_evidence_source_url"),
        # the source list and its health filter
        Index("ix_evidence_source_project_health", "project_id", "health", "id"),
    )

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    #: the normalized address (services/evidence/sources.py: normalize_url)
    url: Mapped[str] = mapped_column(String(2000))
    url_sha256: Mapped[str] = mapped_column(String(64))
    #: where the last successful fetch ended, after redirects
    final_url: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(500), default="")
    publisher: Mapped[str] = mapped_column(String(300), default="")
    #: the date the page gives itself, when it says
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    medium: Mapped[Medium] = mapped_column(medium_type, default=Medium.WEB)
    health: Mapped[Health] = mapped_column(health_type, default=Health.UNCHECKED)
    health_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: when ``health`` last took its current value
    health_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[timestamp]

    captures: Mapped[list[Capture]] = relationship(
        back_populates="source", order_by="Capture.id", lazy="select", viewonly=True
    )
    checks: Mapped[list[SourceCheck]] = relationship(
        order_by="SourceCheck.id", lazy="select", viewonly=True
    )

    def __repr__(self) -> str:
        return f"<EvidenceSource {self.id} {self.url[:40]!r}>"


class Capture(db.Model):
    """One attempt at keeping a source: the bytes as received (or uploaded) and the
    readable text drawn from them, or, for a failed fetch, the reason. Rows are only ever
    inserted."""

    __tablename__ = "capture"
    __table_args__ = (Index("ix_capture_source_id", "source_id", "id"),)

    id: Mapped[intpk]
    source_id: Mapped[int] = mapped_column(ForeignKey("evidence_source.id", ondelete="CASCADE"))
    kind: Mapped[CaptureKind] = mapped_column(capture_kind_type, default=CaptureKind.FETCH)
    #: the address fetched, after redirects (an upload: the source's)
    url: Mapped[str] = mapped_column(String(2000), default="")
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the HTTP status (None: no answer, or an upload)
    status: Mapped[int | None]
    #: the media type without parameters (text/html, application/pdf, image/png…)
    content_type: Mapped[str] = mapped_column(String(200), default="")
    #: the document's bytes, decompressed; None for a failed attempt
    content: Mapped[bytes | None] = mapped_column("bytes", LargeBinary, deferred=True)
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(default=0)
    #: readable text, normalized like an article's (NFC, LF); excerpts index it
    text: Mapped[str] = mapped_column(Text, default="", deferred=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    #: who wrote the document, when it says (a page's byline, a PDF's author)
    author: Mapped[str] = mapped_column(String(300), default="", server_default="")
    #: what a reader of the text should know (characters replaced, no text layer…)
    note: Mapped[str] = mapped_column(Text, default="")
    #: why the attempt failed, in words; empty for a capture that worked
    error: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    source: Mapped[EvidenceSource] = relationship(back_populates="captures", lazy="select")

    @property
    def ok(self) -> bool:
        return not self.error

    def __repr__(self) -> str:
        return f"<Capture {self.id} of {self.source_id} {self.status}>"


class SourceCheck(db.Model):
    """One link check of a source (the health history). Rows are only ever inserted."""

    __tablename__ = "source_check"
    __table_args__ = (Index("ix_source_check_source_id", "source_id", "id"),)

    id: Mapped[intpk]
    source_id: Mapped[int] = mapped_column(ForeignKey("evidence_source.id", ondelete="CASCADE"))
    checked_at: Mapped[timestamp]
    health: Mapped[Health] = mapped_column(health_type)
    status: Mapped[int | None]
    error: Mapped[str] = mapped_column(Text, default="")
    #: the capture the check made when the page had changed
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("capture.id", ondelete="SET NULL"))


class Excerpt(db.Model):
    """A passage of a capture's text that a citation quotes: code points, end exclusive,
    ``quote == capture.text[start:end]`` checked on every write."""

    __tablename__ = "excerpt"
    __table_args__ = (
        CheckConstraint('start >= 0 AND "end" > start', name="ck_excerpt_span"),
        Index("ix_excerpt_citation_position", "citation_id", "position"),
        Index("ix_excerpt_capture_id", "capture_id"),
    )

    id: Mapped[intpk]
    #: the citation: a ``source`` row of an annotation
    citation_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"))
    capture_id: Mapped[int] = mapped_column(ForeignKey("capture.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    start: Mapped[int]
    end: Mapped[int]
    quote: Mapped[str] = mapped_column(Text)

    capture: Mapped[Capture] = relationship(lazy="select")

    def as_dict(self) -> dict:
        return {
            "capture_id": self.capture_id,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
        }
