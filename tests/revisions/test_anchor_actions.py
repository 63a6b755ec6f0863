"""Settling a relocated or orphaned claim: confirm, move, delete; who may; what it does."""

from __future__ import annotations

from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Annotation, ReviewEvent, Status

from .conftest import DEBT, JOBS, TEXT


def revise(client, login, admin, article, text):
    login(admin)
    response = client.post(f"/api/v1/articles/{article.id}/revisions", json={"text": text})
    assert response.status_code == 201, response.json
    return {item["id"]: item for item in response.json["annotations"]}


def duplicate_jobs(text: str) -> str:
    """The jobs paragraph copied at the end: the quote stands twice, the claim relocated."""
    return text + "\n\n" + text.split("\n\n")[1]


def test_the_author_confirms_a_relocation_and_gets_an_ok_claim(
    client, login, admin, author, article, claim
):
    jobs = claim(JOBS, status=Status.SUBMITTED)
    outcome = revise(client, login, admin, article, duplicate_jobs(TEXT))[jobs.id]
    assert outcome["anchor"] == "relocated"
    login(author)
    current = client.get(f"/api/v1/annotations/{jobs.id}").json
    assert current["previous"]["revision"] == 1
    response = client.post(
        f"/api/v1/annotations/{jobs.id}/anchor",
        json={"action": "confirm", "version": current["version"]},
    )
    assert response.status_code == 200, response.json
    data = response.json
    assert data["anchor"] == "ok" and data["article_revision"] == 2
    assert data["previous"] is None
    assert data["version"] == current["version"] + 1
    assert data["history"][-1]["comment"].startswith("Place confirmed on revision 2")
    assert data["status"] == "submitted"


def test_a_reviewer_confirms_an_approved_relocation_whose_quote_did_not_change(
    client, login, admin, reviewer, article, claim
):
    jobs = claim(JOBS, status=Status.APPROVED)
    revise(client, login, admin, article, duplicate_jobs(TEXT))
    login(reviewer)
    current = client.get(f"/api/v1/annotations/{jobs.id}").json
    assert current["status"] == "approved" and current["anchor"] == "relocated"
    response = client.post(
        f"/api/v1/annotations/{jobs.id}/anchor",
        json={"action": "confirm", "version": current["version"]},
    )
    assert response.status_code == 200
    assert response.json["status"] == "approved"  # same quote: stays approved
    assert response.json["anchor"] == "ok"


def test_moving_an_approved_claim_onto_another_quote_sends_it_back_to_review(
    client, login, admin, reviewer, article, claim
):
    jobs = claim(JOBS, status=Status.APPROVED)
    new = duplicate_jobs(TEXT)
    revise(client, login, admin, article, new)
    login(reviewer)
    current = client.get(f"/api/v1/annotations/{jobs.id}").json
    quote = "300 postes seront créés"
    start = new.rindex(quote)
    response = client.post(
        f"/api/v1/annotations/{jobs.id}/anchor",
        json={
            "action": "move",
            "start": start,
            "end": start + len(quote),
            "quote": quote,
            "version": current["version"],
        },
    )
    assert response.status_code == 200, response.json
    assert response.json["status"] == "submitted"
    assert response.json["anchor"] == "ok"
    assert (response.json["start"], response.json["quote"]) == (start, quote)
    events = db.session.scalars(
        select(ReviewEvent).where(ReviewEvent.annotation_id == jobs.id).order_by(ReviewEvent.id)
    ).all()
    assert (events[-1].from_status, events[-1].to_status) == (Status.APPROVED, Status.SUBMITTED)


def test_an_orphan_cannot_be_confirmed_but_can_be_moved_by_its_author_through_patch(
    client, login, admin, author, article, claim
):
    debt = claim(DEBT, status=Status.DRAFT)
    new = TEXT.replace(
        "Le maire a déclaré que la dette atteint 40 milliards d'euros, selon la presse.",
        "Le maire n'a rien dit.",
    )
    assert revise(client, login, admin, article, new)[debt.id]["anchor"] == "orphaned"
    login(author)
    current = client.get(f"/api/v1/annotations/{debt.id}").json
    refused = client.post(
        f"/api/v1/annotations/{debt.id}/anchor",
        json={"action": "confirm", "version": current["version"]},
    )
    assert refused.status_code == 422
    quote = "n'a rien dit"
    start = new.index(quote)
    patched = client.patch(
        f"/api/v1/annotations/{debt.id}",
        json={
            "start": start,
            "end": start + len(quote),
            "quote": quote,
            "version": current["version"],
        },
    )
    assert patched.status_code == 200, patched.json
    assert patched.json["anchor"] == "ok" and patched.json["article_revision"] == 2
    assert "Span moved by hand" in patched.json["history"][-1]["comment"]


