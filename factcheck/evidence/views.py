"""Evidence pages: read by the members of the source's project only (else 404)."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import undefer

from ..extensions import db
from ..models import Capture, EvidenceSource, Health
from ..projects.current import current_project
from ..services.evidence import reading, sources
from ..web import login_required
from . import bp

#: what the attention list shows: the page changed, vanished or refuses us
ATTENTION = (Health.CHANGED, Health.GONE, Health.BLOCKED)


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
        marked=mark is not None,
    )


@bp.get("/sources/attention")
@login_required
def attention():
    project = current_project()
    items = []
    if project is not None:
        items = db.session.scalars(
            select(EvidenceSource)
            .where(EvidenceSource.project_id == project.id, EvidenceSource.health.in_(ATTENTION))
            .order_by(EvidenceSource.health_since.desc(), EvidenceSource.id.desc())
            .limit(500)
        ).all()
    return render_template("evidence/attention.html", project=project, items=items)
