"""Who may export: reviewers and admins; annotators only when allowed; never anonymous."""

from __future__ import annotations

import re

import pytest

from factcheck.models import Role

ROUTES = [
    "/api/v1/export.csv",
    "/api/v1/export.jsonl",
    "/api/v1/export.claimreview.json",
    "/export/",
    "/export/download.csv",
    "/export/download.jsonl",
    "/export/download.claimreview.json",
]


@pytest.mark.parametrize("url", ROUTES)
@pytest.mark.parametrize(
    ("roles", "status"),
    [([Role.REVIEWER], 200), ([Role.ADMIN], 200), ([Role.ANNOTATOR], 403)],
)
def test_roles(client, login, make, url, roles, status):
    login(make.user(roles=roles))
    assert client.get(url).status_code == status


@pytest.mark.parametrize("url", ROUTES)
def test_annotators_export_when_the_admin_allows_it(client, login, make, app, url):
    app.config["ANNOTATORS_CAN_EXPORT"] = True
    login(make.user(roles=[Role.ANNOTATOR]))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ROUTES)
def test_anonymous_never(client, url):
    response = client.get(url)
    if url.startswith("/api/"):
        assert response.status_code == 401
        assert response.json["error"]["code"] == "unauthorized"
    else:
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_token_authenticates_the_api(client, make, reviewed):
    reviewed()
    user = make.user(roles=[Role.REVIEWER])
    token = make.token(user)
    response = client.get("/api/v1/export.csv", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.data.count(b"\r\n") == 2  # header + one row
    bad = client.get("/api/v1/export.csv", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_export_page_shows_count_preview_and_modes(client, login, reviewer, reviewed):
    for i in range(12):
        reviewed(claim=f"Claim <b>{i}</b>")
    login(reviewer)
    page = client.get("/export/")
    assert page.status_code == 200
    html = page.data.decode()
    assert "12 rows" in html
    assert html.count("Claim &lt;b&gt;") == 10  # first 10 rows, escaped
    assert "spreadsheet-safe" in html and "exact text" in html
    assert "/export/download.csv?mode=exact" in html
    assert "/export/download.jsonl" in html
    assert "/export/download.claimreview.json" in html


def test_export_page_filters_carry_into_the_downloads(client, login, reviewer, reviewed):
    reviewed(verdict="mixed")
    reviewed(verdict="false")
    login(reviewer)
    html = client.get("/export/?verdict=mixed&status=approved").data.decode()
    assert "1 row<" in html

    (href,) = re.findall(r'href="(/export/download\.csv\?[^"]*mode=exact[^"]*)"', html)
    assert "verdict=mixed" in href and "status=approved" in href


def test_export_page_explains_bad_filters(client, login, reviewer):
    login(reviewer)
    page = client.get("/export/?from=yesterday")
    assert page.status_code == 200
    assert "from must be a date written YYYY-MM-DD" in page.data.decode()
