"""Undo of one's own decision (a few minutes, a recorded transition back), "fix and
approve" (recorded, the author told), and the race loser told who decided and when."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from factcheck.extensions import db
from factcheck.models import Annotation, ReviewEvent, Status
from factcheck.services import review, review_undo
from factcheck.services.errors import Conflict, Invalid, NotAllowed


def events(annotation_id: int) -> list[tuple]:
    rows = db.session.scalars(
        select(ReviewEvent)
        .where(ReviewEvent.annotation_id == annotation_id)
        .order_by(ReviewEvent.id)
    )
    return [(e.from_status, e.to_status, e.actor.username) for e in rows]


def test_undo_puts_the_claim_back_in_review_and_keeps_history(cast, submitted):
    (item,) = submitted(1)
    review.approve(db.session, item, cast.reviewer, version=item.version)
    db.session.commit()
    review_undo.undo(db.session, item, cast.reviewer, version=item.version)
    db.session.commit()
    assert item.status is Status.SUBMITTED and item.reviewer_id is None
    assert item.reserved_by_id == cast.reviewer.id  # held for the reviewer who re-decides
    assert events(item.id)[-2:] == [
        (Status.SUBMITTED, Status.APPROVED, "rita"),
        (Status.APPROVED, Status.SUBMITTED, "rita"),
    ]
    review.reject(db.session, item, cast.reviewer, version=item.version, comment="No.")
    db.session.commit()
    assert item.status is Status.REJECTED


def test_only_the_deciding_reviewer_may_undo_and_only_for_a_few_minutes(cast, submitted):
    (item,) = submitted(1)
    review.approve(db.session, item, cast.reviewer, version=item.version)
    db.session.commit()
    with pytest.raises(NotAllowed):
        review_undo.undo(db.session, item, cast.reviewer2, version=item.version)
    db.session.rollback()
    late = item.reviewed_at - timedelta(minutes=review_undo.UNDO_MINUTES + 1)
    db.session.execute(update(Annotation).where(Annotation.id == item.id).values(reviewed_at=late))
    db.session.commit()
    db.session.refresh(item)
    with pytest.raises(Conflict) as error:
        review_undo.undo(db.session, item, cast.reviewer, version=item.version)
    assert error.value.code == "undo_expired"


def test_undo_of_a_rejection_the_author_already_edited_is_refused(cast, submitted):
    (item,) = submitted(1)
    review.reject(db.session, item, cast.reviewer, version=item.version, comment="Source?")
    db.session.commit()
    seen = item.version
    db.session.execute(
        update(Annotation).where(Annotation.id == item.id).values(version=Annotation.version + 1)
    )
    db.session.commit()
    db.session.refresh(item)
    with pytest.raises(Conflict):
        review_undo.undo(db.session, item, cast.reviewer, version=seen)


def test_fix_and_approve_records_the_edit_and_tells_the_author(cast, submitted):
    (item,) = submitted(1, claim="Unemployment fell by 20 %.")
    old_claim = item.claim
    review_undo.fix_and_approve(
        db.session,
        item,
        cast.reviewer,
        {"claim": "Unemployment fell by 2 %.", "sources": [{"url": "https://insee.fr/x"}]},
        version=item.version,
        comment="Typo in the figure.",
    )
    db.session.commit()
    assert item.status is Status.APPROVED and item.reviewer_id == cast.reviewer.id
    assert item.claim == "Unemployment fell by 2 %."
    assert [s.url for s in item.sources] == ["https://insee.fr/x"]
    assert old_claim in item.review_comment and "Typo in the figure." in item.review_comment
    last = db.session.scalars(
        select(ReviewEvent).where(ReviewEvent.annotation_id == item.id).order_by(ReviewEvent.id)
    ).all()[-1]
    assert (last.from_status, last.to_status) == (Status.SUBMITTED, Status.APPROVED)
    assert old_claim in last.comment and "https://insee.fr/x" in last.comment


def test_fix_and_approve_keeps_the_four_eyes_rule_and_refuses_no_change(cast, submitted):
    (item,) = submitted(1)
    with pytest.raises(NotAllowed):
        review_undo.fix_and_approve(
            db.session, item, cast.annotator, {"claim": "Mine."}, version=item.version
        )
    with pytest.raises(Invalid):
        review_undo.fix_and_approve(
            db.session, item, cast.reviewer, {"claim": item.claim}, version=item.version
        )


def test_the_race_loser_is_told_who_decided_and_when(cast, submitted):
    (item,) = submitted(1)
    seen = item.version
    review.approve(db.session, item, cast.reviewer, version=seen)
    db.session.commit()
    with pytest.raises(Conflict) as error:
        review.reject(db.session, item, cast.reviewer2, version=seen, comment="No.")
    when = item.reviewed_at.strftime("%Y-%m-%d %H:%M")
    assert "rita" in error.value.message and when in error.value.message


def test_the_html_undo_round_trip(client, login_as, cast, submitted):
    (item,) = submitted(1)
    login_as(cast.reviewer)
    client.post(f"/review/{item.id}/approve", data={"version": item.version})
    queue = client.get("/review/").get_data(as_text=True)
    assert f"You approved “{item.claim}”." in queue
    db.session.rollback()
    version = db.session.get(Annotation, item.id).version
    response = client.post(f"/review/{item.id}/undo", data={"version": version})
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.get(Annotation, item.id).status is Status.SUBMITTED
    assert "You approved" not in client.get("/review/").get_data(as_text=True)


#: an author's text that a note must keep exactly: quotes, arrows, new lines, long
AUTHORS_RATIONALE = (
    "L'Insee « compte » autrement → voir la série 2.\n\n"
    + "Deuxième paragraphe, assez long pour dépasser deux cents caractères. " * 4
)


def _fix_everything(cast, item):
    review_undo.fix_and_approve(
        db.session,
        item,
        cast.reviewer,
        {
            "claim": "Unemployment fell by 2 %.",
            "claimant": "The minister",
            "rationale": "Rewritten by the reviewer.",
            "sources": [{"url": "https://insee.fr/x", "title": "Insee"}],
        },
        version=item.version,
        comment="Typo in the figure.",
    )
    db.session.commit()


def test_undo_after_a_fix_puts_the_authors_text_back(cast, submitted, make):
    (item,) = submitted(
        1,
        claim="Unemployment fell by 20 % » → « said he.",
        claimant="Le président",
        rationale=AUTHORS_RATIONALE,
        sources=2,
    )
    authors_sources = [s.as_dict() for s in item.sources]
    _fix_everything(cast, item)
    assert item.claim == "Unemployment fell by 2 %."

    review_undo.undo(db.session, item, cast.reviewer, version=item.version)
    db.session.commit()
    db.session.refresh(item)
    assert item.status is Status.SUBMITTED
    assert (item.claim, item.claimant, item.rationale) == (
        "Unemployment fell by 20 % » → « said he.",
        "Le président",
        AUTHORS_RATIONALE,
    )
    assert [s.as_dict() for s in item.sources] == authors_sources
    # the history keeps both texts: the fix's row and the undo's
    fix, undone = db.session.scalars(
        select(ReviewEvent).where(ReviewEvent.annotation_id == item.id).order_by(ReviewEvent.id)
    ).all()[-2:]
    assert "Unemployment fell by 20 %" in fix.comment and "Unemployment fell by 2 %." in fix.comment
    assert "https://insee.fr/x" in fix.comment and "source/1" in fix.comment
    assert (undone.from_status, undone.to_status) == (Status.APPROVED, Status.SUBMITTED)
    assert "claim, claimant, rationale, sources" in undone.comment


def test_undo_of_a_plain_approval_changes_no_text(cast, submitted):
    (item,) = submitted(1, claim="As the author wrote it.")
    review.approve(db.session, item, cast.reviewer, version=item.version)
    db.session.commit()
    assert not review_undo.undoes_a_fix(db.session, item)
    review_undo.undo(db.session, item, cast.reviewer, version=item.version)
    db.session.commit()
    assert item.claim == "As the author wrote it." and len(item.sources) == 1


def test_the_html_undo_of_a_fix_says_the_authors_text_is_back(client, login_as, cast, submitted):
    (item,) = submitted(1, claim="Unemployment fell by 20 %.")
    login_as(cast.reviewer)
    client.post(
        f"/review/{item.id}/fix",
        data={
            "version": item.version,
            "claim": "Unemployment fell by 2 %.",
            "claimant": item.claimant,
            "rationale": item.rationale,
            "sources-0-url": item.sources[0].url,
            "sources-0-title": item.sources[0].title,
            "sources-0-note": "",
        },
    )
    queue = client.get("/review/").get_data(as_text=True)
    assert "You fixed and approved “" in queue and "undo puts the author" in queue
    db.session.rollback()
    version = db.session.get(Annotation, item.id).version
    response = client.post(f"/review/{item.id}/undo", data={"version": version})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "as its author wrote it" in page
    db.session.rollback()
    assert db.session.get(Annotation, item.id).claim == "Unemployment fell by 20 %."
