"""GET /api/v1/verdicts: the verdict scale."""

from flask import request
from flask_babel import get_locale
from flask_login import current_user

from ..extensions import db
from ..services import projects, verdicts
from . import bp, known_args


def verdict_json(verdict) -> dict:
    return {
        "key": verdict.key,
        "label": verdict.label_for(str(get_locale() or "en")),
        "rating": verdict.rating,
        "colour": verdict.colour,
        "shortcut": verdict.shortcut,
        "position": verdict.position,
        "retired": verdict.retired,
    }


@bp.get("/verdicts")
def list_verdicts():
    """The scale of ``project=SLUG`` (default: the default project)."""
    known_args({"project"})
    project = projects.resolve(db.session, request.args.get("project"), current_user)
    scale = verdicts.scale(db.session, project, include_retired=True)
    items = [verdict_json(v) for v in scale]
    return {"items": items, "total": len(items), "page": 1, "per_page": len(items)}
