"""Fixtures of the publication tests: a desk with an approved claim, its reviewer, and a
reviewer of another project."""

from __future__ import annotations

import pytest

from factcheck.extensions import db
from factcheck.models import Role, Status
from factcheck.services import projects


@pytest.fixture
def desk(make):
    class Desk:
        annotator = make.user("anna", roles=[Role.ANNOTATOR])
        reviewer = make.user("rita", roles=[Role.REVIEWER])
        admin = make.user("ada", roles=[Role.ADMIN])
        article = make.article(title="Le chômage", url="https://news.example/chomage")
        approved = make.annotation(
            article=article, author=annotator, status=Status.APPROVED, claim="Le chômage a baissé."
        )
        submitted = make.annotation(article=article, author=annotator, status=Status.SUBMITTED)

    other = projects.create_project(db.session, name="Research", slug="research", template="fever")
    db.session.commit()
    Desk.outsider = make.user("olga", roles=[])
    projects.set_member_roles(db.session, other, Desk.outsider, [Role.REVIEWER])
    Desk.other = other
    db.session.commit()
    return Desk


@pytest.fixture(autouse=True)
def _reset_write_intent():
    """As in tests/review: test-client POSTs set ``write_intent`` in the test's thread."""
    from factcheck.database import write_intent

    write_intent.set(False)
    yield
    write_intent.set(False)
