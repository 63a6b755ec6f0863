"""The verdict scale admin as a labeled table (issue 14), in a real browser: a row's
inputs are saved by its Save (with every other row's edits); on a phone (390 px) rows are
cards and nothing scrolls sideways."""

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Verdict
from factcheck.permissions import Role

pytestmark = pytest.mark.browser


def stored(key: str) -> Verdict:
    db.session.rollback()  # end the snapshot: the server wrote since
    return db.session.scalar(select(Verdict).where(Verdict.key == key))


def test_a_row_is_edited_in_place(page, make, browser_login, screenshot):
    browser_login(page, make.user(roles=[Role.ADMIN]))
    page.goto("/admin/verdicts")
    screenshot(page, "verdict-scale")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    row = page.locator("#row-mostly_false")
    label_fr = row.get_by_role("textbox", name="French label mostly_false")
    label_fr.fill("Plutôt faux, selon nous")
    row.get_by_role("spinbutton", name="Rating mostly_false").fill("2")
    row.get_by_role("button", name="Save").click()
    page.wait_for_selector(".flash-success")
    saved = stored("mostly_false")
    assert (saved.label_fr, saved.rating) == ("Plutôt faux, selon nous", 2)
    assert stored("true").label_fr == "Vrai"  # the other rows, unchanged, stay as they were
    assert page.js_errors == []


def test_save_in_one_row_keeps_another_rows_edits(page, make, browser_login):
    browser_login(page, make.user(roles=[Role.ADMIN]))
    page.goto("/admin/verdicts")
    page.locator("#row-true").get_by_role("textbox", name="French label true").fill("Exact")
    row = page.locator("#row-false")
    row.get_by_role("spinbutton", name="Rating false").fill("2")
    row.get_by_role("button", name="Save").click()
    page.wait_for_selector(".flash-success")
    assert stored("true").label_fr == "Exact"
    assert stored("false").rating == 2
    assert page.js_errors == []


def test_on_a_phone_rows_are_cards_and_nothing_scrolls_sideways(
    browser, live_server, make, browser_login, screenshot
):
    context = browser.new_context(
        base_url=live_server, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    browser_login(page, make.user(roles=[Role.ADMIN]))
    page.goto("/admin/verdicts")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator(".verdict-table thead").is_hidden()
    display = page.locator(".verdict-table tbody tr").first.evaluate(
        "(tr) => getComputedStyle(tr).display"
    )
    assert display in ("block", "grid")  # a card, not a table row
    label = page.locator("#row-true td[data-label]").nth(1)
    assert "English label" in label.evaluate("(td) => getComputedStyle(td, '::before').content")
    height = page.evaluate("document.documentElement.scrollHeight")
    screenshot(page, "verdict-scale-phone")
    print(f"verdict scale at 390 px: {height} px high")
    context.close()
