"""Issue 23, item 13: the home page shows the current project's items only, and a decision
its reviewer undid does not read as a second decision."""

from __future__ import annotations

import pytest

from factcheck.extensions import db
from factcheck.models import Annotation, Role, Status
from factcheck.services import projects, review, review_undo


@pytest.fixture
def two_projects(make):
    """One annotator-reviewer in the default project and in "research", with a decided
    claim, a draft and a reservation in each."""
    research = projects.create_project(db.session, name="Research", slug="research")
    default = projects.default_project(db.session)
    me = make.user("mona", roles=[])
    other = make.user("otto", roles=[])
    for project in (default, research):
        projects.set_member_roles(db.session, project, me, [Role.ANNOTATOR, Role.REVIEWER])
        projects.set_member_roles(db.session, project, other, [Role.ANNOTATOR, Role.REVIEWER])
    db.session.commit()
    claims = {}
    for project in (default, research):
        article = make.article(project_id=project.id, title=f"{project.slug} article")
        decided = make.annotation(
            article=article, author=me, status=Status.SUBMITTED, claim=f"{project.slug} decided"
        )
        review.approve(db.session, decided, other, version=decided.version)
        make.annotation(
            article=article, author=me, status=Status.DRAFT, claim=f"{project.slug} draft"
        )
        mine = make.annotation(
            article=article, author=other, status=Status.SUBMITTED, claim=f"{project.slug} held"
        )
        review.approve(db.session, mine, me, version=mine.version)
        db.session.commit()
        claims[project.slug] = decided
    return me, claims


def test_the_home_page_shows_the_current_projects_items_only(client, login, two_projects):
    me, _claims = two_projects
    login(me)
    html = client.get("/?project=research").get_data(as_text=True)
    assert "research decided" in html and "research draft" in html and "research held" in html
    assert "default decided" not in html
    assert "default draft" not in html
    assert "default held" not in html
    html = client.get("/?project=default").get_data(as_text=True)
    assert "default decided" in html and "research decided" not in html


def test_an_undone_decision_is_not_a_second_decision_on_the_home_page(
    client, login, make, cast, submitted
):
    (item,) = submitted(1, claim="Decided twice")
    review.approve(db.session, item, cast.reviewer, version=item.version)
    db.session.commit()
    review_undo.undo(db.session, item, cast.reviewer, version=item.version)
    db.session.commit()
    review.approve(db.session, item, cast.reviewer, version=item.version)
    db.session.commit()
    login(cast.reviewer)
    html = client.get("/").get_data(as_text=True)
    assert html.count("Decided twice") == 1


def test_the_history_marks_an_undone_decision(client, login, cast, submitted):
    (item,) = submitted(1)
    review.approve(db.session, item, cast.reviewer, version=item.version)
    db.session.commit()
    review_undo.undo(db.session, item, cast.reviewer, version=item.version)
    db.session.commit()
    review.approve(db.session, item, cast.reviewer, version=item.version)
    db.session.commit()
    events = db.session.get(Annotation, item.id).events
    assert len(review_undo.undone_ids(events)) == 1
    login(cast.annotator)
    html = client.get(f"/review/{item.id}").get_data(as_text=True)
    assert html.count("history-undone") == 1
    assert "(undone)" in html
