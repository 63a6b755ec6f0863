"""The export page: filters, row count, preview, and the downloads."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..api.export import FILTER_PARAMS, export_response
from ..extensions import db
from ..permissions import can_export_drafts
from ..projects.current import current_project
from ..services import articles, export, verdicts
from ..services.errors import DomainError
from ..web import login_required, may_export
from . import bp

#: the key columns shown in the preview table
PREVIEW_COLUMNS = ("annotation_id", "status", "article_title", "quote", "claim", "verdict_label")


@bp.get("/")
@login_required
def index():
    if not may_export(current_user):
        abort(403)
    args = {key: request.args.get(key, "").strip() for key in FILTER_PARAMS}
    project = current_project()
    if not args["project"] and project is not None:
        args["project"] = project.slug
    error = None
    try:
        filters = export.for_user(current_user, export.parse_filters(args), db.session)
        export.check_filters(db.session, filters)
        total = export.count(db.session, filters)
        rows = export.preview(db.session, filters, limit=10)
        left_out = export.left_out(db.session, filters)
        unanchored = export.left_out_by_anchor(db.session, filters)
    except DomainError as problem:
        error, total, rows, left_out, unanchored = problem.message, 0, [], 0, 0
    query = {key: value for key, value in args.items() if value}
    return render_template(
        "export/index.html",
        args=args,
        query=query,
        error=error,
        total=total,
        left_out=left_out,
        unanchored=unanchored,
        rows=rows,
        columns=PREVIEW_COLUMNS,
        scale=verdicts.scale(db.session, project, include_retired=True) if project else [],
        project=project,
        may_export_drafts=project is not None and can_export_drafts(current_user, project.id),
        article_choices=articles.with_claims(
            db.session, current_user, project.id if project else None
        ),
    )


@bp.get("/download.<fmt>")
@login_required
def download(fmt: str):
    """Spreadsheet-safe CSV with a BOM by default (for Excel); ``mode=exact`` for scripts."""
    if not may_export(current_user):
        abort(403)
    found = export.by_suffix(fmt)
    if found is None:
        abort(404)
    mode = request.args.get("mode", "safe")
    if mode not in ("safe", "exact"):
        abort(400, _("mode must be safe or exact."))
    safe = found.spreadsheet_mode and mode == "safe"
    return export_response(found, spreadsheet_safe=safe, bom=safe, params=FILTER_PARAMS | {"mode"})
