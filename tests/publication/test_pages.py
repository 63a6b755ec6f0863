"""The claim's page: the Publish form for those who may, the publication once made, the
history's "Published at"; the project setting for the publisher."""

from __future__ import annotations

import re

import pytest

from factcheck.extensions import db
from factcheck.models import Role

URL = "https://verif.example/2026/chomage"


def html(response) -> str:
    return response.get_data(as_text=True)


def publish(client, annotation, **data):
    return client.post(f"/review/{annotation.id}/publish", data=data, follow_redirects=True)


def test_reviewer_publishes_from_the_claims_page(client, login_as, desk):
    login_as(desk.reviewer)
    page = html(client.get(f"/review/{desk.approved.id}"))
    assert 'id="publish-form"' in page and "Not published yet" in page
    r = publish(client, desk.approved, version=1, published_url=URL, published_at="2026-12-01")
    assert r.status_code == 200
    page = html(r)
    assert f'id="published-url">{URL}</a>' in page
    assert '<time datetime="2026-12-01">2026-12-01</time>' in page
    # the history says it, the address a link, not "approved → approved"
    history = page[page.index('id="history-fold"') :]
    assert (
        f'Published at <a href="{URL}" rel="noopener noreferrer" target="_blank">{URL}</a>'
        in history
    )
    assert "approved → approved" not in history
    # the form offers a correction that keeps the date unless it is changed
    assert 'name="published_at" type="text" value="2026-12-01"' in page
    db.session.expire_all()
    assert desk.approved.published_url == URL and desk.approved.version == 2


def test_form_errors_are_said_and_nothing_is_written(client, login_as, desk):
    login_as(desk.reviewer)
    page = html(publish(client, desk.approved, version=1, published_url="javascript:alert(1)"))
    assert "published_url must be an http:// or https:// address" in page
    page = html(publish(client, desk.approved, version=1, published_url=URL, published_at="soon"))
    assert "is not an ISO 8601 moment" in page
    page = html(publish(client, desk.approved, version=0, published_url=URL))
    assert "This claim changed since you opened it" in page
    db.session.expire_all()
    assert desk.approved.published_url is None and desk.approved.version == 1


def test_the_address_is_escaped(client, login_as, desk):
    login_as(desk.reviewer)
    sneaky = 'https://verif.example/"><script>alert(1)</script>'
    publish(client, desk.approved, version=1, published_url=sneaky)
    page = html(client.get(f"/review/{desk.approved.id}"))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_who_sees_the_form(client, login_as, desk, make):
    login_as(desk.annotator)  # the author, an annotator: sees nothing until it is published
    assert "publication" not in html(client.get(f"/review/{desk.approved.id}"))
    r = client.post(
        f"/review/{desk.approved.id}/publish", data={"version": 1, "published_url": URL}
    )
    assert r.status_code == 403
    login_as(desk.reviewer)
    assert 'id="publish-form"' not in html(client.get(f"/review/{desk.submitted.id}"))
    login_as(desk.outsider)
    assert client.get(f"/review/{desk.approved.id}").status_code == 404
    r = client.post(
        f"/review/{desk.approved.id}/publish", data={"version": 1, "published_url": URL}
    )
    assert r.status_code == 404
    # once published, its readers see where
    desk.approved.published_url = URL
    db.session.commit()
    login_as(desk.annotator)
    page = html(client.get(f"/review/{desk.approved.id}"))
    assert f'id="published-url">{URL}</a>' in page and 'id="publish-form"' not in page


def test_archived_project_shows_no_form(client, login_as, desk):
    desk.approved.project.archived = True
    db.session.commit()
    login_as(desk.reviewer)
    assert 'id="publish-form"' not in html(client.get(f"/review/{desk.approved.id}"))
    page = html(publish(client, desk.approved, version=1, published_url=URL))
    assert "is archived: it is read-only" in page


@pytest.mark.csrf
def test_publish_needs_csrf(client, login_as, desk):
    login_as(desk.reviewer)
    r = client.post(
        f"/review/{desk.approved.id}/publish", data={"version": 1, "published_url": URL}
    )
    assert r.status_code in (302, 400)
    db.session.expire_all()
    assert desk.approved.published_url is None
    page = html(client.get(f"/review/{desk.approved.id}"))
    form = page[page.index('id="publish-form"') :]
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    r = client.post(
        f"/review/{desk.approved.id}/publish",
        data={"version": 1, "published_url": URL, "csrf_token": token},
    )
    assert r.status_code == 302
    db.session.expire_all()
    assert desk.approved.published_url == URL


def _settings(client, project, **extra):
    data = {"name": project.name, "description": "", "default_language": "", **extra}
    return client.post(f"/projects/{project.slug}/settings", data=data)


def test_project_settings_name_the_publisher(client, login_as, desk, make):
    project = desk.approved.project
    login_as(desk.admin)
    assert 'name="publisher_url"' in html(client.get(f"/projects/{project.slug}/admin"))
    r = _settings(
        client, project, publisher_name="Les Vérificateurs", publisher_url="https://verif.example"
    )
    assert r.status_code == 302
    db.session.expire_all()
    assert (project.publisher_name, project.publisher_url) == (
        "Les Vérificateurs",
        "https://verif.example",
    )
    r = _settings(client, project, publisher_name="X", publisher_url="ftp://verif.example")
    assert r.status_code == 422
    assert "publisher_url must be an http:// or https:// address" in html(r)
    db.session.expire_all()
    assert project.publisher_url == "https://verif.example"
    login_as(make.user("rex", roles=[Role.REVIEWER]))
    assert _settings(client, project, publisher_name="Mine").status_code in (403, 404)
