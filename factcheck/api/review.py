"""Review routes of the JSON API.

``GET /api/v1/review/next`` answers 200 with ``{"item": {...}, "reserved_until": "…Z"}``,
or 200 with ``{"item": null}`` when nothing is free (a JSON body either way, so that
scripts need no special case). ``?skip=1,2`` leaves those ids out (the caller's skips).
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from ..database import write_intent
from ..extensions import db
from ..loaders import in_review_or_404
from ..models import Annotation, Role
from ..services import projects, queue, review
from ..services.errors import Conflict, Invalid
from ..services.workflow import parse_version
from ..times import iso
from ..web import require_role
from . import bp, id_list, json_body, known_args
from .shapes import annotation_json


def _visible(annotation_id: int) -> Annotation:
    """The annotation if the caller may review it or see why not (``in_review_or_404``)."""
    return in_review_or_404(db.session, annotation_id, current_user)


def _comment(data: dict, name: str) -> str:
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Invalid(_("%(name)s must be text.", name=name), field=name)
    return value


def _with_current(error: Conflict, annotation: Annotation) -> Conflict:
    """Give the 409 the whole current state, so the client can show what happened."""
    error.details["current"] = annotation_json(annotation, include_history=False)
    return error


@bp.post("/annotations/<int:annotation_id>/review")
def review_annotation(annotation_id: int):
    annotation = _visible(annotation_id)
    data = json_body()
    decision = data.get("decision")
    if decision not in ("approve", "reject"):
        raise Invalid(_("The decision must be “approve” or “reject”."), field="decision")
    comment = _comment(data, "comment")
    version = parse_version(data.get("version"), text=False, required=True)
    try:
        review.decide(
            db.session, annotation, current_user, decision, version=version, comment=comment
        )
    except Conflict as error:
        raise _with_current(error, annotation) from None
    db.session.commit()
    return annotation_json(annotation)


@bp.post("/annotations/<int:annotation_id>/reopen")
def reopen_annotation(annotation_id: int):
    annotation = _visible(annotation_id)
    data = json_body()
    reason = _comment(data, "reason")
    version = parse_version(data.get("version"), text=False, required=True)
    try:
        review.reopen(db.session, annotation, current_user, version=version, reason=reason)
    except Conflict as error:
        raise _with_current(error, annotation) from None
    db.session.commit()
    return annotation_json(annotation)


@bp.get("/review/next")
@require_role(Role.REVIEWER)
def review_next():
    known_args({"skip", "project"})
    skip = id_list("skip")
    project = projects.optional(db.session, request.args.get("project"), current_user)
    if project is not None:
        projects.require_role(project, current_user, Role.REVIEWER)
    # This GET writes (the reservation): end the read transaction that loaded the user
    # and let the next one take SQLite's write lock up front, as POST requests do.
    db.session.commit()
    write_intent.set(True)
    annotation = queue.next_item(db.session, current_user, skip=skip, project=project)
    db.session.commit()
    if annotation is None:
        return {"item": None}
    return {"item": annotation_json(annotation), "reserved_until": iso(annotation.reserved_until)}
