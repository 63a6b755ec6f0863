"""Issue 23, item 34: the annotate page hands its script the words for a verdict hidden
from a blind reviewer, and says them itself when it renders the claim."""

from __future__ import annotations

import json
import re

from factcheck.models import Role, Status

HIDDEN = "Verdict hidden: give your own on the review page first"


def test_a_blind_reviewer_is_told_the_verdict_is_hidden_not_absent(client, make, login, blind):
    annotator = make.user(roles=[Role.ANNOTATOR])
    reviewer = make.user(roles=[Role.REVIEWER])
    claim = make.annotation(author=annotator, status=Status.SUBMITTED, verdict="false")
    login(reviewer)
    html = client.get(f"/articles/{claim.article_id}/annotate?annotation={claim.id}").get_data(
        as_text=True
    )
    data = json.loads(re.search(r'id="annotate-data">(.*?)</script>', html, re.S).group(1))
    assert data["labels"]["verdict_hidden"] == HIDDEN
    assert data["labels"]["rationale_hidden"] == "Hidden until you give your own verdict."
    view = html[html.index('class="annotation-view"') :][:600]
    assert HIDDEN in view and "no verdict yet" not in view
