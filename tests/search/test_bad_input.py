"""Bad input: a 422 naming the field, for an unknown filter, an unknown value, a
malformed date, a page past the limit."""

from __future__ import annotations

import pytest

from factcheck.services.search.params import MAX_PER_PAGE


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"verdict": "fabulous"}, "verdict"),
        ({"status": "archived"}, "status"),
        ({"kind": "tweet"}, "kind"),
        ({"order": "random"}, "order"),
        ({"project": "nowhere"}, "project"),
        ({"language": "french"}, "language"),
        ({"from": "2024-13-01"}, "from"),
        ({"to": "31/12/2024"}, "to"),
        ({"from": "2024-05-01", "to": "2024-04-01"}, "from"),
        ({"per_page": str(MAX_PER_PAGE + 1)}, "per_page"),
        ({"per_page": "0"}, "per_page"),
        ({"page": "x"}, "page"),
        ({"semantic": "maybe"}, "semantic"),
        ({"claimant": "99999"}, "claimant"),
        ({"format": "xml"}, "format"),
        ({"q": "x" * 501}, "q"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(client, login, desk, args, field):
    login(desk.anna)
    response = client.get("/api/v1/claims", query_string=args)
    assert response.status_code == 422, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["field"] == field
    assert field in error["message"]
    csv = client.get("/api/v1/claims.csv", query_string=args)
    if field != "format":
        assert csv.status_code == 422


def test_signed_out_is_a_401(client, desk):
    assert client.get("/api/v1/claims").status_code == 401
    assert client.get("/api/v1/claims.csv").status_code == 401


def test_empty_fields_of_the_form_mean_any(client, login, desk):
    login(desk.anna)
    args = {"q": "", "claimant": "", "verdict": "", "status": "", "project": "", "from": ""}
    answer = client.get("/api/v1/claims", query_string=args).get_json()
    assert answer["total"] == 6
