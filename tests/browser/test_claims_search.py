"""The Claims page in the browser: "/" focuses the search box, "maire" finds the claims
that hold "Maire" whatever their accents and case, a verdict filter narrows them, the
CSV link downloads the same result; no sideways scroll at 1280 and 390 px."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from factcheck.extensions import db
from factcheck.models import Role, Status
from factcheck.services.matching import indexer

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")  # noqa: S108 (where the brief wants the screenshots)


@pytest.fixture(autouse=True)
def _reads_take_no_write_lock():
    from factcheck.database import write_intent

    write_intent.set(False)


def shot(page, screenshot, name: str) -> None:
    screenshot(page, name)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_search_maire_filter_by_verdict_and_download(page, make, browser_login, screenshot):
    anna = make.user("anna", roles=[Role.ANNOTATOR], display_name="Anna")
    bob = make.user("bob", roles=[Role.ANNOTATOR], display_name="Bob")
    article = make.article(title="Conseil municipal")
    claims = [
        ("Le Maire a doublé la dette de la ville", "false", "Le Maire", date(2024, 3, 10)),
        ("La maire sortante promet 500 logements sociaux", "misleading", "Sophie Martin", None),
        ("MAIRE ET ADJOINTS : salaires doublés en un an", "true", "Jean Dupont", date(2023, 5, 2)),
        ("Les impôts locaux ont baissé de 3 %", "true", "Jean Dupont", date(2023, 1, 5)),
    ]
    for claim, verdict, claimant, day in claims:
        make.annotation(
            article=article,
            author=bob,
            status=Status.APPROVED,
            claim=claim,
            claimant=claimant,
            verdict=verdict,
            claim_date=day,
        )
    make.annotation(article=article, author=bob, status=Status.DRAFT, claim="Le maire ment")
    indexer.index_now(db.session, None)  # the lexical index (the server's thread does it too)
    db.session.commit()

    browser_login(page, anna)
    page.goto("/")
    page.get_by_role("link", name="Claims").first.click()
    page.wait_for_url("**/claims")
    box = page.locator("#q")
    page.locator("h1").click()  # away from the box, then "/" comes back to it
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    box.fill("maire")
    box.press("Enter")
    page.wait_for_url("**/claims?*q=maire*")
    results = page.locator(".claims-item")
    assert results.count() == 3
    text = page.inner_text(".claims-list")
    assert "Le Maire a doublé la dette" in text
    assert "La maire sortante" in text
    assert "MAIRE ET ADJOINTS" in text
    assert "impôts" not in text and "ment" not in text.split()  # another word; bob's draft
    assert page.locator(".claims-chart svg").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    shot(page, screenshot, "claims-search-1280")

    page.select_option("#verdict", "true")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**verdict=true*")
    assert results.count() == 1
    assert "MAIRE ET ADJOINTS" in page.inner_text(".claims-list")

    link = page.get_by_role("link", name="Download CSV")
    href = link.get_attribute("href")
    assert href.startswith("/api/v1/claims.csv?") and "verdict=true" in href
    assert "spreadsheet_safe=1" in href
    with page.expect_download() as download:
        link.click()
    body = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert body.splitlines()[0].startswith("kind,id,claim,claimant,claimant_id,verdict")
    assert len(body.splitlines()) == 2 and "MAIRE ET ADJOINTS" in body

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/claims?q=maire")
    assert results.count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, screenshot, "claims-search-390")
    assert page.js_errors == []
