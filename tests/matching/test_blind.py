"""Blind second verdict in "Checked before?" and the confirmed matches: a claim in review
of a blind project shows no verdict to a reviewer who has not given their own on it
(services/second_verdict.py, ``hidden_ids``), and nothing about agreement with it."""

from __future__ import annotations

import re

import pytest

from factcheck.extensions import db
from factcheck.models import Role, Status
from factcheck.services import matching, projects, second_verdict
from factcheck.services.matching import links

from ..sql import statements

TEXT = "Le chômage a baissé de 20 % en 2024"
QUERY = "chomage baisse 20 2024"


@pytest.fixture
def cast(make):
    class Cast:
        author = make.user("anna", roles=[Role.ANNOTATOR])
        annotator = make.user("alex", roles=[Role.ANNOTATOR])
        reviewer = make.user("rita", roles=[Role.REVIEWER])
        committed = make.user("remi", roles=[Role.REVIEWER])
        site_admin = make.user("ada", roles=[Role.ADMIN])
        project_admin = make.user("pat", roles=[Role.PROJECT_ADMIN])

    return Cast


@pytest.fixture
def claims(make, cast, index):
    """A claim in review (``hidden``) and an approved one (``known``), both similar to
    ``TEXT``, indexed."""
    hidden = make.annotation(
        author=cast.author, status=Status.SUBMITTED, claim=TEXT, verdict="misleading"
    )
    known = make.annotation(
        author=cast.author, status=Status.APPROVED, claim=TEXT + " selon l'Insee", verdict="true"
    )
    index()
    return hidden, known


def commit(annotation, user, verdict="false"):
    second_verdict.commit(db.session, annotation, user, verdict)
    db.session.commit()


def search(client, login_as, user) -> dict:
    login_as(user)
    answer = client.get("/api/v1/claims/similar", query_string={"text": QUERY}).get_json()
    return {item["id"]: item for item in answer["items"]}


# --- "Checked before?" ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["reviewer", "site_admin", "project_admin"])
def test_a_claim_in_review_shows_no_verdict_to_whoever_owes_theirs(
    lexical_only, client, login_as, cast, claims, blind, who
):
    # admins review too, and the review page hides the verdict from them alike
    hidden, known = claims
    items = search(client, login_as, getattr(cast, who))
    assert items[hidden.id]["verdict"] is None
    assert items[hidden.id]["verdict_label"] is None
    assert items[hidden.id]["verdict_hidden"] is True
    assert items[hidden.id]["status"] == "submitted"
    # what was already decided is no secret
    assert items[known.id]["verdict"] == "true"
    assert items[known.id]["verdict_label"]
    assert items[known.id]["verdict_hidden"] is False


def test_the_similar_claims_of_a_stored_claim_hide_it_too(
    lexical_only, client, login_as, cast, claims, blind
):
    hidden, known = claims
    login_as(cast.reviewer)
    answer = client.get(f"/api/v1/annotations/{known.id}/similar").get_json()
    (item,) = answer["items"]
    assert item["id"] == hidden.id
    assert (item["verdict"], item["verdict_label"], item["verdict_hidden"]) == (None, None, True)


@pytest.mark.parametrize("who", ["author", "annotator", "committed", "site_admin", "project_admin"])
def test_the_author_a_non_reviewer_and_whoever_committed_see_the_verdict(
    lexical_only, client, login_as, cast, claims, blind, who
):
    hidden, _ = claims
    user = getattr(cast, who)
    if who in ("committed", "site_admin", "project_admin"):
        commit(hidden, user)
    item = search(client, login_as, user)[hidden.id]
    assert item["verdict"] == "misleading"
    assert item["verdict_label"]
    assert item["verdict_hidden"] is False


def test_nothing_is_hidden_with_the_setting_off_or_once_decided(
    lexical_only, client, login_as, cast, claims, blind
):
    hidden, _ = claims
    blind.blind_second_verdict = False
    db.session.commit()
    assert search(client, login_as, cast.reviewer)[hidden.id]["verdict"] == "misleading"
    blind.blind_second_verdict = True
    hidden.status = Status.REJECTED
    db.session.commit()
    assert search(client, login_as, cast.reviewer)[hidden.id]["verdict"] == "misleading"


def test_the_claims_of_another_blind_project_follow_its_own_rule(
    lexical_only, client, login_as, make, cast, index
):
    # the default project is not blind; "desk" is, and rita reviews in both
    desk = projects.create_project(db.session, name="Desk", slug="desk")
    desk.blind_second_verdict = True
    projects.set_member_roles(db.session, desk, cast.reviewer, [Role.REVIEWER])
    projects.set_member_roles(db.session, desk, cast.author, [Role.ANNOTATOR])
    db.session.commit()
    there = make.annotation(
        article=make.article(project_id=desk.id),
        author=cast.author,
        status=Status.SUBMITTED,
        claim=TEXT,
        verdict="misleading",
    )
    here = make.annotation(author=cast.author, status=Status.SUBMITTED, claim=TEXT)
    index()
    items = search(client, login_as, cast.reviewer)
    assert items[there.id]["verdict_hidden"] is True and items[there.id]["verdict"] is None
    assert items[here.id]["verdict_hidden"] is False and items[here.id]["verdict"]


