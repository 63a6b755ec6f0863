"""An installation with three desks and people in them, as a site admin sees it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from factcheck.extensions import db
from factcheck.models import Role
from factcheck.services import projects


@pytest.fixture
def desks(make):
    """The default project (renamed "Politics desk"), "Health desk" and "Climate data";
    ``boss`` (site admin, no project), ``camille`` (annotator in politics, reviewer and
    project admin in health), ``dominique`` (reviewer in climate), ``eve`` (no project)."""
    default, _added = projects.ensure_default_project(db.session)
    default.name = "Politics desk"
    health = projects.create_project(db.session, name="Health desk", slug="health")
    climate = projects.create_project(
        db.session, name="Climate data", slug="climate", template="fever"
    )
    db.session.commit()
    boss = make.user("boss", roles=[Role.ADMIN], display_name="Bérénice Boss")
    camille = make.user("camille", roles=[Role.ANNOTATOR], display_name="Camille Dupré")
    projects.set_member_roles(db.session, health, camille, [Role.REVIEWER, Role.PROJECT_ADMIN])
    dominique = make.user("dominique", roles=[])
    projects.set_member_roles(db.session, climate, dominique, [Role.REVIEWER])
    eve = make.user("eve", roles=[])
    db.session.commit()
    return SimpleNamespace(
        default=default,
        health=health,
        climate=climate,
        boss=boss,
        camille=camille,
        dominique=dominique,
        eve=eve,
    )
