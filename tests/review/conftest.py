"""Fixtures of the review tests: a small cast of users and submitted claims."""

from __future__ import annotations

from datetime import timedelta

import pytest

from factcheck.models import Role, Status, utcnow


@pytest.fixture
def cast(make):
    """An annotator, two reviewers, an admin, and an article."""

    class Cast:
        annotator = make.user("anna", roles=[Role.ANNOTATOR], display_name="Anna")
        reviewer = make.user("rita", roles=[Role.REVIEWER], display_name="Rita")
        reviewer2 = make.user("remi", roles=[Role.REVIEWER], display_name="Rémi")
        admin = make.user("ada", roles=[Role.ADMIN], display_name="Ada")
        article = make.article(title="Le chômage")

    return Cast


@pytest.fixture
def submitted(make, cast):
    """``submitted(n)``: n submitted claims by the annotator, oldest first."""

    def _make(n: int = 1, author=None, **kw):
        items = []
        base = utcnow() - timedelta(hours=1)
        for i in range(n):
            a = make.annotation(
                article=cast.article, author=author or cast.annotator, status=Status.SUBMITTED, **kw
            )
            a.submitted_at = base + timedelta(seconds=i)
            items.append(a)
        make.session.commit()
        return items

    return _make


@pytest.fixture(autouse=True)
def _reset_write_intent():
    """Test-client POSTs run in the test's thread and set ``write_intent`` (a ContextVar)
    that nothing resets: afterwards every transaction of this thread would take SQLite's
    write lock, even for reads, and block other processes (the live server of the browser
    tests). Reset it around each test."""
    from factcheck.database import write_intent

    write_intent.set(False)
    yield
    write_intent.set(False)
