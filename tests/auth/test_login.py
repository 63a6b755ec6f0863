import pytest

from factcheck.models import Role

from ..factories import PASSWORD


def post_login(client, username, password=PASSWORD, next_=None):
    url = "/login" + (f"?next={next_}" if next_ is not None else "")
    return client.post(url, data={"username": username, "password": password})


def test_login_then_logout(client, make):
    user = make.user()
    response = post_login(client, user.username)
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused(client, make):
    user = make.user()
    response = post_login(client, user.username, "not the password")
    assert response.status_code == 401
    assert b"Wrong username or password" in response.data
    assert client.get("/").status_code == 302


def test_deactivated_user_cannot_log_in(client, make):
    user = make.user(active=False)
    assert post_login(client, user.username).status_code == 401


def test_failed_logins_are_rate_limited_per_account(client, make):
    user = make.user()
    for _ in range(5):
        post_login(client, user.username, "nope")
    # even the right password is refused while the limit holds
    assert post_login(client, user.username).status_code == 429


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\t/evil.example",
        "https:evil.example",
        "https://evil.example/x",
        "\\\\evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
    ],
)
def test_next_only_follows_local_paths(client, make, target):
    user = make.user()
    response = post_login(client, user.username, next_=target)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/" or (location.startswith("/") and not location.startswith("//"))
    assert "evil" not in location


def test_next_local_path_is_followed(client, make):
    user = make.user()
    response = post_login(client, user.username, next_="/profile")
    assert response.headers["Location"] == "/profile"


def test_logout_ends_other_sessions(app, client, make):
    user = make.user()
    other = app.test_client()
    post_login(client, user.username)
    post_login(other, user.username)
    client.post("/logout")
    assert other.get("/").status_code == 302


def test_admin_pages_refused_to_others(client, make, login):
    login(make.user(roles=[Role.ANNOTATOR, Role.REVIEWER]))
    assert client.get("/admin/users").status_code == 403


def test_french_interface_when_asked(client, make):
    response = client.get("/login", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert "Se connecter" in response.get_data(as_text=True)


def test_english_by_default(client):
    assert "Log in" in client.get("/login").get_data(as_text=True)


def test_failed_logins_are_rate_limited_per_address(app, client, make):
    app.config["LOGIN_RATE_LIMIT_ADDRESS"] = 3
    target = make.user()
    for i in range(3):
        post_login(client, f"nobody{i}", "nope")  # spraying different accounts
    assert post_login(client, target.username).status_code == 429
    # another address is not affected
    other = app.test_client()
    response = other.post(
        "/login",
        data={"username": target.username, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.9.8.7"},
    )
    assert response.status_code == 302


def test_successful_login_clears_the_account_failures(client, make):
    user = make.user()
    for _ in range(4):
        post_login(client, user.username, "nope")
    assert post_login(client, user.username).status_code == 302
    client.post("/logout")
    for _ in range(4):
        post_login(client, user.username, "nope")
    assert post_login(client, user.username).status_code == 302
