"""The navigation shows a link exactly when its route lets the user in (web.py hands the
templates the predicates the routes use)."""

import pytest

from factcheck.extensions import db
from factcheck.models import Role

NAV = {
    "my_claims": 'href="/mine"',
    "export": 'href="/export/"',
    "review": 'href="/review/"',
    "admin": 'href="/admin/users"',
}


def _nav(client) -> str:
    html = client.get("/").get_data(as_text=True)
    return html[html.index('id="mainnav"') : html.index("</nav>")]


def _links(client) -> set[str]:
    nav = _nav(client)
    return {name for name, href in NAV.items() if href in nav}


def _route_lets_in(client, name: str) -> bool:
    path = NAV[name].split('"')[1]
    return client.get(path).status_code == 200


@pytest.mark.parametrize(
    "roles",
    [
        [Role.ANNOTATOR],
        [Role.REVIEWER],
        [Role.ADMIN],
        [Role.PROJECT_ADMIN],
        [Role.ANNOTATOR, Role.REVIEWER],
    ],
)
def test_every_link_matches_its_route(client, login, make, roles):
    login(make.user(roles=roles))
    links = _links(client)
    for name in NAV:
        assert (name in links) is _route_lets_in(client, name), (roles, name)


def test_admins_see_my_claims(client, login, make):
    """The drift: the route let admins in, the menu hid it from them."""
    login(make.user(roles=[Role.ADMIN]))
    assert "my_claims" in _links(client)


def test_the_export_link_follows_annotators_can_export(app, client, login, make):
    """The drift: the link ignored ANNOTATORS_CAN_EXPORT and the project setting."""
    annotator = make.user(roles=[Role.ANNOTATOR])
    login(annotator)
    assert "export" not in _links(client)
    app.config["ANNOTATORS_CAN_EXPORT"] = True
    assert "export" in _links(client) and _route_lets_in(client, "export")
    app.config["ANNOTATORS_CAN_EXPORT"] = False
    annotator.memberships[0].project.annotators_can_export = True
    db.session.commit()
    assert "export" in _links(client) and _route_lets_in(client, "export")
