"""GET /api/v1/verdicts: the verdict scale."""

from flask_babel import get_locale

from ..extensions import db
from ..services import verdicts
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
    known_args()
    items = [verdict_json(v) for v in verdicts.scale(db.session, include_retired=True)]
    return {"items": items, "total": len(items), "page": 1, "per_page": len(items)}
