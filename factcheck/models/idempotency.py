"""The first answer to a create request, kept under the (user, key) the client sent, so
that a repeat (a double-click, a retry after a lost answer) creates nothing."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import intpk, timestamp


class IdempotencyKey(db.Model):
    __tablename__ = "idempotency_key"
    __table_args__ = (
        # the guarantee: of two requests racing with one key, one insert wins
        UniqueConstraint("user_id", "key", name="uq_idempotency_key_user_key"),
        # the purge of keys older than 24 h
        Index("ix_idempotency_key_created_at", "created_at"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    #: sha256 of method, path and body: the same key on another request is refused
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int]
    body: Mapped[str] = mapped_column(Text, default="")
    #: JSON object of the headers replayed (Content-Type, Location)
    headers: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[timestamp]
