"""When and where a claim was made, in a real browser (issue 26): the claim form's folded
"When and where" (date, medium, appearances with the first marked), kept in the browser's
draft across a reload, saved, shown again on the next visit and on the review page, and
no sideways scroll on a 390 px phone."""

from datetime import date

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Annotation, Role, Status

from .test_annotate import TEXT, drag_select, fill_panel

pytestmark = pytest.mark.browser

WIDE_JS = "() => document.documentElement.scrollWidth"


def _stored() -> Annotation:
    db.session.rollback()  # end the snapshot: the server wrote since
    return db.session.scalars(select(Annotation).order_by(Annotation.id.desc())).first()


def _fill_when_where(page) -> None:
    page.click("#when-where > summary")
    page.fill("#f-claim-date", "2026-11-30")
    page.select_option("#f-claim-medium", "radio")
    page.fill("#f-app-0-url", "https://radio.example/matinale")
    page.fill("#f-app-0-date", "2026-11-30")
    page.fill("#f-app-0-note", "7 h 45")
    page.check(".appearance-row input[name=appearances-first][value='0']")
    page.click(".add-appearance")
    page.fill("#f-app-1-url", "https://social.example/post/9")


def _expect_when_where(page) -> None:
    assert page.locator("#when-where").get_attribute("open") is not None
    assert page.input_value("#f-claim-date") == "2026-11-30"
    assert page.input_value("#f-claim-medium") == "radio"
    assert page.input_value("#f-app-0-url") == "https://radio.example/matinale"
    assert page.input_value("#f-app-0-date") == "2026-11-30"
    assert page.input_value("#f-app-0-note") == "7 h 45"
    assert page.input_value("#f-app-1-url") == "https://social.example/post/9"
    assert page.is_checked(".appearance-row input[name=appearances-first][value='0']")
    assert not page.is_checked(".appearance-row input[name=appearances-first][value='1']")


def test_when_and_where_survive_a_reload_are_saved_and_come_back(
    page, make, browser_login, screenshot
):
    user = make.user()
    article = make.article(text=TEXT, title="Le déficit")
    browser_login(page, user)
    page.goto(f"/articles/{article.id}/annotate")
    drag_select(page, "Le déficit a baissé de 3 %.")
    page.wait_for_selector("#claim-form:not([hidden])")
    assert page.locator("#when-where").get_attribute("open") is None  # folded when empty
    fill_panel(page)
    _fill_when_where(page)

    # the draft kept in this browser brings them back after a reload
    page.on("dialog", lambda dialog: dialog.accept())
    page.reload()
    page.wait_for_selector("#draft-restored:not([hidden])")
    _expect_when_where(page)

    page.click("#claim-form button[value=draft]")
    page.wait_for_selector("#claim-form", state="hidden")
    saved = _stored()
    assert saved.claim_date == date(2026, 11, 30) and saved.claim_medium.value == "radio"
    assert [(a.url, a.date, a.note, a.first) for a in saved.appearances] == [
        ("https://radio.example/matinale", date(2026, 11, 30), "7 h 45", True),
        ("https://social.example/post/9", None, "", False),
    ]

    # the next visit: open the claim, edit it, the fields are there
    page.goto(f"/articles/{article.id}/annotate")
    page.click(f".hl[data-ids~='{saved.id}']")
    page.click(f"#annotation-{saved.id} .edit-claim")
    page.wait_for_selector("#claim-form:not([hidden])")
    _expect_when_where(page)
    screenshot(page, "claim-when-where-1280", full_page=False)
    assert page.js_errors == []


def test_a_phone_never_scrolls_sideways(browser, live_server, make, browser_login, screenshot):
    author = make.user()
    reviewer = make.user(roles=[Role.REVIEWER])
    article = make.article(text=TEXT, title="Le déficit")
    start = article.text.index("Le ministre")
    claim = make.annotation(
        article=article,
        author=author,
        start=start,
        end=start + 11,
        claim_date=date(2026, 11, 30),
        claim_medium=None,
    )
    from factcheck.models import Appearance

    long_url = "https://www.example.org/actualites/" + "tres-long-segment-" * 8
    for i in range(3):
        db.session.add(
            Appearance(
                annotation_id=claim.id,
                position=i,
                url=f"{long_url}{i}",
                note="une note assez longue pour passer à la ligne " * 2,
                first=i == 0,
            )
        )
    db.session.commit()
    submitted = make.annotation(article=article, author=author, status=Status.SUBMITTED)
    db.session.add(Appearance(annotation_id=submitted.id, position=0, url=long_url))
    db.session.commit()
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    try:
        phone = context.new_page()
        browser_login(phone, author)
        phone.goto(f"/articles/{article.id}/annotate?annotation={claim.id}")
        phone.wait_for_selector("#claim-form:not([hidden])")
        assert phone.locator("#when-where").get_attribute("open") is not None
        phone.locator("#when-where").scroll_into_view_if_needed()
        screenshot(phone, "claim-when-where-390", full_page=False)
        assert phone.evaluate(WIDE_JS) <= 390
        phone.context.clear_cookies()
        browser_login(phone, reviewer)
        phone.goto(f"/review/{submitted.id}")
        phone.wait_for_selector("#when-where")
        assert "first appearance" not in phone.inner_text("#when-where")
        assert phone.evaluate(WIDE_JS) <= 390
        screenshot(phone, "review-when-where-390")
    finally:
        context.close()
