"""The lock-out rules live in the user service: no page or command can get round them."""

import pytest

from factcheck.extensions import db
from factcheck.models import Role
from factcheck.services import users
from factcheck.services.errors import Invalid


def test_an_admin_cannot_remove_their_own_admin_role(make):
    admin = make.user(roles=[Role.ADMIN])
    with pytest.raises(Invalid, match="your own administrator role"):
        users.set_roles(db.session, admin, [Role.ANNOTATOR], by=admin)
    assert Role.ADMIN in admin.roles


def test_an_admin_changes_another_admins_roles(make):
    admin, other = make.user(roles=[Role.ADMIN]), make.user(roles=[Role.ADMIN])
    users.set_roles(db.session, other, ["reviewer"], by=admin)
    db.session.commit()
    assert other.roles == {Role.REVIEWER}
    users.set_roles(db.session, admin, [Role.ADMIN, Role.REVIEWER], by=admin)
    db.session.commit()
    assert admin.roles == {Role.ADMIN, Role.REVIEWER}


def test_roles_cannot_be_emptied(make):
    admin, other = make.user(roles=[Role.ADMIN]), make.user()
    with pytest.raises(Invalid, match="at least one role"):
        users.set_roles(db.session, other, [], by=admin)


def test_an_admin_cannot_deactivate_themselves(make):
    admin = make.user(roles=[Role.ADMIN])
    with pytest.raises(Invalid, match="your own account"):
        users.set_active(db.session, admin, False, by=admin)
    assert admin.active
    other = make.user()
    users.set_active(db.session, other, False, by=admin)
    assert not other.active
    # the operator (CLI, no acting user) may deactivate anybody
    users.set_active(db.session, admin, False)
    assert not admin.active


def test_the_admin_page_shows_the_services_message(client, make, login):
    admin = make.user(roles=[Role.ADMIN])
    login(admin)
    response = client.post(f"/admin/users/{admin.id}/deactivate", follow_redirects=True)
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.active


def test_roles_are_set_in_one_project_and_the_site_role_apart(desks):
    camille = desks.camille
    users.set_roles(
        db.session, camille, [Role.ANNOTATOR, Role.ADMIN], by=desks.boss, project=desks.climate
    )
    db.session.commit()
    assert camille.roles_in(desks.climate.id) == {Role.ANNOTATOR}
    assert camille.roles_in(desks.health.id) == {Role.REVIEWER, Role.PROJECT_ADMIN}
    assert camille.roles_in(desks.default.id) == {Role.ANNOTATOR}
    assert camille.has_role(Role.ADMIN)
    # no project named: the default project, as before projects
    users.set_roles(db.session, camille, [Role.REVIEWER], by=desks.boss)
    db.session.commit()
    assert camille.roles_in(desks.default.id) == {Role.REVIEWER}
    assert not camille.has_role(Role.ADMIN)


def test_the_lock_out_rules_hold_in_every_project(desks):
    boss = desks.boss
    with pytest.raises(Invalid, match="your own administrator role"):
        users.set_roles(db.session, boss, [Role.REVIEWER], by=boss, project=desks.health)
    with pytest.raises(Invalid, match="at least one role"):
        users.set_roles(db.session, desks.dominique, [], by=boss, project=desks.climate)
    with pytest.raises(Invalid, match="A role is"):
        users.set_roles(db.session, desks.dominique, ["wizard"], by=boss, project=desks.climate)
    db.session.rollback()
    assert boss.has_role(Role.ADMIN) and boss.memberships == []
    assert desks.dominique.roles_in(desks.climate.id) == {Role.REVIEWER}
    # leaving one project is fine while the user holds a role in another
    users.set_roles(db.session, desks.camille, [], by=boss, project=desks.health)
    db.session.commit()
    assert [p.slug for p, _roles in users.memberships(desks.camille)] == ["default"]


def test_the_list_filters_by_name_project_and_role(desks):
    def names(**wanted) -> list[str]:
        found = users.list_users(db.session, users.UserFilter(**wanted))
        assert found.total == len(found.items)
        return [u.username for u in found.items]

    assert names() == ["boss", "camille", "dominique", "eve"]
    assert names(q="BÉR") == ["boss"]  # in the full name "Bérénice Boss", any case
    assert names(q="_") == [] and names(q="%") == []  # wildcards are plain characters
    assert names(project=desks.health) == ["camille"]
    assert names(no_project=True) == ["boss", "eve"]
    assert names(role=Role.ADMIN) == ["boss"]
    assert names(role=Role.REVIEWER) == ["camille", "dominique"]
    assert names(project=desks.default, role=Role.REVIEWER) == []
    page = users.list_users(db.session, users.UserFilter(), page=2, per_page=3)
    assert (page.total, [u.username for u in page.items]) == (4, ["eve"])


def test_memberships_are_by_project_name_with_roles_in_a_fixed_order(desks):
    held = users.memberships(desks.camille)
    assert [(p.name, roles) for p, roles in held] == [
        ("Health desk", [Role.REVIEWER, Role.PROJECT_ADMIN]),
        ("Politics desk", [Role.ANNOTATOR]),
    ]
    assert users.memberships(desks.eve) == []
