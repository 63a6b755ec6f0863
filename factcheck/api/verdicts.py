"""GET /api/v1/verdicts: the verdict scale."""

from flask import request
from flask_login import current_user

from ..extensions import db
from ..services import projects, verdicts
from . import bp, known_args
from .shapes import verdict_json


@bp.get("/verdicts")
def list_verdicts():
    """The scale of ``project=SLUG`` (default: the default project)."""
    known_args({"project"})
    project = projects.resolve(db.session, request.args.get("project"), current_user)
    scale = verdicts.scale(db.session, project, include_retired=True)
    items = [verdict_json(v) for v in scale]
    return {"items": items, "total": len(items), "page": 1, "per_page": len(items)}
