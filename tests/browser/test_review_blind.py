"""Blind second verdict in the browser: an admin turns the setting on; a reviewer opens the
next claim, sees neither the annotator's verdict nor the rationale, picks their own verdict
with its key and Enter, then sees both and approves with the keyboard; the dashboard
shows the annotator–reviewer agreement."""

from __future__ import annotations

import pytest

from factcheck.extensions import db
from factcheck.models import Annotation, Project, SecondVerdict, Status
from factcheck.permissions import Role

pytestmark = pytest.mark.browser

SECRET = "Selon l'Insee, 7,3 % : RATIONALE-SECRET."


@pytest.fixture(autouse=True)
def _reads_take_no_write_lock():
    from factcheck.database import write_intent

    write_intent.set(False)


def test_blind_review_flow(page, new_page, make, browser_login, screenshot):
    annotator = make.user("anna", roles=[Role.ANNOTATOR], display_name="Anna Annotatrice")
    reviewer = make.user("rita", roles=[Role.REVIEWER], display_name="Rita Relectrice")
    admin = make.user("ada", roles=[Role.ADMIN], display_name="Ada")
    article = make.article(title="Le chômage en France")
    claim = make.annotation(
        article=article,
        author=annotator,
        status=Status.SUBMITTED,
        verdict="misleading",
        rationale=SECRET,
        claim="Le chômage a baissé de 10 %.",
    )
    claim_id = claim.id

    # the admin turns the setting on, on the project admin page
    browser_login(page, admin)
    page.goto("/projects/default/admin")
    page.check("input[name=blind_second_verdict]")
    page.locator(
        "#project-settings button[type=submit], #project-settings input[type=submit]"
    ).click()
    page.wait_for_load_state()
    db.session.rollback()
    assert db.session.query(Project).filter_by(slug="default").one().blind_second_verdict

    rita = new_page()
    browser_login(rita, reviewer)
    rita.goto("/review/")
    assert rita.locator("table.queue-table th", has_text="Verdict").count() == 0
    rita.keyboard.press("n")
    rita.wait_for_url(f"**/review/{claim_id}")
    assert SECRET not in rita.content()
    assert "hidden until you give yours" in rita.inner_text("#annotator-verdict")
    assert rita.locator("#approve-form").count() == 0
    screenshot(rita, "review-blind-before")
    rita.keyboard.press("a")  # no decision before one's own verdict: nothing happens
    rita.keyboard.press("5")  # "false" in the newsroom scale
    assert rita.is_checked("#blind-form input[value=false]")
    rita.keyboard.press("Enter")
    rita.wait_for_selector("#blind-result")
    assert SECRET in rita.inner_text(".rationale")
    assert "False" in rita.inner_text("#blind-mine")
    assert "Misleading" in rita.inner_text("#blind-theirs")
    assert "You disagree" in rita.inner_text("#blind-result")
    screenshot(rita, "review-blind-after")
    rita.keyboard.press("a")  # now approve, as always
    rita.wait_for_url("**/review/")
    assert rita.js_errors == []

    db.session.rollback()
    stored = db.session.get(Annotation, claim_id)
    assert stored.status is Status.APPROVED and stored.reviewer_id == reviewer.id
    row = db.session.query(SecondVerdict).one()
    assert (row.verdict, row.annotator_verdict) == ("false", "misleading")

    page.goto("/")
    card = page.locator("#verdict-agreement")
    assert "over 1 claim:" in card.inner_text()  # one claim, singular
    card.scroll_into_view_if_needed()
    screenshot(page, "dashboard-verdict-agreement")
    assert page.js_errors == []
