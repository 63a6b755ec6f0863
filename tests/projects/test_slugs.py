"""A new project's slug: made from its name when left empty, written as a slug when typed
with capitals, accents or spaces, and the scale of another project offered as a template."""

from __future__ import annotations

from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Project, Role, Verdict
from factcheck.services import projects
from factcheck.text.slugs import slugify


def test_slugify():
    assert slugify("Desk Élections 2027 !") == "desk-elections-2027"
    assert slugify("  Santé   publique ") == "sante-publique"
    assert slugify("Œuvres — d'art") == "oeuvres-d-art"
    assert slugify("🙂🙂") == ""
    assert len(slugify("a" * 100)) == 60


def test_the_page_reads_the_slug_a_person_meant():
    assert projects.slug_as_typed("", "Desk Élections") == "desk-elections"
    assert projects.slug_as_typed(" Santé Publique ", "x") == "sante-publique"
    assert projects.slug_as_typed("health", "x") == "health"
    assert projects.slug_as_typed("🙂", "x") == "🙂"  # nothing to make of it: refused later


def test_the_page_creates_from_the_name_alone_and_offers_copies(client, login, make):
    admin = make.user("boss", roles=[Role.ADMIN])
    login(admin)
    page = client.get("/projects/").get_data(as_text=True)
    assert 'value="copy:default"' in page
    answer = client.post(
        "/projects/", data={"name": "Desk Élections", "slug": "", "template": "copy:default"}
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    created = db.session.scalar(select(Project).where(Project.slug == "desk-elections"))
    default = projects.default_project(db.session)
    keys = lambda p: sorted(  # noqa: E731
        db.session.scalars(select(Verdict.key).where(Verdict.project_id == p.id))
    )
    assert keys(created) == keys(default) != []
