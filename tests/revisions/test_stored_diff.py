"""A revision's diff is computed once, when it is made, and its page reads it; a diff that
had to be coarser than word by word says so; none of them ever answers 500."""

from __future__ import annotations

from sqlalchemy import select, update

from factcheck.extensions import db
from factcheck.models import ArticleRevision
from factcheck.services import revisions, textdiff

from .conftest import DEBT, TEXT

NEW = TEXT.replace("40 milliards", "42 milliards")


def stored_diff(article, number: int) -> str | None:
    return db.session.scalar(
        select(ArticleRevision.diff).where(
            ArticleRevision.article_id == article.id, ArticleRevision.number == number
        )
    )


def test_a_revision_stores_its_diff_and_its_page_never_computes_it_again(
    client, login, admin, article, claim, monkeypatch
):
    claim(DEBT)
    login(admin)
    saved = client.post(
        f"/articles/{article.id}/revise",
        data={"text": NEW, "note": "", "revision": "1", "action": "save"},
    )
    assert saved.status_code == 302
    assert '"unit":"words"' in stored_diff(article, 2)

    def no_more(*_args, **_kwargs):
        raise AssertionError("the diff was computed again")

    monkeypatch.setattr(textdiff, "compare", no_more)
    page = client.get(f"/articles/{article.id}/revisions/2")
    assert page.status_code == 200
    assert "<del>40</del><ins>42</ins>" in page.text
    assert 'id="diff-coarse"' not in page.text


def test_a_revision_made_before_stored_diffs_gets_its_diff_on_its_first_view(
    client, login, admin, article
):
    revisions.create_revision(db.session, article, NEW, user=admin)
    db.session.execute(update(ArticleRevision).values(diff=None))
    db.session.commit()
    login(admin)
    page = client.get(f"/articles/{article.id}/revisions/2")
    assert page.status_code == 200 and "<ins>42</ins>" in page.text
    db.session.rollback()
    assert stored_diff(article, 2) is not None
    first = client.get(f"/articles/{article.id}/revisions/1")
    assert first.status_code == 200 and "The text as first imported." in first.text


def test_a_diff_coarser_than_words_says_so_on_the_page_and_in_the_preview(
    client, login, admin, article, monkeypatch
):
    # no characters may be compared word by word: the changed lines are shown whole
    monkeypatch.setattr(textdiff.compare, "__defaults__", (textdiff.Budget(refine=0),))
    login(admin)
    data = {"text": NEW, "note": "", "revision": "1"}
    preview = client.post(f"/articles/{article.id}/revise", data={**data, "action": "preview"})
    assert preview.status_code == 200
    assert 'id="diff-coarse"' in preview.text and "line by line" in preview.text
    client.post(f"/articles/{article.id}/revise", data={**data, "action": "save"})
    page = client.get(f"/articles/{article.id}/revisions/2")
    assert 'id="diff-coarse"' in page.text and "line by line" in page.text
    assert "<del>Le maire a déclaré que la dette atteint 40 milliards" in page.text


def test_more_distinct_words_than_code_points_never_answers_500(
    client, login, admin, article, monkeypatch
):
    # chr() stops at U+10FFFF: with room for one distinct line, paragraph or word nothing
    # fits but the changed passage, as with 1,114,112 distinct words in two real texts
    monkeypatch.setattr(textdiff.compare, "__defaults__", (textdiff.Budget(distinct=1),))
    login(admin)
    data = {"text": NEW, "note": "", "revision": "1"}
    preview = client.post(f"/articles/{article.id}/revise", data={**data, "action": "preview"})
    assert preview.status_code == 200 and "changed passage is shown whole" in preview.text
    client.post(f"/articles/{article.id}/revise", data={**data, "action": "save"})
    page = client.get(f"/articles/{article.id}/revisions/2")
    assert page.status_code == 200 and "changed passage is shown whole" in page.text
    assert "<del>40</del><ins>42</ins>" in page.text
