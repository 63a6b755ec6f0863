"""GET /api/v1/export.csv, .jsonl and .claimreview.json: the dataset, streamed.

Filters as query parameters: ``status`` (approved by default; ``all``; a comma-separated
list), ``article``, ``verdict``, ``from``, ``to`` (YYYY-MM-DD, date of the last decision),
``anchor`` (``ok`` by default: only claims anchored on the current text; ``all``, or
``relocated``, ``orphaned``).
The CSV is exact text without BOM unless ``spreadsheet_safe=1``.
"""

from __future__ import annotations

from flask import Response, current_app, request, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..services import export
from ..services.errors import BadRequest, NotAllowed
from ..web import may_export
from . import bp

FILTER_PARAMS = {"status", "article", "verdict", "from", "to", "anchor", "project"}
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
    "claimreview": "application/ld+json; charset=utf-8",
}


def export_response(fmt: str, *, spreadsheet_safe: bool, bom: bool, params: set[str]):
    """Check the caller and the query, then stream the export (shared with the page)."""
    if not may_export(current_user):
        raise NotAllowed(_("Only reviewers and administrators can export the dataset."))
    unknown = set(request.args) - params
    if unknown:
        raise BadRequest(
            _("Unknown query parameter: %(names)s.", names=", ".join(sorted(unknown))),
            code="unknown_parameter",
        )
    args = {key: request.args.getlist(key) for key in FILTER_PARAMS if key in request.args}
    args = {key: (values if key == "status" else values[-1]) for key, values in args.items()}
    filters = export.for_user(current_user, export.parse_filters(args), db.session)
    export.check_filters(db.session, filters)
    pairs = export.chunks(
        db.session,
        fmt,
        filters,
        spreadsheet_safe=spreadsheet_safe,
        bom=bom,
        publisher=export.Publisher.from_config(current_app.config),
    )
    # content_type, not mimetype: Werkzeug would append a second charset to a mimetype
    response = Response(stream_with_context(export.texts(pairs)), content_type=MEDIA_TYPES[fmt])
    name = export.filename(fmt, spreadsheet_safe=spreadsheet_safe, filters=filters)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _flag(name: str) -> bool:
    value = request.args.get(name, "0").strip().lower()
    if value not in {"0", "1", "true", "false", "yes", "no", ""}:
        raise BadRequest(_("%(name)s must be 0 or 1.", name=name))
    return value in {"1", "true", "yes"}


@bp.get("/export.csv")
def export_csv():
    safe = _flag("spreadsheet_safe")
    params = FILTER_PARAMS | {"spreadsheet_safe"}
    return export_response("csv", spreadsheet_safe=safe, bom=False, params=params)


@bp.get("/export.jsonl")
def export_jsonl():
    return export_response("jsonl", spreadsheet_safe=False, bom=False, params=FILTER_PARAMS)


@bp.get("/export.claimreview.json")
def export_claimreview():
    return export_response("claimreview", spreadsheet_safe=False, bom=False, params=FILTER_PARAMS)
