"""The queue: order, filters, counts, reservations that expire by themselves, Skip."""

from __future__ import annotations

from datetime import timedelta

from factcheck.extensions import db
from factcheck.models import Status, utcnow
from factcheck.services import queue


def test_queue_is_oldest_first_without_own_and_non_submitted(make, cast, submitted):
    items = submitted(3)
    own = submitted(1, author=cast.reviewer)[0]
    make.annotation(article=cast.article, author=cast.annotator)  # draft
    make.annotation(article=cast.article, author=cast.annotator, status=Status.APPROVED)
    page = queue.queue_page(db.session, cast.reviewer)
    assert [a.id for a in page.items] == [a.id for a in items]
    assert own.id not in [a.id for a in page.items]
    assert page.counts.total == 3


def test_filters(make, cast, submitted):
    a, b = submitted(2)
    other_article = make.article(title="Autre")
    c = make.annotation(
        article=other_article,
        author=cast.reviewer2,
        status=Status.SUBMITTED,
        claimant="Élise Lucet",
        verdict="true",
    )

    def ids(**kw):
        return [
            x.id
            for x in queue.queue_page(db.session, cast.reviewer, queue.QueueFilters(**kw)).items
        ]

    assert ids(article_id=other_article.id) == [c.id]
    assert ids(annotator="remi") == [c.id]
    assert ids(annotator="ANNA") == [a.id, b.id]
    assert ids(verdict="true") == [c.id]
    assert ids(claimant="lucet") == [c.id]
    assert ids(claimant="100%") == []  # LIKE wildcards are plain characters
    counts = queue.queue_counts(db.session, cast.reviewer, queue.QueueFilters(verdict="false"))
    assert counts.total == 2


def test_two_reviewers_get_different_items(cast, submitted):
    a, b = submitted(2)
    first = queue.next_item(db.session, cast.reviewer)
    second = queue.next_item(db.session, cast.reviewer2)
    assert (first.id, second.id) == (a.id, b.id)
    assert first.reserved_by_id == cast.reviewer.id
    assert first.reserved_until > utcnow() + timedelta(minutes=14)


def test_asking_again_returns_own_reservation(cast, submitted):
    a, _b = submitted(2)
    assert queue.next_item(db.session, cast.reviewer).id == a.id
    assert queue.next_item(db.session, cast.reviewer).id == a.id


def test_reservation_expires_by_itself(cast, submitted):
    (a,) = submitted(1)
    now = utcnow()
    assert queue.next_item(db.session, cast.reviewer, now=now).id == a.id
    assert queue.next_item(db.session, cast.reviewer2, now=now + timedelta(minutes=5)) is None
    later = now + timedelta(minutes=16)
    taken = queue.next_item(db.session, cast.reviewer2, now=later)
    assert taken.id == a.id and taken.reserved_by_id == cast.reviewer2.id


def test_counts_show_reservations(cast, submitted):
    submitted(3)
    queue.next_item(db.session, cast.reviewer)
    queue.next_item(db.session, cast.reviewer2)
    counts = queue.queue_counts(db.session, cast.reviewer)
    assert (counts.total, counts.reserved_by_me, counts.reserved_by_others, counts.free) == (
        3,
        1,
        1,
        2,
    )


def test_skip_releases_and_is_not_offered_again(cast, submitted):
    a, b = submitted(2)
    item = queue.next_item(db.session, cast.reviewer)
    assert item.id == a.id
    assert queue.release(db.session, item, cast.reviewer)
    assert item.reserved_by_id is None
    assert queue.next_item(db.session, cast.reviewer, skip=[a.id]).id == b.id
    # released: another reviewer may take it at once
    assert queue.next_item(db.session, cast.reviewer2).id == a.id


def test_release_leaves_others_reservations(cast, submitted):
    (a,) = submitted(1)
    item = queue.next_item(db.session, cast.reviewer)
    assert not queue.release(db.session, item, cast.reviewer2)
    assert item.reserved_by_id == cast.reviewer.id


def test_empty_queue_and_own_only(cast, submitted):
    assert queue.next_item(db.session, cast.reviewer) is None
    submitted(2, author=cast.reviewer)
    assert queue.next_item(db.session, cast.reviewer) is None
    assert queue.next_item(db.session, cast.admin) is not None


def test_neighbours_follow_queue_order(cast, submitted):
    a, b, c = submitted(3)
    assert queue.neighbours(db.session, cast.reviewer, b) == (a.id, c.id)
    assert queue.neighbours(db.session, cast.reviewer, a) == (None, b.id)
