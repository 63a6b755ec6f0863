"""Fixtures of the articles tests: an admin, and a way to import bytes as a file."""

from __future__ import annotations

import pytest

from factcheck.extensions import db
from factcheck.models import Role
from factcheck.services import importing


@pytest.fixture
def admin(make):
    return make.user(roles=[Role.ADMIN])


@pytest.fixture
def import_bytes(app_ctx):
    """Import ``data`` as a file called ``name``; the report, after a commit."""

    def _import(data: bytes, name: str = "file.txt", **options) -> importing.ImportReport:
        report = importing.import_files(db.session, [(name, data)], None, **options)
        db.session.commit()
        return report

    return _import
