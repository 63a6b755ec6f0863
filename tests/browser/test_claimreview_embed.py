"""Our ClaimReview pasted into a publisher's page as ``<script type="application/ld+json">``
(what ClaimReview is for) runs nothing, whatever the claim says (issue 15, finding 5)."""

from __future__ import annotations

import json

import pytest

from factcheck.models import Role, Status

pytestmark = pytest.mark.browser

PAYLOADS = [
    "</script><script>window.ran = (window.ran || 0) + 1; alert(1)</script>",
    "</script><!--<script>alert(2)</script>",
    "<!--<script>",
    "</SCRIPT ><img src=x onerror=alert(3)>",
    "&lt;/script&gt; & \u2028 \u2029",
]


def test_claimreview_embedded_in_a_page_runs_nothing(browser, client, make, login):
    author = make.user(roles=[Role.ANNOTATOR])
    article = make.article(title=PAYLOADS[0])
    for n, payload in enumerate(PAYLOADS):
        make.annotation(
            article=article,
            author=author,
            status=Status.APPROVED,
            claim=f"Claim {n} {payload}",
            claimant=payload,
            rationale=payload,
        )
    login(make.user(roles=[Role.ADMIN]))
    exported = client.get("/api/v1/export.claimreview.json").get_data(as_text=True)
    html = (
        "<!doctype html><html><head><title>Publisher</title>"
        f'<script type="application/ld+json" id="cr">{exported}</script>'
        '</head><body><p id="after">article body</p></body></html>'
    )
    context = browser.new_context()
    try:
        page = context.new_page()
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.set_content(html)  # returns after the load event: any script has run by then
        assert dialogs == []
        assert page.evaluate("window.ran") is None
        assert page.evaluate("document.scripts.length") == 1  # our block, and nothing else
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        assert page.inner_text("#after") == "article body"
        # the block still parses to exactly the data, payloads included
        parsed = page.evaluate("JSON.parse(document.getElementById('cr').textContent)")
        assert parsed == json.loads(exported)
        claims = sorted(item["claimReviewed"] for item in parsed)
        assert claims == sorted(f"Claim {n} {p}" for n, p in enumerate(PAYLOADS))
    finally:
        context.close()
