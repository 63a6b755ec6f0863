"""Shared column types for the models."""

import enum
from datetime import UTC, datetime
from typing import Annotated

from sqlalchemy import DateTime, Enum, Integer, TypeDecorator
from sqlalchemy.orm import mapped_column


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use datetime.now(UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
#: the largest id an Integer column holds (PostgreSQL: 32-bit); a larger number in a URL or
#: a filter names nothing, and must not reach the database (it answers "out of range")
MAX_ID = 2**31 - 1
timestamp = Annotated[datetime, mapped_column(UTCDateTime, default=utcnow)]


def str_enum(values: type[enum.StrEnum], name: str, length: int) -> Enum:
    """A VARCHAR column of ``values``' string values, checked in Python (no native enum)."""
    return Enum(
        values,
        name=name,
        values_callable=lambda e: [m.value for m in e],
        native_enum=False,
        length=length,
        validate_strings=True,
    )
