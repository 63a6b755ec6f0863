"""Evidence in a real browser: a claim cites a source already captured, takes a stance,
quotes an excerpt selected with the mouse in the capture's reading view, is submitted;
the reviewer sees the excerpt and the JSON Lines export carries it with the capture's
sha256. Screenshots of the pages: evidence-*.png."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from factcheck.extensions import db
from factcheck.models import Annotation, Role
from factcheck.services import projects
from factcheck.services.evidence import capture, sources

from .conftest import ARTIFACTS
from .test_annotate import drag_select, stored

pytestmark = pytest.mark.browser

# tests/artifacts/, and docs/screenshots/ too when asked (FACTCHECK_UPDATE_SCREENSHOTS=1),
# like test_revisions.py: a test run leaves the checkout as it was
DOCS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("FACTCHECK_UPDATE_SCREENSHOTS") == "1"
    else ARTIFACTS
)
URL = "https://stats.example/chomage-2024"
REPORT = (
    "Chômage : les chiffres du quatrième trimestre\n\n"
    "Le taux de chômage au sens du BIT s’établit à 7,5 % de la population active 🇫🇷, "
    "en hausse de 0,2 point sur le trimestre.\n\n"
    "Sur un an, il augmente de 0,4 point. Le nombre de chômeurs atteint 2,4 millions."
)
EXCERPT = "en hausse de 0,2 point sur le trimestre"
ARTICLE = "Le ministre l’a répété ce matin : « Le chômage n’a jamais été aussi bas. »"

# the viewport points of a quote's first and last characters inside #capture-text
POINTS = """(quote) => {
  const root = document.getElementById('capture-text');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let text = '', nodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    nodes.push([n, text.length]); text += n.data;
  }
  const first = text.indexOf(quote), last = first + quote.length;
  const at = (i) => {
    for (let k = nodes.length - 1; k >= 0; k--) {
      if (nodes[k][1] <= i) return [nodes[k][0], i - nodes[k][1]];
    }
  };
  const [a, ao] = at(first), [b, bo] = at(last - 1);
  const r1 = document.createRange(); r1.setStart(a, ao); r1.setEnd(a, ao + 1);
  const r2 = document.createRange(); r2.setStart(b, bo); r2.setEnd(b, bo + 1);
  const s = r1.getClientRects()[0], e = r2.getClientRects()[0];
  return {x1: s.left + 1, y1: s.top + s.height / 2, x2: e.right - 1, y2: e.top + e.height / 2};
}"""


def _shoot(page, name: str) -> None:
    """1280 and 390 px wide; a phone never scrolls sideways."""
    DOCS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(DOCS / f"evidence-{name}-{width}.png"), full_page=True)
        sideways = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert sideways <= 0, f"{name} at {width} px scrolls sideways by {sideways} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def _mouse_select_in_capture(page, quote: str) -> None:
    box = page.evaluate(POINTS, quote)
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=8)
    page.mouse.up()


def test_cite_take_a_stance_quote_an_excerpt_review_and_export(page, new_page, make, browser_login):
    annotator = make.user(username="anna", display_name="Anna Tatrice")
    reviewer = make.user(username="regis", roles=[Role.REVIEWER])
    article = make.article(text=ARTICLE, title="Le chômage au plus bas ?")
    project = projects.default_project(db.session)
    source, _new = sources.find_or_create(db.session, project.id, URL, annotator)
    source.title = "Chômage au quatrième trimestre"
    kept = capture.upload(db.session, source, REPORT.encode(), annotator)
    db.session.commit()
    capture_id, sha256 = kept.id, kept.sha256

    # the claim, its source and a stance, saved as a draft
    browser_login(page, annotator)
    page.goto(f"/articles/{article.id}/annotate")
    drag_select(page, "Le chômage n’a jamais été aussi bas.")
    page.wait_for_selector("#claim-form:not([hidden])")
    page.fill("#f-claim", "Le chômage n’a jamais été aussi bas.")
    page.fill("#f-claimant", "Le ministre")
    page.click("#claim-form .verdict-button.v-false")
    page.fill("#f-src-0-url", URL)
    page.select_option("#f-src-0-stance", "refutes")
    page.fill("#f-rationale", "Il a augmenté sur le trimestre et sur un an.")
    page.click("#claim-form button[value=draft]")
    page.wait_for_selector(".annotation-view:not([hidden])")
    claim = stored()
    assert claim.sources[0].stance.value == "refutes"

    # Read and excerpt: the capture's text, a passage selected with the mouse
    page.click(".edit-claim")
    page.click("#f-src-0-stance ~ .read-excerpt")
    page.wait_for_url(f"**/captures/{capture_id}?claim={claim.id}")
    _mouse_select_in_capture(page, EXCERPT)
    page.wait_for_selector("#add-excerpt:not([disabled])")
    assert page.inner_text("#excerpt-preview") == EXCERPT
    _shoot(page, "excerpt")
    page.click("#add-excerpt")
    page.wait_for_url(f"**/articles/{article.id}/annotate?annotation={claim.id}*")
    if page.locator("#claim-form").is_hidden():
        page.click(".edit-claim")
    assert page.inner_text("#f-src-0-stance ~ .source-excerpts q") == EXCERPT
    assert page.input_value("#f-src-0-stance") == "refutes"
    page.locator("#f-src-0-stance").scroll_into_view_if_needed()
    page.screenshot(path=str(DOCS / "evidence-claim-form-1280.png"))
    page.click("#claim-form button[value=submit]")
    page.wait_for_selector(".annotation-view .badge-submitted")
    view = page.locator(".annotation-view:not([hidden])")
    assert view.locator(".stance").inner_text() == "refutes"
    assert view.locator(".excerpt-quote").inner_text() == EXCERPT
    db.session.rollback()  # end the snapshot: the server wrote since
    (citation,) = db.session.get(Annotation, claim.id).sources
    (excerpt,) = citation.excerpts
    assert excerpt["quote"] == EXCERPT and REPORT[excerpt["start"] : excerpt["end"]] == EXCERPT
    assert citation.stance.value == "refutes"
    assert page.js_errors == []

    # the reviewer sees the stance and the excerpt; the export carries its capture
    desk = new_page()
    browser_login(desk, reviewer)
    desk.goto(f"/review/{claim.id}")
    assert desk.inner_text(".citation .stance") == "refutes"
    assert desk.inner_text(".citation .excerpt-quote") == EXCERPT
    _shoot(desk, "review")
    desk.click("text=Read the capture")
    desk.wait_for_selector("mark.excerpt-mark")
    assert desk.inner_text("mark.excerpt-mark") == EXCERPT
    _shoot(desk, "capture")
    desk.goto(f"/sources/{citation.source_id}")
    _shoot(desk, "source")
    desk.goto(f"/review/{claim.id}")
    desk.click("#approve-form button")
    desk.wait_for_url(lambda url: f"/review/{claim.id}" not in url)
    lines = desk.request.get("/api/v1/export.jsonl").text().splitlines()
    (record,) = [r for r in map(json.loads, lines) if r["annotation_id"] == claim.id]
    (exported,) = record["sources"][0]["excerpts"]
    assert exported["quote"] == EXCERPT and exported["capture"]["sha256"] == sha256
    assert desk.js_errors == []
