"""A reviewer works through the queue with the keyboard alone; the annotator revises;
a second reviewer approves the revision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from factcheck.extensions import db
from factcheck.models import Annotation, Status, utcnow
from factcheck.permissions import Role
from factcheck.services import review

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _reads_take_no_write_lock():
    """An earlier test-client POST in this thread may have left ``write_intent`` set; then
    this test's own reads would hold SQLite's write lock and block the live server."""
    from factcheck.database import write_intent

    write_intent.set(False)


def revise_and_resubmit(annotation: Annotation, author, claim: str) -> None:
    """The annotator's side, through the service layer: the annotate page and its API are
    built in parallel by another engineer, so this stands in for "edit, then Submit" with
    the same optimistic rule (a conditional, version-bumping UPDATE) and the real submit."""
    seen = annotation.version
    result = db.session.execute(
        update(Annotation)
        .where(Annotation.id == annotation.id, Annotation.version == seen)
        .values(claim=claim, version=seen + 1, updated_at=utcnow())
    )
    assert result.rowcount == 1
    db.session.refresh(annotation)
    review.submit(db.session, annotation, author, version=annotation.version)
    db.session.commit()


def test_keyboard_review_round_trip(page, make, browser_login, screenshot):
    annotator = make.user("anna", roles=[Role.ANNOTATOR], display_name="Anna Annotatrice")
    first = make.user("rita", roles=[Role.REVIEWER], display_name="Rita Relectrice")
    second = make.user("remi", roles=[Role.REVIEWER], display_name="Rémi Relecteur")
    article = make.article(title="Le chômage en France")
    text = article.text
    spans = [(text.index("Le chômage"), text.index(" » 🎉")), (text.index("Selon"), len(text))]
    items = []
    for i, (start, end) in enumerate([spans[0], spans[1], spans[0]]):
        a = make.annotation(
            article=article,
            author=annotator,
            start=start,
            end=end,
            status=Status.SUBMITTED,
            claim=f"Claim number {i + 1}.",
            claimant="Le président",
            verdict=["false", "mostly_true", "misleading"][i],
        )
        a.submitted_at = utcnow() - timedelta(minutes=30 - i)
        items.append(a)
    db.session.commit()
    one, two, three = (a.id for a in items)

    browser_login(page, first)
    page.goto("/review/")
    screenshot(page, "review-queue")
    page.keyboard.press("n")  # Start reviewing
    page.wait_for_url(f"**/review/{one}")
    screenshot(page, "review-item")
    page.keyboard.press("a")  # approve → the next item opens
    page.wait_for_url(f"**/review/{two}")
    page.keyboard.press("j")  # look ahead, and back
    page.wait_for_url(f"**/review/{three}")
    page.keyboard.press("k")
    page.wait_for_url(f"**/review/{two}")
    page.keyboard.press("r")  # focus the comment, type, Enter rejects
    page.keyboard.type("Le chiffre de l'Insee est 7,3 %, pas 7,4 %.")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/review/{three}")
    page.keyboard.press("s")  # skip: nothing else is left for this reviewer
    page.wait_for_url("**/review/")
    assert "you skipped the rest" in page.inner_text(".flashes")
    assert page.js_errors == []

    db.session.rollback()  # see what the server wrote
    stored = {a.id: db.session.get(Annotation, a.id) for a in items}
    assert stored[one].status is Status.APPROVED and stored[one].reviewer_id == first.id
    assert stored[two].status is Status.REJECTED
    assert stored[two].review_comment == "Le chiffre de l'Insee est 7,3 %, pas 7,4 %."
    assert stored[three].status is Status.SUBMITTED and stored[three].reserved_by_id is None

    # the annotator sees the rejection with its comment on the home page
    page.context.clear_cookies()
    browser_login(page, annotator)
    page.goto("/")
    assert "Le chiffre de l'Insee est 7,3 %" in page.inner_text("#dash-revise")
    screenshot(page, "review-dashboard-annotator")
    revise_and_resubmit(stored[two], annotator, "Le chômage est passé de 7,4 % à 7,3 %.")

    # a second reviewer approves the revision (after skipping the older item)
    page.context.clear_cookies()
    browser_login(page, second)
    page.goto("/review/")
    page.keyboard.press("n")
    page.wait_for_url(f"**/review/{three}")
    page.keyboard.press("s")
    page.wait_for_url(f"**/review/{two}")
    assert "Le chômage est passé de 7,4 % à 7,3 %." in page.inner_text(".claim-text")
    assert "Le chiffre de l'Insee" in page.inner_text(".history")  # the earlier round
    screenshot(page, "review-item-second-round")
    page.keyboard.press("a")
    page.wait_for_url("**/review/")
    assert page.js_errors == []

    db.session.rollback()
    revised = db.session.get(Annotation, two)
    assert (revised.status, revised.reviewer_id) == (Status.APPROVED, second.id)
    assert [e.to_status for e in revised.events] == [
        Status.SUBMITTED,
        Status.REJECTED,
        Status.SUBMITTED,
        Status.APPROVED,
    ]


def test_admin_dashboard_charts(page, make, browser_login, screenshot):
    admin = make.user("ada", roles=[Role.ADMIN, Role.REVIEWER], display_name="Ada Admin")
    authors = [make.user(f"a{i}", roles=[Role.ANNOTATOR]) for i in range(3)]
    article = make.article()
    verdicts = ["true", "false", "mixed", "misleading", "false", "mostly_false"]
    statuses = [Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.REJECTED]
    for i in range(18):
        make.annotation(
            article=article,
            author=authors[i % 3],
            status=statuses[i % 4],
            verdict=verdicts[i % 6],
        )
    browser_login(page, admin)
    page.goto("/")
    assert page.locator("svg.chart").count() >= 3
    screenshot(page, "review-dashboard-admin")
    assert page.js_errors == []
