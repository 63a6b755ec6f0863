"""A reviewer opens an approved claim, publishes it with the address of the fact-check,
reads it in the claim's history, and finds that address in the ClaimReview download."""

from __future__ import annotations

import json

import pytest

from factcheck.extensions import db
from factcheck.models import Role, Status

pytestmark = pytest.mark.browser

URL = "https://verif.example/2026/12/chomage"


@pytest.fixture(autouse=True)
def _reads_take_no_write_lock():
    """As in test_review.py: a test-client POST may have left ``write_intent`` set."""
    from factcheck.database import write_intent

    write_intent.set(False)


def test_publish_an_approved_claim_and_find_it_in_claimreview(
    page, make, browser_login, screenshot
):
    annotator = make.user("anna", roles=[Role.ANNOTATOR])
    reviewer = make.user("rita", roles=[Role.REVIEWER], display_name="Rita Relectrice")
    article = make.article(title="Le chômage", url="https://news.example/chomage")
    claim = make.annotation(
        article=article,
        author=annotator,
        status=Status.APPROVED,
        claim="Le chômage a baissé de 10 % en un an.",
        claimant="Le président",
    )
    claim_id = claim.id
    db.session.commit()

    browser_login(page, reviewer)
    page.goto(f"/review/{claim_id}")
    form = page.locator("#publish-form")
    form.get_by_label("Published at (address)").fill(URL)
    form.get_by_label("Date (empty: now)").fill("2026-12-01")
    form.locator("#publish-button").click()
    page.wait_for_selector("#published-url")
    assert page.inner_text("#published-url") == URL
    assert "2026-12-01" in page.inner_text("#published")
    # the history (open for whoever is not deciding) reads "Published at <url>"
    assert page.locator("#history-fold").evaluate("fold => fold.open")
    last = page.locator(".history-list li").last
    assert f"Published at {URL}" in last.inner_text()
    assert "Rita Relectrice" in last.inner_text()
    assert last.locator("a").get_attribute("href") == URL
    screenshot(page, "review-published")
    assert page.js_errors == []

    with page.expect_download() as caught:
        page.click("#claimreview-link")
    path = caught.value.path()
    items = json.loads(open(path, encoding="utf-8").read())
    (item,) = [i for i in items if i["claimReviewed"] == "Le chômage a baissé de 10 % en un an."]
    assert item["url"] == URL
    assert item["datePublished"] == "2026-12-01T00:00:00Z"
