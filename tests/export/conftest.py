"""Helpers for the export tests: users who may export, reviewed annotations, CSV parsing."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from factcheck.models import Role, Status


@pytest.fixture
def reviewer(make):
    return make.user(roles=[Role.REVIEWER])


@pytest.fixture
def admin(make):
    return make.user(roles=[Role.ADMIN])


@pytest.fixture
def reviewed(make, reviewer):
    """``reviewed(status=..., day=..., **kw)``: an annotation decided by ``reviewer``."""

    def _reviewed(status=Status.APPROVED, day: int = 25, **kw):
        decided = status in (Status.APPROVED, Status.REJECTED)
        if decided:
            kw.setdefault("reviewer_id", reviewer.id)
            kw.setdefault("reviewed_at", datetime(2026, 11, day, 10, 4, 5, 123456, tzinfo=UTC))
        return make.annotation(status=status, **kw)

    return _reviewed


def parse_csv(data: bytes | str) -> list[dict]:
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    return list(csv.DictReader(io.StringIO(text, newline="")))
