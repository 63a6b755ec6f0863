"""The demo shows evidence at once: captured pages shipped with it (no network), cited by
demo claims with stances and excerpts that match the captures' text."""

from __future__ import annotations

from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Annotation, Capture, EvidenceSource, Source
from factcheck.services.evidence.sources import captures_on


def test_the_demo_cites_captured_pages_with_stances_and_excerpts(app, app_ctx):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["demo"]).exit_code == 0  # idempotent
    assert db.session.scalar(select(func.count()).select_from(Capture)) == 3
    cited = db.session.scalars(select(Source).where(Source.stance.is_not(None))).all()
    assert sorted(c.stance.value for c in cited) == ["refutes", "refutes", "supports"]
    for citation in cited:
        (excerpt,) = citation.excerpt_rows
        assert excerpt.capture.text[excerpt.start : excerpt.end] == excerpt.quote
        assert excerpt.capture.sha256 and excerpt.capture.source_id == citation.source_id
    approved = db.session.scalar(select(Annotation).join(Source).where(Source.stance == "supports"))
    assert approved.status.value == "approved"
    titled = db.session.scalars(select(EvidenceSource.title).where(EvidenceSource.title != ""))
    assert "L'éolien en mer en Europe : bilan annuel" in set(titled)
    assert not captures_on()  # the tests fetch nothing


def test_the_demo_queues_no_fetch_of_its_made_up_addresses(app, app_ctx, monkeypatch):
    # seen with make run: the demo's example.org sources were queued, fetched, and showed
    # "The name example.org does not resolve" beside the captures shipped with the demo
    from factcheck import tasks

    queued = []
    monkeypatch.setattr(tasks, "after_commit", lambda _s, name, *args: queued.append(name))
    app.config["CAPTURE_ON_CITE"] = True
    app.config["SUGGEST_ON_IMPORT"] = True  # as with make run
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    assert not {"capture_source", "check_source"} & set(queued), queued
    # the demo's articles get their suggestions from the worker, as any import
    assert "compute_suggestions_many" in queued
