"""Nothing lost at the user's fingertips (issue 14), in a real browser: one claim per
double-click or double Ctrl+Enter, drafts that survive Esc, a reload and a menu click,
limits that refuse instead of cutting, a claim field that starts empty."""

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Annotation

from .test_annotate import TEXT, drag_select

pytestmark = pytest.mark.browser

QUOTE = "Le déficit a baissé de 3 %."


def count() -> int:
    db.session.rollback()  # end the snapshot: the server wrote since
    return db.session.scalar(select(func.count()).select_from(Annotation))


@pytest.fixture
def article_page(make, page, browser_login):
    user = make.user(display_name="Anna Tatrice")
    article = make.article(text=TEXT, title="Le déficit")
    browser_login(page, user)
    page.goto(f"/articles/{article.id}/annotate")
    return article


def open_form(page):
    drag_select(page, QUOTE)
    page.wait_for_selector("#claim-form:not([hidden])")


def fill(page, claim="The deficit fell by 3 %."):
    page.fill("#f-claim", claim)
    page.fill("#f-claimant", "Le ministre")
    page.locator("#f-claimant").blur()
    page.keyboard.press("5")
    page.fill("#f-src-0-url", "https://www.insee.fr/fr/statistiques")
    page.fill("#f-rationale", "Insee says it rose.")


def creating_requests(page) -> list[str]:
    """The claim-creating requests the page sends from now on (a second click sends its
    request at once, before the first answer: counting them proves no second claim without
    waiting for one)."""
    sent: list[str] = []
    page.on(
        "request",
        lambda request: (
            sent.append(request.url)
            if request.method == "POST" and request.url.endswith("/annotations")
            else None
        ),
    )
    return sent


def test_a_double_click_on_submit_makes_one_claim(page, article_page):
    open_form(page)
    fill(page)
    sent = creating_requests(page)
    page.dblclick("#claim-form button[value=submit]")
    page.wait_for_selector(".annotation-view .badge-submitted")
    assert len(sent) == 1, sent
    assert count() == 1
    assert "Submitted for review." in page.inner_text("#panel-status")
    assert page.js_errors == []


def test_a_double_ctrl_enter_makes_one_claim(page, article_page):
    open_form(page)
    fill(page)
    page.focus("#f-rationale")
    sent = creating_requests(page)
    page.keyboard.press("Control+Enter")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".annotation-view .badge-submitted")
    assert len(sent) == 1, sent
    assert count() == 1
    assert page.js_errors == []


def test_the_claim_starts_empty_and_use_the_quote_fills_it(page, article_page):
    open_form(page)
    assert page.input_value("#f-claim") == ""
    assert page.evaluate("document.activeElement.id") == "f-claim"
    page.keyboard.press("Alt+q")
    assert page.input_value("#f-claim") == QUOTE
    page.fill("#f-claim", "")
    page.click(".use-quote")
    assert page.input_value("#f-claim") == QUOTE
    assert page.js_errors == []


def test_a_30000_character_paste_is_refused_and_nothing_is_cut(page, article_page, screenshot):
    open_form(page)
    fill(page)
    page.focus("#f-claim")
    page.keyboard.press("Control+a")
    page.keyboard.insert_text("x" * 30_000)  # what a paste inserts
    assert len(page.input_value("#f-claim")) == 30_000
    counter = page.locator("#f-claim-count")
    assert counter.is_visible() and "30,000" in counter.inner_text()
    page.click("#claim-form button[value=draft]")
    error = page.locator("#claim-form .form-error")
    assert error.is_visible() and "at most 2,000" in error.inner_text()
    assert len(page.input_value("#f-claim")) == 30_000  # nothing cut
    assert count() == 0
    screenshot(page, "annotate-too-long")
    assert page.js_errors == []


def test_keys_typed_in_text_fields_stay_text(page, article_page):
    open_form(page)
    page.click("#f-claimant")
    page.keyboard.type("Agence 5/7")
    assert page.input_value("#f-claimant") == "Agence 5/7"
    assert page.locator("input[name=verdict]:checked").count() == 0
    page.click("#f-src-0-url")
    page.keyboard.type("https://example.org/a/b")
    assert page.input_value("#f-src-0-url") == "https://example.org/a/b"
    assert page.evaluate("document.activeElement.id") == "f-src-0-url"


