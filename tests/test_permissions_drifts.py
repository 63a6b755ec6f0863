"""Where the pages, the API and the services used to disagree about who may do what (issue
22): each rule is now one predicate of permissions.py, and these tests pin the cases where
a page offered less (or more) than its route allowed."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Anchor, Annotation, Article, Role, SecondVerdict, Status, utcnow
from factcheck.services import (
    adjudication,
    anchors,
    assignments,
    dashboard,
    projects,
    review,
    review_undo,
)

TEXT = "The minister said unemployment fell by ten percent in a single year."


@pytest.fixture
def desk(app_ctx):
    """A second project beside the default one."""
    project = projects.create_project(db.session, name="Desk B", slug="desk-b")
    db.session.commit()
    return project


def member(make, project, *roles, username=None):
    """A user holding ``roles`` in ``project`` only."""
    user = make.user(username, roles=[])
    projects.set_member_roles(db.session, project, user, roles)
    db.session.commit()
    return user


def relocated(make, article, author, status=Status.SUBMITTED) -> Annotation:
    """A claim that a revision left on a best guess (as the route matrix makes one)."""
    claim = make.annotation(article=article, author=author, status=status)
    claim.anchor = Anchor.RELOCATED
    db.session.commit()
    return claim


def home(client, login, user) -> str:
    """The home page as ``user`` sees it."""
    login(user)
    return client.get("/").get_data(as_text=True)


# --- 1. articles: project admins manage them on the pages as in the API --------------------


def test_a_project_admin_imports_edits_and_deletes_articles_on_the_pages(client, login, make):
    boss = member(make, projects.default_project(db.session), Role.PROJECT_ADMIN)
    article = make.article(title="To retitle")
    doomed = make.article(title="To delete", text="Nothing to keep.")
    login(boss)
    assert client.get("/articles/import").status_code == 200
    pasted = client.post(
        "/articles/import", data={"title": "Pasted", "text": "A pasted text.", "paste": "1"}
    )
    assert pasted.status_code == 200
    assert db.session.scalar(select(Article.id).where(Article.title == "Pasted"))
    assert client.get(f"/articles/{article.id}/edit").status_code == 200
    edited = client.post(
        f"/articles/{article.id}/edit", data={"title": "Retitled", "language": "en"}
    )
    assert edited.status_code == 302
    assert client.post(f"/articles/{doomed.id}/delete", data={"submit": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Article, article.id).title == "Retitled"
    assert db.session.get(Article, doomed.id) is None


def test_a_project_admin_of_another_project_manages_none_of_this_ones_articles(
    client, login, make, desk
):
    # an annotator here, an administrator there: the import form is for "there" only
    user = member(make, desk, Role.PROJECT_ADMIN)
    projects.set_member_roles(
        db.session, projects.default_project(db.session), user, [Role.ANNOTATOR]
    )
    db.session.commit()
    article = make.article()
    login(user)
    assert client.get(f"/articles/{article.id}/edit").status_code == 403
    page = client.get(f"/articles/{article.id}").get_data(as_text=True)
    assert 'id="edit-text"' not in page and f"/articles/{article.id}/edit" not in page
    assert "/articles/import" not in client.get("/articles/?project=default").get_data(as_text=True)
    assert "/articles/import" in client.get("/articles/?project=desk-b").get_data(as_text=True)


@pytest.mark.parametrize(
    ("roles", "offered"),
    [([Role.PROJECT_ADMIN], True), ([Role.ADMIN], True), ([Role.REVIEWER, Role.ANNOTATOR], False)],
)
def test_the_article_page_offers_edit_and_edit_text_to_whoever_may_use_them(
    client, login, make, roles, offered
):
    article = make.article()
    login(make.user(roles=roles))
    page = client.get(f"/articles/{article.id}").get_data(as_text=True)
    assert ('id="edit-text"' in page) is offered
    assert (f"/articles/{article.id}/edit" in page) is offered
    listing = client.get("/articles/").get_data(as_text=True)
    assert ("/articles/import" in listing) is offered


# --- 2. "Confirm this place": one predicate, the page's flag, the API's answer -------------


def _settle_flag(page: str) -> set[int]:
    """The claims the annotate page lets its script offer "Confirm this place" on."""
    found = re.search(r'id="anchors-data"[^>]*data-may-settle="([0-9 ]*)"', page)
    assert found, "the annotate page hands its script a data-may-settle attribute"
    return {int(n) for n in found.group(1).split()}


def _confirm(client, claim):
    return client.post(
        f"/api/v1/annotations/{claim.id}/anchor",
        json={"action": "confirm", "version": claim.version},
    )


def test_a_reviewer_of_another_project_is_not_offered_a_confirmation_the_api_refuses(
    client, login, make, desk
):
    author = member(make, desk, Role.ANNOTATOR)
    user = member(make, desk, Role.ANNOTATOR)
    projects.set_member_roles(
        db.session, projects.default_project(db.session), user, [Role.REVIEWER]
    )
    db.session.commit()
    article = make.article(text=TEXT, project_id=desk.id)
    claim = relocated(make, article, author)
    login(user)
    page = client.get(f"/articles/{article.id}/annotate").get_data(as_text=True)
    assert claim.id not in _settle_flag(page)
    assert _confirm(client, claim).status_code == 403


def test_a_project_admin_is_offered_the_confirmation_the_api_honours(client, login, make, desk):
    author = member(make, desk, Role.ANNOTATOR)
    boss = member(make, desk, Role.PROJECT_ADMIN)
    article = make.article(text=TEXT, project_id=desk.id)
    claim = relocated(make, article, author)
    login(boss)
    page = client.get(f"/articles/{article.id}/annotate").get_data(as_text=True)
    assert _settle_flag(page) == {claim.id}
    assert _confirm(client, claim).status_code == 200


def test_the_author_is_offered_the_confirmation_of_their_own_claim_only(client, login, make):
    author = make.user(roles=[Role.ANNOTATOR])
    colleague = make.user(roles=[Role.ANNOTATOR])
    article = make.article(text=TEXT)
    mine = relocated(make, article, author)
    theirs = relocated(make, article, colleague)
    fine = make.annotation(article=article, author=author, status=Status.SUBMITTED)
    login(author)
    page = client.get(f"/articles/{article.id}/annotate").get_data(as_text=True)
    assert _settle_flag(page) == {mine.id}
    assert fine.id not in _settle_flag(page)
    assert _confirm(client, theirs).status_code == 403


def test_the_annotate_script_decides_from_the_pages_flag_only(app):
    script = open(app.static_folder + "/js/anchors.js", encoding="utf-8").read()
    assert "maySettle" in script
    assert "data.reviewer" not in script and "data.user" not in script


# --- 3. export: the draft filter is offered to whoever may export drafts --------------------


@pytest.mark.parametrize(
    ("roles", "offered"),
    [([Role.PROJECT_ADMIN], True), ([Role.ADMIN], True), ([Role.REVIEWER], False)],
)
def test_the_export_page_offers_drafts_to_whoever_may_export_them(
    client, login, make, roles, offered
):
    user = make.user(roles=roles)
    author = make.user(roles=[Role.ANNOTATOR])
    make.annotation(author=author, status=Status.DRAFT)
    login(user)
    page = client.get("/export/").get_data(as_text=True)
    assert ('<option value="draft"' in page) is offered
    download = client.get("/export/download.csv?status=draft")
    assert download.status_code == (200 if offered else 403)


# --- 4. the review reservation: one rule (the project's setting, else the config) ---------


@pytest.fixture
def forty_minutes(app_ctx):
    project = projects.default_project(db.session)
    project.reservation_minutes = 40
    db.session.commit()
    return timedelta(minutes=40)


def _about(moment, expected):
    assert abs(moment - expected) < timedelta(minutes=1), (moment, expected)


def test_an_undone_decision_is_held_for_the_projects_reservation_length(make, forty_minutes):
    author = make.user(roles=[Role.ANNOTATOR])
    reviewer = make.user(roles=[Role.REVIEWER])
    claim = make.annotation(author=author, status=Status.SUBMITTED)
    review.approve(db.session, claim, reviewer, version=claim.version)
    db.session.commit()
    review_undo.undo(db.session, claim, reviewer, version=claim.version)
    db.session.commit()
    db.session.refresh(claim)
    assert claim.reserved_by_id == reviewer.id
    _about(claim.reserved_until, utcnow() + forty_minutes)


def test_an_adjudication_is_held_for_the_projects_reservation_length(make, forty_minutes):
    admin = make.user(roles=[Role.ADMIN])
    annotator = make.user(roles=[Role.ANNOTATOR])
    reviewer = make.user(roles=[Role.REVIEWER])
    article = make.article(text=TEXT)
    make.annotation(article=article, author=annotator, start=0, end=12)
    assignment = assignments.create(
        db.session,
        admin,
        {
            "name": "Twice",
            "article_ids": [article.id],
            "annotators": [annotator.username],
            "per_article": 1,
        },
    )
    assignments.mark_done(db.session, assignment, article.id, annotator)
    db.session.commit()
    item = adjudication.next_item(db.session, reviewer)
    assert item is not None
    _about(item.reserved_until, utcnow() + forty_minutes)


# --- route guards: a project admin holds every role of their project -----------------------


def test_a_project_admin_reaches_the_annotate_page_and_the_queue_of_their_project(
    client, login, make
):
    boss = member(make, projects.default_project(db.session), Role.PROJECT_ADMIN)
    article = make.article()
    login(boss)
    assert client.get(f"/articles/{article.id}/annotate").status_code == 200
    assert client.get("/review/").status_code == 200
    assert client.get("/mine").status_code == 200


# --- the home page: only the projects the user belongs to (and reviews, for "attention") ---


def test_a_removed_member_no_longer_sees_that_projects_claims_on_the_home_page(
    client, login, make, desk
):
    default = projects.default_project(db.session)
    user = make.user(roles=[Role.ANNOTATOR])
    projects.set_member_roles(db.session, desk, user, [Role.ANNOTATOR])
    reviewer = make.user(roles=[Role.REVIEWER])
    article = make.article(text=TEXT)
    make.annotation(article=article, author=user, claim="Secret draft claim")
    rejected = make.annotation(
        article=article, author=user, status=Status.SUBMITTED, claim="Secret rejected claim"
    )
    review.reject(db.session, rejected, reviewer, version=rejected.version, comment="No source.")
    projects.remove_member(db.session, default, user)
    db.session.commit()
    board = dashboard.annotator_board(db.session, user)
    assert not (board.drafts or board.to_revise or board.recent_decisions)
    assert set(board.counts.values()) == {0}
    page = home(client, login, user)
    assert "dash-drafts" in page and "Secret" not in page


def test_a_removed_reviewer_no_longer_sees_their_reviews_of_that_project_on_the_home_page(
    client, login, make, desk
):
    default = projects.default_project(db.session)
    reviewer = make.user(roles=[Role.REVIEWER])
    projects.set_member_roles(db.session, desk, reviewer, [Role.REVIEWER])
    author = make.user(roles=[Role.ANNOTATOR])
    claim = make.annotation(author=author, status=Status.SUBMITTED, claim="Secret reviewed claim")
    review.approve(db.session, claim, reviewer, version=claim.version)
    projects.remove_member(db.session, default, reviewer)
    db.session.commit()
    assert not dashboard.reviewer_board(db.session, reviewer).recent_reviews
    page = home(client, login, reviewer)
    assert "dash-reviews" in page and "Secret" not in page


# --- "Needs attention" on the home page: the claims the user may settle -------------------


def test_needs_attention_lists_only_what_the_user_may_settle(client, login, make, desk):
    default = projects.default_project(db.session)
    author = make.user(roles=[Role.ANNOTATOR])
    here = make.user(roles=[Role.REVIEWER])
    boss = member(make, default, Role.PROJECT_ADMIN)
    there = member(make, desk, Role.REVIEWER)
    annotator_here = make.user(roles=[Role.ANNOTATOR])
    article = make.article(text=TEXT)
    claim = relocated(make, article, author)
    draft = relocated(make, article, author, status=Status.DRAFT)

    def attention(user) -> set[int]:
        return {a.id for a in anchors.needs_attention(db.session, user)}

    assert attention(author) == {claim.id, draft.id}
    assert attention(here) == attention(boss) == {claim.id}
    assert attention(there) == attention(annotator_here) == set()
    assert "dash-attention" not in home(client, login, there)
    projects.remove_member(db.session, default, author)
    db.session.commit()
    assert attention(author) == set()


# --- pages get "may" flags from their views: no template or script tests a role ------------

ROLE_TESTS = re.compile(r"has_role\(|holds\(|is_admin\(|is_project_admin\(|has_project_role\(")


def test_no_template_or_script_tests_a_role(app):
    folders = (Path(app.root_path, app.template_folder), Path(app.static_folder))
    found = [
        f"{path}:{n}"
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.suffix in {".html", ".js", ".txt", ".xml"}
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ROLE_TESTS.search(line)
    ]
    assert found == []


def test_the_users_page_marks_site_admins_from_the_views_data(client, login, make):
    admin = make.user("chief", roles=[Role.ADMIN])
    make.user("plain", roles=[Role.ANNOTATOR])
    login(admin)
    page = client.get("/admin/users").get_data(as_text=True)
    rows = {
        re.search(r'class="card-title">(\w+)<', row).group(1): row
        for row in page.split('<tr id="user-')[1:]
    }
    assert "badge-site-admin" in rows["chief"] and "badge-site-admin" not in rows["plain"]


# --- one version parser, one stale-version check ---------------------------------------------


def _flashes(client) -> list[str]:
    with client.session_transaction() as session:
        return [message for _category, message in session.get("_flashes", [])]


def test_a_confirmation_with_a_version_that_is_no_number_says_so(client, login, make):
    author = make.user(roles=[Role.ANNOTATOR])
    claim = relocated(make, make.article(text=TEXT), author)
    login(author)
    response = client.post(
        f"/annotations/{claim.id}/anchor", data={"action": "confirm", "version": "v1"}
    )
    assert response.status_code == 302
    assert _flashes(client) == ["The version must be a whole number."]
    db.session.refresh(claim)
    assert claim.anchor is Anchor.RELOCATED


@pytest.fixture
def blind_claim(make, blind):
    author = make.user(roles=[Role.ANNOTATOR])
    reviewer = make.user(roles=[Role.REVIEWER])
    claim = make.annotation(author=author, status=Status.SUBMITTED, verdict="false")
    return reviewer, claim


def test_a_blind_verdict_form_with_a_garbled_version_records_nothing(client, login, blind_claim):
    reviewer, claim = blind_claim
    login(reviewer)
    client.post(f"/review/{claim.id}/second-verdict", data={"verdict": "true", "version": "v1"})
    assert _flashes(client) == ["The version must be a whole number."]
    assert db.session.scalar(select(SecondVerdict.id)) is None


def test_a_stale_blind_verdict_is_answered_like_every_stale_write(client, login, blind_claim):
    reviewer, claim = blind_claim
    login(reviewer)
    response = client.post(
        f"/api/v1/annotations/{claim.id}/second-verdict",
        json={"verdict": "true", "version": claim.version + 1},
    )
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "stale_version"
    assert error["current"] == {"status": "submitted", "version": claim.version}


@pytest.mark.parametrize("route", ["patch", "submit", "delete", "same_as"])
def test_the_json_api_wants_the_version_as_a_number_on_every_route(client, login, make, route):
    author = make.user(roles=[Role.ANNOTATOR])
    draft = make.annotation(author=author)
    login(author)
    url = f"/api/v1/annotations/{draft.id}"
    response = {
        "patch": lambda: client.patch(url, json={"claim": "Changed.", "version": "1"}),
        "submit": lambda: client.post(f"{url}/submit", json={"version": "1"}),
        "delete": lambda: client.delete(url, json={"version": "1"}),
        "same_as": lambda: client.post(
            f"{url}/same_as", json={"target": "https://fact.example.org/1", "version": "1"}
        ),
    }[route]()
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["field"] == "version"
    # the query string is text: there digits are the version
    if route == "delete":
        assert client.delete(f"{url}?version={draft.version}").status_code == 204
