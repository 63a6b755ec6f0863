"""An adjudicator's safety net (issue 23): their last decision can be undone for a few
minutes, the article reopens when it had closed it; the page carries what its keys ask
before closing an article or dropping a group both annotators agreed on."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from factcheck.extensions import db
from factcheck.models import Annotation, Role, Status
from factcheck.models.assignment import Adjudication, AssignmentArticle
from factcheck.services import adjudication, adjudication_undo, assignments
from factcheck.services.errors import Conflict

from .test_api import TEXT


@pytest.fixture
def article(make):
    """Two annotators done with one article: group 1 agreed (both "false"), group 2 not."""
    admin = make.user("admin", roles=[Role.ADMIN])
    ann, bob = make.user("ann"), make.user("bob")
    rev = make.user("rev", roles=[Role.REVIEWER])
    article = make.article(TEXT, title="Un article à double lecture")
    assignment = assignments.create(
        db.session,
        admin,
        {
            "name": "Round",
            "article_ids": [article.id],
            "annotators": ["ann", "bob"],
            "per_article": 2,
        },
    )
    make.annotation(article=article, author=ann, start=0, end=30, verdict="false")
    make.annotation(article=article, author=bob, start=0, end=32, verdict="false")
    make.annotation(article=article, author=ann, start=60, end=80, verdict="true")
    make.annotation(article=article, author=bob, start=60, end=80, verdict="mixed")
    for person in (ann, bob):
        assignments.mark_done(db.session, assignment, article.id, person)
    db.session.commit()
    aa = adjudication.get(db.session, assignment.id, article.id)
    return aa, rev


def _decide(aa, rev, number: int, decision: str):
    group = adjudication.groups(db.session, aa)[number - 1]
    data = {"start": group.start, "end": group.end, "decision": decision}
    if decision == "accept":
        data["annotation_id"] = group.versions[0].id
    row = adjudication.decide(db.session, aa, rev, data)
    db.session.commit()
    return row


def approved() -> int:
    return db.session.scalar(
        select(func.count()).select_from(Annotation).where(Annotation.status == Status.APPROVED)
    )


def test_undoing_the_decision_that_closed_the_article_reopens_it(article):
    aa, rev = article
    _decide(aa, rev, 1, "drop")
    last = _decide(aa, rev, 2, "accept")
    assert aa.adjudicated_at is not None and approved() == 1
    adjudication_undo.undo(db.session, rev, last.id)
    db.session.commit()
    db.session.refresh(aa)
    assert aa.adjudicated_at is None and aa.reserved_by_id == rev.id
    assert approved() == 0  # the accepted copy is withdrawn
    open_groups = [g for g in adjudication.groups(db.session, aa) if g.decision is None]
    assert len(open_groups) == 1 and open_groups[0].start == 60
    _decide(aa, rev, 2, "drop")  # and the group can be decided again
    assert aa.adjudicated_at is not None


def test_only_the_last_decision_and_only_for_a_few_minutes(article, make):
    aa, rev = article
    first = _decide(aa, rev, 1, "drop")
    second = _decide(aa, rev, 2, "drop")
    with pytest.raises(Conflict):
        adjudication_undo.undo(db.session, rev, first.id)
    other = make.user("rex", roles=[Role.REVIEWER])
    with pytest.raises(Conflict):
        adjudication_undo.undo(db.session, other, second.id)
    late = second.at - timedelta(minutes=adjudication_undo.UNDO_MINUTES + 1)
    db.session.execute(update(Adjudication).values(at=late))
    db.session.commit()
    with pytest.raises(Conflict):
        adjudication_undo.undo(db.session, rev, second.id)


def test_the_page_offers_undo_and_says_what_to_ask(client, login, article):
    aa, rev = article
    login(rev)
    url = f"/assignments/{aa.assignment_id}/articles/{aa.article_id}/adjudicate"
    page = client.get(url).get_data(as_text=True)
    checks = re.search(r'id="adjudication-checks"[^>]*data-agreed="([^"]*)"', page)
    assert json.loads(checks.group(1).replace("&#34;", '"')) == [0]  # group 1 agrees
    assert 'id="adjudication-undo"' not in page

    _decide(aa, rev, 1, "drop")
    page = client.get(url).get_data(as_text=True)
    assert "You dropped group 1." in page and 'id="adjudication-undo"' in page
    decision = db.session.scalar(select(Adjudication.id))
    response = client.post("/review/adjudication/undo", data={"decision": decision})
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    shown = client.get(url).get_data(as_text=True)
    assert "Decision undone: group 1 is open again." in shown
    assert db.session.scalar(select(func.count()).select_from(Adjudication)) == 0
    db.session.rollback()
    assert db.session.get(AssignmentArticle, aa.id).adjudicated_at is None
