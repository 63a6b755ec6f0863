"""Issue 23, item 34, in a real browser: on the annotate page, a reviewer who owes their
blind verdict reads that the annotator's verdict is hidden until they give theirs, not
"no verdict yet", in the claim's view and in the list of claims at a spot."""

from __future__ import annotations

import pytest

from factcheck.models import Status
from factcheck.permissions import Role

from .test_annotate import TEXT

pytestmark = pytest.mark.browser

SECRET = "RATIONALE-SECRET"


@pytest.fixture(autouse=True)
def _reads_take_no_write_lock():
    from factcheck.database import write_intent

    write_intent.set(False)


def test_a_blind_reviewer_reads_that_the_verdict_is_hidden(page, make, browser_login, blind):
    annotator = make.user("anna", roles=[Role.ANNOTATOR])
    reviewer = make.user("rita", roles=[Role.REVIEWER])
    article = make.article(text=TEXT, title="Le déficit")
    start = article.text.index("Le ministre")
    claim = make.annotation(
        article=article,
        author=annotator,
        start=start,
        end=start + 11,
        status=Status.SUBMITTED,
        verdict="false",
        rationale=SECRET,
    )
    browser_login(page, reviewer)
    page.goto(f"/articles/{article.id}/annotate")
    page.click(f".hl[data-ids~='{claim.id}']")
    view = page.locator(f"#annotation-{claim.id}")
    view.wait_for()
    verdict = view.locator('[data-f="verdict"]').inner_text()
    assert verdict == "Verdict hidden: give your own on the review page first"
    assert "no verdict yet" not in view.inner_text()
    assert SECRET not in page.content()
    assert page.js_errors == []
