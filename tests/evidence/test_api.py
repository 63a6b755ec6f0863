"""The evidence API: sources per project (members only), captures, uploads, raw bytes
only as a download."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Capture, EvidenceSource, Health, Project, Role
from factcheck.services import projects

from .conftest import HTML
from .pdfs import text_pdf


@pytest.fixture
def page(pages):
    return pages.route("/article", HTML)


@pytest.fixture
def outsider(make):
    """A member of another project only."""
    user = make.user(roles=[])
    elsewhere = Project(slug="ailleurs", name="Ailleurs")
    db.session.add(elsewhere)
    db.session.commit()
    projects.set_member_roles(db.session, elsewhere, user, [Role.ANNOTATOR])
    db.session.commit()
    return user


def _new_source(client, url) -> dict:
    response = client.post("/api/v1/sources", json={"url": url})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_posting_a_url_creates_the_source_once_and_captures_it(client, login, annotator, page):
    login(annotator)
    created = _new_source(client, page)
    again = client.post("/api/v1/sources", json={"url": page + "#section"})
    assert again.status_code == 200 and again.get_json()["id"] == created["id"]
    detail = client.get(f"/api/v1/sources/{created['id']}").get_json()
    assert detail["project"] == "default" and detail["title"] == "Le chômage baisse"
    assert detail["publisher"] == "Le Journal" and detail["health"] == "unchecked"
    (kept,) = detail["captures"]
    assert kept["status"] == 200 and kept["sha256"] and "text" not in kept
    assert detail["checks"] == [] and detail["claims"] == []


def test_a_bad_url_is_refused_naming_it(client, login, annotator):
    login(annotator)
    response = client.post("/api/v1/sources", json={"url": "javascript:alert(1)"})
    assert response.status_code == 422 and response.get_json()["error"]["field"] == "url"


def test_a_non_member_sees_no_source_of_the_project(client, login_as, annotator, outsider, page):
    login_as(annotator)
    created = _new_source(client, page)
    capture_id = client.get(f"/api/v1/sources/{created['id']}").get_json()["captures"][0]["id"]
    login_as(outsider)
    assert client.get(f"/api/v1/sources/{created['id']}").status_code == 404
    assert client.get(f"/api/v1/captures/{capture_id}").status_code == 404
    assert client.get(f"/api/v1/captures/{capture_id}/raw").status_code == 404
    assert client.post(f"/api/v1/sources/{created['id']}/captures").status_code == 404
    assert client.get("/api/v1/sources").get_json()["total"] == 0
    refused = client.post("/api/v1/sources", json={"url": page, "project": "default"})
    assert refused.status_code == 404


def test_the_list_filters_by_health_and_words(client, login, annotator, project):
    for url, title, health in (
        ("https://a.example/x", "Rapport de l'Insee", Health.LIVE),
        ("https://b.example/y", "Blog", Health.GONE),
    ):
        db.session.add(
            EvidenceSource(
                project_id=project.id, url=url, url_sha256=url.ljust(64, "0")[:64], title=title,
                health=health,
            )
        )  # fmt: skip
    db.session.commit()
    login(annotator)
    gone = client.get("/api/v1/sources?health=gone").get_json()
    assert [s["url"] for s in gone["items"]] == ["https://b.example/y"]
    insee = client.get("/api/v1/sources?q=insee").get_json()
    assert [s["title"] for s in insee["items"]] == ["Rapport de l'Insee"]
    assert client.get("/api/v1/sources?health=dead").status_code == 422
    assert client.get("/api/v1/sources?colour=red").status_code == 400


def test_capture_now_appends_a_capture(client, login, annotator, page):
    login(annotator)
    created = _new_source(client, page)
    response = client.post(f"/api/v1/sources/{created['id']}/captures")
    assert response.status_code == 202
    detail = client.get(f"/api/v1/sources/{created['id']}").get_json()
    assert len(detail["captures"]) == 2


def test_an_upload_becomes_a_capture_with_its_text(client, login, annotator, page):
    login(annotator)
    created = _new_source(client, page)
    data = {"file": (io.BytesIO(text_pdf(["Rapport confidentiel"])), "rapport.exe")}
    response = client.post(
        f"/api/v1/sources/{created['id']}/captures", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["kind"] == "upload" and body["content_type"] == "application/pdf"
    assert "Rapport confidentiel" in body["text"]


def test_an_upload_of_another_kind_is_refused(client, login, annotator, page):
    login(annotator)
    created = _new_source(client, page)
    data = {"file": (io.BytesIO(b"MZ\x90\x00\x03\x00"), "rapport.pdf")}
    response = client.post(
        f"/api/v1/sources/{created['id']}/captures", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 422 and response.get_json()["error"]["field"] == "file"
    assert db.session.scalar(select(func.count()).select_from(Capture)) == 1


def test_a_capture_gives_its_text_and_its_bytes_only_as_a_download(client, login, annotator, page):
    login(annotator)
    created = _new_source(client, page)
    capture_id = client.get(f"/api/v1/sources/{created['id']}").get_json()["captures"][0]["id"]
    meta = client.get(f"/api/v1/captures/{capture_id}").get_json()
    assert meta["text"].startswith("Le chômage baisse") and meta["content_type"] == "text/html"
    raw = client.get(meta["raw_url"])
    assert raw.status_code == 200 and raw.data == HTML.encode()
    assert raw.headers["Content-Disposition"] == f'attachment; filename="capture-{capture_id}.html"'
    assert raw.headers["X-Content-Type-Options"] == "nosniff"
    assert raw.headers["Content-Security-Policy"].startswith("sandbox")
    assert raw.mimetype == "application/octet-stream"


def test_a_failed_attempt_has_no_bytes_to_download(client, login, annotator, pages):
    login(annotator)
    created = _new_source(client, pages.url("/missing"))
    (attempt,) = client.get(f"/api/v1/sources/{created['id']}").get_json()["captures"]
    assert attempt["error"] == "The page answered 404 (not found)." and attempt["raw_url"] is None
    assert client.get(f"/api/v1/captures/{attempt['id']}/raw").status_code == 404


def test_the_source_lists_the_claims_citing_it_with_their_stance(
    client, login, annotator, make, page
):
    login(annotator)
    article = make.article(text="Le chômage a baissé, dit-il.")
    claim = {
        "start": 0, "end": 19, "quote": "Le chômage a baissé", "claim": "Le chômage a baissé.",
        "sources": [{"url": page, "stance": "supports"}],
    }  # fmt: skip
    created = client.post(f"/api/v1/articles/{article.id}/annotations", json=claim).get_json()
    source_id = created["sources"][0]["source_id"]
    detail = client.get(f"/api/v1/sources/{source_id}").get_json()
    (citing,) = detail["claims"]
    assert citing["annotation_id"] == created["id"] and citing["stance"] == "supports"


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.PROJECT_ADMIN])
def test_reviewers_and_project_admins_add_evidence_too(client, login, make, page, role):
    member = make.user(roles=[])
    project = projects.default_project(db.session)
    projects.set_member_roles(db.session, project, member, [role])
    db.session.commit()
    login(member)
    assert client.post("/api/v1/sources", json={"url": page}).status_code == 201


def test_an_archived_project_takes_no_new_source(client, login, annotator, page, project):
    project.archived = True
    db.session.commit()
    login(annotator)
    assert client.post("/api/v1/sources", json={"url": page}).status_code == 409
