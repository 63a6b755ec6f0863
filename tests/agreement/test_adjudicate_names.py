"""The adjudication page names the versions' authors without loading every account."""

from __future__ import annotations

from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Article

from ..sql import statements
from .test_matrix_page import _round


def test_the_page_loads_only_the_authors_of_its_versions(client, login, make):
    assignment = _round(client, login, make, verdicts=("false", "mixed"))  # as the reviewer
    bystanders = [make.user(f"bystander{n}") for n in range(5)]
    article = db.session.scalar(select(Article))
    url = f"/assignments/{assignment.id}/articles/{article.id}/adjudicate"
    with statements(select_only=True) as seen:
        page = client.get(url).get_data(as_text=True)
    assert "ann" in page and "bob" in page
    everyone = [s for s in seen if "FROM user_account" in s and "WHERE" not in s]
    assert everyone == []
    assert not any(b.username in page for b in bystanders)
