"""Issue 23, item 12: what the review pages say after a decision is said once, names the
claim by its words, tells the truth about an "empty" queue, and shows times as the page
does (in the reader's zone)."""

from __future__ import annotations

import re

from factcheck.extensions import db
from factcheck.models import Annotation, Status
from factcheck.services import queue, review
from factcheck.text.names import claim_name

LONG_CLAIM = (
    "Unemployment among young people fell by twenty percent in the last three years "
    "according to the minister."
)


def text(response) -> str:
    return response.get_data(as_text=True)


def flashes(html: str) -> list[str]:
    return re.findall(r'<p class="flash[^"]*">(.*?)</p>', html, re.S)


def test_a_claim_is_named_by_its_words_cut_to_about_sixty_characters():
    name = claim_name(LONG_CLAIM)
    assert name.startswith("Unemployment among young people") and name.endswith("…")
    assert len(name) <= 60
    assert claim_name("  Short\nclaim. ") == "Short claim."
    assert claim_name("", "the quoted passage") == "the quoted passage"


def test_approving_says_so_once_and_names_the_claim(client, login_as, cast, submitted):
    (item,) = submitted(1, claim=LONG_CLAIM)
    login_as(cast.reviewer)
    html = text(
        client.post(f"/review/{item.id}/approve", data={"version": 1}, follow_redirects=True)
    )
    assert html.count("approved") + html.count("Approved") == 1
    undo = re.search(r'<form[^>]*id="undo-form".*?</form>', html, re.S).group(0)
    assert f"You approved “{claim_name(LONG_CLAIM)}”." in undo
    assert f"claim {item.id}" not in html


def test_rejecting_says_where_the_claim_went_once(client, login_as, cast, submitted):
    (item,) = submitted(1, claim="The deficit doubled.")
    login_as(cast.reviewer)
    r = client.post(
        f"/review/{item.id}/reject",
        data={"version": 1, "comment": "Source?"},
        follow_redirects=True,
    )
    html = text(r)
    assert "You rejected “The deficit doubled.”: it went back to its author." in html
    assert not [m for m in flashes(html) if "eject" in m]  # no second banner


def test_undo_and_reopen_messages_name_the_claim(client, login_as, cast, submitted, make):
    (item,) = submitted(1, claim="The deficit doubled.")
    login_as(cast.reviewer)
    client.post(f"/review/{item.id}/approve", data={"version": 1})
    db.session.rollback()
    version = db.session.get(Annotation, item.id).version
    r = client.post(f"/review/{item.id}/undo", data={"version": version}, follow_redirects=True)
    assert "Decision undone: “The deficit doubled.” is back in review" in text(r)
    approved = make.annotation(author=cast.annotator, status=Status.APPROVED, claim="Taxes rose.")
    login_as(cast.admin)
    r = client.post(
        f"/review/{approved.id}/reopen",
        data={"version": approved.version, "reason": "New figures."},
        follow_redirects=True,
    )
    assert "Reopened “Taxes rose.”: it is back in the review queue." in text(r)


def test_next_says_a_claim_is_held_by_someone_else_not_that_the_queue_is_empty(
    client, login_as, cast, submitted
):
    submitted(1)
    queue.next_item(db.session, cast.reviewer2)
    db.session.commit()
    login_as(cast.reviewer)
    html = text(client.post("/review/next", follow_redirects=True))
    assert "The queue is empty" not in html and "Well done" not in html
    assert "1 claim is being reviewed by someone else" in html


def test_next_after_skipping_says_the_skipped_claim_still_waits(client, login_as, cast, submitted):
    (item,) = submitted(1)
    login_as(cast.reviewer)
    client.post("/review/next")
    html = text(client.post(f"/review/{item.id}/skip", follow_redirects=True))
    assert "The queue is empty" not in html
    assert "1 claim you skipped still waits" in html


def test_next_on_an_empty_queue_still_says_well_done(client, login_as, cast):
    login_as(cast.reviewer)
    assert "The queue is empty" in text(client.post("/review/next", follow_redirects=True))


def test_a_conflict_shows_its_time_the_way_the_page_shows_times(client, login_as, cast, submitted):
    (item,) = submitted(1)
    review.approve(db.session, item, cast.reviewer2, version=1)
    db.session.commit()
    login_as(cast.reviewer)
    r = client.post(
        f"/review/{item.id}/approve",
        data={"version": 1},
        headers={"Referer": f"http://localhost/review/{item.id}"},
        follow_redirects=True,
    )
    (message,) = [m for m in flashes(text(r)) if "decided first" in m]
    at = item.reviewed_at
    # a <time> in UTC, which page.js shows in the reader's zone like every other time
    assert f'<time datetime="{at.strftime("%Y-%m-%dT%H:%M")}:00Z">' in message
    assert f"{at.strftime('%Y-%m-%d %H:%M')} UTC</time>" in message
