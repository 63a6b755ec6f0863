"""Double annotation in the browser: three annotators finish an article in My work, an
adjudicator settles it with the keyboard, and the export holds the result."""

from __future__ import annotations

import csv
import io

import pytest

from factcheck.extensions import db
from factcheck.models import Role
from factcheck.services import assignments

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TEXT = (
    "Le maire assure que la fréquentation des bus a doublé depuis 2015.\n\n"
    "Il affirme aussi que la ville compte 40 000 habitants de plus qu'en 2010.\n\n"
    "L'opposition répond que les tarifs ont augmenté de 30 %."
)


def _keys_ready(page):
    """The module has loaded and put the focus on the first undecided group."""
    # a function, not an expression: Playwright evaluates an expression again with eval()
    # at each poll, which the page's CSP (no 'unsafe-eval') refuses once it has to wait
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.classList.contains('adj-group')"
    )


class _Asked(list):
    handler = None


def _answer_dialogs(page, *, accept: bool) -> _Asked:
    """Answer every confirm() of the page; what it asked, in order."""
    asked = _Asked()

    def handler(dialog):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    asked.handler = handler
    page.on("dialog", handler)
    return asked


def test_three_annotators_then_keyboard_adjudication(
    page, new_page, make, browser_login, screenshot
):
    admin = make.user("adele", roles=[Role.ADMIN])
    names = ["anna", "bruno", "chloe"]
    people = [make.user(n) for n in names]
    reviewer = make.user("regis", roles=[Role.REVIEWER])
    article = make.article(TEXT, title="Les bus de la ville")
    assignment = assignments.create(
        db.session,
        admin,
        {"name": "Transports", "article_ids": [article.id], "annotators": names, "per_article": 3},
    )
    db.session.commit()
    # group 1: the same sentence, two verdicts; group 2: only one annotator saw it
    for person, verdict in zip(people, ("false", "mostly_false", "false"), strict=True):
        make.annotation(article=article, author=person, start=0, end=65, verdict=verdict)
    make.annotation(article=article, author=people[1], start=68, end=140, verdict="true")

    for person in people:
        desk = new_page()
        browser_login(desk, person)
        desk.goto("/assignments/work")
        desk.get_by_role("button", name="Mark done").click()
        desk.wait_for_selector("text=Marked done.")
        assert desk.js_errors == []

    browser_login(page, reviewer)
    page.goto("/assignments/")
    page.get_by_role("button", name="Adjudicate next (1)").click()
    page.wait_for_selector(".adj-group")
    _keys_ready(page)
    screenshot(page, "adjudicate-1280")
    assert page.locator(".adj-group").count() == 2
    page.keyboard.press("2")  # group 1: accept bruno's version (mostly_false)
    page.wait_for_selector("text=Group settled.")
    _keys_ready(page)
    # group 2 now has the focus: drop it. The last open group: the page asks first
    asked = _answer_dialogs(page, accept=False)
    page.keyboard.press("d")
    page.wait_for_function("() => document.activeElement !== null")
    assert len(asked) == 1 and "closes the article" in asked[0]
    assert page.locator(".adj-group.is-decided").count() == 1  # nothing was sent
    page.remove_listener("dialog", asked.handler)
    asked = _answer_dialogs(page, accept=True)
    page.keyboard.press("d")
    page.wait_for_selector("text=Article adjudicated")
    screenshot(page, "adjudicate-undo", full_page=False)
    # a second thought: u takes the last decision back, the article is open again
    page.keyboard.press("u")
    page.wait_for_selector("text=Decision undone: group 2 is open again.")
    assert page.locator(".adj-group:not(.is-decided)").count() == 1
    _keys_ready(page)
    page.keyboard.press("d")
    page.wait_for_selector("text=Article adjudicated")
    page.remove_listener("dialog", asked.handler)
    assert page.js_errors == []

    response = page.request.get("/api/v1/export.csv")
    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert len(rows) == 1
    assert rows[0]["annotator"] == "bruno" and rows[0]["reviewer"] == "regis"
    assert rows[0]["verdict"] == "mostly_false"
    assert rows[0]["quote"] == TEXT[0:65]

    report = page.request.get(f"/api/v1/assignments/{assignment.id}/agreement").json()
    assert report["articles"] == 1 and report["verdict"]["units"] == 2
    page.goto(f"/assignments/{assignment.id}")
    screenshot(page, "assignment-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "assignment-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_dropping_a_group_both_annotators_agree_on_asks_first(page, make, browser_login):
    admin = make.user("adele", roles=[Role.ADMIN])
    people = [make.user(n) for n in ("anna", "bruno")]
    reviewer = make.user("regis", roles=[Role.REVIEWER])
    article = make.article(TEXT, title="Les bus de la ville")
    assignment = assignments.create(
        db.session,
        admin,
        {
            "name": "Bus",
            "article_ids": [article.id],
            "annotators": ["anna", "bruno"],
            "per_article": 2,
        },
    )
    for person in people:  # group 1: both say "false"; group 2: they disagree
        make.annotation(article=article, author=person, start=0, end=65, verdict="false")
    make.annotation(article=article, author=people[0], start=68, end=140, verdict="true")
    make.annotation(article=article, author=people[1], start=68, end=140, verdict="mixed")
    for person in people:
        assignments.mark_done(db.session, assignment, article.id, person)
    db.session.commit()

    browser_login(page, reviewer)
    page.goto(f"/assignments/{assignment.id}/articles/{article.id}/adjudicate")
    _keys_ready(page)
    asked = _answer_dialogs(page, accept=False)
    page.keyboard.press("d")  # group 1 has the focus: both annotators agree
    page.wait_for_function("() => document.activeElement !== null")
    assert len(asked) == 1 and "agree" in asked[0]
    assert page.locator(".adj-group.is-decided").count() == 0
    page.keyboard.press("j")  # group 2: they disagree, dropping it asks nothing
    page.keyboard.press("d")
    page.wait_for_selector("text=Group settled.")
    assert len(asked) == 1
    assert page.js_errors == []
