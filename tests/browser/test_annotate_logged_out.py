"""Issue 23, item 27: a session that ends while a claim is being written. Saving says so,
says the text is kept in this browser, and links to the login page, which brings the user
back to the article, where the claim comes back in the form."""

import pytest

from ..factories import PASSWORD
from .test_annotate import TEXT
from .test_fingertips import fill, open_form

pytestmark = pytest.mark.browser


def test_a_save_after_the_session_ended_links_to_the_login_and_keeps_the_text(
    page, make, browser_login
):
    user = make.user()
    article = make.article(text=TEXT, title="Le déficit")
    browser_login(page, user)
    page.goto(f"/articles/{article.id}/annotate")
    open_form(page)
    fill(page, "A claim written over a long lunch.")
    page.context.clear_cookies()  # the session ends
    page.click("#claim-form button[value=draft]")
    error = page.locator("#claim-form .form-error")
    link = error.locator("a.log-in-again")
    link.wait_for()
    assert "kept in this browser" in error.inner_text()
    assert link.get_attribute("href") == f"/login?next=/articles/{article.id}/annotate"
    page.on("dialog", lambda dialog: dialog.accept())  # "leave the page?": yes, it is kept
    link.click()
    page.wait_for_url(lambda url: "/login" in url)
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/articles/{article.id}/annotate")
    page.wait_for_selector("#draft-restored:not([hidden])")
    assert page.input_value("#f-claim") == "A claim written over a long lunch."
    assert page.js_errors == []
