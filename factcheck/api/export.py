"""GET /api/v1/export.SUFFIX (csv, jsonl, claimreview.json; see services/export/registry.py):
the dataset, streamed.

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
from ..services.errors import NotAllowed
from ..web import may_export
from . import bp, flag, known_args

FILTER_PARAMS = {"status", "article", "verdict", "from", "to", "anchor", "project"}


def export_response(fmt: export.Format, *, spreadsheet_safe: bool, bom: bool, params: set[str]):
    """Check the caller and the query, then stream the export (shared with the page)."""
    if not may_export(current_user):
        raise NotAllowed(_("Only reviewers and administrators can export the dataset."))
    known_args(params)
    args = {key: request.args.getlist(key) for key in FILTER_PARAMS if key in request.args}
    args = {key: (values if key == "status" else values[-1]) for key, values in args.items()}
    filters = export.for_user(current_user, export.parse_filters(args), db.session)
    export.check_filters(db.session, filters)
    pairs = export.chunks(
        db.session,
        fmt.name,
        filters,
        spreadsheet_safe=spreadsheet_safe,
        bom=bom,
        publisher=export.Publisher.from_config(current_app.config),
    )
    # content_type, not mimetype: Werkzeug would append a second charset to a mimetype
    response = Response(stream_with_context(export.texts(pairs)), content_type=fmt.media_type)
    name = export.filename(
        fmt.name,
        spreadsheet_safe=spreadsheet_safe,
        filters=filters,
        project=export.project_label(db.session, filters),
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _view(fmt: export.Format):
    """``GET /export.SUFFIX``; a format with a spreadsheet mode takes ``spreadsheet_safe``."""

    def view():
        if not fmt.spreadsheet_mode:
            return export_response(fmt, spreadsheet_safe=False, bom=False, params=FILTER_PARAMS)
        safe = flag("spreadsheet_safe")
        params = FILTER_PARAMS | {"spreadsheet_safe"}
        return export_response(fmt, spreadsheet_safe=safe, bom=False, params=params)

    view.__name__ = view.__qualname__ = f"export_{fmt.name}"
    view.__doc__ = f"The export as {fmt.name} ({fmt.summary})."
    return view


# one route per format: api.export_csv at /api/v1/export.csv, and so on
for _format in export.FORMATS.values():
    bp.add_url_rule(f"/export.{_format.suffix}", view_func=_view(_format), methods=["GET"])
