"""Issue 23, item 30, in a real browser: the page's script names the save button for what
it does when it fills the form: "Save changes" for a submitted claim, "Save draft" for a
draft or a new claim."""

import pytest

from factcheck.models import Status

from .test_annotate import TEXT

pytestmark = pytest.mark.browser


def test_editing_a_submitted_claim_offers_save_changes(page, make, browser_login):
    user = make.user()
    article = make.article(text=TEXT, title="Le déficit")
    start = article.text.index("Le ministre")
    submitted = make.annotation(
        article=article, author=user, start=start, end=start + 11, status=Status.SUBMITTED
    )
    draft = make.annotation(article=article, author=user, start=0, end=8)
    browser_login(page, user)
    page.goto(f"/articles/{article.id}/annotate")
    page.click(f".hl[data-ids~='{submitted.id}']")
    page.wait_for_selector(f"#annotation-{submitted.id}")
    page.click(f"#annotation-{submitted.id} .edit-claim")
    page.wait_for_selector("#claim-form:not([hidden])")
    assert page.inner_text("#claim-form button.save-claim") == "Save changes"
    page.goto(f"/articles/{article.id}/annotate")
    page.click(f".hl[data-ids~='{draft.id}']")
    page.wait_for_selector(f"#annotation-{draft.id}")
    page.click(f"#annotation-{draft.id} .edit-claim")
    page.wait_for_selector("#claim-form:not([hidden])")
    assert page.inner_text("#claim-form button.save-claim") == "Save draft"
    assert page.js_errors == []
