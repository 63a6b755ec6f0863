"""Claims search never shows what the caller may not see: another project's claims (a
non-member finds nothing of it), other people's drafts (admins included), and verdicts
hidden by the blind second verdict, which the verdict filter and the distribution must
not reveal either."""

from __future__ import annotations

import pytest

from factcheck.extensions import db
from factcheck.models import Role
from factcheck.services import second_verdict


def search(client, **args) -> dict:
    response = client.get("/api/v1/claims", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def ids(answer) -> set[tuple[str, int]]:
    return {(item["kind"], item["id"]) for item in answer["items"]}


def test_a_non_member_finds_nothing_of_a_project(client, login, desk):
    login(desk.remi)  # only in the research project
    found = ids(search(client, q="maire", per_page=100))
    assert found == {("annotation", desk.secret.id), ("factcheck", desk.factcheck.id)}
    assert search(client, kind="annotation")["total"] == 1
    # naming the project is no way in: the same 422 as for a project that does not exist
    refused = client.get("/api/v1/claims", query_string={"project": "default"})
    assert refused.status_code == 422
    assert "project" in refused.get_json()["error"]["message"]
    missing = client.get("/api/v1/claims", query_string={"project": "nowhere"})
    assert (
        missing.get_json()["error"]["message"].replace("nowhere", "default")
        == (refused.get_json()["error"]["message"])
    )
    # nor by the CSV
    text = client.get("/api/v1/claims.csv", query_string={"q": "maire"}).get_data(as_text=True)
    assert "doublé" not in text and "Lyon" in text


def test_members_of_the_desk_do_not_find_the_research_project(client, login, desk):
    login(desk.anna)
    assert ("annotation", desk.secret.id) not in ids(search(client, q="lyon"))
    assert search(client, q="lyon")["total"] == 0


@pytest.mark.parametrize("who", ["anna", "rita", "admin", "project_admin"])
def test_other_peoples_drafts_are_never_found(client, login, make, desk, who):
    users = {
        "admin": lambda: make.user("ada", roles=[Role.ADMIN]),
        "project_admin": lambda: make.user("pat", roles=[Role.PROJECT_ADMIN]),
    }
    user = users[who]() if who in users else getattr(desk, who)
    login(user)
    assert ("annotation", desk.draft.id) not in ids(search(client, q="rapport"))
    assert search(client, status="draft")["total"] == 0
    csv = client.get("/api/v1/claims.csv", query_string={"q": "rapport"}).get_data(as_text=True)
    assert "rapport" not in csv


def test_the_author_finds_their_own_draft(client, login, desk):
    login(desk.bob)
    answer = search(client, q="rapport")
    assert ids(answer) == {("annotation", desk.draft.id)}
    assert answer["items"][0]["url"].startswith(f"/articles/{desk.draft.article_id}/annotate")
    assert ids(search(client, status="draft")) == {("annotation", desk.draft.id)}


# --- blind second verdict ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["rita", "admin"])
def test_a_verdict_owed_blind_stays_hidden(client, login, make, desk, blind, who):
    user = make.user("ada", roles=[Role.ADMIN]) if who == "admin" else desk.rita
    login(user)
    answer = search(client, q="sortante")
    item = answer["items"][0]
    assert item["id"] == desk.housing.id
    assert item["verdict"] is None and item["verdict_label"] is None
    assert item["verdict_hidden"] is True
    assert answer["verdicts"] == {"hidden": 1}
    # the same rule as "Checked before?" and the review page
    assert second_verdict.hidden_ids(db.session, user, [desk.housing]) == {desk.housing.id}


def test_the_verdict_filter_tells_nothing_of_a_hidden_verdict(client, login, desk, blind):
    login(desk.rita)
    # its real verdict is "misleading": asking for it, or for any other, never selects it
    for key in ("misleading", "false", "true", "mixed", "none"):
        found = ids(search(client, q="maire", verdict=key))
        assert ("annotation", desk.housing.id) not in found, key
    with_key = search(client, q="maire", verdict="misleading")
    without = search(client, q="maire", verdict="false")
    assert with_key["total"] == 0 and without["total"] == 2
    # asked as hidden, it is there (that it is hidden is no secret)
    assert ids(search(client, q="maire", verdict="hidden")) == {("annotation", desk.housing.id)}
    # the whole distribution: hidden, never misleading
    everything = search(client, per_page=100, kind="annotation")
    assert everything["verdicts"].get("hidden") == 1
    assert "misleading" not in everything["verdicts"]  # the only misleading claim is hidden
    csv = client.get("/api/v1/claims.csv", query_string={"q": "sortante"}).get_data(as_text=True)
    assert "misleading" not in csv and ",hidden," in csv


def test_once_the_reviewer_gave_theirs_the_verdict_shows(client, login, desk, blind):
    second_verdict.commit(db.session, desk.housing, desk.rita, "false")
    db.session.commit()
    login(desk.rita)
    item = search(client, q="sortante")["items"][0]
    assert item["verdict"] == "misleading" and item["verdict_hidden"] is False
    assert ids(search(client, q="maire", verdict="misleading")) == {("annotation", desk.housing.id)}


def test_an_annotator_is_not_bound_by_the_blind_review(client, login, desk, blind):
    # the verdict is hidden from the reviewers who owe theirs, as on the review page
    login(desk.anna)
    item = search(client, q="sortante")["items"][0]
    assert item["verdict"] == "misleading"
    assert second_verdict.hidden_ids(db.session, desk.anna, [desk.housing]) == set()


def test_without_blind_review_the_verdict_shows(client, login, desk):
    login(desk.rita)
    item = search(client, q="sortante")["items"][0]
    assert item["verdict"] == "misleading" and item["verdict_hidden"] is False
