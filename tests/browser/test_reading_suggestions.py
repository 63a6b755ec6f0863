"""Suggestions on the annotate page: an imported article repeating an approved claim shows
the sentence marked in the claim's verdict colour; accepting opens a new claim on it that
is linked ``same_as`` the checked claim once saved, and the article is recorded as an
appearance of that claim. Dismissing is remembered; `n` goes to the next suggestion."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Annotation, ArticleSuggestions, ClaimLink, FactCheck, Role, Status
from factcheck.services.matching import embedder_for, indexer, vectors
from factcheck.services.reading import learned

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")  # noqa: S108 (where the desk looks at the screenshots)
KNOWN = "Le chômage a baissé de 20 % en 2024 selon l'Insee."
REPEAT = "Il a répété que le chômage a baissé de 20 % en 2024 selon l'Insee."
MAIRE = "Le maire a promis 400 logements sociaux de plus que Marseille d'ici 2027."
FACTCHECK_URL = "https://checks.example/maire-logements"
TEXT = (
    "Le ministre était à Lyon mardi.\n\n"
    f"{REPEAT} "
    "La salle a applaudi. "
    "Selon un rapport du Sénat, les dépenses ont augmenté de 3,5 milliards en 2023, "
    "le plus haut niveau depuis 1990.\n\n"
    f"{MAIRE} "
    "Il faisait beau."
)


@pytest.fixture(autouse=True)
def _reads_take_no_write_lock():
    from factcheck.database import write_intent

    write_intent.set(False)


@pytest.fixture
def app_config(app_config):
    """Imports queue their suggestions here, as on a real server (SUGGEST_ON_IMPORT is off
    for the other tests)."""
    return {**app_config, "SUGGEST_ON_IMPORT": True}


@pytest.fixture
def desk(make, app, client, login):
    """Anna annotates, Ada imports; Bob's approved claim (verdict false) and a past
    fact-check are indexed; the article repeating Bob's claim is imported through the API
    (its suggestions computed at once: the queue runs tasks in the caller under TESTING)."""
    vectors.forget_indexes()
    learned.forget()
    anna = make.user("anna", roles=[Role.ANNOTATOR])
    bob = make.user("bob", roles=[Role.ANNOTATOR])
    ada = make.user("ada", roles=[Role.ADMIN])
    old = make.article(f"Un article ancien. {KNOWN} Fin.", title="Ancien")
    start = old.text.index(KNOWN)
    known = make.annotation(
        article=old,
        author=bob,
        start=start,
        end=start + len(KNOWN),
        claim=KNOWN,
        status=Status.APPROVED,
        verdict="false",
    )
    db.session.add(
        FactCheck(
            url=FACTCHECK_URL,
            claim="Le maire promet 400 logements sociaux de plus que Marseille.",
            rating="Trompeur",
            verdict="misleading",
        )
    )
    db.session.commit()
    indexer.index_now(db.session, embedder_for(app.config, role="indexer"))
    db.session.commit()
    login(ada)
    answer = client.post(
        "/api/v1/articles",
        json={
            "title": "Le ministre à Lyon",
            "text": TEXT,
            "external_id": "lyon-1",
            "url": "https://news.example/lyon",
        },
    )
    assert answer.status_code in (200, 201), answer.get_data(as_text=True)
    db.session.rollback()
    article_id = db.session.scalar(select(ArticleSuggestions.article_id))
    assert article_id is not None  # computed at once
    body = client.get(f"/api/v1/articles/{article_id}/suggestions").get_json()
    assert body["status"] == "ready", body
    # the approved claim, reworded, and the past fact-check
    assert [(k["quote"], k["target"]) for k in body["known"]] == [
        (REPEAT, f"annotation:{known.id}"),
        (MAIRE, FACTCHECK_URL),
    ], body
    assert [k["verdict"] for k in body["known"]] == ["false", "misleading"], body
    assert len(body["worth_checking"]) >= 2, body
    db.session.rollback()
    yield {"anna": anna, "known": known, "article_id": article_id, "api": client, "body": body}
    vectors.forget_indexes()
    learned.forget()


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"reading-{name}.png"), full_page=False)


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_accept_a_known_claim_opens_a_claim_linked_same_as_and_records_the_appearance(
    page, desk, browser_login
):
    browser_login(page, desk["anna"])
    page.goto(f"/articles/{desk['article_id']}/annotate")
    repeat, maire = desk["body"]["known"]
    mark = page.locator(f'.sg.sg-known[data-sg="known:{repeat["start"]}:{repeat["end"]}"]')
    expect(mark.first).to_be_visible()
    assert "v-false" in mark.first.get_attribute("class").split()  # the verdict's colour
    assert "".join(mark.all_inner_texts()) == REPEAT
    other = page.locator(f'.sg.sg-known[data-sg="known:{maire["start"]}:{maire["end"]}"]')
    assert "v-misleading" in other.first.get_attribute("class").split()
    panel = page.locator("#suggestions")
    expect(panel.locator(".sg-status")).to_contain_text("2 sentences repeat checked claims.")
    expect(panel.locator(".sg-model")).to_have_text(
        "Ranked by simple rules (not enough approved claims in this project yet)"
    )
    assert page.locator(".sg.sg-worth").count() >= 1
    # the badge is a button: reached by keyboard, it opens the card
    badge = page.locator(f'.sg-badge[data-sg="known:{repeat["start"]}:{repeat["end"]}"]')
    assert KNOWN in badge.get_attribute("aria-label")
    badge.focus()
    page.keyboard.press("Enter")
    card = panel.locator(".sg-card")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Repeats a checked claim:")
    expect(card).to_contain_text(KNOWN)
    expect(card.locator(".verdict-chip.v-false")).to_be_visible()
    _shot(page, "known-1280")
    _no_sideways_scroll(page)

    card.get_by_role("button", name="Accept: same claim").click()
    form = page.locator("#claim-form")
    expect(form).to_be_visible()
    expect(form.locator(".quote-text")).to_have_text(REPEAT)
    expect(mark).to_have_count(0)  # accepted: the mark goes
    expect(other.first).to_be_visible()
    expect(panel.locator(".sg-status")).to_contain_text("link it to the checked claim")
    page.fill("#f-claim", "Le chômage a baissé de 20 % en 2024.")
    with page.expect_response(lambda r: r.url.endswith("/same_as")) as linked:
        form.locator("button.save-claim").click()
    expect(page.locator("#panel-status")).to_contain_text("Saved.")
    expect(panel.locator(".sg-status")).to_contain_text("Linked to the checked claim")

    known = desk["known"]
    db.session.rollback()
    created = db.session.scalar(
        select(Annotation).where(Annotation.article_id == desk["article_id"])
    )
    assert created is not None and created.quote == REPEAT
    # the link, as the API answered it and as stored
    answer = linked.value.json()
    assert linked.value.status == 201
    assert answer["id"] == created.id and answer["version"] == created.version
    assert f"annotation:{known.id}" in [
        t if isinstance(t, str) else t["target"] for t in answer["same_as"]
    ]
    links = db.session.scalars(select(ClaimLink).where(ClaimLink.annotation_id == created.id))
    assert [link.target for link in links] == [f"annotation:{known.id}"]
    # the checked claim has the article as an appearance (API)
    appearances = desk["api"].get(f"/api/v1/annotations/{known.id}").get_json()["appearances"]
    assert [a["url"] for a in appearances] == ["https://news.example/lyon"], appearances
    # the view holds the version after the link: Edit then Save works at once (no 409)
    page.locator(".annotation-view .edit-claim").click()
    expect(form.locator('input[name="version"]')).to_have_value(str(created.version))
    page.fill("#f-claim", "Le chômage a baissé de 20 % en 2024, selon lui.")
    form.locator("button.save-claim").click()
    expect(page.locator(".annotation-view .view-claim")).to_have_text(
        "Le chômage a baissé de 20 % en 2024, selon lui."
    )
    assert page.js_errors == []


def _cycle(body, dismissed):
    """The suggestions `n` goes through, in reading order: every known claim and the five
    best sentences worth checking that are not known claims."""
    known = [k for k in body["known"] if (k["start"], k["end"]) not in dismissed]
    spans = {(k["start"], k["end"]) for k in known}  # a dismissed one may be worth checking
    worth = [w for w in body["worth_checking"] if (w["start"], w["end"]) not in spans]
    best = sorted(worth, key=lambda w: -w["score"])[:5]
    items = [("known", k) for k in known] + [("worth_checking", w) for w in best]
    return sorted(items, key=lambda item: item[1]["start"])


def test_dismiss_is_remembered_and_n_goes_to_the_next_suggestion(page, desk, browser_login):
    body = desk["body"]
    repeat = body["known"][0]
    browser_login(page, desk["anna"])
    page.goto(f"/articles/{desk['article_id']}/annotate")
    page.locator(f'.sg-badge[data-sg="known:{repeat["start"]}:{repeat["end"]}"]').click()
    card = page.locator("#suggestions .sg-card")
    card.get_by_role("button", name="Dismiss").click()
    expect(page.locator(f'[data-sg="known:{repeat["start"]}:{repeat["end"]}"]')).to_have_count(0)
    page.reload()
    expect(page.locator("#suggestions .sg-status")).to_contain_text("1 sentence repeats")
    assert page.locator(f'[data-sg="known:{repeat["start"]}:{repeat["end"]}"]').count() == 0

    cycle = _cycle(body, {(repeat["start"], repeat["end"])})
    assert len(cycle) >= 2 and any(kind == "worth_checking" for kind, _ in cycle)
    selected = "window.getSelection().toString()"
    page.locator(".article-title").click()  # the focus on the page, nothing selected
    page.keyboard.press("n")
    expect(card).to_be_visible()
    expect(card.locator(".sg-quote")).to_have_text(cycle[0][1]["quote"])
    assert page.evaluate(selected) == cycle[0][1]["quote"]
    expect(page.locator("#suggestions .sg-position")).to_have_text(f"1 of {len(cycle)}")
    page.keyboard.press("n")
    expect(card.locator(".sg-quote")).to_have_text(cycle[1][1]["quote"])
    assert page.evaluate(selected) == cycle[1][1]["quote"]
    page.keyboard.press("Shift+N")
    expect(card.locator(".sg-quote")).to_have_text(cycle[0][1]["quote"])
    _shot(page, "worth-1280")

    # to the first sentence worth checking: its card's "Write a claim" opens the form on it
    at = next(i for i, (kind, _) in enumerate(cycle) if kind == "worth_checking")
    worth = cycle[at][1]
    for _ in range(at):
        page.keyboard.press("n")
    expect(card.locator(".sg-quote")).to_have_text(worth["quote"])
    assert page.evaluate(selected) == worth["quote"]
    card.get_by_role("button", name="Write a claim").click()
    expect(page.locator("#claim-form .quote-text")).to_have_text(worth["quote"])
    expect(card).to_be_hidden()  # the form takes over
    page.keyboard.press("Escape")
    # dismissed, and still dismissed after a reload
    page.locator(".article-title").click()
    for _ in range(at + 1):
        page.keyboard.press("n")
    expect(card.locator(".sg-quote")).to_have_text(worth["quote"])
    card.get_by_role("button", name="Dismiss").click()
    key = f'[data-sg="worth_checking:{worth["start"]}:{worth["end"]}"]'
    expect(page.locator(key)).to_have_count(0)
    page.reload()
    expect(page.locator("#suggestions .sg-status")).to_contain_text("1 sentence repeats")
    assert page.locator(key).count() == 0

    # hidden suggestions stay hidden (localStorage)
    page.locator(".sg-toggle input").uncheck()
    expect(page.locator(".sg")).to_have_count(0)
    page.reload()
    expect(page.locator("#suggestions .sg-status")).to_have_text("Suggestions are hidden.")
    assert page.locator(".sg").count() == 0
    page.locator(".sg-toggle input").check()
    expect(page.locator(".sg.sg-worth").first).to_be_visible()
    assert page.js_errors == []


def test_phone_the_card_is_a_sheet_without_sideways_scroll(new_page, desk, browser_login):
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, desk["anna"])
    page.goto(f"/articles/{desk['article_id']}/annotate")
    page.locator(".sg-badge").first.click()
    card = page.locator("#suggestions .sg-card")
    expect(card).to_be_visible()
    box = card.bounding_box()
    assert box["x"] <= 1 and box["width"] >= 380  # the whole width, at the bottom
    assert abs(box["y"] + box["height"] - 844) <= 2
    _no_sideways_scroll(page)
    _shot(page, "known-390")
    card.get_by_role("button", name="Close").last.click()
    expect(card).to_be_hidden()
    page.locator("#suggestions").scroll_into_view_if_needed()
    _no_sideways_scroll(page)
    _shot(page, "panel-390")
    page.keyboard.press("n")
    expect(card).to_be_visible()
    _no_sideways_scroll(page)
    _shot(page, "worth-390")
    assert page.js_errors == []


def test_pending_is_asked_again_and_a_reviewer_reads_without_acting(
    page, make, desk, browser_login
):
    rita = make.user("rita", roles=[Role.REVIEWER])
    asked = []

    def first_pending(route):
        asked.append(route.request.url)
        if len(asked) == 1:  # still being computed, as just after an import
            route.fulfill(
                json={"known": [], "worth_checking": [], "model": "rules", "status": "pending"}
            )
        else:
            route.continue_()

    page.route("**/suggestions", first_pending)
    browser_login(page, rita)
    page.goto(f"/articles/{desk['article_id']}/annotate")
    status = page.locator("#suggestions .sg-status")
    expect(status).to_contain_text("2 sentences repeat checked claims.")
    assert len(asked) == 2
    page.locator(".sg-badge").first.click()
    card = page.locator("#suggestions .sg-card")
    expect(card).to_contain_text(KNOWN)
    # a reviewer does not annotate here: no Accept, no Dismiss
    assert card.get_by_role("button", name="Accept: same claim").count() == 0
    assert card.get_by_role("button", name="Dismiss").count() == 0
    assert page.js_errors == []


def test_suggestions_never_ready_the_page_stops_asking_and_says_so(page, desk, browser_login):
    asked = []

    def always_pending(route):
        asked.append(route.request.url)
        route.fulfill(
            json={"known": [], "worth_checking": [], "model": "rules", "status": "pending"}
        )

    browser_login(page, desk["anna"])
    page.clock.install()
    page.route("**/suggestions", always_pending)
    page.goto(f"/articles/{desk['article_id']}/annotate")
    status = page.locator("#suggestions .sg-status")
    expect(status).to_have_text("Looking for checked claims and sentences worth checking…")
    # each question waits for the answer to the last one: time runs on between them
    gave_up = "Suggestions are not ready yet: reload the page later to see them."
    for _ in range(20):
        page.clock.run_for(9_000)
        page.wait_for_timeout(500)
        if status.inner_text() == gave_up:
            break
    expect(status).to_have_text(gave_up)
    page.clock.run_for(60_000)
    page.wait_for_timeout(500)
    assert len(asked) == 5  # the first question and four more, further and further apart
    assert page.js_errors == []
