"""An admin corrects an article's text; the annotator sees the relocated badge, confirms
the claim's place, and the exact export holds it with offsets into the new text."""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

import pytest

from factcheck.extensions import db
from factcheck.models import Role, Status
from tests.revisions.conftest import JOBS, TEXT

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
#: a figure corrected, and the jobs paragraph repeated at the end: the claim's quote now
#: stands twice in the same surroundings, so its place needs a person's confirmation
NEW_TEXT = TEXT.replace("40 milliards", "42 milliards") + "\n\n" + TEXT.split("\n\n")[1]


@pytest.fixture(autouse=True)
def _reads_take_no_write_lock():
    from factcheck.database import write_intent

    write_intent.set(False)


def export_rows(page) -> list[dict]:
    response = page.request.get("/api/v1/export.csv")
    assert response.ok
    return list(csv.DictReader(io.StringIO(response.text(), newline="")))


def test_admin_revises_annotator_confirms_export_is_exact(
    page, new_page, make, browser_login, screenshot
):
    admin = make.user("ada", roles=[Role.ADMIN], display_name="Ada Admin")
    annotator = make.user("anna", roles=[Role.ANNOTATOR], display_name="Anna Annotatrice")
    article = make.article(text=TEXT, title="La dette et les postes")
    start = TEXT.index("La ministre a assuré que " + JOBS)
    quote = "La ministre a assuré que " + JOBS
    claim = make.annotation(
        article=article,
        author=annotator,
        start=start,
        end=start + len(quote),
        status=Status.APPROVED,
        claim="300 postes seront créés en 2027.",
        claimant="La ministre",
        verdict="mostly_true",
    )
    claim_id, article_id = claim.id, article.id
    db.session.commit()

    browser_login(page, admin)
    assert [r["annotation_id"] for r in export_rows(page)] == [str(claim_id)]
    page.goto(f"/articles/{article_id}")
    page.click("#edit-text")
    page.fill("#text", NEW_TEXT)
    page.fill("#note", "Chiffre de la dette corrigé, rappel ajouté")
    page.click("button[value=preview]")
    assert page.inner_text(".text-diff ins") == "42"
    assert "relocated, to confirm: 1" in page.inner_text("#anchor-counts")
    screenshot(page, "revision-preview")
    _publish(page, "revision-preview.png")
    page.click("button[value=save]")
    page.wait_for_url(f"**/articles/{article_id}")
    assert "Revision 2" in page.inner_text("#revisions")
    # relocated: not in the exact export until a person confirms where it stands
    assert export_rows(page) == []

    desk = new_page()
    browser_login(desk, annotator)
    desk.goto("/")
    card = desk.locator("#dash-attention")
    assert "relocated" in card.inner_text()
    card.locator("a").first.click()
    desk.wait_for_selector("#anchor-notice")
    assert desk.locator("#claims-list-title ~ ol .badge-relocated").count() == 1
    screenshot(desk, "relocated-claim", full_page=False)
    _publish(desk, "relocated-claim.png")
    # the panel as the script draws it (anchors.js through annotate.js's hook)
    desk.click(f"#claims-list-title ~ ol a[data-annotation-id='{claim_id}']")
    desk.wait_for_selector("#anchor-notice .anchor-confirm-button")
    assert "Before (revision 1)" in desk.inner_text("#anchor-notice")
    with desk.expect_navigation():  # confirmed: the page reloads with the claim in place
        desk.click("#anchor-notice .anchor-confirm-button")
    desk.wait_for_selector(f"#annotation-{claim_id}")
    assert desk.locator("#anchor-notice").count() == 0
    assert desk.locator(".badge-relocated").count() == 0
    assert desk.js_errors == [] and page.js_errors == []

    rows = export_rows(page)
    assert [r["annotation_id"] for r in rows] == [str(claim_id)]
    (row,) = rows
    assert row["article_revision"] == "2" and row["status"] == "approved"
    assert NEW_TEXT[int(row["start"]) : int(row["end"])] == row["quote"] == quote


def _publish(page, name: str) -> None:
    """Refresh the README's screenshots (tests/artifacts → docs/screenshots) when asked with
    FACTCHECK_UPDATE_SCREENSHOTS=1; a plain test run leaves the checkout as it was."""
    source = Path(__file__).resolve().parents[1] / "artifacts" / name
    if os.environ.get("FACTCHECK_UPDATE_SCREENSHOTS") == "1" and source.exists() and DOCS.exists():
        shutil.copyfile(source, DOCS / name)
