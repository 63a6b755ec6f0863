"""A reviewer undoes their own decision, and fixes a claim while approving it; the
author, in their own browser, reads what changed (issue 14)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Annotation, ReviewEvent, Role, Status, utcnow

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _reads_take_no_write_lock():
    from factcheck.database import write_intent

    write_intent.set(False)


@pytest.fixture
def claims(make):
    annotator = make.user("anna", roles=[Role.ANNOTATOR], display_name="Anna Annotatrice")
    reviewer = make.user("rita", roles=[Role.REVIEWER], display_name="Rita Relectrice")
    article = make.article(title="Le chômage en France")
    start = article.text.index("Le chômage")
    items = []
    for i in range(2):
        a = make.annotation(
            article=article,
            author=annotator,
            start=start,
            end=start + 10,
            status=Status.SUBMITTED,
            claim=f"Le chômage a baissé de {20 + i} %.",
        )
        a.submitted_at = utcnow() - timedelta(minutes=30 - i)
        items.append(a)
    db.session.commit()
    return annotator, reviewer, [a.id for a in items]


def stored(annotation_id: int) -> Annotation:
    db.session.rollback()
    return db.session.get(Annotation, annotation_id)


def test_undo_round_trip(page, claims, browser_login, screenshot):
    _annotator, reviewer, (one, two) = claims
    browser_login(page, reviewer)
    page.goto(f"/review/{one}")
    page.keyboard.press("a")  # approve → the next item opens, with "Undo"
    page.wait_for_url(f"**/review/{two}")
    assert f"You approved “{stored(one).claim}”." in page.inner_text("#undo-form")
    screenshot(page, "review-undo")
    assert stored(one).status is Status.APPROVED
    page.keyboard.press("u")
    page.wait_for_url(f"**/review/{one}")
    assert "Decision undone" in page.inner_text(".flashes")
    annotation = stored(one)
    assert annotation.status is Status.SUBMITTED and annotation.reserved_by_id == reviewer.id
    moves = db.session.execute(
        select(ReviewEvent.from_status, ReviewEvent.to_status)
        .where(ReviewEvent.annotation_id == one)
        .order_by(ReviewEvent.id)
    ).all()
    assert moves[-2:] == [
        (Status.SUBMITTED, Status.APPROVED),
        (Status.APPROVED, Status.SUBMITTED),
    ]  # history kept, the undo recorded
    assert page.locator("#undo-form").count() == 0
    page.keyboard.press("a")  # decide again
    page.wait_for_url(f"**/review/{two}")
    assert stored(one).status is Status.APPROVED
    assert page.js_errors == []


def test_fix_and_approve_round_trip(page, new_page, claims, browser_login, screenshot):
    annotator, reviewer, (one, _two) = claims
    browser_login(page, reviewer)
    page.goto(f"/review/{one}")
    page.click("#fix-approve summary")
    page.fill("#fix-claim", "Le chômage a baissé de 2 %.")
    page.fill("#fix-src-1-url", "https://www.insee.fr/fr/statistiques/2")
    page.fill("#fix-comment", "Le chiffre était faux d'un facteur dix.")
    screenshot(page, "review-fix-and-approve")
    page.click("#fix-form button[type=submit]")
    page.wait_for_url(lambda url: f"/review/{one}" not in url)
    annotation = stored(one)
    assert annotation.status is Status.APPROVED
    assert annotation.claim == "Le chômage a baissé de 2 %."
    assert "https://www.insee.fr/fr/statistiques/2" in [s.url for s in annotation.sources]
    assert "Le chômage a baissé de 20 %." in annotation.review_comment

    # the author, at their own desk, reads what the reviewer changed
    author_page = new_page()
    browser_login(author_page, annotator)
    author_page.goto(f"/review/{one}")
    history = author_page.inner_text(".history")
    assert "Fixed by the reviewer before approval" in history
    assert "Le chômage a baissé de 20 %." in history
    assert page.js_errors == [] and author_page.js_errors == []
