"""The site admin's users page across projects: who is in which project in which roles,
roles given in a named project, a colleague added to a chosen project, and the list
filtered by name, project and role without a query per user."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Role, User
from factcheck.services import projects

from ..sql import statements

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def row(html: str, user: User) -> str:
    """The table row of ``user`` on the users page ("" when the user is not listed)."""
    found = re.search(rf'<tr id="user-{user.id}">(.*?)</tr>', html, re.S)
    return found.group(1) if found else ""


def listed(html: str) -> list[str]:
    return re.findall(r'<strong class="card-title">([^<]+)</strong>', html)


def flashes(html: str) -> str:
    return " ".join(re.findall(r'class="flash flash-\w+"[^>]*>(.*?)<', html, re.S))


def fresh(user: User) -> User:
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(User, user.id)


def roles_by_project(user: User) -> dict[str, set[Role]]:
    found: dict[str, set[Role]] = {}
    for m in fresh(user).memberships:
        found.setdefault(m.project.slug, set()).add(Role(m.role))
    return found


# --- what the page shows -----------------------------------------------------------------


def test_each_row_lists_the_projects_with_their_roles_and_links(client, login, desks):
    login(desks.boss)
    html = client.get("/admin/users").get_data(as_text=True)
    camille = row(html, desks.camille)
    memberships = camille.split('class="memberships"')[1].split("</ul>")[0]
    assert 'href="/projects/default/admin#project-members"' in memberships
    assert 'href="/projects/health/admin#project-members"' in memberships
    assert "/projects/climate/" not in memberships
    # by project name: Health desk, then Politics desk, each with its own roles
    health, politics = memberships.split("<li>")[1:3]
    assert "Health desk" in health and "Politics desk" in politics
    assert re.findall(r'role-tag">([^<]+)<', health) == ["Reviewer", "Project admin"]
    assert re.findall(r'role-tag">([^<]+)<', politics) == ["Annotator"]
    assert "Site administrator" not in memberships

    boss = row(html, desks.boss)
    assert "badge-site-admin" in boss and "Member of no project" in boss
    assert "Member of no project" in row(html, desks.eve)
    assert "Member of no project" not in row(html, desks.dominique)
    assert "Climate data" in row(html, desks.dominique)


def test_an_archived_project_says_so(client, login, desks):
    desks.health.archived = True
    db.session.commit()
    login(desks.boss)
    camille = row(client.get("/admin/users").get_data(as_text=True), desks.camille)
    assert "Health desk</a> <span" in camille and "(archived)" in camille


def test_each_roles_form_says_its_project_and_starts_on_a_project_of_the_user(client, login, desks):
    login(desks.boss)
    html = client.get("/admin/users").get_data(as_text=True)

    def start(user):
        form = row(html, user).split('class="roles-form"')[1].split("</form>")[0]
        selected = re.search(r'<option value="([a-z-]+)" selected>', form).group(1)
        checked = re.findall(r'value="(\w+)" data-project-role checked', form)
        return selected, checked, form

    # in the default project when a member of it (or of nothing), else their first project
    assert start(desks.camille)[:2] == ("default", ["annotator"])
    assert start(desks.dominique)[:2] == ("climate", ["reviewer"])
    assert start(desks.eve)[:2] == ("default", [])
    _slug, _roles, form = start(desks.camille)
    assert "Roles in" in form
    assert re.findall(r'<option value="([a-z-]+)"', form) == ["climate", "health", "default"]
    # the roles held in every project, for the page's script to follow the selector
    memberships = re.search(r"data-memberships='([^']*)'", form).group(1)
    assert (
        memberships == ('{"default": ["annotator"], "health": ["reviewer", "project_admin"]}')
        or memberships == '{"health": ["reviewer", "project_admin"], "default": ["annotator"]}'
    )
    assert 'value="admin" checked' in start(desks.boss)[2]
    assert 'value="admin" checked' not in form

    # filtered on a project, every form starts on it
    html = client.get("/admin/users?project=health").get_data(as_text=True)
    assert start(desks.camille)[:2] == ("health", ["reviewer", "project_admin"])


# --- changing roles in a project ---------------------------------------------------------


def test_roles_are_set_in_the_chosen_project_only(client, login, desks):
    login(desks.boss)
    response = client.post(
        f"/admin/users/{desks.camille.id}/roles",
        data={"project": "climate", "roles": ["annotator", "reviewer"]},
    )
    assert response.status_code == 302
    assert roles_by_project(desks.camille) == {
        "default": {Role.ANNOTATOR},
        "health": {Role.REVIEWER, Role.PROJECT_ADMIN},
        "climate": {Role.ANNOTATOR, Role.REVIEWER},
    }
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Roles of camille in “Climate data” saved." in flashes(page)


def test_the_site_admin_role_is_given_and_taken_apart_from_the_projects(client, login, desks):
    login(desks.boss)
    client.post(
        f"/admin/users/{desks.camille.id}/roles",
        data={"project": "health", "roles": ["reviewer", "project_admin", "admin"]},
    )
    camille = fresh(desks.camille)
    assert camille.has_role(Role.ADMIN)
    assert roles_by_project(camille)["default"] == {Role.ANNOTATOR}
    client.post(
        f"/admin/users/{desks.camille.id}/roles",
        data={"project": "default", "roles": ["annotator"]},
    )
    assert not fresh(desks.camille).has_role(Role.ADMIN)
    assert roles_by_project(desks.camille)["health"] == {Role.REVIEWER, Role.PROJECT_ADMIN}


def test_no_role_in_a_project_takes_the_user_out_of_it(client, login, desks):
    login(desks.boss)
    response = client.post(
        f"/admin/users/{desks.camille.id}/roles", data={"project": "health"}, follow_redirects=True
    )
    assert "camille is not a member of “Health desk”." in flashes(response.get_data(as_text=True))
    assert roles_by_project(desks.camille) == {"default": {Role.ANNOTATOR}}


def test_a_user_keeps_a_role_somewhere(client, login, desks):
    login(desks.boss)
    response = client.post(
        f"/admin/users/{desks.dominique.id}/roles",
        data={"project": "climate"},
        follow_redirects=True,
    )
    assert "Give the user at least one role" in flashes(response.get_data(as_text=True))
    assert roles_by_project(desks.dominique) == {"climate": {Role.REVIEWER}}


@pytest.mark.parametrize("slug", ["nope", "Health", "../default", "_none"])
def test_a_project_that_does_not_exist_is_a_clear_error_and_changes_nothing(
    client, login, desks, slug
):
    login(desks.boss)
    response = client.post(
        f"/admin/users/{desks.camille.id}/roles",
        data={"project": slug, "roles": ["reviewer"]},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert f"No project “{slug}”." in flashes(response.get_data(as_text=True))
    assert roles_by_project(desks.camille) == {
        "default": {Role.ANNOTATOR},
        "health": {Role.REVIEWER, Role.PROJECT_ADMIN},
    }


def test_the_admin_cannot_drop_their_own_admin_role_in_any_project(client, login, desks):
    login(desks.boss)
    response = client.post(
        f"/admin/users/{desks.boss.id}/roles",
        data={"project": "health", "roles": ["reviewer"]},
        follow_redirects=True,
    )
    assert "You cannot remove your own administrator role." in flashes(
        response.get_data(as_text=True)
    )
    boss = fresh(desks.boss)
    assert boss.has_role(Role.ADMIN) and boss.memberships == []
    # keeping it, they may give themselves roles in a project
    client.post(
        f"/admin/users/{desks.boss.id}/roles",
        data={"project": "health", "roles": ["reviewer", "admin"]},
    )
    assert roles_by_project(desks.boss) == {"health": {Role.REVIEWER}}
    assert fresh(desks.boss).has_role(Role.ADMIN)


def test_an_unknown_role_changes_nothing(client, login, desks):
    login(desks.boss)
    client.post(
        f"/admin/users/{desks.camille.id}/roles", data={"project": "health", "roles": ["god"]}
    )
    assert roles_by_project(desks.camille)["health"] == {Role.REVIEWER, Role.PROJECT_ADMIN}


def test_after_a_change_the_page_comes_back_with_its_filters_at_the_row(client, login, desks):
    login(desks.boss)
    response = client.post(
        f"/admin/users/{desks.camille.id}/roles",
        data={"project": "health", "roles": ["reviewer"], "next": "/admin/users?project=health"},
    )
    assert response.headers["Location"] == f"/admin/users?project=health#user-{desks.camille.id}"
    # a "next" that leaves the site is ignored
    response = client.post(
        f"/admin/users/{desks.camille.id}/roles",
        data={"project": "health", "roles": ["reviewer"], "next": "https://evil.example/"},
    )
    assert response.headers["Location"] == f"/admin/users#user-{desks.camille.id}"


def test_each_form_on_the_page_carries_where_to_come_back(client, login, desks):
    login(desks.boss)
    html = client.get("/admin/users?q=cam&project=health").get_data(as_text=True)
    camille = row(html, desks.camille)
    assert camille.count('name="next" value="/admin/users?q=cam&amp;project=health"') == 3


# --- adding a colleague ------------------------------------------------------------------


def new_user(**data) -> dict:
    return {"username": "gabriel", "password": "a long enough password", "submit": "1", **data}


def test_a_colleague_is_added_in_the_chosen_project(client, login, desks):
    login(desks.boss)
    response = client.post(
        "/admin/users", data=new_user(project="health", roles=["annotator", "reviewer"])
    )
    assert response.status_code == 302
    gabriel = db.session.scalar(select(User).where(User.username == "gabriel"))
    assert roles_by_project(gabriel) == {"health": {Role.ANNOTATOR, Role.REVIEWER}}
    assert not fresh(gabriel).has_role(Role.ADMIN)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Account “gabriel” created, with roles in “Health desk”." in flashes(page)
    assert listed(page) == ["gabriel"]  # the list shows the newcomer


def test_the_add_form_starts_on_the_default_project_or_the_one_looked_at(client, login, desks):
    login(desks.boss)
    html = client.get("/admin/users").get_data(as_text=True)
    form = html.split('id="add-user"')[1]
    assert 'id="project" name="project"' in form
    assert '<option selected value="default">Politics desk</option>' in form
    # looking at one project, a colleague is added to it unless the admin chooses another
    html = client.get("/admin/users?project=health").get_data(as_text=True)
    assert '<option selected value="health">Health desk</option>' in html.split('id="add-user"')[1]
    client.post("/admin/users", data=new_user(roles=["annotator"], project="default"))
    gabriel = db.session.scalar(select(User).where(User.username == "gabriel"))
    assert roles_by_project(gabriel) == {"default": {Role.ANNOTATOR}}


def test_a_site_admin_is_added_without_a_project(client, login, desks):
    login(desks.boss)
    client.post("/admin/users", data=new_user(project="health", roles=["admin"]))
    gabriel = db.session.scalar(select(User).where(User.username == "gabriel"))
    assert fresh(gabriel).has_role(Role.ADMIN) and roles_by_project(gabriel) == {}


def test_adding_in_a_project_that_does_not_exist_is_refused_with_every_problem(
    client, login, desks
):
    login(desks.boss)
    response = client.post(
        "/admin/users", data=new_user(project="nope", roles=["annotator"], password="short")
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "No project “nope”." in html
    assert "at least 10 characters" in html  # the other problem shows at the same time
    assert db.session.scalar(select(User).where(User.username == "gabriel")) is None


# --- finding people ----------------------------------------------------------------------


def test_the_list_is_searched_by_username_or_full_name(client, login, desks):
    login(desks.boss)
    assert listed(client.get("/admin/users?q=DOM").get_data(as_text=True)) == ["dominique"]
    html = client.get("/admin/users?q=dupr%C3%A9").get_data(as_text=True)
    assert listed(html) == ["camille"]
    assert "1 of 4 users matches." in html
    assert listed(client.get("/admin/users?q=100%25").get_data(as_text=True)) == []


def test_the_list_is_filtered_by_project_and_role(client, login, desks):
    login(desks.boss)

    def names(query: str) -> list[str]:
        return listed(client.get(f"/admin/users?{query}").get_data(as_text=True))

    assert names("project=health") == ["camille"]
    assert names("project=climate") == ["dominique"]
    assert names("project=_none") == ["boss", "eve"]
    assert names("role=reviewer") == ["camille", "dominique"]
    assert names("project=default&role=reviewer") == []
    assert names("project=health&role=project_admin") == ["camille"]
    assert names("role=admin") == ["boss"]
    assert names("role=wizard") == ["boss", "camille", "dominique", "eve"]  # ignored
    html = client.get("/admin/users?project=health").get_data(as_text=True)
    assert '<option value="health" selected>' in html and "Show everybody" in html


def test_a_filter_on_an_unknown_project_says_so(client, login, desks):
    login(desks.boss)
    response = client.get("/admin/users?project=atlantis")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "No project “atlantis”." in html and listed(html) == []
    assert "Nobody matches these filters." in html


def test_many_users_come_in_pages_that_keep_the_filters(client, login, desks, make):
    for i in range(52):
        make.user(f"reporter{i:02d}", roles=[Role.ANNOTATOR])
    login(desks.boss)
    html = client.get("/admin/users?project=default").get_data(as_text=True)
    assert len(listed(html)) == 50
    assert "53 of 56 users match." in html
    assert 'href="/admin/users?project=default&amp;page=2"' in html
    html = client.get("/admin/users?project=default&page=2").get_data(as_text=True)
    assert listed(html) == ["reporter49", "reporter50", "reporter51"]  # after camille, 00–48


def test_the_page_runs_the_same_queries_for_3_or_30_users(app, client, login, desks, make):
    def count() -> int:
        with statements() as seen:
            assert client.get("/admin/users").status_code == 200
        return len(seen)

    login(desks.boss)
    count()  # warm up
    few = count()
    for i in range(25):
        user = make.user(f"many{i}", roles=[Role.ANNOTATOR, Role.REVIEWER])
        projects.set_member_roles(db.session, desks.health, user, [Role.REVIEWER])
        projects.set_member_roles(db.session, desks.climate, user, [Role.ANNOTATOR])
    db.session.commit()
    assert count() == few


# --- who may ------------------------------------------------------------------------------


@pytest.mark.parametrize("roles", [[Role.ANNOTATOR, Role.REVIEWER], [Role.PROJECT_ADMIN]])
def test_only_site_admins_see_or_change_users(client, login, desks, make, roles):
    someone = make.user(roles=roles)
    login(someone)
    assert client.get("/admin/users?project=health&q=cam").status_code == 403
    response = client.post(
        f"/admin/users/{desks.camille.id}/roles", data={"project": "health", "roles": ["admin"]}
    )
    assert response.status_code == 403
    response = client.post("/admin/users", data=new_user(project="health", roles=["admin"]))
    assert response.status_code == 403
    assert not fresh(desks.camille).has_role(Role.ADMIN)
    assert db.session.scalar(select(User).where(User.username == "gabriel")) is None


def test_a_project_admin_of_a_desk_cannot_use_the_users_page(client, login, desks):
    login(desks.camille)  # project admin of health
    assert client.get("/admin/users").status_code == 403
    response = client.post(
        f"/admin/users/{desks.camille.id}/roles", data={"project": "health", "roles": ["admin"]}
    )
    assert response.status_code == 403
    assert not fresh(desks.camille).has_role(Role.ADMIN)


@pytest.mark.csrf
def test_the_roles_form_needs_its_csrf_token(client, login, desks):
    login(desks.boss)
    url = f"/admin/users/{desks.camille.id}/roles"
    response = client.post(url, data={"project": "climate", "roles": ["annotator"]})
    assert response.status_code == 400
    assert "climate" not in roles_by_project(desks.camille)
    token = TOKEN.search(client.get("/admin/users").get_data(as_text=True)).group(1)
    data = {"project": "climate", "roles": ["annotator"], "csrf_token": token}
    assert client.post(url, data=data).status_code == 302
    assert roles_by_project(desks.camille)["climate"] == {Role.ANNOTATOR}


@pytest.mark.csrf
def test_adding_a_colleague_needs_the_csrf_token(client, login, desks):
    login(desks.boss)
    response = client.post("/admin/users", data=new_user(project="health", roles=["annotator"]))
    assert response.status_code == 400
    assert db.session.scalar(select(User).where(User.username == "gabriel")) is None


# --- in French ---------------------------------------------------------------------------


def test_the_page_and_its_messages_speak_french(client, login, desks):
    desks.boss.locale = "fr"
    db.session.commit()
    login(desks.boss)
    html = client.get("/admin/users?project=_none").get_data(as_text=True)
    for french in (
        "Projets et rôles",
        "Membre d’aucun projet",
        "Administrateur du site",
        "Rôles dans",
        "Ajouter un collègue",
    ):
        assert french in html, french
    for english in ("Projects and roles", "Member of no project", "Roles in", "Any role"):
        assert english not in html, english
    response = client.post(
        f"/admin/users/{desks.camille.id}/roles",
        data={"project": "nope", "roles": ["reviewer"]},
        follow_redirects=True,
    )
    assert "Aucun projet « nope »." in flashes(response.get_data(as_text=True)).replace(
        "\u202f", " "
    ).replace("\xa0", " ")


def test_a_name_is_found_whatever_the_case_of_its_accented_letters(client, login, desks, make):
    """SQLite's own lower() folds A–Z only: "élodie" must find "Élodie" there too."""
    make.user("elodie", display_name="Élodie Œillet")
    login(desks.boss)
    assert listed(client.get("/admin/users?q=%C3%A9lodie").get_data(as_text=True)) == ["elodie"]
    assert listed(client.get("/admin/users?q=%C5%93illet").get_data(as_text=True)) == ["elodie"]
    assert listed(client.get("/admin/users?q=%C3%89LODIE").get_data(as_text=True)) == ["elodie"]
