"""The workflow service: every transition, every refused one, four-eyes, history rows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import ReviewEvent, Status
from factcheck.permissions import Role
from factcheck.services import review, workflow
from factcheck.services.errors import Conflict, Invalid, NotAllowed


def events(annotation) -> list[ReviewEvent]:
    return list(
        db.session.scalars(
            select(ReviewEvent)
            .where(ReviewEvent.annotation_id == annotation.id)
            .order_by(ReviewEvent.id)
        )
    )


def test_submit_approve(make, cast):
    a = make.annotation(article=cast.article, author=cast.annotator)
    review.submit(db.session, a, cast.annotator, version=1)
    assert (a.status, a.version) == (Status.SUBMITTED, 2)
    review.approve(db.session, a, cast.reviewer, version=2)
    db.session.commit()
    assert (a.status, a.version, a.reviewer_id) == (Status.APPROVED, 3, cast.reviewer.id)
    assert a.reviewed_at is not None
    assert [(e.from_status, e.to_status, e.version) for e in events(a)] == [
        (None, Status.DRAFT, 1),
        (Status.DRAFT, Status.SUBMITTED, 2),
        (Status.SUBMITTED, Status.APPROVED, 3),
    ]


def test_reject_then_resubmit_then_approve_keeps_every_round(make, cast):
    a = make.annotation(article=cast.article, author=cast.annotator, status=Status.SUBMITTED)
    review.reject(db.session, a, cast.reviewer, version=1, comment="Source 2 is a blog.")
    assert a.status is Status.REJECTED and a.review_comment == "Source 2 is a blog."
    review.submit(db.session, a, cast.annotator, version=2)
    review.approve(db.session, a, cast.reviewer2, version=3)
    db.session.commit()
    rows = events(a)
    assert [e.to_status for e in rows] == [
        Status.SUBMITTED,
        Status.REJECTED,
        Status.SUBMITTED,
        Status.APPROVED,
    ]
    assert rows[1].comment == "Source 2 is a blog." and rows[1].actor_id == cast.reviewer.id
    assert rows[3].actor_id == cast.reviewer2.id
    assert [e.version for e in rows] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Status.DRAFT, Status.APPROVED),
        (Status.DRAFT, Status.REJECTED),
        (Status.APPROVED, Status.REJECTED),
        (Status.APPROVED, Status.APPROVED),
        (Status.REJECTED, Status.APPROVED),
        (Status.REJECTED, Status.REJECTED),
        (Status.SUBMITTED, Status.SUBMITTED),
        (Status.APPROVED, Status.DRAFT),
        (Status.REJECTED, Status.DRAFT),
    ],
)
def test_refused_transitions_change_nothing(make, cast, start, to):
    a = make.annotation(article=cast.article, author=cast.annotator, status=start)
    with pytest.raises(Conflict) as caught:
        workflow.transition(db.session, a, cast.admin, to, version=1, comment="why")
    assert caught.value.code == "invalid_transition"
    db.session.rollback()
    db.session.refresh(a)
    assert (a.status, a.version) == (start, 1)
    assert len(events(a)) == 1


def test_only_the_author_withdraws_a_submitted_claim(make, cast):
    a = make.annotation(article=cast.article, author=cast.annotator, status=Status.SUBMITTED)
    with pytest.raises(NotAllowed):
        review.withdraw(db.session, a, cast.admin, version=1)
    db.session.rollback()
    db.session.refresh(a)
    assert (a.status, a.version) == (Status.SUBMITTED, 1)
    review.withdraw(db.session, a, cast.annotator, version=1)
    db.session.commit()
    assert a.status is Status.DRAFT
    assert [e.to_status for e in events(a)] == [Status.SUBMITTED, Status.DRAFT]


@pytest.mark.parametrize("roles", [[Role.REVIEWER], [Role.ADMIN], [Role.REVIEWER, Role.ANNOTATOR]])
@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_four_eyes_nobody_reviews_their_own(make, cast, roles, decision):
    author = make.user(roles=roles)
    a = make.annotation(article=cast.article, author=author, status=Status.SUBMITTED)
    with pytest.raises(NotAllowed) as caught:
        review.decide(db.session, a, author, decision, version=1, comment="mine")
    assert caught.value.code == "four_eyes"
    assert "your own" in caught.value.message
    db.session.rollback()
    db.session.refresh(a)
    assert a.status is Status.SUBMITTED and len(events(a)) == 1


def test_annotator_without_review_role_cannot_decide(make, cast):
    a = make.annotation(article=cast.article, author=cast.annotator, status=Status.SUBMITTED)
    other = make.user(roles=[Role.ANNOTATOR])
    with pytest.raises(NotAllowed):
        review.approve(db.session, a, other, version=1)


def test_reject_needs_a_comment(make, cast):
    a = make.annotation(article=cast.article, author=cast.annotator, status=Status.SUBMITTED)
    with pytest.raises(Invalid) as caught:
        review.reject(db.session, a, cast.reviewer, version=1, comment="   ")
    assert caught.value.field == "comment"


def test_decision_needs_the_current_version(make, cast):
    a = make.annotation(article=cast.article, author=cast.annotator, status=Status.SUBMITTED)
    with pytest.raises(Invalid):
        review.approve(db.session, a, cast.reviewer, version=None)
    with pytest.raises(Conflict) as caught:
        review.approve(db.session, a, cast.reviewer, version=7)
    assert caught.value.details["current"] == {"status": "submitted", "version": 1}


def test_same_decision_twice_says_already_decided_by_you(make, cast):
    a = make.annotation(article=cast.article, author=cast.annotator, status=Status.SUBMITTED)
    review.approve(db.session, a, cast.reviewer, version=1)
    db.session.commit()
    with pytest.raises(Conflict) as caught:
        review.approve(db.session, a, cast.reviewer, version=1)
    assert caught.value.code == "already_decided"
    assert "Already approved by you" in caught.value.message
    # another reviewer repeating it is a plain conflict: somebody else decided
    with pytest.raises(Conflict) as other:
        review.approve(db.session, a, cast.reviewer2, version=1)
    assert other.value.code != "already_decided"
    db.session.rollback()
    assert len(events(a)) == 2


def test_reopen_by_admin_with_reason(make, cast):
    a = make.annotation(article=cast.article, author=cast.annotator, status=Status.APPROVED)
    with pytest.raises(NotAllowed):
        review.reopen(db.session, a, cast.reviewer, version=1, reason="typo")
    with pytest.raises(Invalid):
        review.reopen(db.session, a, cast.admin, version=1, reason=" ")
    review.reopen(db.session, a, cast.admin, version=1, reason="The source moved.")
    db.session.commit()
    assert (a.status, a.version) == (Status.SUBMITTED, 2)
    last = events(a)[-1]
    assert (last.from_status, last.to_status, last.comment, last.actor_id) == (
        Status.APPROVED,
        Status.SUBMITTED,
        "The source moved.",
        cast.admin.id,
    )


def test_a_decision_clears_the_reservation(make, cast):
    from factcheck.services import queue

    make.annotation(article=cast.article, author=cast.annotator, status=Status.SUBMITTED)
    a = queue.next_item(db.session, cast.reviewer)
    assert a.reserved_by_id == cast.reviewer.id
    review.approve(db.session, a, cast.reviewer, version=a.version)
    assert a.reserved_by_id is None and a.reserved_until is None


def test_paragraph_context_splits_at_the_span():
    text = "One.\n\nTwo « quoted » 🎉 claim here.\n\nThree.\n\nFour."
    start = text.index("🎉")
    ctx = review.paragraph_context(text, start, start + 7)
    assert ctx["quote"] == "🎉 claim"
    assert ctx["before"] == "Two « quoted » "
    assert ctx["after"] == " here."
    assert ctx["earlier"] == ["One."] and ctx["later"] == ["Three."]
    assert ctx["more_after"] and not ctx["more_before"]


def test_one_paragraph_rule_for_review_annotate_and_the_article_page():
    from factcheck.annotate.views import paragraphs as annotate_paragraphs
    from factcheck.articles.views import paragraphs as article_paragraphs

    text = "Titre du chapeau.\nUne ligne, un paragraphe.\nLa 🎉 phrase vérifiée ici.\n\nFin."
    start = text.index("🎉")
    ctx = review.paragraph_context(text, start, start + len("🎉 phrase"))
    assert ctx["before"] == "La " and ctx["after"] == " vérifiée ici."
    assert ctx["earlier"] == ["Une ligne, un paragraphe."] and ctx["later"] == ["Fin."]
    shown = [line for _start, line, _blank in annotate_paragraphs(text)]
    assert (
        shown
        == article_paragraphs(text)
        == [
            "Titre du chapeau.",
            "Une ligne, un paragraphe.",
            "La 🎉 phrase vérifiée ici.",
            "Fin.",
        ]
    )
