"""The adjudication page names the versions' authors without loading every account."""

from __future__ import annotations

from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Assignment

from ..sql import statements
from .test_pages import _world


def test_the_page_loads_only_the_authors_of_its_versions(client, login, make):
    admin, ann, bob, rev, article = _world(make)
    bystanders = [make.user(f"bystander{n}") for n in range(5)]
    login(admin)
    client.post(
        "/assignments/",
        data={
            "name": "Round",
            "article_ids": [str(article.id)],
            "annotators": ["ann", "bob"],
            "per_article": "2",
        },
    )
    assignment = db.session.scalar(select(Assignment))
    make.annotation(article=article, author=ann, start=0, end=30, verdict="false")
    make.annotation(article=article, author=bob, start=0, end=32, verdict="mixed")
    for user in (ann, bob):
        login(user)
        client.post(f"/assignments/{assignment.id}/articles/{article.id}/done")
    login(rev)
    url = f"/assignments/{assignment.id}/articles/{article.id}/adjudicate"
    with statements(select_only=True) as seen:
        page = client.get(url).get_data(as_text=True)
    assert "ann" in page and "bob" in page
    everyone = [s for s in seen if "FROM user_account" in s and "WHERE" not in s]
    assert everyone == []
    assert not any(b.username in page for b in bystanders)
