"""Annotating in a real browser: mouse selection, offsets with emoji and accents, the
keyboard-only "find the quote" path, editing and deleting drafts."""

from pathlib import Path

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Annotation, Status

pytestmark = pytest.mark.browser

POINTS_JS = (Path(__file__).parent / "annotate_points.js").read_text()

TEXT = (
    "Bravo 👍🏽 à tous 🇫🇷 et 👨‍👩‍👧 ! Le ministre a affirmé : « Le déficit a baissé de 3 %. »\n\n"
    "Spın̈al Tap joue fort. Poutine ne s'est « absolument pas mêlé de notre élection ».\n\n"
    "Troisième paragraphe, sans émoji, pour finir l'article proprement."
)


def drag_select(page, quote: str, paragraph_text: str | None = None) -> None:
    """Select ``quote`` with a real mouse drag, from its first to its last character."""
    box = page.evaluate(
        POINTS_JS,
        quote,
    )
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, (box["y1"] + box["y2"]) / 2, steps=5)
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()


def fill_panel(page, claim: str = "The deficit fell by 3 %.") -> None:
    page.fill("#f-claim", claim)
    page.fill("#f-claimant", "Le ministre")
    page.click("#f-claimant")
    page.locator("#f-claimant").blur()
    page.keyboard.press("5")  # shortcut of "false"
    page.fill("#f-src-0-url", "https://www.insee.fr/fr/statistiques")
    page.fill("#f-src-0-title", "Insee")
    page.fill("#f-rationale", "Insee says it rose.")


def stored(annotation_id: int | None = None) -> Annotation:
    db.session.rollback()  # end the snapshot: the server wrote since
    query = select(Annotation).order_by(Annotation.id.desc())
    return db.session.scalars(query).first()


@pytest.fixture
def setup(make, page, browser_login):
    user = make.user(display_name="Anna Tatrice")
    article = make.article(text=TEXT, title="Le déficit et les émojis 👍🏽")
    browser_login(page, user)
    return user, article


@pytest.mark.parametrize(
    "quote",
    [
        "Le déficit a baissé de 3 %.",
        "absolument pas mêlé de notre élection",
        "Spın̈al Tap",
        "Le déficit a baissé de 3 %. »\n\nSpın̈al Tap",
    ],
    ids=["after-emoji", "accents", "combining-mark", "two-paragraphs"],
)
def test_select_with_the_mouse_submit_and_reload(page, setup, screenshot, quote):
    user, article = setup
    page.goto(f"/articles/{article.id}/annotate")
    drag_select(page, quote)
    page.wait_for_selector("#claim-form:not([hidden])")
    assert page.input_value("#f-claim") == ""  # never pre-filled with the quote
    assert page.inner_text("#claim-form .quote-text").startswith(quote.split("\n")[0][:10])
    fill_panel(page)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".annotation-view .badge-submitted")
    annotation = stored()
    assert annotation.status is Status.SUBMITTED
    assert annotation.quote == article.text[annotation.start : annotation.end]
    assert annotation.quote == quote
    assert annotation.verdict == "false"
    page.reload()
    highlighted = "".join(page.locator(f".hl[data-ids~='{annotation.id}']").all_text_contents())
    assert highlighted == quote.replace("\n", "")
    if quote.startswith("Le déficit a baissé de 3 %. »"):
        screenshot(page, "annotate-two-paragraphs")
    assert page.js_errors == []


def test_keyboard_only_find_the_quote(page, setup, screenshot):
    user, article = setup
    page.goto(f"/articles/{article.id}/annotate")
    page.keyboard.press("/")
    page.keyboard.type("absolument pas mele")  # no accent typed
    page.keyboard.press("Enter")
    page.wait_for_selector(".match")
    # the results page's script has run (it puts the focus in Find at start: a match
    # focused before it would lose the focus, and Enter would search again)
    page.wait_for_function(
        "() => [...document.querySelectorAll('a.match')].every((a) => !a.href.includes('#'))"
    )
    screenshot(page, "annotate-find-matches")
    page.focus(".match")
    page.keyboard.press("Enter")
    page.wait_for_selector("#claim-form:not([hidden])")
    page.focus("#f-claim")
    page.keyboard.press("Control+a")
    page.keyboard.type("Putin did not interfere in our election.")
    page.keyboard.press("Tab")
    page.keyboard.type("Vladimir Poutine")
    page.keyboard.press("Tab")
    page.keyboard.press("5")
    page.focus("#f-src-0-url")
    page.keyboard.type("https://example.org/enquete")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".annotation-view .badge-submitted")
    annotation = stored()
    assert annotation.quote == "absolument pas mêlé"
    assert annotation.quote == article.text[annotation.start : annotation.end]
    assert annotation.claimant == "Vladimir Poutine"
    assert page.js_errors == []


def test_edit_then_delete_own_draft(page, setup, make, screenshot):
    user, article = setup
    start = article.text.index("Le ministre")
    draft = make.annotation(
        article=article, author=user, start=start, end=start + 11, verdict="mixed"
    )
    other = make.annotation(
        article=article,
        start=article.text.index("Poutine"),
        end=article.text.index(" ne s'est"),
        status=Status.SUBMITTED,
    )
    draft_id, other_id = draft.id, other.id
    page.goto(f"/articles/{article.id}/annotate")
    assert page.locator(".hl.own-draft").count() == 1
    page.click(f".hl[data-ids~='{draft.id}']")
    page.wait_for_selector(f"#annotation-{draft.id}")
    screenshot(page, "annotate-view-draft")
    page.click(".edit-claim")
    page.fill("#f-claim", "Edited claim.")
    page.click("#claim-form button[value=draft]")
    page.wait_for_selector(".annotation-view:not([hidden]) >> text=Edited claim.")
    assert stored().claim  # committed
    db.session.rollback()  # end the snapshot: the server wrote since
    assert db.session.get(Annotation, draft.id).claim == "Edited claim."
    assert db.session.get(Annotation, draft.id).version == 2
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(".delete-claim")
    page.wait_for_selector(f".hl[data-ids~='{draft.id}']", state="detached")
    db.session.rollback()  # end the snapshot: the server wrote since
    ids = set(db.session.scalars(select(Annotation.id)))
    assert draft_id not in ids and other_id in ids
    assert page.js_errors == []
