"""Claimant suggestions in the claim form, in a real browser: typing "mair" proposes "Le
maire" (a later word, accents and case ignored), the keyboard picks it, the saved claim
points to that claimant; Escape closes the list, not the form; typing again forgets it."""

import pytest

from factcheck.extensions import db
from factcheck.models import Claimant, ClaimantAlias, Status
from factcheck.services.claimants import folded

from .test_annotate import TEXT, drag_select, stored

pytestmark = pytest.mark.browser


def _claimant(name: str, aliases=()) -> Claimant:
    row = Claimant(name=name, folded=folded(name), same_as=[])
    row.aliases = [ClaimantAlias(alias=a, folded=folded(a)) for a in aliases]
    db.session.add(row)
    db.session.commit()
    return row


def test_pick_a_claimant_by_keyboard_and_save(page, make, browser_login, screenshot):
    user = make.user()
    article = make.article(text=TEXT, title="Le déficit")
    maire = _claimant("Le maire", aliases=["Le maire sortant"])
    _claimant("Hélène Dupont, ministre")
    maire_id = maire.id
    browser_login(page, user)
    page.goto(f"/articles/{article.id}/annotate")
    drag_select(page, "Le déficit a baissé de 3 %.")
    page.wait_for_selector("#claim-form:not([hidden])")
    page.fill("#f-claim", "Le déficit a baissé de 3 %.")
    page.focus("#f-claimant")
    page.keyboard.type("mair")
    option = page.locator("#claim-form [role=option]", has_text="Le maire")
    option.first.wait_for()
    assert page.get_attribute("#f-claimant", "aria-expanded") == "true"
    screenshot(page, "claimant-suggestions", full_page=False)
    page.keyboard.press("Escape")  # closes the list only
    assert page.get_attribute("#f-claimant", "aria-expanded") == "false"
    assert page.is_visible("#claim-form")
    page.keyboard.press("ArrowDown")  # opens it again, on the first option
    page.wait_for_selector("#claim-form [role=option][aria-selected=true]")
    assert "Le maire" in page.inner_text("#claim-form [role=option][aria-selected=true]")
    active = page.get_attribute("#f-claimant", "aria-activedescendant")
    assert active and page.locator(f"#{active}").count() == 1
    page.keyboard.press("Enter")
    assert page.input_value("#f-claimant") == "Le maire"
    assert page.input_value("#claim-form input[name=claimant_id]") == str(maire_id)
    assert page.get_attribute("#f-claimant", "aria-expanded") == "false"
    page.keyboard.press("Tab")
    page.keyboard.press("5")  # the verdict "false"
    page.fill("#f-src-0-url", "https://www.insee.fr/fr/statistiques")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".annotation-view .badge-submitted")
    annotation = stored()
    assert annotation.status is Status.SUBMITTED
    assert (annotation.claimant, annotation.claimant_id) == ("Le maire", maire_id)
    assert page.js_errors == []


def test_typing_again_forgets_the_picked_claimant(page, make, browser_login):
    user = make.user()
    article = make.article(text=TEXT, title="Le déficit")
    _claimant("Le maire")
    browser_login(page, user)
    page.goto(f"/articles/{article.id}/annotate")
    drag_select(page, "Le déficit a baissé de 3 %.")
    page.wait_for_selector("#claim-form:not([hidden])")
    page.focus("#f-claimant")
    page.keyboard.type("le MAI")
    page.locator("#claim-form [role=option]").first.wait_for()
    page.locator("#claim-form [role=option]", has_text="Le maire").first.click()  # the mouse
    assert page.input_value("#claim-form input[name=claimant_id]") != ""
    page.keyboard.type(" sortant")
    assert page.input_value("#claim-form input[name=claimant_id]") == ""
    assert page.input_value("#f-claimant") == "Le maire sortant"
    assert page.js_errors == []


def test_claimant_pages_for_an_admin(page, make, browser_login, screenshot):
    """The list with its likely duplicates, the merge confirmation, a claimant's page with
    its chart: rendered by the real server, no script error (screenshots for the README)."""
    from datetime import date

    from factcheck.models import Role

    admin = make.user(roles=[Role.ADMIN, Role.ANNOTATOR, Role.REVIEWER])
    maire = _claimant("Le maire", aliases=["Le maire sortant"])
    twin = _claimant("le Maire")
    article = make.article(text=TEXT, title="Le déficit")
    for n, (verdict, month) in enumerate([("false", 1), ("false", 2), ("true", 2), ("mixed", 4)]):
        make.annotation(
            article=article,
            start=n,
            end=n + 5,
            claimant="Le maire",
            claimant_id=maire.id,
            claim=f"Affirmation {n} du maire.",
            status=Status.APPROVED,
            verdict=verdict,
            claim_date=date(2026, month, 3),
        )
    maire_id, twin_id = maire.id, twin.id
    browser_login(page, admin)
    page.goto("/claimants")
    page.wait_for_selector(f"#duplicate-{twin_id}-{maire_id}")
    screenshot(page, "claimants-list")
    page.click(f"#duplicate-{twin_id}-{maire_id} .merge-link")
    page.wait_for_selector("#merge-confirm")
    assert "le Maire" in page.inner_text("#merge-aliases")
    page.goto(f"/claimants/{maire_id}")
    assert page.locator(".verdict-bars .segment").count() == 4
    assert page.inner_text("#claimant-aliases") == "Le maire sortant"
    screenshot(page, "claimant-page")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "claimant-page-phone")
    assert page.js_errors == []
