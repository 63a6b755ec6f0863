"""Blindness and membership, round 3 (issue 24, items 3 to 5): one test per finding.

Each of these failed on the behaviour the outside test found.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Role, Status, Verdict
from factcheck.services import assignments, projects

TEXT = (
    "Le ministre affirme que le chômage a baissé de 10 % en un an.\n\n"
    "Il ajoute que la dette publique a doublé depuis 2015, ce que conteste l'opposition."
)


# --- 3. the export page says nothing of a hidden verdict ---------------------------------------


@pytest.fixture
def hidden_claim(make, blind):
    """In the blind default project: a claim in review whose verdict (``misleading``) rita has
    not seen, an approved claim on another article, and rita, who owes her verdict."""
    author = make.user("anna", roles=[Role.ANNOTATOR])
    reviewer = make.user("rita", roles=[Role.REVIEWER])
    article = make.article(TEXT, title="With a claim in review")
    other = make.article(TEXT, title="Another article")
    hidden = make.annotation(
        article=article, author=author, status=Status.SUBMITTED, verdict="misleading"
    )
    make.annotation(article=other, author=author, status=Status.APPROVED, verdict="true")
    return reviewer, hidden, other


def _figures(html: str) -> tuple[int, int]:
    """(rows, claims left out) as the export page states them."""
    total = re.search(r"<strong>(\d+) rows?</strong>", html)
    left = re.search(r'id="blind-left-out">(\d+) claims? in review', html)
    assert total, html[:500]
    return int(total.group(1)), int(left.group(1)) if left else 0


def _keys() -> list[str]:
    return list(db.session.scalars(select(Verdict.key).order_by(Verdict.position)))


@pytest.mark.parametrize("status", ["submitted", "all"])
def test_the_export_page_is_the_same_whatever_verdict_is_asked_for(
    client, login, hidden_claim, status
):
    reviewer, hidden, _other = hidden_claim
    login(reviewer)
    seen = {}
    for key in _keys():
        for article in ("", str(hidden.article_id)):
            query = {"status": status, "verdict": key, "article": article}
            html = client.get("/export/", query_string=query).get_data(as_text=True)
            seen[key, article] = _figures(html)
    # the claim in review is left out under every verdict: none tells its own apart
    assert {left for _rows, left in seen.values()} == {1}, seen
    if status == "submitted":
        assert {rows for rows, _left in seen.values()} == {0}, seen


def test_the_left_out_line_follows_the_other_filters(client, login, hidden_claim):
    reviewer, hidden, other = hidden_claim
    login(reviewer)
    html = client.get("/export/", query_string={"status": "submitted", "article": other.id})
    assert _figures(html.get_data(as_text=True)) == (0, 0)
    html = client.get("/export/", query_string={"status": "approved", "verdict": "misleading"})
    assert _figures(html.get_data(as_text=True)) == (0, 0)


# --- 4. a blind assignment shows no co-annotator's claim count --------------------------------


@pytest.fixture
def pair(make):
    """ann and bob, annotators of the default project; rev reviews; one article for both."""
    admin = make.user("admin", roles=[Role.ADMIN])
    ann = make.user("ann")
    bob = make.user("bob")
    rev = make.user("rev", roles=[Role.REVIEWER])
    article = make.article(TEXT, title="Shared article")
    return {"admin": admin, "ann": ann, "bob": bob, "rev": rev, "article": article}


def _assign(pair, *, blind: bool):
    assignment = assignments.create(
        db.session,
        pair["admin"],
        {
            "name": "Pair",
            "article_ids": [pair["article"].id],
            "annotators": ["ann", "bob"],
            "per_article": 2,
            "blind": blind,
        },
    )
    db.session.commit()
    return assignment


def _bob_claims(make, pair, n=2):
    return [
        make.annotation(
            article=pair["article"],
            author=pair["bob"],
            start=i * 10,
            end=i * 10 + 8,
            verdict="false",
            rationale="Bob's secret reasoning.",
        )
        for i in range(n)
    ]


def _claims_seen_by(client, login_as, user, assignment) -> tuple[dict, str]:
    login_as(user)
    api = client.get(f"/api/v1/assignments/{assignment.id}")
    page = client.get(f"/assignments/{assignment.id}")
    assert api.status_code == page.status_code == 200
    return api.get_json()["articles"][0]["claims"], page.get_data(as_text=True)


def test_a_blind_co_annotator_sees_only_their_own_claim_count(client, login_as, make, pair):
    assignment = _assign(pair, blind=True)
    _bob_claims(make, pair)
    make.annotation(article=pair["article"], author=pair["ann"], start=40, end=48)
    claims, html = _claims_seen_by(client, login_as, pair["ann"], assignment)
    assert claims == {"ann": 1}
    assert "bob (2)" not in html and "bob" in html
    assert "ann (1)" in html
    # bob's own page tells him his count, and nothing of ann's
    claims, html = _claims_seen_by(client, login_as, pair["bob"], assignment)
    assert claims == {"bob": 2}
    assert "ann (1)" not in html and "bob (2)" in html


def test_reviewers_and_open_assignments_show_every_count(client, login_as, make, pair):
    blind = _assign(pair, blind=True)
    _bob_claims(make, pair)
    claims, html = _claims_seen_by(client, login_as, pair["rev"], blind)
    assert claims == {"bob": 2} and "bob (2)" in html
    other = make.article(TEXT, title="Open article")
    pair["article"] = other
    opened = _assign(pair, blind=False)
    _bob_claims(make, pair, n=1)
    claims, html = _claims_seen_by(client, login_as, pair["ann"], opened)
    assert claims == {"bob": 1} and "bob (1)" in html


def test_blind_counts_open_once_the_article_is_adjudicated(client, login_as, make, pair):
    assignment = _assign(pair, blind=True)
    _bob_claims(make, pair, n=1)
    make.annotation(article=pair["article"], author=pair["ann"], start=0, end=8)
    for name in ("ann", "bob"):
        assignments.mark_done(db.session, assignment, pair["article"].id, pair[name])
    db.session.commit()
    login_as(pair["rev"])
    url = f"/api/v1/assignments/{assignment.id}/articles/{pair['article'].id}/groups"
    assert client.post(url, json={"start": 0, "end": 8, "decision": "drop"}).status_code == 201
    claims, html = _claims_seen_by(client, login_as, pair["ann"], assignment)
    assert claims == {"ann": 1, "bob": 1} and "bob ✓ (1)" in html


def test_an_annotator_who_reviews_elsewhere_reads_no_agreement_figures(client, login, make, pair):
    """The figures (claims per article, pair F1, α) are the staff's: a co-annotator who is a
    reviewer in another project passes the role check, not the project's."""
    assignment = _assign(pair, blind=True)
    _bob_claims(make, pair, n=1)
    make.annotation(article=pair["article"], author=pair["ann"], start=0, end=8)
    for name in ("ann", "bob"):
        assignments.mark_done(db.session, assignment, pair["article"].id, pair[name])
    elsewhere = projects.create_project(db.session, name="Elsewhere", slug="elsewhere")
    projects.set_member_roles(db.session, elsewhere, pair["ann"], [Role.REVIEWER])
    db.session.commit()
    login(pair["ann"])
    for path in ("agreement", "agreement.csv"):
        response = client.get(f"/api/v1/assignments/{assignment.id}/{path}")
        assert response.status_code == 403, response.get_data(as_text=True)[:200]