def test_hiding_costs_the_same_queries_for_many_claims_in_review(
    lexical_only, app, make, cast, blind, index
):
    """The rule is applied to the whole answer at once, never per claim."""
    make.annotation(author=cast.author, status=Status.SUBMITTED, claim=TEXT)
    index()

    def search() -> tuple[int, int]:
        with statements() as seen:
            answer = matching.similar(db.session, cast.reviewer, QUERY, config=app.config)
        assert all(item["verdict_hidden"] for item in answer["items"])
        return len(answer["items"]), len(seen)

    db.session.expire_all()
    one = search()
    for _ in range(9):
        make.annotation(author=cast.author, status=Status.SUBMITTED, claim=TEXT)
    index()
    db.session.expire_all()
    ten = search()
    assert (one[0], ten[0]) == (1, 10)
    assert ten[1] == one[1]


# --- confirmed matches -------------------------------------------------------------------


@pytest.fixture
def linked(make, cast):
    """A claim in review (``mine``) confirmed as the same claim as another one in review
    (``other``) and a decided one (``known``), whose verdicts differ from its own."""
    mine = make.annotation(author=cast.author, status=Status.SUBMITTED, claim=TEXT, verdict="false")
    other = make.annotation(
        author=cast.annotator, status=Status.SUBMITTED, claim=TEXT, verdict="misleading"
    )
    known = make.annotation(
        author=cast.annotator, status=Status.APPROVED, claim=TEXT, verdict="true"
    )
    for target in (other, known):
        links.confirm(
            db.session, mine, cast.author, f"annotation:{target.id}", version=mine.version
        )
    db.session.commit()
    return mine, other, known


def same_as(user, mine) -> dict[str, dict]:
    db.session.expire_all()
    return {m["target"]: m for m in links.confirmed(db.session, user, mine)}


def test_a_confirmed_match_in_review_shows_no_verdict_to_whoever_owes_theirs(cast, linked, blind):
    mine, other, known = linked
    commit(mine, cast.reviewer)  # the reviewer sees ``mine``; not ``other`` yet
    items = same_as(cast.reviewer, mine)
    hidden = items[f"annotation:{other.id}"]
    assert (hidden["verdict"], hidden["verdict_label"], hidden["verdict_hidden"]) == (
        None,
        None,
        True,
    )
    assert hidden["differs"] is False
    shown = items[f"annotation:{known.id}"]
    assert (shown["verdict"], shown["verdict_hidden"], shown["differs"]) == ("true", False, True)


def test_agreement_with_a_claim_whose_verdict_is_hidden_is_not_told(cast, linked, blind):
    mine, other, known = linked
    commit(other, cast.reviewer)  # the other claim is open to the reviewer; ``mine`` not
    items = same_as(cast.reviewer, mine)
    assert items[f"annotation:{other.id}"]["verdict"] == "misleading"
    assert {m["differs"] for m in items.values()} == {False}
    commit(mine, cast.reviewer)
    items = same_as(cast.reviewer, mine)
    assert {m["differs"] for m in items.values()} == {True}


@pytest.mark.parametrize("who", ["author", "committed", "site_admin", "project_admin"])
def test_the_author_and_whoever_committed_see_the_matches_whole(cast, linked, blind, who):
    mine, other, known = linked
    user = getattr(cast, who)
    if who != "author":
        commit(mine, user)
        commit(other, user)
    items = same_as(user, mine)
    assert items[f"annotation:{other.id}"]["verdict"] == "misleading"
    assert items[f"annotation:{known.id}"]["verdict"] == "true"
    assert {m["differs"] for m in items.values()} == {True}
    assert {m["verdict_hidden"] for m in items.values()} == {False}


def review_matches(html: str) -> str:
    return re.search(r'id="same-as">(.*?)</section>', html, re.S).group(1)


def test_the_review_page_box_says_hidden_and_warns_only_after_commit(
    client, login_as, cast, linked, blind
):
    mine, other, known = linked
    login_as(cast.reviewer)
    box = review_matches(client.get(f"/review/{mine.id}").get_data(as_text=True))
    assert "verdict-misleading" not in box and "verdict-false" not in box
    assert box.count("hidden until you give yours") == 1  # ``other``'s
    assert "verdict-true" in box  # ``known`` was decided
    assert "differs" not in box
    commit(mine, cast.reviewer)
    commit(other, cast.reviewer)
    login_as(cast.reviewer)
    box = review_matches(client.get(f"/review/{mine.id}").get_data(as_text=True))
    assert "verdict-misleading" in box
    assert "hidden until you give yours" not in box
    assert box.count("same-as-warning") == 2
