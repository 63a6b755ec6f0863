"""The decision within reach (issue 23): on the review item page, however long the claim's
rationale, sources, matches and history, Approve / Reject / Fix / Skip and the keys are in
view without scrolling, at a desk (1280×800) and on a phone (390×844), and still work."""

from __future__ import annotations

from datetime import timedelta

import pytest

from factcheck.extensions import db
from factcheck.models import Annotation, ClaimLink, FactCheck, ReviewEvent, Role, Status, utcnow

pytestmark = pytest.mark.browser

PARAGRAPH = (
    "Le ministre délégué à l'Industrie a, lui, assuré que la France est le premier pays "
    "d'Europe pour l'éolien en mer. En puissance installée, le Royaume-Uni, l'Allemagne et "
    "les Pays-Bas la devancent largement. "
)
TEXT = "\n\n".join(
    [f"Paragraphe {i} : " + PARAGRAPH for i in range(1, 4)]
    + ["Le chômage a baissé de 10 % en un an, a déclaré le président."]
    + [f"Paragraphe {i} : " + PARAGRAPH for i in range(5, 9)]
)
RATIONALE = (
    "Les chiffres de l'Insee montrent une baisse de 0,1 point seulement sur un an. "
    "Le président cite une autre série, celle de Pôle emploi, qui compte autrement. " * 4
)


@pytest.fixture(autouse=True)
def _reads_take_no_write_lock():
    from factcheck.database import write_intent

    write_intent.set(False)


@pytest.fixture
def busy_claim(make):
    """A claim with everything a review page can show: a long rationale, five sources,
    a past fact-check confirmed as the same claim, and a history of several rounds."""
    annotator = make.user("anna", roles=[Role.ANNOTATOR], display_name="Anna Annotatrice")
    reviewer = make.user("rita", roles=[Role.REVIEWER], display_name="Rita Relectrice")
    article = make.article(title="Le chômage en France, vu de près", text=TEXT)
    start = TEXT.index("Le chômage")
    claim = make.annotation(
        article=article,
        author=annotator,
        start=start,
        end=start + len("Le chômage a baissé de 10 % en un an"),
        status=Status.SUBMITTED,
        claim="Le chômage a baissé de 10 % en un an.",
        claimant="Le président",
        rationale=RATIONALE,
        sources=5,
    )
    claim.submitted_at = utcnow() - timedelta(hours=2)
    for i, (old, new) in enumerate(
        [(Status.SUBMITTED, Status.REJECTED), (Status.REJECTED, Status.SUBMITTED)] * 2
    ):
        db.session.add(
            ReviewEvent(
                annotation_id=claim.id,
                actor_id=(reviewer if new is Status.REJECTED else annotator).id,
                from_status=old,
                to_status=new,
                version=claim.version,
                comment="Quelle source ? Précisez la série utilisée." if i % 2 == 0 else None,
            )
        )
    past = FactCheck(
        url="https://fact.example.org/chomage",
        claim="Le chômage a baissé de 10 %.",
        rating="False",
        verdict="false",
    )
    db.session.add(past)
    db.session.flush()
    db.session.add(
        ClaimLink(
            annotation_id=claim.id,
            target=past.url,
            target_factcheck_id=past.id,
            created_by_id=annotator.id,
        )
    )
    db.session.commit()
    return reviewer, claim.id


def _in_view(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    viewport = page.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= viewport["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
    )


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_the_decision_is_in_view_without_scrolling_and_approves(
    browser, live_server, busy_claim, browser_login, screenshot, width, height
):
    reviewer, claim_id = busy_claim
    phone = width < 500
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": width, "height": height},
        locale="fr-FR",
        is_mobile=phone,
        has_touch=phone,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    browser_login(page, reviewer)
    page.goto(f"/review/{claim_id}")
    assert page.evaluate("window.scrollY") == 0
    for button in ("#approve-form button", "#reject-open", "#fix-open", "#skip-form button"):
        assert _in_view(page, button), f"{button} out of view at {width}×{height}"
    if not phone:  # a phone has no keyboard: no keys to hint at
        assert page.locator(".decision-bar .shortcuts").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"review-item-fr-{width}", full_page=False)
    # what the fold keeps out of the way, one click away
    assert not page.locator(".history-list").is_visible()
    page.locator("#history-fold summary").click()
    assert page.locator(".history-list").is_visible()

    page.locator("#approve-form button").click()
    page.wait_for_url(lambda url: f"/review/{claim_id}" not in url)
    db.session.rollback()
    assert db.session.get(Annotation, claim_id).status is Status.APPROVED
    assert errors == []
    context.close()


def test_reject_and_fix_in_the_bar_lead_to_their_fields(
    browser, live_server, busy_claim, browser_login
):
    reviewer, claim_id = busy_claim
    context = browser.new_context(
        base_url=live_server, viewport={"width": 390, "height": 844}, locale="fr-FR"
    )
    page = context.new_page()
    browser_login(page, reviewer)
    page.goto(f"/review/{claim_id}")
    page.locator("#reject-open").click()
    comment = page.locator("#reject-comment")
    assert comment.evaluate("el => el === document.activeElement")
    assert _in_view(page, "#reject-comment")
    page.keyboard.press("Escape")
    page.locator("#fix-open").click()
    assert page.locator("#fix-approve").evaluate("el => el.open")
    assert page.locator("#fix-claim").evaluate("el => el === document.activeElement")
    context.close()
