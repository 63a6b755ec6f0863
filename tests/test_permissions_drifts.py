"""Where the pages, the API and the services used to disagree about who may do what (issue
22): each rule is now one predicate of permissions.py, and these tests pin the cases where
a page offered less (or more) than its route allowed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Anchor, Annotation, Article, Role, Status
from factcheck.services import projects

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
