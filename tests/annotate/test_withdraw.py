"""No dead end for an orphan's author: a submitted claim whose passage a revision removed
can be withdrawn from review, then corrected or deleted as a draft."""

from __future__ import annotations

from factcheck.extensions import db
from factcheck.models import Anchor, Role, Status


def _orphan(make):
    author = make.user("anna")
    article = make.article()
    claim = make.annotation(article=article, author=author, status=Status.SUBMITTED)
    claim.anchor = Anchor.ORPHANED
    db.session.commit()
    return author, article, claim


def test_the_author_is_offered_withdraw_not_a_delete_they_cannot_do(client, login, make):
    author, article, claim = _orphan(make)
    login(author)
    page = client.get(f"/articles/{article.id}/annotate?annotation={claim.id}")
    html = page.get_data(as_text=True)
    notice = html.split('id="anchor-notice"', 1)[1].split("</div>", 1)[0]
    assert "Withdraw from review" in notice
    assert "withdraw it from review" in notice and "delete the draft" not in notice


def test_withdrawing_makes_a_draft_with_its_history(client, login, make):
    author, article, claim = _orphan(make)
    login(author)
    answer = client.post(f"/annotations/{claim.id}/withdraw", data={"version": str(claim.version)})
    assert answer.status_code == 302
    db.session.expire_all()
    assert claim.status is Status.DRAFT
    last = claim.events[-1]
    assert (last.from_status, last.to_status) == (Status.SUBMITTED, Status.DRAFT)
    # a draft now: the author may delete it
    deleted = client.post(f"/annotations/{claim.id}/delete", data={"version": str(claim.version)})
    assert deleted.status_code == 302


def test_a_reviewer_reads_who_acts_and_gets_no_withdraw(client, login, make):
    _author, _article, claim = _orphan(make)
    login(make.user("rita", roles=[Role.REVIEWER]))
    html = client.get(f"/review/{claim.id}").get_data(as_text=True)
    assert "until its author selects the right text" in html
    assert "Withdraw from review" not in html


def test_a_stale_withdraw_is_refused(client, login, make):
    author, _article, claim = _orphan(make)
    login(author)
    answer = client.post(
        f"/annotations/{claim.id}/withdraw", data={"version": str(claim.version - 1)}
    )
    assert answer.status_code in (302, 409)
    db.session.expire_all()
    assert claim.status is Status.SUBMITTED
