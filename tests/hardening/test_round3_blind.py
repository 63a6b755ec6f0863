"""Blindness and membership, round 3 (issue 24, items 3 to 5): one test per finding.

Each of these failed on the behaviour the outside test found.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Role, Status, Verdict

TEXT = (
    "Le ministre affirme que le chômage a baissé de 10 % en un an.\n\n"
    "Il ajoute que la dette publique a doublé depuis 2015, ce que conteste l'opposition."
)


# --- 3. the export page says nothing of a hidden verdict ---------------------------------------


@pytest.fixture
def hidden_claim(make, blind):
    """In the blind default project: a claim in review whose verdict (``misleading``) rita has
    not seen, an approved claim on another article, and rita, who owes her verdict."""
    author = make.user("anna", roles=[Role.ANNOTATOR])
    reviewer = make.user("rita", roles=[Role.REVIEWER])
    article = make.article(TEXT, title="With a claim in review")
    other = make.article(TEXT, title="Another article")
    hidden = make.annotation(
        article=article, author=author, status=Status.SUBMITTED, verdict="misleading"
    )
    make.annotation(article=other, author=author, status=Status.APPROVED, verdict="true")
    return reviewer, hidden, other


def _figures(html: str) -> tuple[int, int]:
    """(rows, claims left out) as the export page states them."""
    total = re.search(r"<strong>(\d+) rows?</strong>", html)
    left = re.search(r'id="blind-left-out">(\d+) claims? in review', html)
    assert total, html[:500]
    return int(total.group(1)), int(left.group(1)) if left else 0


def _keys() -> list[str]:
    return list(db.session.scalars(select(Verdict.key).order_by(Verdict.position)))


@pytest.mark.parametrize("status", ["submitted", "all"])
def test_the_export_page_is_the_same_whatever_verdict_is_asked_for(
    client, login, hidden_claim, status
):
    reviewer, hidden, _other = hidden_claim
    login(reviewer)
    seen = {}
    for key in _keys():
        for article in ("", str(hidden.article_id)):
            query = {"status": status, "verdict": key, "article": article}
            html = client.get("/export/", query_string=query).get_data(as_text=True)
            seen[key, article] = _figures(html)
    # the claim in review is left out under every verdict: none tells its own apart
    assert {left for _rows, left in seen.values()} == {1}, seen
    if status == "submitted":
        assert {rows for rows, _left in seen.values()} == {0}, seen


def test_the_left_out_line_follows_the_other_filters(client, login, hidden_claim):
    reviewer, hidden, other = hidden_claim
    login(reviewer)
    html = client.get("/export/", query_string={"status": "submitted", "article": other.id})
    assert _figures(html.get_data(as_text=True)) == (0, 0)
    html = client.get("/export/", query_string={"status": "approved", "verdict": "misleading"})
    assert _figures(html.get_data(as_text=True)) == (0, 0)
