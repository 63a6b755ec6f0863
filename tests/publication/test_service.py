"""services/publication.py: an approved claim published, in its history; what is refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from factcheck.extensions import db
from factcheck.models import ReviewEvent, Role, Status
from factcheck.permissions import can_publish
from factcheck.services import publication, review
from factcheck.services.errors import Conflict, Invalid, NotAllowed

URL = "https://verif.example/2026/chomage"


def _events(annotation):
    return list(
        db.session.scalars(
            db.select(ReviewEvent)
            .where(ReviewEvent.annotation_id == annotation.id)
            .order_by(ReviewEvent.id)
        )
    )


def test_publish_records_url_date_and_history(desk):
    a = desk.approved
    at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    event = publication.publish(
        db.session, a, desk.reviewer, URL, "2026-12-01T10:30:00+01:00", version=1
    )
    db.session.commit()
    db.session.refresh(a)
    assert (a.status, a.version, a.published_url, a.published_at) == (Status.APPROVED, 2, URL, at)
    last = _events(a)[-1]
    assert last.id == event.id
    assert (last.from_status, last.to_status, last.action) == (
        Status.APPROVED,
        Status.APPROVED,
        "publish",
    )
    assert last.comment == f"Published at {URL}"
    assert last.version == 2
    assert publication.readable(last) == f"Published at {URL}"


def test_published_at_defaults_to_now_and_a_date_is_midnight(desk):
    a = desk.approved
    before = datetime.now(UTC)
    publication.publish(db.session, a, desk.reviewer, URL, version=1)
    db.session.commit()
    assert before.replace(microsecond=0) <= a.published_at <= datetime.now(UTC)
    publication.publish(db.session, a, desk.reviewer, URL + "-fixed", "2026-11-30", version=2)
    db.session.commit()
    assert a.published_at == datetime(2026, 11, 30, tzinfo=UTC)


def test_republishing_a_corrected_url_is_recorded_twice(desk):
    a = desk.approved
    publication.publish(db.session, a, desk.reviewer, URL, version=1)
    publication.publish(db.session, a, desk.admin, URL + "?v=2", version=2)
    db.session.commit()
    publishes = [e for e in _events(a) if e.action == "publish"]
    assert [e.comment for e in publishes] == [f"Published at {URL}", f"Published at {URL}?v=2"]
    assert a.published_url == URL + "?v=2"


def test_the_same_address_again_changes_nothing(desk):
    a = desk.approved
    publication.publish(db.session, a, desk.reviewer, URL, version=1)
    db.session.commit()
    with pytest.raises(Conflict) as caught:
        publication.publish(db.session, a, desk.reviewer, URL, version=2)
    assert caught.value.code == "already_published"
    db.session.rollback()
    assert len([e for e in _events(a) if e.action == "publish"]) == 1


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://verif.example/x", "verif.example/x", "https:///nohost",
     "https://a b.example", "", "   ", None, 42, "https://x.example/" + "a" * 2000],
)  # fmt: skip
def test_only_http_addresses(desk, url):
    with pytest.raises(Invalid) as caught:
        publication.publish(db.session, desk.approved, desk.reviewer, url, version=1)
    assert caught.value.field == "published_url"
    assert caught.value.status == 422
    db.session.rollback()
    assert desk.approved.published_url is None


@pytest.mark.parametrize(
    "moment", ["yesterday", "2026-13-01", "2026-12-01T25:00", "12/01/2026", "2026", 20261201, True,
               "0001-01-01T00:00:00+05:00"],
)  # fmt: skip
def test_malformed_published_at_is_422(desk, moment):
    with pytest.raises(Invalid) as caught:
        publication.publish(db.session, desk.approved, desk.reviewer, URL, moment, version=1)
    assert caught.value.field == "published_at"


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.DRAFT, Status.REJECTED])
def test_only_approved_claims(desk, make, status):
    a = make.annotation(article=desk.article, author=desk.annotator, status=status)
    with pytest.raises(Conflict) as caught:
        publication.publish(db.session, a, desk.reviewer, URL, version=1)
    assert caught.value.code == "not_approved"
    assert f"this one is {status.value}" in caught.value.message


def test_stale_version_is_409_and_nothing_written(desk):
    with pytest.raises(Conflict) as caught:
        publication.publish(db.session, desk.approved, desk.reviewer, URL, version=7)
    assert caught.value.code == "stale_version"
    assert caught.value.details["current"] == {"status": "approved", "version": 1}
    db.session.rollback()
    assert desk.approved.published_url is None


def test_who_may_publish(desk, make):
    a = desk.approved
    project_admin = make.user("pam", roles=[Role.PROJECT_ADMIN])
    assert can_publish(desk.reviewer, a) and can_publish(desk.admin, a)
    assert can_publish(project_admin, a)
    assert not can_publish(desk.annotator, a)
    assert not can_publish(desk.outsider, a)  # a reviewer, of another project
    with pytest.raises(NotAllowed):
        publication.publish(db.session, a, desk.annotator, URL, version=1)
    publication.publish(db.session, a, project_admin, URL, version=1)
    assert a.published_url == URL


def test_archived_project_refuses(desk):
    desk.approved.project.archived = True
    db.session.commit()
    with pytest.raises(Conflict) as caught:
        publication.publish(db.session, desk.approved, desk.reviewer, URL, version=1)
    assert caught.value.code == "archived"


def test_reopened_claim_keeps_its_address_and_cannot_be_published_until_approved(desk):
    a = desk.approved
    publication.publish(db.session, a, desk.reviewer, URL, version=1)
    review.reopen(db.session, a, desk.admin, version=2, reason="A figure is wrong.")
    db.session.commit()
    assert (a.status, a.published_url) == (Status.SUBMITTED, URL)
    with pytest.raises(Conflict):
        publication.publish(db.session, a, desk.reviewer, URL + "2", version=3)


def test_unpublish(desk):
    a = desk.approved
    publication.publish(db.session, a, desk.reviewer, URL, version=1)
    publication.unpublish(db.session, a, desk.reviewer, version=2)
    db.session.commit()
    assert (a.published_url, a.published_at, a.version) == (None, None, 3)
    last = _events(a)[-1]
    assert last.action == "unpublish"
    assert publication.readable(last) == f"Unpublished (it was at {URL})"
    with pytest.raises(Conflict) as caught:
        publication.unpublish(db.session, a, desk.reviewer, version=3)
    assert caught.value.code == "not_published"


def test_publisher_setting(desk):
    project = desk.approved.project
    publication.set_publisher(project, "  Les Vérificateurs ", "https://verif.example")
    assert (project.publisher_name, project.publisher_url) == (
        "Les Vérificateurs",
        "https://verif.example",
    )
    publication.set_publisher(project, "", "")
    assert (project.publisher_name, project.publisher_url) == (None, None)
    with pytest.raises(Invalid) as caught:
        publication.set_publisher(project, "X", "javascript:alert(1)")
    assert caught.value.field == "publisher_url"
    with pytest.raises(Invalid) as caught:
        publication.set_publisher(project, "x" * 301, "")
    assert caught.value.field == "publisher_name"
