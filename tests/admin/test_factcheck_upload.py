"""An admin imports a ClaimReview archive from the past fact-checks page: the importer's
report on the page (imported, updated, unchanged, skipped with their lines); admins only,
CSRF, a size limit."""

from __future__ import annotations

import io
import json
import re

import pytest

from factcheck.extensions import db
from factcheck.models import FactCheck, Role


def review(n: int, rating: str = "Faux") -> dict:
    return {
        "@type": "ClaimReview",
        "claimReviewed": f"Claim {n}",
        "url": f"https://fact.example/{n}",
        "reviewRating": {"@type": "Rating", "alternateName": rating},
        "datePublished": "2026-11-20",
        "author": {"@type": "Organization", "name": "Desk"},
    }


def upload(client, body: bytes, name: str = "archive.json", **extra):
    return client.post(
        "/admin/factchecks",
        data={"file": (io.BytesIO(body), name), **extra},
        content_type="multipart/form-data",
    )


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def admin(make):
    return make.user("ada", roles=[Role.ADMIN])


def stored() -> dict[str, str]:
    return {f.url: f.claim for f in db.session.scalars(db.select(FactCheck))}


def test_page_has_the_upload_form(client, login, admin):
    login(admin)
    page = text(client.get("/admin/factchecks"))
    assert 'enctype="multipart/form-data"' in page and 'name="file"' in page


def test_upload_imports_and_reports_per_record_errors(client, login, admin):
    login(admin)
    lines = [
        json.dumps(review(1)),
        json.dumps({"claimReviewed": "No url"}),
        json.dumps(review(2)),
        "{not json",
    ]
    r = upload(client, "\n".join(lines).encode(), "archive.jsonl")
    assert r.status_code == 200
    page = text(r)
    assert "2 imported, 0 updated, 0 unchanged, 2 skipped." in page
    errors = re.findall(r"<li>(Line \d+): ", page)
    assert errors == ["Line 2", "Line 4"]
    assert stored() == {"https://fact.example/1": "Claim 1", "https://fact.example/2": "Claim 2"}
    # the same archive again, one claim changed: updated, not duplicated
    changed = {**review(1), "claimReviewed": "Claim 1, corrected"}
    body = json.dumps([changed, review(2)]).encode()
    page = text(upload(client, body))
    assert "0 imported, 1 updated, 1 unchanged, 0 skipped." in page
    assert stored()["https://fact.example/1"] == "Claim 1, corrected"
    assert len(stored()) == 2


def test_a_file_of_errors_only_is_422_and_escaped(client, login, admin):
    login(admin)
    bad = json.dumps({"claimReviewed": "<script>alert(1)</script>", "url": "javascript:x"})
    r = upload(client, bad.encode() + b"\n")
    assert r.status_code == 422
    assert "0 imported, 0 updated, 0 unchanged, 1 skipped." in text(r)
    assert "<script>alert(1)" not in text(r)
    assert stored() == {}


def test_empty_and_missing_files(client, login, admin):
    login(admin)
    r = upload(client, b"  \n")
    assert r.status_code == 422 and "The file is empty" in text(r)
    r = client.post("/admin/factchecks", data={}, content_type="multipart/form-data")
    assert r.status_code == 422 and "Choose a file." in text(r)


def test_size_limit_from_config(app, client, login, admin):
    app.config["UPLOAD_MAX_BYTES"] = 200
    login(admin)
    body = json.dumps([review(n) for n in range(5)]).encode()
    assert len(body) > 200
    r = upload(client, body)
    assert r.status_code == 413
    assert "This file is larger than" in text(r)
    assert stored() == {}


@pytest.mark.parametrize("roles", [[Role.REVIEWER], [Role.PROJECT_ADMIN], [Role.ANNOTATOR]])
def test_admins_only(client, login, make, roles):
    login(make.user(roles=roles))
    r = upload(client, json.dumps([review(1)]).encode())
    assert r.status_code == 403
    assert stored() == {}


def test_logged_out_goes_to_login(client):
    r = upload(client, json.dumps([review(1)]).encode())
    assert r.status_code == 302 and "/login" in r.headers["Location"]


@pytest.mark.csrf
def test_upload_needs_csrf(client, login, admin):
    login(admin)
    r = upload(client, json.dumps([review(1)]).encode())
    assert r.status_code == 400
    assert stored() == {}
    page = text(client.get("/admin/factchecks"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    r = upload(client, json.dumps([review(1)]).encode(), csrf_token=token)
    assert r.status_code == 200
    assert "1 imported" in text(r)
