"""The review pages, through the HTML forms."""

from __future__ import annotations

import re

import pytest

from factcheck.extensions import db
from factcheck.models import Role, Status
from factcheck.services import queue


def page_text(response) -> str:
    return response.get_data(as_text=True)


def test_queue_lists_filters_and_shows_reservations(client, login_as, cast, submitted):
    a, b = submitted(2, claimant="Jean <b>Dupont</b>")
    queue.next_item(db.session, cast.reviewer2)
    db.session.commit()
    login_as(cast.reviewer)
    html = page_text(client.get("/review/"))
    assert "Start reviewing" in html
    assert "being reviewed by Rémi until" in html
    assert "Jean &lt;b&gt;Dupont&lt;/b&gt;" in html  # escaped
    assert 'id="count-total">2<' in html and 'id="count-free">1<' in html
    html = page_text(client.get("/review/?claimant=nobody"))
    assert "Nothing to review with these filters." in html
    assert client.get("/review/?article=abc").status_code == 200  # bad filter: ignored


def test_queue_is_for_reviewers(client, login_as, cast):
    login_as(cast.annotator)
    assert client.get("/review/").status_code == 403


def test_start_reviewing_opens_the_oldest_free_item(client, login_as, cast, submitted):
    a, b = submitted(2)
    login_as(cast.reviewer)
    r = client.post("/review/next")
    assert r.headers["Location"].endswith(f"/review/{a.id}")
    db.session.refresh(a)
    assert a.reserved_by_id == cast.reviewer.id


def test_empty_queue_is_a_friendly_message(client, login_as, cast):
    login_as(cast.reviewer)
    r = client.post("/review/next", follow_redirects=True)
    assert "The queue is empty" in page_text(r)


def test_item_page_highlights_the_claim_escaped(client, login_as, make, cast):
    article = make.article(text="Avant.\n\nIl a dit <script>x</script> « 10 % » 🎉 hier.\n\nAprès.")
    start = article.text.index("<script>")
    a = make.annotation(
        article=article,
        author=cast.annotator,
        start=start,
        end=start + len("<script>x</script> « 10 % » 🎉"),
        status=Status.SUBMITTED,
    )
    login_as(cast.reviewer)
    html = page_text(client.get(f"/review/{a.id}"))
    assert (
        'Il a dit <mark class="claim-span verdict-mark-false" id="claim-span">'
        "&lt;script&gt;x&lt;/script&gt; « 10 % » 🎉</mark> hier." in html
    )
    assert '<p class="context">Avant.</p>' in html
    assert 'rel="noopener noreferrer"' in html and 'target="_blank"' in html
    assert 'id="approve-form"' in html and 'name="version" value="1"' in html
    assert "style=" not in html and "<script>" not in html.replace('<script type="module"', "")


def test_non_web_source_is_not_a_link(client, login_as, make, cast, submitted):
    (a,) = submitted(1)
    a.sources[0].url = "javascript:alert(1)"
    db.session.commit()
    login_as(cast.reviewer)
    html = page_text(client.get(f"/review/{a.id}"))
    assert 'href="javascript:' not in html


def test_author_sees_history_but_no_buttons(client, login_as, make, cast):
    me = make.user(roles=[Role.ANNOTATOR, Role.REVIEWER, Role.ADMIN])
    a = make.annotation(article=cast.article, author=me, status=Status.SUBMITTED)
    login_as(me)
    html = page_text(client.get(f"/review/{a.id}"))
    assert "History" in html
    assert 'id="approve-form"' not in html and 'id="reject-form"' not in html
    assert "another reviewer must check it" in html


@pytest.mark.parametrize("who", ["reviewer", "annotator2"])
def test_others_drafts_are_404(client, login_as, make, cast, who):
    draft = make.annotation(article=cast.article, author=cast.annotator)
    user = cast.reviewer if who == "reviewer" else make.user(roles=[Role.ANNOTATOR])
    login_as(user)
    assert client.get(f"/review/{draft.id}").status_code == 404
    # a reviewer learns nothing about the draft; an annotator may not use the route at all
    expected = 404 if who == "reviewer" else 403
    assert client.post(f"/review/{draft.id}/approve", data={"version": 1}).status_code == expected


def test_approve_form_decides_and_opens_next(client, login_as, cast, submitted):
    a, b = submitted(2)
    login_as(cast.reviewer)
    r = client.post(f"/review/{a.id}/approve", data={"version": 1})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/review/{b.id}")
    db.session.refresh(a)
    assert (a.status, a.reviewer_id) == (Status.APPROVED, cast.reviewer.id)


def test_double_submit_of_the_form_counts_once(client, login_as, cast, submitted):
    (a,) = submitted(1)
    login_as(cast.reviewer)
    client.post(f"/review/{a.id}/approve", data={"version": 1})
    r = client.post(f"/review/{a.id}/approve", data={"version": 1}, follow_redirects=True)
    assert "Already approved by you" in page_text(r)
    db.session.refresh(a)
    assert len(a.events) == 2


