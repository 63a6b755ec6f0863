"""``POST /api/v1/annotations/<id>/second-verdict`` ``{"verdict": "…", "version": n}``: the
reviewer's own verdict in a blind project (services/second_verdict.py). Answers the claim
as the reviewer may now see it, the annotator's verdict and rationale included."""

from __future__ import annotations

from flask_login import current_user

from ..extensions import db
from ..services import second_verdict
from ..services.versions import parse_version
from . import bp, json_body, text_field
from .review import _visible
from .shapes import annotation_json


@bp.post("/annotations/<int:annotation_id>/second-verdict")
def commit_second_verdict(annotation_id: int):
    annotation = _visible(annotation_id)
    data = json_body()
    version = parse_version(data.get("version"), text=False)
    verdict = text_field(data, "verdict")
    second_verdict.commit(db.session, annotation, current_user, verdict, version=version)
    db.session.commit()
    return annotation_json(annotation)