def test_a_filled_form_survives_esc_a_reload_and_a_menu_click(page, article_page, screenshot):
    open_form(page)
    fill(page, "A claim I must not lose.")
    dialogs = []

    def answer(accept):
        def _handler(dialog):
            dialogs.append(dialog.type)
            dialog.accept() if accept else dialog.dismiss()

        return _handler

    # Esc asks first; saying no keeps everything
    page.once("dialog", answer(False))
    page.keyboard.press("Escape")
    assert dialogs == ["confirm"]
    assert page.is_visible("#claim-form")
    assert page.input_value("#f-claim") == "A claim I must not lose."

    # a reload asks (beforeunload), and what was typed comes back
    page.once("dialog", answer(True))
    page.reload()
    assert dialogs[-1] == "beforeunload"
    page.wait_for_selector("#draft-restored:not([hidden])")
    assert page.input_value("#f-claim") == "A claim I must not lose."
    assert page.input_value("#f-claimant") == "Le ministre"
    assert page.input_value("#f-src-0-url") == "https://www.insee.fr/fr/statistiques"
    assert page.locator("input[name=verdict][value=false]").is_checked()
    screenshot(page, "annotate-draft-restored")

    # a click in the menu asks too; coming back restores the form again
    page.once("dialog", answer(True))
    page.click(".mainnav a[href^='/articles']")
    page.wait_for_url(lambda url: "/annotate" not in url)
    assert dialogs[-1] == "beforeunload"
    page.go_back()
    page.wait_for_selector("#draft-restored:not([hidden])")
    assert page.input_value("#f-claim") == "A claim I must not lose."

    # saving empties the kept draft: a reload then shows no form
    page.click("#claim-form button[value=draft]")
    page.wait_for_selector(".annotation-view .badge-draft")
    assert "Saved." in page.inner_text("#panel-status")
    page.reload()
    assert page.is_hidden("#draft-restored")
    assert count() == 1

    # Esc on a filled new form, confirmed, closes it and forgets the draft
    open_form(page)
    page.fill("#f-claim", "To be dropped.")
    page.once("dialog", answer(True))
    page.keyboard.press("Escape")
    assert page.is_hidden("#claim-form")
    page.reload()
    assert page.is_hidden("#claim-form") and page.is_hidden("#draft-restored")
    assert page.js_errors == []


def test_saved_and_deleted_are_said_and_counts_follow(page, article_page):
    assert page.inner_text("#claims-count") == "0 claims"
    open_form(page)
    fill(page)
    page.click("#claim-form button[value=draft]")
    page.wait_for_selector(".annotation-view .badge-draft")
    assert page.inner_text("#panel-status") == "Saved."
    assert page.inner_text("#claims-count") == "1 claim"
    assert page.inner_text("#claims-total") == "(1)"
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(".annotation-view:not([hidden]) .delete-claim")
    page.wait_for_selector("#panel-status:has-text('Draft deleted.')")
    assert page.inner_text("#claims-count") == "0 claims"
    assert count() == 0
    assert page.js_errors == []


def test_every_claim_at_a_spot_is_listed(make, page, browser_login):
    from factcheck.models import Status

    user = make.user()
    article = make.article(text=TEXT, title="Le déficit")
    start = TEXT.index(QUOTE)
    claims = []
    for i, (s, e) in enumerate(
        [(start, start + 10), (start, start + len(QUOTE)), (start - 5, start + 12)]
    ):
        claims.append(
            make.annotation(
                article=article, start=s, end=e, status=Status.SUBMITTED, claim=f"Claim number {i}."
            ).claim
        )
    browser_login(page, user)
    page.goto(f"/articles/{article.id}/annotate")
    page.locator(".hl.depth-3").first.click()
    page.wait_for_selector("#spot-list:not([hidden]) .spot-item")
    assert page.inner_text("#spot-list .spot-heading") == "3 claims here"
    listed = page.locator("#spot-list .spot-claim").all_inner_texts()
    assert sorted(listed) == sorted(claims)
    page.locator("#spot-list .spot-item").nth(2).click()
    page.wait_for_selector(f".annotation-view:not([hidden]) >> text={listed[2]}")

    # a new selection over claims says how many there are, and lists them
    drag_select(page, "a baissé de 3 %.")
    page.wait_for_selector("#claim-form:not([hidden])")
    heading = "This passage already has 2 claims:"
    page.wait_for_selector(f"#spot-list:not([hidden]) .spot-heading:text-is('{heading}')")
    assert page.locator("#spot-list .spot-item").count() == 2
    assert page.js_errors == []
