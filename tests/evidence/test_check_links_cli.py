"""`factcheck check-links`: the link check run now from a terminal, with a cron-friendly
exit status."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Health, SourceCheck, Status, utcnow

from .test_capture import _source


@pytest.fixture
def approved_citing(make, project):
    """An approved claim citing ``url``: its source (as in test_capture.py)."""

    def _make(url: str, status: Status = Status.APPROVED):
        source = _source(project, url)
        claim = make.annotation(status=status)
        claim.sources[0].source_id = source.id
        db.session.commit()
        return source

    return _make


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["check-links", *args], catch_exceptions=False)


def test_due_sources_are_checked_and_each_result_is_said(app, app_ctx, pages, approved_citing):
    live = approved_citing(pages.route("/live", "Toujours là.", content_type="text/plain"))
    gone = approved_citing(pages.route("/gone", "non", status=404))
    fresh = approved_citing(pages.route("/fresh", "x", content_type="text/plain"))
    fresh.health_checked_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    result = _run(app)
    assert result.exit_code == 1, result.output  # a source is gone: cron can tell
    assert f"source {live.id}: live, HTTP 200" in result.output
    assert f"source {gone.id}: gone, HTTP 404" in result.output
    assert f"source {fresh.id}" not in result.output  # not due
    assert "Checked 2 sources: 1 gone, 1 live." in result.output
    db.session.expire_all()
    assert live.health is Health.LIVE and gone.health is Health.GONE


def test_all_takes_the_sources_not_due_and_exits_0_when_all_live(
    app, app_ctx, pages, approved_citing
):
    fresh = approved_citing(pages.route("/fresh", "x", content_type="text/plain"))
    fresh.health_checked_at = utcnow() - timedelta(hours=1)
    draft_only = approved_citing(pages.route("/d", "y", content_type="text/plain"), Status.DRAFT)
    db.session.commit()
    assert "No source to check." in _run(app).output
    result = _run(app, "--all")
    assert result.exit_code == 0, result.output
    assert f"source {fresh.id}: live" in result.output
    assert f"source {draft_only.id}" not in result.output  # no approved claim cites it
    result = _run(app, "--source", str(draft_only.id))
    assert result.exit_code == 0 and f"source {draft_only.id}: live" in result.output
    assert db.session.scalar(select(func.count()).select_from(SourceCheck)) == 2


def test_an_unknown_source_is_named_and_nothing_is_checked(app, app_ctx, pages, approved_citing):
    known = approved_citing(pages.route("/k", "x", content_type="text/plain"))
    result = app.test_cli_runner().invoke(
        args=["check-links", "--source", str(known.id), "--source", "999999"]
    )
    assert result.exit_code == 2
    assert "no source has the id 999999" in result.output
    assert pages.requests == []
