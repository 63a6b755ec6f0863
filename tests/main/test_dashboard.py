"""The home dashboard of each role (factcheck/main, services/dashboard.py)."""

from __future__ import annotations

import re

from factcheck.models import Status
from factcheck.permissions import Role

from ..sql import statements


def page_text(response) -> str:
    return response.get_data(as_text=True)


def test_dashboard_for_each_role(client, login_as, make, cast, submitted):
    a, b, c = submitted(3)
    make.annotation(article=cast.article, author=cast.annotator)  # a draft
    login_as(cast.reviewer)
    client.post(f"/review/{a.id}/reject", data={"version": 1, "comment": "Quelle source ?"})
    client.post(f"/review/{b.id}/approve", data={"version": 1})

    login_as(cast.annotator)
    html = page_text(client.get("/"))
    assert "Rejected: to revise" in html and "Quelle source ?" in html
    assert "Your drafts" in html and "Recent decisions on your claims" in html
    assert "Review queue" not in html

    login_as(cast.reviewer)
    html = page_text(client.get("/"))
    assert "Your recent reviews" in html and "Reserved by you" in html
    assert re.search(r'class="big-number">1<', html)  # c waits (b approved, a rejected)

    login_as(cast.admin)
    html = page_text(client.get("/"))
    assert html.count("<svg") >= 3 and "Per annotator" in html
    assert "style=" not in html
    assert 'fill="#c62828"' in html  # the verdict's colour, as an SVG attribute


def test_dashboard_query_count_does_not_grow_with_rows(app, client, login_as, make, cast):
    def count_queries() -> int:
        with statements() as seen:
            assert client.get("/").status_code == 200
        return len(seen)

    login_as(cast.admin)
    make.annotation(article=cast.article, author=cast.annotator, status=Status.REJECTED)
    count_queries()  # warm up: first-request work is not per row
    login_as(cast.admin)
    few = count_queries()
    for _ in range(5):
        other = make.user(roles=[Role.ANNOTATOR])
        make.annotation(article=cast.article, author=other, status=Status.REJECTED)
        make.annotation(article=cast.article, author=other, status=Status.APPROVED)
    login_as(cast.admin)
    assert count_queries() == few
