"""The site admin's users page in a real browser, with three desks: each row lists the
user's projects and roles; a row's roles form follows its project selector and saves the
roles in that project; the list filters by project. On a phone (390 px) rows are cards
and nothing scrolls sideways. Screenshots: tests/artifacts/admin-users-*.png."""

from __future__ import annotations

import pytest

from factcheck.extensions import db
from factcheck.models import Role, User
from factcheck.services import projects

pytestmark = pytest.mark.browser


@pytest.fixture
def desks(make):
    default, _added = projects.ensure_default_project(db.session)
    default.name = "Politics desk"
    health = projects.create_project(db.session, name="Health desk", slug="health")
    climate = projects.create_project(
        db.session,
        name="Climate fact-checks (FEVER dataset, 2024–2025)",
        slug="climate",
        template="fever",
    )
    db.session.commit()
    boss = make.user("boss", roles=[Role.ADMIN], display_name="Bérénice Boss")
    camille = make.user("camille", roles=[Role.ANNOTATOR], display_name="Camille Dupré")
    projects.set_member_roles(db.session, health, camille, [Role.REVIEWER, Role.PROJECT_ADMIN])
    dominique = make.user(
        "dominique.de-la-tour-dauvergne", roles=[], display_name="Dominique de La Tour d'Auvergne"
    )
    projects.set_member_roles(db.session, climate, dominique, [Role.REVIEWER])
    projects.set_member_roles(db.session, health, dominique, [Role.ANNOTATOR])
    make.user("eve", roles=[])
    make.user("farid", roles=[Role.ANNOTATOR, Role.REVIEWER], active=False)
    db.session.commit()
    return {"boss": boss, "camille": camille, "health": health, "climate": climate}


def checked(page, user: User) -> list[str]:
    boxes = page.locator(f"#user-{user.id} input[data-project-role]:checked")
    return [boxes.nth(i).get_attribute("value") for i in range(boxes.count())]


def test_roles_are_read_and_set_per_project(page, desks, browser_login, screenshot):
    camille = desks["camille"]
    browser_login(page, desks["boss"])
    page.goto("/admin/users")
    screenshot(page, "admin-users-1280")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    card = page.locator(f"#user-{camille.id}")
    assert card.get_by_role("link", name="Health desk").get_attribute("href") == (
        "/projects/health/admin#project-members"
    )
    assert checked(page, camille) == ["annotator"]  # in the default project

    # the boxes follow the selector: the roles held in the chosen project
    select = card.locator("select[name=project]")
    select.select_option("health")
    assert checked(page, camille) == ["reviewer", "project_admin"]
    select.select_option("climate")
    assert checked(page, camille) == []
    card.get_by_label("Annotator").check()
    card.get_by_role("button", name="Save roles").click()
    page.wait_for_selector(".flash-success")
    assert "Roles of camille in “Climate fact-checks" in page.locator(".flash-success").inner_text()
    assert page.url.endswith(f"#user-{camille.id}")
    db.session.rollback()
    assert db.session.get(User, camille.id).roles_in(desks["climate"].id) == {Role.ANNOTATOR}
    assert "Climate fact-checks" in page.locator(f"#user-{camille.id} .memberships").inner_text()

    # the list, filtered on a project: its members only, their forms on that project
    page.select_option("#filter-project", "health")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/admin/users?*project=health*")
    names = page.locator(".users-table .card-title").all_inner_texts()
    assert names == ["camille", "dominique.de-la-tour-dauvergne"]
    assert checked(page, camille) == ["reviewer", "project_admin"]
    screenshot(page, "admin-users-filtered-1280")
    assert page.js_errors == []


def test_on_a_phone_rows_are_cards_and_nothing_scrolls_sideways(
    browser, live_server, app, desks, browser_login, screenshot
):
    context = browser.new_context(
        base_url=live_server, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    browser_login(page, desks["boss"])
    page.goto("/admin/users")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator(".users-table thead").is_hidden()
    display = page.locator(".users-table tbody tr").first.evaluate(
        "(tr) => getComputedStyle(tr).display"
    )
    assert display in ("block", "grid")  # a card, not a table row
    # every control of a card is inside the screen
    right = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll('.users-table *')]
             .map((el) => el.getBoundingClientRect().right))"""
    )
    assert right <= 390
    screenshot(page, "admin-users-390")
    page.locator("#add-user").scroll_into_view_if_needed()
    screenshot(page, "admin-users-add-390", full_page=False)
    assert errors == []
    context.close()
