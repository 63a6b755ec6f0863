"""Captures: the task appends one per attempt (a failure keeps its reason, no bytes),
uploads are judged by their content, and the link check flags changed and gone pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from factcheck import tasks
from factcheck.extensions import db
from factcheck.models import (
    Capture,
    CaptureKind,
    EvidenceSource,
    Health,
    Medium,
    SourceCheck,
    Status,
    utcnow,
)
from factcheck.services.errors import Invalid, TooLarge
from factcheck.services.evidence import capture, health, sources

from .conftest import HTML, drip
from .pdfs import text_pdf


def _source(project, url) -> EvidenceSource:
    source, _ = sources.find_or_create(db.session, project.id, url)
    db.session.commit()
    return source


def _run(name, *args):
    db.session.commit()
    tasks.enqueue(name, *args)  # immediate in tests: runs here, in its own session
    db.session.commit()  # a new transaction sees what the task wrote


def _captures(source) -> list[Capture]:
    return list(
        db.session.scalars(
            select(Capture).where(Capture.source_id == source.id).order_by(Capture.id)
        )
    )


def test_a_capture_keeps_bytes_text_and_what_the_page_says(app_ctx, pages, project):
    pages.route("/moved", status=301, headers={"Location": "/article"})
    final = pages.route("/article", HTML)
    source = _source(project, pages.url("/moved"))
    _run("capture_source", source.id)
    (kept,) = _captures(source)
    assert kept.kind is CaptureKind.FETCH and kept.status == 200 and not kept.error
    assert (
        kept.content == HTML.encode() and len(kept.sha256) == 64 and kept.size == len(HTML.encode())
    )
    assert kept.content_type == "text/html" and kept.url == final
    assert kept.text.startswith("Le chômage baisse") and "Accueil" not in kept.text
    assert (source.final_url, source.title, source.publisher) == (
        final, "Le chômage baisse", "Le Journal"
    )  # fmt: skip
    assert source.published_at.year == 2024


@pytest.mark.parametrize(
    ("route", "words"),
    [
        ({"status": 404}, "The page answered 404 (not found)."),
        ({"status": 200, "content_type": "application/zip"}, "which factcheck does not keep"),
    ],
)
def test_a_failed_attempt_is_a_capture_with_its_reason(app_ctx, pages, project, route, words):
    url = pages.route("/x", "data", **route)
    source = _source(project, url)
    _run("capture_source", source.id)
    (attempt,) = _captures(source)
    assert words in attempt.error
    assert attempt.content is None and attempt.sha256 is None and attempt.text == ""
    assert source.title == "" and source.final_url is None  # nothing learnt


def test_an_address_outside_the_allowed_networks_is_refused_and_said(app, pages, project):
    app.config["FETCH_ALLOWED_NETWORKS"] = ""
    source = _source(project, pages.route("/a", HTML))
    _run("capture_source", source.id)
    (attempt,) = _captures(source)
    assert "loopback" in attempt.error and pages.requests == []


def test_a_capture_task_for_a_source_gone_does_nothing(app_ctx, project):
    assert capture.capture_source(db.session, 987_654) is None


def test_a_pdf_source_becomes_a_pdf_medium(app_ctx, pages, project):
    url = pages.route("/rapport", text_pdf(["Rapport 2024"]), content_type="application/pdf")
    source = _source(project, url)
    _run("capture_source", source.id)
    (kept,) = _captures(source)
    assert "Rapport 2024" in kept.text and source.medium is Medium.PDF


# --- uploads ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "media"),
    [
        (text_pdf(["Rapport"]), "application/pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 20, "image/jpeg"),
        (b"<!DOCTYPE html><html><body><p>Sauvegarde</p></body></html>", "text/html"),
        ("Texte brut, accentué.".encode(), "text/plain"),
    ],
)
def test_an_upload_is_judged_by_its_content(app_ctx, project, data, media):
    source = _source(project, "https://paywall.example/article")
    kept = capture.upload(db.session, source, data)
    db.session.commit()
    assert kept.kind is CaptureKind.UPLOAD and kept.content_type == media
    assert kept.content == data and kept.url == source.url
    if media.startswith("image/"):
        assert kept.text == "" and "image has no text" in kept.note


@pytest.mark.parametrize(
    "data",
    [b"MZ\x90\x00\x03\x00\x00\x00", b"PK\x03\x04zip", b"\xff\xfe\x00\x00binary\x00", b""],
)
def test_an_upload_of_another_kind_is_refused(app_ctx, project, data):
    source = _source(project, "https://paywall.example/article")
    with pytest.raises(Invalid) as error:
        capture.upload(db.session, source, data)
    assert error.value.field == "file"


def test_an_upload_over_the_cap_is_refused(app, app_ctx, project):
    app.config["UPLOAD_MAX_BYTES"] = 1000
    source = _source(project, "https://paywall.example/article")
    with pytest.raises(TooLarge):
        capture.upload(db.session, source, b"%PDF-" + b"0" * 2000)


# --- link health ----------------------------------------------------------------------------


@pytest.fixture
def approved_citing(make, project):
    """An approved claim citing ``url``: its source."""

    def _make(url: str, status: Status = Status.APPROVED) -> EvidenceSource:
        source = _source(project, url)
        claim = make.annotation(status=status)
        claim.sources[0].source_id = source.id
        db.session.commit()
        return source

    return _make


def _check_now():
    _run("check_links")


def test_link_check_flags_live_changed_and_keeps_the_old_capture(app_ctx, pages, approved_citing):
    url = pages.route("/p", "Version une.", content_type="text/plain")
    source = approved_citing(url)
    _check_now()
    assert source.health is Health.LIVE and len(_captures(source)) == 1
    source.health_checked_at = utcnow() - timedelta(days=2)
    db.session.commit()
    _check_now()  # same text: live, no new capture
    assert source.health is Health.LIVE and len(_captures(source)) == 1
    pages.route("/p", "Version deux, corrigée.", content_type="text/plain")
    source.health_checked_at = utcnow() - timedelta(days=2)
    db.session.commit()
    _check_now()
    first, second = _captures(source)
    assert source.health is Health.CHANGED and source.health_since is not None
    assert (first.text, second.text) == ("Version une.", "Version deux, corrigée.")
    checks = db.session.scalars(select(SourceCheck).where(SourceCheck.source_id == source.id))
    assert [c.health for c in checks] == [Health.LIVE, Health.LIVE, Health.CHANGED]


@pytest.mark.parametrize(
    ("status", "expected"),
    [(404, Health.GONE), (410, Health.GONE), (403, Health.BLOCKED), (429, Health.BLOCKED)],
)
def test_link_check_flags_gone_and_blocked_pages(app_ctx, pages, approved_citing, status, expected):
    source = approved_citing(pages.route("/p", "non", status=status))
    _check_now()
    assert source.health is expected
    (check,) = db.session.scalars(select(SourceCheck).where(SourceCheck.source_id == source.id))
    assert check.status == status and f"answered {status}" in check.error


def test_a_timeout_is_recorded_but_leaves_the_health(app, app_ctx, pages, approved_citing):
    app.config["FETCH_TIMEOUT"] = 0.5
    source = approved_citing(pages.route("/slow", handler=lambda r: drip(r, every=0.1)))
    source.health = Health.LIVE
    db.session.commit()
    _check_now()
    assert source.health is Health.LIVE and source.health_checked_at is not None
    (check,) = db.session.scalars(select(SourceCheck).where(SourceCheck.source_id == source.id))
    assert "longer than" in check.error


def test_only_sources_of_approved_claims_not_checked_lately_are_checked(
    app_ctx, pages, approved_citing
):
    draft_only = approved_citing(pages.route("/d", "x", content_type="text/plain"), Status.DRAFT)
    fresh = approved_citing(pages.route("/f", "y", content_type="text/plain"))
    fresh.health_checked_at = utcnow() - timedelta(hours=1)
    due = approved_citing(pages.route("/due", "z", content_type="text/plain"))
    db.session.commit()
    assert health.due(db.session) == [due.id]
    _check_now()
    assert [p for p, _h in pages.requests] == ["/due"]
    assert draft_only.health is Health.UNCHECKED and fresh.health is Health.UNCHECKED
    assert db.session.scalar(select(func.count()).select_from(SourceCheck)) == 1


def test_a_project_without_claims_is_deleted_with_its_sources_and_captures(app_ctx, pages):
    from factcheck.models import Project
    from factcheck.services import projects

    doomed = projects.create_project(db.session, name="Éphémère", slug="ephemere")
    db.session.commit()
    source = _source(doomed, pages.route("/p", "Texte.", content_type="text/plain"))
    _run("capture_source", source.id)
    assert len(_captures(source)) == 1
    projects.delete_project(db.session, db.session.get(Project, doomed.id))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(EvidenceSource)) == 0
    assert db.session.scalar(select(func.count()).select_from(Capture)) == 0
