"""Security and reliability, round 3 (issue 24, item 9): bad input is a 4xx naming the
problem, never a 500, logged in or not. The generated suite (test_fuzz.py) attacks every
route with these shapes; these are the cases the outside test found, one by one."""

from __future__ import annotations

import pytest

from factcheck.models import Role

DEEP = "[" * 990 + "]" * 990


@pytest.mark.parametrize("url", ["/healthz", "/login", "/api/v1/articles"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_json_body_nested_990_levels_is_a_400_without_logging_in(client, url, method):
    response = client.open(url, method=method, data=DEEP, content_type="application/json")
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert "nested more than 64 levels" in response.get_json()["error"]["message"]


def test_a_number_of_5000_digits_in_a_json_body_is_a_400(client):
    body = '{"title": "x", "text": "y", "n": ' + "9" * 5000 + "}"
    response = client.post("/api/v1/articles", data=body, content_type="application/json")
    assert response.status_code == 400
    assert "4,300 digits" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("project", [["default"], {"slug": "default"}, 7])
def test_an_article_import_naming_its_project_with_a_list_or_object_is_a_422(
    client, make, login, project
):
    login(make.user(roles=[Role.ADMIN]))
    for body in (
        {"title": "T", "text": "Some text.", "project": project},
        {"articles": [{"title": "T", "text": "Some text."}], "project": project},
        {"articles": [{"title": "T", "text": "Some text.", "project": project}]},
    ):
        response = client.post("/api/v1/articles", json=body)
        assert response.status_code == 422, response.get_data(as_text=True)
        assert response.get_json()["error"]["field"] == "project"


@pytest.mark.parametrize("skip", ["9" * 20, str(2**31), f"1,{2**31}", "-3"])
def test_review_next_with_a_skip_the_database_cannot_hold_is_a_422(client, make, login, skip):
    login(make.user(roles=[Role.REVIEWER]))
    response = client.get("/api/v1/review/next", query_string={"skip": skip})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.get_json()["error"]["field"] == "skip"


@pytest.mark.parametrize("number", [2**31, -(2**31) - 1, 10**20])
def test_an_integer_field_beyond_the_database_is_a_422_naming_it(client, make, login, number):
    login(make.user(roles=[Role.ADMIN]))
    body = {"name": "Pair", "article_ids": [number], "annotators": ["a"], "per_article": 1}
    response = client.post("/api/v1/assignments", json=body)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.get_json()["error"]["field"] == "article_ids"


@pytest.mark.parametrize("version", ["\u00b2", "9" * 5000, str(10**20)])
def test_a_version_in_the_query_string_that_int_cannot_read_is_a_422(client, make, login, version):
    author = make.user(roles=[Role.ANNOTATOR])
    annotation = make.annotation(author=author)
    login(author)
    response = client.delete(
        f"/api/v1/annotations/{annotation.id}", query_string={"version": version}
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "version"


@pytest.mark.parametrize("page", ["\u00b2", "9" * 5000, str(10**20)])
def test_pages_read_any_page_number_without_a_500(client, make, login, page):
    login(make.user(roles=[Role.ADMIN, Role.REVIEWER]))
    for url in ("/admin/factchecks", "/review/"):
        assert client.get(url, query_string={"page": page}).status_code == 200, url
