"""Admin: the past fact-checks (ClaimReview archives), listed, searched and imported.

An admin uploads an archive on the page (a JSON array, JSON Lines or a JSON-LD document,
at most UPLOAD_MAX_BYTES); the page then shows the importer's report: how many were
imported, updated, left unchanged and skipped, and each skipped record with its line.
The same importer serves `factcheck import-claimreview FILE...` and `POST
/api/v1/factchecks` (services/factchecks.py)."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from ..extensions import db
from ..models import Role
from ..services import factchecks as service
from ..web import number_arg, require_role
from . import bp

PER_PAGE = 50


class UploadForm(FlaskForm):
    file = FileField(_l("ClaimReview file"), validators=[FileRequired(_l("Choose a file."))])


def _page(form: UploadForm, report: service.Report | None = None, problem: str | None = None):
    q = request.args.get("q", "")[:200]
    page = number_arg("page", most=100_000)
    items, total = service.listing(db.session, q=q, page=page, per_page=PER_PAGE)
    cap = int(current_app.config["UPLOAD_MAX_BYTES"])
    return render_template(
        "admin/factchecks.html",
        items=items,
        total=total,
        q=q,
        page=page,
        per_page=PER_PAGE,
        form=form,
        report=report,
        problem=problem,
        max_mb=round(cap / (1024 * 1024), 1),
    )


@bp.get("/factchecks")
@require_role(Role.ADMIN)
def factchecks():
    return _page(UploadForm(formdata=None))


@bp.post("/factchecks")
@require_role(Role.ADMIN)
def factchecks_import():
    """Import one uploaded archive (CSRFProtect checks every POST); the report on the page."""
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(form), 422
    cap = int(current_app.config["UPLOAD_MAX_BYTES"])
    upload = form.file.data
    data = upload.stream.read(cap + 1)
    if len(data) > cap:
        problem = _("This file is larger than %(n)s MB.", n=round(cap / (1024 * 1024), 1))
        return _page(UploadForm(formdata=None), problem=problem), 413
    text = data.decode("utf-8-sig", errors="replace")
    if not text.strip():
        problem = _("The file is empty: nothing was imported.")
        return _page(UploadForm(formdata=None), problem=problem), 422
    name = (upload.filename or "upload")[:200]
    report = service.import_text(db.session, text, name)
    db.session.commit()
    imported = report.created + report.updated + report.unchanged
    status = 422 if report.errors and not imported else 200
    return _page(UploadForm(formdata=None), report=report), status
