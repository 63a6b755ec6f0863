"""The agreement matrix on the assignment page: its colour follows the weaker of span and
verdict agreement, alpha says how many units it stands on, and French pages write French
decimals."""

from __future__ import annotations

import re

from flask import g
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Assignment, User

from .test_pages import _world


def _round(client, login, make, verdicts=("false", "true")):
    admin, ann, bob, rev, article = _world(make)
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
    # the same span, verdicts that disagree
    make.annotation(article=article, author=ann, start=0, end=30, verdict=verdicts[0])
    make.annotation(article=article, author=bob, start=0, end=30, verdict=verdicts[1])
    for user in (ann, bob):
        login(user)
        client.post(f"/assignments/{assignment.id}/articles/{article.id}/done")
    login(rev)
    return assignment


def test_same_spans_with_opposite_verdicts_are_not_green(client, login, make):
    assignment = _round(client, login, make)
    page = client.get(f"/assignments/{assignment.id}").get_data(as_text=True)
    cell = re.search(r'class="pair-cell heat-(\d)"', page)
    assert cell is not None and cell.group(1) == "0", page  # F1 1.000, alpha ≤ 0
    assert "1 unit)" in page


def test_agreeing_pairs_stay_green(client, login, make):
    assignment = _round(client, login, make, verdicts=("false", "false"))
    page = client.get(f"/assignments/{assignment.id}").get_data(as_text=True)
    assert 'class="pair-cell heat-4"' in page


def test_french_pages_write_french_decimals(client, login, make):
    assignment = _round(client, login, make)
    reviewer = db.session.scalar(select(User).where(User.username == "rev"))
    reviewer.locale = "fr"  # the profile's language
    db.session.commit()
    g.pop("_flask_babel", None)  # the tests' requests share one app context, and its cache
    page = client.get(f"/assignments/{assignment.id}").get_data(as_text=True)
    assert 'lang="fr"' in page
    assert "1,000" in page and "1.000" not in page
