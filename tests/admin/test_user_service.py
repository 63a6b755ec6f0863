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
