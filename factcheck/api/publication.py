"""Publishing an approved claim's verdict in the JSON API (DESIGN.md, "The desk's memory").

``POST /api/v1/annotations/<id>/publish`` ``{"published_url", "published_at" (optional, ISO
8601; default now), "version"}`` by a reviewer or admin of the claim's project answers the
annotation; ``DELETE`` with ``{"version"}`` takes the publication away. Not approved, a
stale version, an archived project: 409; a bad address or moment: 422 naming the field.
"""

from __future__ import annotations

from flask_login import current_user

from ..extensions import db
from ..loaders import in_review_or_404
from ..services import publication
from ..services.errors import Conflict
from ..services.workflow import parse_version
from . import bp, json_body
from .shapes import annotation_json


def _with_current(error: Conflict, annotation) -> Conflict:
    """The 409 carries the claim as it is now, as the review routes' do."""
    error.details["current"] = annotation_json(annotation, include_history=False)
    return error


@bp.post("/annotations/<int:annotation_id>/publish")
def publish_annotation(annotation_id: int):
    annotation = in_review_or_404(db.session, annotation_id, current_user)
    data = json_body()
    version = parse_version(data.get("version"), text=False, required=True)
    try:
        publication.publish(
            db.session,
            annotation,
            current_user,
            data.get("published_url"),
            data.get("published_at"),
            version=version,
        )
    except Conflict as error:
        raise _with_current(error, annotation) from None
    db.session.commit()
    return annotation_json(annotation)


@bp.delete("/annotations/<int:annotation_id>/publish")
def unpublish_annotation(annotation_id: int):
    annotation = in_review_or_404(db.session, annotation_id, current_user)
    data = json_body()
    version = parse_version(data.get("version"), text=False, required=True)
    try:
        publication.unpublish(db.session, annotation, current_user, version=version)
    except Conflict as error:
        raise _with_current(error, annotation) from None
    db.session.commit()
    return annotation_json(annotation)
