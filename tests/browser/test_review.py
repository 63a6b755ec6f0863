"""A reviewer works through the queue with the keyboard alone; the annotator, in their
own browser, finds the rejection and its comment, revises and resubmits; a second
reviewer approves the revision."""

from __future__ import annotations

from datetime import timedelta

import pytest

from factcheck.extensions import db
from factcheck.models import Annotation, Role, Status, utcnow

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _reads_take_no_write_lock():
    """An earlier test-client POST in this thread may have left ``write_intent`` set; then
    this test's own reads would hold SQLite's write lock and block the live server."""
    from factcheck.database import write_intent

    write_intent.set(False)


@pytest.fixture
def other_page(new_page):
    """A second browser with its own cookies: the annotator at their own desk."""
    return new_page()


def test_keyboard_review_round_trip(page, other_page, make, browser_login, screenshot):
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
    comment = "Le chiffre de l'Insee est 7,3 %, pas 7,4 %."
    revised_claim = "Le chômage est passé de 7,4 % à 7,3 %."

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
    page.keyboard.type(comment)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/review/{three}")
    page.keyboard.press("s")  # skip: nothing else is left for this reviewer
    page.wait_for_url("**/review/")
    assert "1 claim you skipped still waits" in page.inner_text(".flashes")
    assert page.js_errors == []

    db.session.rollback()  # see what the server wrote
    stored = {a.id: db.session.get(Annotation, a.id) for a in items}
    assert stored[one].status is Status.APPROVED and stored[one].reviewer_id == first.id
    assert stored[two].status is Status.REJECTED
    assert stored[two].review_comment == comment
    assert stored[three].status is Status.SUBMITTED and stored[three].reserved_by_id is None

    # the annotator, in their own browser, sees the rejection and its comment
    rejected_version = stored[two].version
    anna = other_page
    browser_login(anna, annotator)
    anna.goto("/")
    assert comment in anna.inner_text("#dash-revise")
    screenshot(anna, "review-dashboard-annotator")
    anna.click(".mainnav a[href='/mine']")
    anna.wait_for_url("**/mine")
    sent_back = anna.locator("[aria-labelledby=group-rejected] .mine-item")
    assert sent_back.count() == 1
    assert "Claim number 2." in sent_back.inner_text()
    assert comment in sent_back.locator(".review-comment").inner_text()
    screenshot(anna, "review-mine-rejected")

    # …follows the link: the claim opens in the panel, comment above the edit form
    sent_back.locator("a").first.click()
    panel_url = f"/articles/{article.id}/annotate?annotation={two}#annotation-{two}"
    anna.wait_for_url(lambda url: url.endswith(panel_url))
    view = anna.locator(f"#annotation-{two}")
    assert comment in view.locator(".review-comment").inner_text()
    form = anna.locator("#claim-form")
    assert form.is_visible() and form.get_attribute("data-annotation-id") == str(two)
    assert anna.input_value("#f-claim") == "Claim number 2."
    anna.fill("#f-claim", revised_claim)
    screenshot(anna, "review-annotate-revising")
    form.locator("button[name=action][value=submit]").click()
    anna.wait_for_selector(f"#annotation-{two} .badge-submitted")
    # the list of claims under the text follows the panel
    assert anna.inner_text(f"#claim-{two} .badge") == "submitted"
    assert revised_claim in view.locator(".view-claim").inner_text()
    view.locator(".history summary").click()
    history = view.locator(".history").inner_text()
    assert "submitted → rejected · " + comment in history
    assert "rejected → submitted" in history
    screenshot(anna, "review-annotate-resubmitted")
    assert anna.js_errors == []

    db.session.rollback()
    resubmitted = db.session.get(Annotation, two)
    assert (resubmitted.status, resubmitted.claim) == (Status.SUBMITTED, revised_claim)
    # the edit and the submit each bump the version
    assert resubmitted.version == rejected_version + 2
    assert [(e.to_status, e.actor_id) for e in resubmitted.events][-2:] == [
        (Status.REJECTED, first.id),
        (Status.SUBMITTED, annotator.id),
    ]

    # a second reviewer approves the revision (after skipping the older item)
    page.context.clear_cookies()  # the reviewer's browser; Rémi takes over
    browser_login(page, second)
    page.goto("/review/")
    page.keyboard.press("n")
    page.wait_for_url(f"**/review/{three}")
    page.keyboard.press("s")
    page.wait_for_url(f"**/review/{two}")
    assert revised_claim in page.inner_text(".claim-text")
    page.click("#history-fold summary")  # folded below the decision
    assert comment in page.inner_text(".history")  # the earlier round
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
