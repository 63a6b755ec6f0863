"""Issue 23, item 30: the claim form's save button says what it does (a submitted claim
stays submitted: "Save changes", not "Save draft"), and histories show no internal
version numbers ("v3")."""

from __future__ import annotations

import re

from factcheck.models import Role, Status


def save_button(html: str) -> str:
    return re.search(
        r'<button type="submit" name="action" value="draft"[^>]*>(.*?)</button>', html
    ).group(1)


def test_the_save_button_of_a_submitted_claim_says_save_changes(client, make, login):
    me = make.user(roles=[Role.ANNOTATOR])
    article = make.article()
    submitted = make.annotation(article=article, author=me, status=Status.SUBMITTED)
    draft = make.annotation(article=article, author=me, status=Status.DRAFT, start=30, end=40)
    login(me)
    url = f"/articles/{article.id}/annotate"
    assert save_button(client.get(f"{url}?annotation={submitted.id}").get_data(as_text=True)) == (
        "Save changes"
    )
    assert save_button(client.get(f"{url}?annotation={draft.id}").get_data(as_text=True)) == (
        "Save draft"
    )
    assert save_button(client.get(url).get_data(as_text=True)) == "Save draft"


def test_histories_show_no_internal_version_numbers(client, make, login):
    me = make.user(roles=[Role.ANNOTATOR])
    article = make.article()
    claim = make.annotation(article=article, author=me, status=Status.SUBMITTED)
    login(me)
    for url in (f"/review/{claim.id}", f"/articles/{article.id}/annotate?annotation={claim.id}"):
        html = client.get(url).get_data(as_text=True)
        assert not re.search(r"· v\d", html), url