def test_reject_form_requires_a_comment(client, login_as, cast, submitted):
    (a,) = submitted(1)
    login_as(cast.reviewer)
    r = client.post(f"/review/{a.id}/reject", data={"version": 1, "comment": ""})
    assert r.headers["Location"].endswith(f"/review/{a.id}")
    db.session.refresh(a)
    assert a.status is Status.SUBMITTED
    client.post(f"/review/{a.id}/reject", data={"version": 1, "comment": "Source?"})
    db.session.refresh(a)
    assert (a.status, a.review_comment) == (Status.REJECTED, "Source?")


@pytest.mark.parametrize("roles", [[Role.REVIEWER, Role.ANNOTATOR], [Role.ADMIN]])
def test_four_eyes_through_the_form(client, login_as, make, cast, roles):
    me = make.user(roles=roles)
    a = make.annotation(article=cast.article, author=me, status=Status.SUBMITTED)
    login_as(me)
    r = client.post(f"/review/{a.id}/approve", data={"version": 1}, follow_redirects=True)
    assert "You cannot review your own claim" in page_text(r)
    db.session.refresh(a)
    assert a.status is Status.SUBMITTED


def test_stale_form_is_refused_with_message(client, login_as, cast, submitted):
    (a,) = submitted(1)
    login_as(cast.reviewer)
    r = client.post(
        f"/review/{a.id}/approve",
        data={"version": 0},
        headers={"Referer": f"http://localhost/review/{a.id}"},
        follow_redirects=True,
    )
    assert "changed since you opened it" in page_text(r)


def test_skip_moves_on_and_does_not_come_back(client, login_as, cast, submitted):
    a, b = submitted(2)
    login_as(cast.reviewer)
    client.post("/review/next")
    r = client.post(f"/review/{a.id}/skip")
    assert r.headers["Location"].endswith(f"/review/{b.id}")
    db.session.refresh(a)
    assert a.reserved_by_id is None
    r = client.post(f"/review/{b.id}/skip", follow_redirects=True)
    assert "2 claims you skipped still wait" in page_text(r)


def test_reopen_form_admin_only(client, login_as, make, cast):
    a = make.annotation(article=cast.article, author=cast.annotator, status=Status.APPROVED)
    login_as(cast.reviewer)
    assert "reopen-form" not in page_text(client.get(f"/review/{a.id}"))
    assert (
        client.post(f"/review/{a.id}/reopen", data={"version": 1, "reason": "x"}).status_code == 403
    )
    login_as(cast.admin)
    assert "reopen-form" in page_text(client.get(f"/review/{a.id}"))
    client.post(f"/review/{a.id}/reopen", data={"version": 1, "reason": ""})
    db.session.refresh(a)
    assert a.status is Status.APPROVED
    client.post(f"/review/{a.id}/reopen", data={"version": 1, "reason": "Wrong figure."})
    db.session.refresh(a)
    assert a.status is Status.SUBMITTED
    assert "Wrong figure." in page_text(client.get(f"/review/{a.id}"))


@pytest.mark.csrf
def test_forms_need_csrf(client, login_as, cast, submitted):
    (a,) = submitted(1)
    login_as(cast.reviewer)
    assert client.post(f"/review/{a.id}/approve", data={"version": 1}).status_code == 400
    html = page_text(client.get(f"/review/{a.id}"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    r = client.post(f"/review/{a.id}/approve", data={"version": 1, "csrf_token": token})
    assert r.status_code == 302
    db.session.refresh(a)
    assert a.status is Status.APPROVED


def test_queue_pages_through_many_items(client, login_as, cast, submitted):
    items = submitted(55)
    login_as(cast.reviewer)
    html = page_text(client.get("/review/?claimant=some"))
    assert "Page 1 of 2" in html and 'rel="next"' in html
    html = page_text(client.get("/review/?claimant=some&page=2"))
    assert f"/review/{items[-1].id}" in html and f'/review/{items[0].id}"' not in html


def test_admin_sees_a_draft_page_but_cannot_review_it(client, login_as, make, cast):
    draft = make.annotation(article=cast.article, author=cast.annotator)
    login_as(cast.admin)
    html = page_text(client.get(f"/review/{draft.id}"))
    assert "History" in html and 'id="approve-form"' not in html
    assert client.post(f"/review/{draft.id}/approve", data={"version": 1}).status_code == 404


def test_the_claimant_filter_ignores_the_case_of_accented_letters(
    client, login_as, cast, submitted
):
    (elysee,) = submitted(1, claimant="L'Élysée")
    (other,) = submitted(1, claimant="Matignon")
    login_as(cast.reviewer)
    html = page_text(client.get("/review/?claimant=%C3%A9lys%C3%A9e"))  # "élysée"
    assert f"/review/{elysee.id}" in html and f"/review/{other.id}" not in html
