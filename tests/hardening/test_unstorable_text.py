"""NUL characters and unpaired surrogates: refused with 422 naming the field, on every
writer and every reader, never a 500 (PostgreSQL refuses NUL in text; no database can
encode a lone surrogate as UTF-8)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Annotation, Article, User, Verdict
from factcheck.services import importing
from factcheck.services.errors import Invalid

BAD = {"nul": "a\x00b", "surrogate": "a\ud800b"}


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("bad", sorted(BAD))
@pytest.mark.parametrize("field", ["claim", "claimant", "rationale", "verdict", "quote"])
def test_annotation_create_refuses_with_the_field_named(client, login, world, bad, field):
    login(world.annotator)
    body = {"start": 0, "end": 13, "quote": world.draft.quote, field: BAD[bad]}
    before = _count(Annotation)
    response = client.post(f"/api/v1/articles/{world.article.id}/annotations", json=body)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == field
    assert _count(Annotation) == before


@pytest.mark.parametrize("bad", sorted(BAD))
def test_annotation_patch_and_source_note_refused(client, login, world, bad):
    login(world.annotator)
    url = f"/api/v1/annotations/{world.draft.id}"
    body = {"version": 1, "sources": [{"url": "https://example.org", "note": BAD[bad]}]}
    response = client.patch(url, json=body)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "note"
    assert client.get(url).get_json()["version"] == 1


@pytest.mark.parametrize("bad", sorted(BAD))
@pytest.mark.parametrize("field", ["title", "text", "url", "external_id", "language"])
def test_article_import_and_patch_refuse(client, login, world, bad, field):
    login(world.admin)
    record = {"title": "T", "text": "Some text.", field: BAD[bad]}
    before = _count(Article)
    response = client.post("/api/v1/articles", json=record)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == field
    if field != "text":
        response = client.patch(
            f"/api/v1/articles/{world.spare_article.id}", json={field: BAD[bad]}
        )
        assert response.status_code == 422
    assert _count(Article) == before


@pytest.mark.parametrize("param", ["q", "language", "sort"])
def test_searching_for_a_nul_is_a_clear_error(client, login, world, param):
    login(world.annotator)
    response = client.get("/api/v1/articles", query_string={param: "x\x00"})
    assert response.status_code == 422
    assert response.get_json()["error"] == {
        "code": "invalid_character",
        "field": param,
        "message": response.get_json()["error"]["message"],
    }
    assert client.get("/articles/", query_string={param: "x\x00"}).status_code in (302, 422)


def test_html_forms_refuse_nul(client, login, world):
    login(world.admin)
    before = (_count(User), _count(Verdict))
    client.post(
        "/admin/users", data={"username": "x", "display_name": "a\x00", "password": "p" * 12}
    )
    client.post("/admin/verdicts", data={"key": "k", "label": "a\x00", "colour": "#123456"})
    client.post("/profile", data={"prefs-display_name": "a\x00", "prefs-submit": "1"})
    assert (_count(User), _count(Verdict)) == before
    db.session.expire_all()
    assert "\x00" not in db.session.get(User, world.admin.id).display_name
    fresh = client.application.test_client()
    assert fresh.post("/login", data={"username": "a\x00", "password": "x"}).status_code in (
        302,
        422,
    )


def test_import_file_with_nul_reports_the_record_and_keeps_the_others(app_ctx, world):
    records = [{"title": "Good", "text": "Fine text."}, {"title": "Bad", "text": "x\x00y"}]
    report = importing.import_records(db.session, records, world.admin)
    db.session.commit()
    assert report.imported == 1
    assert report.errors[0].line == 2
    assert report.errors[0].message.startswith("text contains a character")


def test_the_flush_guard_catches_any_other_writer(app_ctx, world):
    world.other.display_name = "a\x00b"
    with pytest.raises(Invalid) as caught:
        db.session.flush()
    assert caught.value.field == "display_name"
    db.session.rollback()