def test_an_orphaned_draft_can_be_deleted(client, login, admin, author, article, claim):
    debt = claim(DEBT, status=Status.DRAFT)
    revise(client, login, admin, article, "Un tout autre texte, sans la dette.")
    login(author)
    version = client.get(f"/api/v1/annotations/{debt.id}").json["version"]
    response = client.delete(f"/api/v1/annotations/{debt.id}", json={"version": version})
    assert response.status_code == 204
    assert db.session.get(Annotation, debt.id) is None


def test_another_annotator_may_not_settle_a_claim(client, login, make, admin, article, claim):
    from factcheck.models import Role

    jobs = claim(JOBS, status=Status.SUBMITTED)
    revise(client, login, admin, article, duplicate_jobs(TEXT))
    login(make.user(roles=[Role.ANNOTATOR]))
    version = client.get(f"/api/v1/annotations/{jobs.id}").json["version"]
    response = client.post(
        f"/api/v1/annotations/{jobs.id}/anchor", json={"action": "confirm", "version": version}
    )
    assert response.status_code == 403


def test_confirming_with_a_stale_version_is_409(client, login, admin, author, article, claim):
    jobs = claim(JOBS, status=Status.SUBMITTED)
    version = jobs.version
    revise(client, login, admin, article, duplicate_jobs(TEXT))
    login(author)
    response = client.post(
        f"/api/v1/annotations/{jobs.id}/anchor", json={"action": "confirm", "version": version}
    )
    assert response.status_code == 409


def test_an_ok_claim_needs_no_confirmation(client, login, author, article, claim):
    debt = claim(DEBT)
    login(author)
    response = client.post(
        f"/api/v1/annotations/{debt.id}/anchor",
        json={"action": "confirm", "version": debt.version},
    )
    assert response.status_code == 409
    assert response.json["error"]["code"] == "anchor_ok"


def test_the_attention_list_shows_annotators_their_own_and_reviewers_all_but_drafts(
    client, login, make, admin, author, reviewer, article, claim
):
    from factcheck.models import Role
    from factcheck.services import anchors

    mine = claim(JOBS, status=Status.SUBMITTED)
    draft = claim(JOBS, status=Status.DRAFT)
    revise(client, login, admin, article, duplicate_jobs(TEXT))
    stranger = make.user(roles=[Role.ANNOTATOR])
    assert {a.id for a in anchors.needs_attention(db.session, author)} == {mine.id, draft.id}
    assert {a.id for a in anchors.needs_attention(db.session, reviewer)} == {mine.id}
    assert anchors.needs_attention(db.session, stranger) == []


def test_editing_other_fields_neither_confirms_a_relocation_nor_trips_on_an_orphan(
    client, login, admin, author, article, claim
):
    jobs = claim(JOBS, status=Status.SUBMITTED)
    debt = claim(DEBT, status=Status.SUBMITTED)
    new = duplicate_jobs(TEXT).replace(
        "Le maire a déclaré que la dette atteint 40 milliards d'euros, selon la presse.",
        "Le maire n'a rien dit.",
    )
    outcomes = revise(client, login, admin, article, new)
    assert (outcomes[jobs.id]["anchor"], outcomes[debt.id]["anchor"]) == ("relocated", "orphaned")
    login(author)
    for annotation_id in (jobs.id, debt.id):
        current = client.get(f"/api/v1/annotations/{annotation_id}").json
        response = client.patch(
            f"/api/v1/annotations/{annotation_id}",
            json={
                "start": current["start"],
                "end": current["end"],
                "quote": current["quote"],
                "claim": "Reformulée.",
                "version": current["version"],
            },
        )
        assert response.status_code == 200, response.json
        assert response.json["anchor"] == current["anchor"]  # still for a person to settle
        assert response.json["claim"] == "Reformulée."
