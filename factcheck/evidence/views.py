"""Evidence pages: read by the members of the source's project only (else 404)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import undefer

from ..extensions import db
from ..jsonsafe import parse_whole
from ..loaders import annotation_or_404
from ..models import Annotation, Capture
from ..models.base import MAX_ID
from ..permissions import can_edit
from ..projects.current import current_project
from ..services.errors import DomainError, NotFound
from ..services.evidence import attention, reading, sources
from ..web import login_required
from . import bp


@bp.get("/sources/<int:source_id>")
@login_required
def source(source_id: int):
    found = sources.get(db.session, source_id, current_user)
    return render_template(
        "evidence/source.html",
        source=found,
        captures=list(reversed(found.captures)),
        checks=list(reversed(found.checks)),
        claims=sources.citing_claims(db.session, found, current_user),
    )


@bp.get("/sources/<int:source_id>/read")
@login_required
def read_source(source_id: int):
    """The newest readable capture of the source, for the claim ``?claim=`` to quote."""
    found = sources.get(db.session, source_id, current_user)
    latest = reading.latest_readable(db.session, found.id)
    if latest is None:
        flash(_("This source has no capture with text yet."), "info")
        return redirect(url_for(".source", source_id=found.id))
    return redirect(url_for(".capture", capture_id=latest, claim=request.args.get("claim")))


def _claim_to_edit(raw: str | None) -> Annotation | None:
    """``?claim=``: the claim the user may add excerpts to, else None (never an error)."""
    number = parse_whole(raw or "")
    if number is None or number > MAX_ID:
        return None
    try:
        annotation = annotation_or_404(db.session, number, current_user)
    except NotFound:
        return None
    return annotation if can_edit(current_user, annotation) else None


@bp.get("/captures/<int:capture_id>")
@login_required
def capture(capture_id: int):
    row = reading.capture_or_404(db.session, capture_id, current_user, undefer(Capture.text))
    mark = reading.mark_arg(request.args, len(row.text))
    return render_template(
        "evidence/capture.html",
        capture=row,
        source=row.source,
        paragraphs=reading.paragraphs(row.text, mark),
        claim=_claim_to_edit(request.args.get("claim")),
    )


@bp.post("/captures/<int:capture_id>/excerpts")
@login_required
def add_excerpt(capture_id: int):
    """ "Add excerpt to claim N": the passage joins the claim's citation of this source."""
    row = reading.capture_or_404(db.session, capture_id, current_user, undefer(Capture.text))
    number = parse_whole(request.form.get("annotation_id", "")) or 0
    annotation = annotation_or_404(db.session, min(number, MAX_ID), current_user)
    try:
        reading.add_excerpt(db.session, annotation, current_user, row, request.form)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".capture", capture_id=row.id, claim=annotation.id))
    flash(_("Excerpt added to the claim."), "success")
    return redirect(
        url_for("annotate.page", article_id=annotation.article_id, annotation=annotation.id)
        + f"#annotation-{annotation.id}"
    )


@bp.get("/sources/attention")
@login_required
def attention_list():
    project = current_project()
    items = attention.sources_needing_attention(db.session, project.id) if project else []
    return render_template("evidence/attention.html", project=project, items=items)


@bp.app_template_global()
def sources_attention_count() -> int:
    """For the home page's card: how many sources of the current project need a look."""
    project = current_project() if current_user.is_authenticated else None
    return attention.count(db.session, project.id) if project else 0


@bp.app_template_global()
def cited_records(annotation: Annotation) -> dict:
    """The project's records of the sources ``annotation`` cites, by id (their health and
    date, told beside each citation)."""
    ids = {citation.source_id for citation in annotation.sources if citation.source_id}
    return attention.records(db.session, ids)


@bp.app_template_test("published_after")
def published_after(source, claimed_at) -> bool:
    return attention.published_after(source, claimed_at)