# --- 5. removed means removed ---------------------------------------------------------------


@pytest.fixture
def removed(client, login, make, pair):
    """ann co-annotates an open assignment with bob, signs in, and is then removed from the
    project while still a reviewer and annotator of another one (her session stays)."""
    assignment = _assign(pair, blind=False)
    claim = _bob_claims(make, pair, n=1)[0]
    own = make.annotation(article=pair["article"], author=pair["ann"], start=40, end=48)
    elsewhere = projects.create_project(db.session, name="Elsewhere", slug="elsewhere")
    projects.set_member_roles(db.session, elsewhere, pair["ann"], [Role.ANNOTATOR, Role.REVIEWER])
    db.session.commit()
    login(pair["ann"])
    # as a member, she reads bob's version: the assignment is open
    assert client.get(f"/api/v1/annotations/{claim.id}").status_code == 200
    assert client.get(f"/api/v1/assignments/{assignment.id}").status_code == 200
    projects.remove_member(db.session, projects.default_project(db.session), pair["ann"])
    db.session.commit()
    return assignment, claim, own


def test_a_removed_member_reads_no_co_annotator_claim(client, removed):
    _assignment, claim, own = removed
    for annotation in (claim, own):
        response = client.get(f"/api/v1/annotations/{annotation.id}")
        assert response.status_code == 404, response.get_json()
        assert "rationale" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/assignments/{a}",
        "/assignments/{a}",
        "/api/v1/assignments/{a}/agreement",
        "/api/v1/assignments/{a}/agreement.csv",
    ],
)
def test_a_removed_member_reads_nothing_of_the_assignment(client, removed, path):
    assignment, _claim, _own = removed
    assert client.get(path.format(a=assignment.id)).status_code == 404


def test_a_removed_member_s_work_page_lists_nothing_of_the_project(client, removed, pair):
    assignment, _claim, _own = removed
    html = client.get("/assignments/work").get_data(as_text=True)
    assert "Shared article" not in html
    done = f"/api/v1/assignments/{assignment.id}/articles/{pair['article'].id}/done"
    assert client.post(done).status_code == 404
