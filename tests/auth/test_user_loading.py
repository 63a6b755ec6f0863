"""A user row costs one query; the signed-in user's roles and memberships come with it."""

from __future__ import annotations

from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Role, User

from ..sql import statements


def test_loading_users_does_not_load_their_roles_and_memberships(make):
    for n in range(3):
        make.user(f"u{n}", roles=(Role.ANNOTATOR, Role.REVIEWER))
    db.session.expunge_all()
    with statements(select_only=True) as seen:
        users = db.session.scalars(select(User).order_by(User.id)).all()
        names = [user.username for user in users]
    assert names == ["u0", "u1", "u2"]
    assert len(seen) == 1, seen


def test_a_request_loads_the_signed_in_users_access_once(make, client, login):
    user = make.user("reader", roles=(Role.ANNOTATOR, Role.REVIEWER))
    login(user)
    db.session.expunge_all()
    with statements(select_only=True) as seen:
        assert client.get("/articles/").status_code == 200
    touching = [s for s in seen if "FROM user_role" in s or "FROM project_member" in s]
    # the loader's two (roles, memberships), and no lazy reload of either afterwards
    assert len([s for s in touching if "user_role.user_id IN" in s]) <= 1, touching
    assert len([s for s in touching if "project_member.user_id IN" in s]) <= 1, touching
