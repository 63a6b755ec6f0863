"""A claim whose passage a revision removed never vanishes without a word: the reviewer
approves it knowingly, and the export page says how many claims its anchor filter leaves
out."""

from __future__ import annotations

from factcheck.extensions import db
from factcheck.models import Anchor, Status


def _orphan(submitted):
    (claim,) = submitted(1)
    claim.anchor = Anchor.ORPHANED
    db.session.commit()
    return claim


def test_approving_an_orphan_asks_first(client, login_as, cast, submitted):
    claim = _orphan(submitted)
    login_as(cast.reviewer)
    item = client.get(f"/review/{claim.id}").get_data(as_text=True)
    assert 'name="orphan_ok"' in item and "approve anyway" in item
    answer = client.post(f"/review/{claim.id}/approve", data={"version": claim.version})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/review/{claim.id}")
    db.session.expire_all()
    assert claim.status is Status.SUBMITTED
    shown = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "removed this claim" in shown
    client.post(f"/review/{claim.id}/approve", data={"version": claim.version, "orphan_ok": "1"})
    db.session.expire_all()
    assert claim.status is Status.APPROVED


def test_an_anchored_claim_needs_no_tick(client, login_as, cast, submitted):
    (claim,) = submitted(1)
    login_as(cast.reviewer)
    assert 'name="orphan_ok"' not in client.get(f"/review/{claim.id}").get_data(as_text=True)
    client.post(f"/review/{claim.id}/approve", data={"version": claim.version})
    db.session.expire_all()
    assert claim.status is Status.APPROVED


def test_the_export_page_says_how_many_claims_the_anchor_filter_leaves_out(
    client, login_as, cast, submitted
):
    kept, gone = submitted(2)
    gone.anchor = Anchor.ORPHANED
    db.session.commit()
    login_as(cast.admin)
    page = client.get("/export/?status=all").get_data(as_text=True)
    assert 'id="anchor-left-out"' in page and "1 claim is left out" in page
    assert 'id="anchor"' in page  # the filter itself
    everything = client.get("/export/?status=all&anchor=all").get_data(as_text=True)
    assert 'id="anchor-left-out"' not in everything
