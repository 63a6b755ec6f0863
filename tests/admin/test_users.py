from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Role, User

from ..factories import PASSWORD


def test_admin_creates_a_colleague_who_can_log_in(app, client, make, login):
    login(make.user(roles=[Role.ADMIN]))
    response = client.post(
        "/admin/users",
        data={
            "username": "Camille",
            "display_name": "Camille Dupré",
            "password": "a long enough password",
            "roles": ["annotator", "reviewer"],
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "camille"))
    assert user.roles == {Role.ANNOTATOR, Role.REVIEWER}
    assert user.password_hash.startswith("scrypt:")
    fresh = app.test_client()
    assert (
        fresh.post(
            "/login", data={"username": "camille", "password": "a long enough password"}
        ).status_code
        == 302
    )


def test_duplicate_username_is_refused_with_a_message(client, make, login):
    login(make.user(roles=[Role.ADMIN]))
    make.user(username="taken")
    response = client.post(
        "/admin/users", data={"username": "taken", "password": "x" * 12, "roles": ["annotator"]}
    )
    assert response.status_code == 422
    assert "is taken" in response.get_data(as_text=True)


def test_short_password_is_refused(client, make, login):
    login(make.user(roles=[Role.ADMIN]))
    response = client.post(
        "/admin/users", data={"username": "newbie", "password": "short", "roles": ["annotator"]}
    )
    assert response.status_code == 422
    assert db.session.scalar(select(User).where(User.username == "newbie")) is None


def test_change_roles(client, make, login):
    login(make.user(roles=[Role.ADMIN]))
    user = make.user(roles=[Role.ANNOTATOR])
    client.post(f"/admin/users/{user.id}/roles", data={"roles": ["reviewer"]})
    db.session.refresh(user)
    assert user.roles == {Role.REVIEWER}


def test_admin_cannot_drop_own_admin_role(client, make, login):
    admin = make.user(roles=[Role.ADMIN])
    login(admin)
    client.post(f"/admin/users/{admin.id}/roles", data={"roles": ["annotator"]})
    db.session.refresh(admin)
    assert Role.ADMIN in admin.roles


def test_deactivation_ends_sessions_and_tokens(app, client, make, login):
    login(make.user(roles=[Role.ADMIN]))
    victim = make.user()
    token = make.token(victim)
    victim_client = login(victim, into=app.test_client())
    assert victim_client.get("/").status_code == 200
    client.post(f"/admin/users/{victim.id}/deactivate")
    assert victim_client.get("/").status_code == 302
    response = app.test_client().get(
        "/api/v1/verdicts", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401
    assert (
        app.test_client()
        .post("/login", data={"username": victim.username, "password": PASSWORD})
        .status_code
        == 401
    )


def test_reset_password_ends_sessions(app, client, make, login):
    login(make.user(roles=[Role.ADMIN]))
    user = make.user()
    other = login(user, into=app.test_client())
    client.post(f"/admin/users/{user.id}/password", data={"password": "brand new password"})
    assert other.get("/").status_code == 302
    assert (
        app.test_client()
        .post("/login", data={"username": user.username, "password": "brand new password"})
        .status_code
        == 302
    )


def test_non_admins_are_refused(client, make, login):
    user = make.user(roles=[Role.REVIEWER, Role.ANNOTATOR])
    login(user)
    for url in ("/admin/users", f"/admin/users/{user.id}/roles"):
        method = client.get if url.endswith("users") else client.post
        assert method(url).status_code == 403


def test_anonymous_goes_to_login(client):
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_the_user_form_shows_every_problem_at_once(client, login, make):
    from factcheck.models import Role

    admin = make.user("boss", roles=[Role.ADMIN])
    make.user("camille", roles=[Role.ANNOTATOR])
    login(admin)
    response = client.post(
        "/admin/users", data={"username": "camille", "password": "short", "submit": "1"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "is taken" in html  # the username
    assert html.count('class="error"') >= 3  # username, password and roles, all at once


def test_deactivate_asks_for_confirmation(client, login, make):
    from factcheck.models import Role

    admin = make.user("boss", roles=[Role.ADMIN])
    make.user("camille", roles=[Role.ANNOTATOR])
    login(admin)
    html = client.get("/admin/users").get_data(as_text=True)
    assert 'data-confirm="Deactivate camille?' in html
