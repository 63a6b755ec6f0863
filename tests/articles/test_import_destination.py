"""The import page names the project the articles go to."""

from __future__ import annotations

from factcheck.models import Role


def test_the_import_page_names_its_project(client, login, make):
    login(make.user(roles=[Role.ADMIN]))
    page = client.get("/articles/import").get_data(as_text=True)
    assert "Import articles into Default" in page
