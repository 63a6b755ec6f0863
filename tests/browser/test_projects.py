"""Projects in a real browser: an admin creates a FEVER project and adds members; an
annotator switches to it, annotates with its three verdicts beside its guidelines; the
project's export holds only its own claims."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Annotation, Project, Role, Status

from .test_annotate import drag_select

pytestmark = pytest.mark.browser

TEXT = (
    "The regional statistics office says the airport handled 3.1 million passengers last "
    "year. 🛫 A council member said the tram would be the first to run on renewable power."
)
GUIDELINES = "FEVER labels: supported, refuted, or not enough info. Quote exactly."


def test_admin_creates_a_fever_project_and_an_annotator_works_in_it(
    make, new_page, app, browser_login, screenshot
):
    admin = make.user("ada", roles=[Role.ADMIN])
    annie = make.user("annie", roles=[Role.ANNOTATOR], display_name="Annie")
    newsroom_claim = make.annotation(status=Status.APPROVED, claim="A newsroom claim.")

    # the admin creates the project from the FEVER template, writes guidelines, adds Annie
    boss = new_page()
    browser_login(boss, admin)
    boss.goto("/projects/")
    boss.fill("#name", "Airport dataset")
    boss.fill("#slug", "airport")
    boss.select_option("#template", "fever")
    boss.click("#new-project button[type=submit], #new-project input[type=submit]")
    boss.wait_for_url("**/projects/airport/admin")
    boss.fill("#guidelines", GUIDELINES)
    boss.click("#project-guidelines input[type=submit]")
    boss.wait_for_selector("text=version 1")
    boss.fill("#add-member #username", "annie")
    boss.check("#add-member input[value=annotator]")
    boss.click("#add-member input[type=submit]")
    boss.wait_for_selector("#member-annie")
    screenshot(boss, "project-admin")
    db.session.rollback()
    project = db.session.scalar(select(Project).where(Project.slug == "airport"))
    assert project.guidelines_version == 1
    article = make.article(text=TEXT, title="Airport figures", project_id=project.id)

    # Annie switches to it and annotates with its verdicts, beside its guidelines
    page = new_page()
    browser_login(page, annie)
    # choosing the project switches at once (no Switch button to find with a script)
    with page.expect_navigation():
        page.select_option("#project-select", "airport")
    assert page.is_hidden("#project-switcher button[type=submit]")
    assert page.input_value("#project-select") == "airport"
    page.goto("/articles/")
    page.wait_for_selector("text=Airport figures")
    assert "A newsroom claim" not in page.content()
    page.click("text=Airport figures")
    page.goto(f"/articles/{article.id}/annotate")
    keys = page.eval_on_selector_all(
        "#claim-form input[name=verdict]", "els => els.map(e => e.value)"
    )
    assert keys == ["supported", "refuted", "not_enough_info"]
    assert GUIDELINES in page.inner_text("#guidelines")
    quote = "the airport handled 3.1 million passengers last year"
    drag_select(page, quote)
    page.wait_for_selector("#claim-form:not([hidden])")
    page.fill("#f-claim", "The airport handled 3.1 million passengers last year.")
    page.fill("#f-claimant", "The statistics office")
    page.locator("#f-claimant").blur()
    page.keyboard.press("1")  # supported
    page.fill("#f-src-0-url", "https://example.org/statistics/airport")
    page.fill("#f-rationale", "The yearly report says so.")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".annotation-view .badge-submitted")
    screenshot(page, "project-annotate")
    assert page.js_errors == []
    db.session.rollback()
    claim = db.session.scalars(select(Annotation).where(Annotation.article_id == article.id)).one()
    assert (claim.verdict, claim.project_id, claim.guidelines_version) == (
        "supported",
        project.id,
        1,
    )

    # the project's export holds its claim only
    exported = boss.request.get("/export/download.csv?project=airport&status=all&mode=exact")
    rows = list(csv.DictReader(io.StringIO(exported.text())))
    assert [r["annotation_id"] for r in rows] == [str(claim.id)]
    assert rows[0]["project"] == "airport" and rows[0]["guidelines_version"] == "1"
    assert rows[0]["verdict"] == "supported"
    everything = boss.request.get("/export/download.csv?status=all&mode=exact")
    ids = {r["annotation_id"] for r in csv.DictReader(io.StringIO(everything.text()))}
    assert ids == {str(claim.id), str(newsroom_claim.id)}
