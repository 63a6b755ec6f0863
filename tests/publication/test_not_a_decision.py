"""A publication keeps the claim approved: it is no second decision (dashboard, daily
figures) and it closes the reviewer's undo window."""

from __future__ import annotations

import pytest

from factcheck.extensions import db
from factcheck.models import utcnow
from factcheck.services import dashboard, publication, review, review_undo
from factcheck.services.errors import Conflict

URL = "https://verif.example/2026/chomage"


def _decided(desk):
    """The submitted claim approved by the desk's reviewer, then published by them."""
    claim = desk.submitted
    review.approve(db.session, claim, desk.reviewer, version=claim.version)
    db.session.commit()
    publication.publish(db.session, claim, desk.reviewer, URL, version=claim.version)
    db.session.commit()
    return claim


def test_the_reviewers_recent_reviews_list_the_approval_once(desk):
    claim = _decided(desk)
    board = dashboard.reviewer_board(db.session, desk.reviewer)
    rows = [(e.annotation_id, e.to_status.value) for e in board.recent_reviews]
    assert rows == [(claim.id, "approved")]


def test_the_daily_figures_count_one_approval(desk):
    _decided(desk)
    rows = dashboard._per_day(db.session, 2, utcnow())
    assert sum(row.approved for row in rows) == 1


def test_a_published_claim_cannot_be_undone_by_its_reviewer(desk):
    claim = _decided(desk)
    assert not review_undo.can_undo(claim, desk.reviewer)
    with pytest.raises(Conflict):
        review_undo.undo(db.session, claim, desk.reviewer, version=claim.version)


def test_the_history_in_json_names_the_publication(desk, client, login):
    claim = _decided(desk)
    login(desk.reviewer)
    history = client.get(f"/api/v1/annotations/{claim.id}").get_json()["history"]
    assert [(h["from"], h["to"], h["action"]) for h in history[-2:]] == [
        ("submitted", "approved", None),
        ("approved", "approved", "publish"),
    ]
