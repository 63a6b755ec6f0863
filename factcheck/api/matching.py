"""Claim matching in the JSON API ("Checked before?").

``GET /claims/similar?text=…&limit=10`` (optional ``language``, ``status``),
``GET /annotations/<id>/similar``, ``POST/DELETE /annotations/<id>/same_as``
``{"target": "annotation:<id>" | fact-check URL, "version": N}``,
``GET/POST /factchecks`` (POST: admins; a ClaimReview JSON array, JSON Lines or JSON-LD;
each bad record is reported with its line, the others imported, in committed batches).
"""

from __future__ import annotations

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..idempotency import creates
from ..loaders import annotation_or_404
from ..permissions import Role
from ..services import annotations as annotations_service
from ..services import factchecks, matching
from ..services.errors import BadRequest
from ..services.matching import links
from ..services.workflow import parse_version
from ..web import reads_raw_body, require_role
from . import bp, json_body, known_args, page_answer, page_args
from .shapes import factcheck_json

FILTERS = {"limit", "language", "status"}


def _search(text: str, exclude: int | None = None) -> dict:
    limit = matching.check_limit(request.args.get("limit"))
    return matching.similar(
        db.session,
        current_user,
        text,
        config=current_app.config,
        limit=limit,
        language=(request.args.get("language") or "").strip() or None,
        statuses=matching.check_statuses(request.args.get("status")),
        exclude=exclude,
    )


@bp.get("/claims/similar")
def similar_claims():
    known_args(FILTERS | {"text"})
    return _search(matching.check_text(request.args.get("text")))


@bp.get("/annotations/<int:annotation_id>/similar")
def similar_to_annotation(annotation_id: int):
    known_args(FILTERS)
    annotation = annotation_or_404(db.session, annotation_id, current_user)
    text = matching.check_text(annotation.claim or annotation.quote)
    return _search(text, exclude=annotation.id)


def _same_as(annotation_id: int, act) -> dict:
    """Confirm or remove a match (``act``: links.confirm or links.remove), then answer the
    annotation's matches as they now stand."""
    annotation = annotation_or_404(db.session, annotation_id, current_user)
    data = json_body()
    annotations_service.refuse_unknown(data, {"target", "version"})
    version = parse_version(data.get("version"), text=False)
    act(db.session, annotation, current_user, data.get("target"), version=version)
    db.session.commit()
    annotation = annotation_or_404(db.session, annotation_id, current_user)
    return {
        "id": annotation.id,
        "version": annotation.version,
        "same_as": links.targets(db.session, [annotation.id]).get(annotation.id, []),
    }


@bp.post("/annotations/<int:annotation_id>/same_as")
def confirm_same_as(annotation_id: int):
    return _same_as(annotation_id, links.confirm), 201


@bp.delete("/annotations/<int:annotation_id>/same_as")
def remove_same_as(annotation_id: int):
    return _same_as(annotation_id, links.remove)


@bp.get("/factchecks")
def list_factchecks():
    page, per_page = page_args({"q"})
    rows, total = factchecks.listing(
        db.session, q=request.args.get("q", ""), page=page, per_page=per_page
    )
    return page_answer([factcheck_json(f) for f in rows], total, page, per_page)


@bp.post("/factchecks")
@reads_raw_body  # JSON Lines too: each record is read, and refused, on its own
@require_role(Role.ADMIN)
@creates  # a repeated Idempotency-Key gets the first answer
def import_factchecks():
    """The service commits batch by batch (short write locks); a repeat after a failure
    completes the import (a known url is updated or left alone)."""
    known_args()
    text = request.get_data(as_text=True)
    if not text.strip():
        raise BadRequest(_("Send ClaimReview JSON: an array, JSON Lines or a JSON-LD document."))
    report = factchecks.import_text(db.session, text, "request")
    return report.as_dict()
