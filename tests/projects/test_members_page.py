"""The members of a project on its admin page: roles are added or removed explicitly, the
page says what changed, and errors are sentences (issue 23)."""

from __future__ import annotations

import pytest

from factcheck.extensions import db
from factcheck.models import Role
from factcheck.services import projects


@pytest.fixture
def newsroom(make):
    admin = make.user("ada", roles=[Role.ADMIN])
    project = projects.create_project(db.session, name="Newsroom", slug="newsroom")
    elodie = make.user("elodie", roles=[], display_name="Élodie")
    projects.set_member_roles(db.session, project, elodie, [Role.ANNOTATOR])
    db.session.commit()
    return admin, project, elodie


def roles(user, project) -> set[str]:
    db.session.expire_all()
    return {r.value for r in user.roles_in(project.id)}


def post(client, url, **data):
    return client.post(url, data=data, follow_redirects=True)


def test_adding_a_role_keeps_the_others_and_says_so(client, login, newsroom):
    admin, project, elodie = newsroom
    login(admin)
    page = post(client, "/projects/newsroom/members", username="elodie", roles=["reviewer"])
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Élodie is now Annotator and Reviewer in Newsroom." in text
    assert "saved" not in text
    assert roles(elodie, project) == {"annotator", "reviewer"}


def test_adding_no_role_is_a_sentence_and_changes_nothing(client, login, newsroom):
    admin, project, elodie = newsroom
    login(admin)
    page = post(client, "/projects/newsroom/members", username="elodie")
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert "Tick at least one role to give Élodie." in text
    assert "non-empty list" not in text
    assert roles(elodie, project) == {"annotator"}


def test_a_new_member_gets_the_ticked_roles(client, login, newsroom, make):
    admin, project, _elodie = newsroom
    make.user("remi", roles=[], display_name="Rémi")
    login(admin)
    page = post(
        client, "/projects/newsroom/members", username="remi", roles=["annotator", "project_admin"]
    )
    text = page.get_data(as_text=True)
    assert "Rémi is now Annotator and Project administrator in Newsroom." in text
    assert 'id="member-remi"' in text


def test_a_members_row_adds_and_removes_roles(client, login, newsroom):
    admin, project, elodie = newsroom
    login(admin)
    page = post(client, "/projects/newsroom/members/roles", username="elodie", roles=["reviewer"])
    assert "Élodie is now Reviewer in Newsroom, no longer Annotator." in page.get_data(as_text=True)
    assert roles(elodie, project) == {"reviewer"}
    same = post(client, "/projects/newsroom/members/roles", username="elodie", roles=["reviewer"])
    assert "Élodie already is Reviewer in Newsroom: nothing changed." in same.get_data(as_text=True)


def test_a_row_with_nothing_ticked_keeps_the_member(client, login, newsroom):
    admin, project, elodie = newsroom
    login(admin)
    page = post(client, "/projects/newsroom/members/roles", username="elodie")
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert "Keep at least one role for Élodie, or remove them from Newsroom." in text
    assert roles(elodie, project) == {"annotator"}


def test_removing_and_unknown_names_are_sentences(client, login, newsroom):
    admin, project, elodie = newsroom
    login(admin)
    ghost = post(client, "/projects/newsroom/members", username="ghost", roles=["annotator"])
    assert ghost.status_code == 404
    assert "No user named “ghost”." in ghost.get_data(as_text=True)
    gone = post(client, "/projects/newsroom/members/remove", username="elodie")
    assert "Élodie is no longer a member of Newsroom." in gone.get_data(as_text=True)
    assert roles(elodie, project) == set()


def test_the_page_says_it_in_french(client, login, newsroom):
    admin, _project, _elodie = newsroom
    login(admin)
    page = client.post(
        "/projects/newsroom/members",
        data={"username": "elodie", "roles": ["reviewer"]},
        headers={"Accept-Language": "fr"},
        follow_redirects=True,
    )
    assert "Élodie est désormais Annotateur et Relecteur dans Newsroom." in page.get_data(
        as_text=True
    )
