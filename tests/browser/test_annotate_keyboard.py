"""The keyboard path on the annotate page (issue 14), and the delete that says why it
failed (issue 16): after Enter on a Find match the focus is in the claim field with the
passage kept; Find forgives missing words, prefixes and typos; Shift+Alt+arrows widen and
narrow the passage by a word."""

import json

import pytest
from playwright.sync_api import expect

from factcheck.extensions import db
from factcheck.models import Annotation

from .test_annotate import TEXT, drag_select, fill_panel, stored

pytestmark = pytest.mark.browser

FULL = "Poutine ne s'est « absolument pas mêlé de notre élection"


@pytest.fixture
def article(make, page, browser_login):
    user = make.user()
    article = make.article(text=TEXT, title="Le déficit")
    browser_login(page, user)
    return article


def find(page, article, words):
    page.goto(f"/articles/{article.id}/annotate")
    page.keyboard.press("/")
    page.keyboard.type(words)
    page.keyboard.press("Enter")
    page.wait_for_selector(".match")
    # and the results page's script has run (it makes the match links jump-free, and puts
    # the focus in Find at start): on a loaded machine the list shows before it, and a
    # match focused then loses the focus to Find, so Enter searches again instead of opening
    page.wait_for_function(
        "() => [...document.querySelectorAll('a.match')].every((a) => !a.href.includes('#'))"
    )


def pick_match(page):
    """Enter on the first match: the page opens on it, with the claim form shown."""
    page.focus(".match")
    with page.expect_navigation(url=lambda url: "start=" in url):
        page.keyboard.press("Enter")
    page.wait_for_selector("#claim-form:not([hidden])")


def pending_text(page):
    return page.evaluate(
        "() => { const h = CSS.highlights.get('pending-claim');"
        " return h ? [...h][0].toString() : null; }"
    )


def test_enter_on_a_match_focuses_the_claim_field_and_keeps_the_passage(page, article, screenshot):
    find(page, article, "poutine mele election")  # words left out, no accents
    assert page.inner_text(".match mark") == FULL
    pick_match(page)
    expect(page.locator("#f-claim")).to_be_focused()
    assert pending_text(page) == FULL  # the passage stays marked while typing
    assert page.input_value("input[name=quote]") == FULL
    screenshot(page, "annotate-find-enter")
    page.keyboard.type("Putin did not interfere.")
    page.click("#claim-form button[value=draft]")
    page.wait_for_selector(".annotation-view .badge-draft")
    annotation = stored()
    assert annotation.quote == FULL == article.text[annotation.start : annotation.end]
    assert page.js_errors == []


def test_two_claims_from_find_in_a_row_are_two_claims(page, article):
    for words in ("absolument pas mele", "Spinal Tap"):
        find(page, article, words)
        pick_match(page)
        expect(page.locator("#f-claim")).to_be_focused()
        page.keyboard.type(f"Claim on {words}.")
        page.click("#claim-form button[value=draft]")
        page.wait_for_selector(".annotation-view .badge-draft")
    db.session.rollback()
    assert db.session.query(Annotation).count() == 2  # each opening has its own key
    assert page.js_errors == []


def test_shift_alt_arrows_widen_and_narrow_the_passage_by_a_word(page, article):
    find(page, article, "pas mele")
    pick_match(page)
    expect(page.locator("#f-claim")).to_be_focused()
    quote = lambda: page.input_value("input[name=quote]")  # noqa: E731
    assert quote() == "pas mêlé"
    page.keyboard.press("Shift+Alt+ArrowRight")
    assert quote() == "pas mêlé de"
    page.keyboard.press("Shift+Alt+ArrowRight")
    assert quote() == "pas mêlé de notre"
    page.keyboard.press("Shift+Alt+ArrowUp")
    assert quote() == "absolument pas mêlé de notre"
    page.keyboard.press("Shift+Alt+ArrowDown")
    page.keyboard.press("Shift+Alt+ArrowLeft")
    assert quote() == "pas mêlé de"
    assert page.inner_text("#claim-form .quote-text") == "pas mêlé de"
    assert pending_text(page) == "pas mêlé de"
    assert page.input_value("#f-claim") == ""  # the keys did not type into the field
    page.keyboard.press("Shift+Alt+ArrowLeft")
    page.keyboard.press("Shift+Alt+ArrowLeft")
    assert quote() == "pas"  # never narrower than one word
    page.keyboard.press("Shift+Alt+ArrowRight")
    page.keyboard.type("He did not interfere.")
    page.click("#claim-form button[value=draft]")
    page.wait_for_selector(".annotation-view .badge-draft")
    annotation = stored()
    assert annotation.quote == "pas mêlé" == article.text[annotation.start : annotation.end]
    page.locator("details.legend summary").click()
    assert "widen / narrow the passage by a word" in page.inner_text("details.legend")
    assert page.js_errors == []


@pytest.mark.parametrize("failure", ["network", "409"])
def test_a_failed_delete_says_why_and_keeps_the_claim(page, article, failure):
    page.goto(f"/articles/{article.id}/annotate")
    drag_select(page, "Spın̈al Tap")
    page.wait_for_selector("#claim-form:not([hidden])")
    fill_panel(page)
    page.click("#claim-form button[value=draft]")
    page.wait_for_selector(".annotation-view .badge-draft")
    claim = stored()
    assert claim.quote == "Spın̈al Tap"

    def fail(route):
        if route.request.method != "DELETE":
            return route.continue_()
        if failure == "network":
            return route.abort()
        body = {"error": {"code": "conflict", "message": "Changed by someone else: reload."}}
        return route.fulfill(status=409, content_type="application/json", body=json.dumps(body))

    page.route("**/api/v1/annotations/*", fail)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(".annotation-view:not([hidden]) .delete-claim")
    error = page.locator(".annotation-view:not([hidden]) .view-error")
    error.wait_for(state="visible")
    expected = "could not be reached" if failure == "network" else "Changed by someone else"
    assert expected in error.inner_text()
    assert page.is_visible(f"#annotation-{claim.id}")  # the claim is still shown
    assert page.locator(f".hl[data-ids~='{claim.id}']").count() >= 1
    assert page.inner_text("#claims-count") == "1 claim"
    assert not page.is_disabled(".annotation-view:not([hidden]) .delete-claim")
    db.session.rollback()
    assert db.session.get(Annotation, claim.id) is not None
    assert page.js_errors == []


def test_a_field_reached_before_the_script_runs_keeps_the_focus(page, article):
    """On a slow device the claim form (rendered by the server) is there before the page's
    script: a person already typing in another field is not pulled out of it."""
    find(page, article, "absolument pas mele")  # (waits for the results page's script)
    held = []  # the next page's script, held back as a slow device would
    page.route("**/static/js/annotate.js", lambda route: held.append(route))
    page.focus(".match")
    with page.expect_navigation(url=lambda url: "start=" in url, wait_until="commit"):
        page.keyboard.press("Enter")
    assert "#" not in page.url  # no jump to #claim-form to take the focus away
    page.focus("#f-claimant")
    page.keyboard.type("Vladimir")
    while not held:
        page.wait_for_timeout(20)
    held[0].continue_()  # now the script runs
    page.wait_for_function("() => performance.getEntriesByName('highlights-painted').length > 0")
    page.wait_for_timeout(500)  # and its refocusing after load has had its chance
    expect(page.locator("#f-claimant")).to_be_focused()
    page.keyboard.type(" Poutine")
    assert page.input_value("#f-claimant") == "Vladimir Poutine"
    assert page.input_value("#f-claim") == ""
    assert page.js_errors == []
