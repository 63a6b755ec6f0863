"""Article pages: the list, one article, and for the project's admins import, edit and
delete (``permissions.can_manage_articles``, as in the API)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from ..extensions import db
from ..idempotency import creates
from ..loaders import article_or_404
from ..models import Article, Role, Status
from ..permissions import can_manage_articles
from ..projects.current import current_project
from ..services import articles, importing
from ..services import paragraphs as paragraph_rule
from ..services.errors import DomainError
from ..times import iso_date_or_moment
from ..web import login_required, require_role
from . import bp
from .forms import DeleteForm, EditForm, PasteForm, UploadForm

PER_PAGE = 25
#: the order of the segments in the claims bar
BAR_ORDER = (Status.APPROVED, Status.SUBMITTED, Status.REJECTED, Status.DRAFT)


def bar_segments(counts: dict[str, int]) -> list[dict]:
    """Segments of the stacked claims bar, in SVG user units (the bar is 100 wide)."""
    total = sum(counts.values())
    segments, x = [], 0.0
    for status in BAR_ORDER:
        n = counts.get(status.value, 0)
        if n and total:
            width = 100 * n / total
            segments.append(
                {"status": status.value, "n": n, "x": round(x, 2), "w": round(width, 2)}
            )
            x += width
    return segments


def paragraphs(text: str) -> list[str]:
    """The paragraphs, by the one rule of services/paragraphs.py (a paragraph is a line)."""
    return paragraph_rule.paragraphs(text)


@bp.app_context_processor
def _helpers():
    return {"bar_segments": bar_segments}


@bp.get("/")
@login_required
def index():
    wanted = articles.parse_filter(request.args, strict=False)
    project = current_project()
    wanted.project_id = project.id if project is not None else None
    page = min(request.args.get("page", 1, type=int) or 1, 1_000_000)  # OFFSET must fit
    found = articles.list_articles(db.session, current_user, wanted, max(page, 1), PER_PAGE)
    return render_template(
        "articles/index.html",
        found=found,
        wanted=wanted,
        languages=articles.languages(db.session, current_user),
        project=project,
        may_import=project is not None and can_manage_articles(current_user, project.id),
    )


def _article(article_id: int, *, manage: bool = False) -> Article:
    """A 404 for a non-member of the article's project; 403 when ``manage`` is needed."""
    article = article_or_404(db.session, article_id, current_user)
    if manage and not can_manage_articles(current_user, article.project_id):
        abort(403)
    return article


@bp.get("/<int:article_id>")
@login_required
def show(article_id: int):
    article = _article(article_id)
    return render_template(
        "articles/show.html",
        row=articles.row_for(db.session, current_user, article),
        paragraphs=paragraphs(article.text),
        may_manage=can_manage_articles(current_user, article.project_id),
    )


@bp.route("/import", methods=["GET", "POST"])
@require_role(Role.PROJECT_ADMIN)
@creates  # commits; the forms' one-time token makes a double submit import once
def import_page():
    project = _import_project()
    paste, upload = PasteForm(), UploadForm(prefix="upload")
    report = None
    if paste.paste.data and paste.validate_on_submit():
        record = {name: getattr(paste, name).data or None for name in importing.FIELDS}
        # one record: nothing is imported if it is invalid, and the report names the
        # real cause (never "strict mode", which the user did not choose)
        report = importing.import_records(db.session, [record], current_user, project=project)
    elif upload.upload.data and upload.validate_on_submit():
        files = [(f.filename or "upload", f.read()) for f in upload.files.data if f]
        report = importing.import_files(
            db.session,
            files,
            current_user,
            fmt=upload.format.data,
            language=upload.language.data or None,
            strict=upload.strict.data,
            project=project,
        )
    if report is not None:
        if report.imported and paste.paste.data:
            paste = PasteForm(formdata=None)  # a second click must not import it twice
        status = 422 if report.errors and not report.imported else 200
        return _import_page(paste, upload, report), status
    return _import_page(paste, upload), 422 if request.method == "POST" else 200


def _import_project():
    """Imports go to the current project, for its admins."""
    project = current_project()
    if project is None:
        abort(404)
    if not can_manage_articles(current_user, project.id):
        abort(403)
    return project


def _import_page(paste, upload, report=None, too_large=False):
    return render_template(
        "articles/import.html",
        paste=paste,
        upload=upload,
        report=report,
        too_large=too_large,
        max_mb=current_app.config["MAX_CONTENT_LENGTH"] / (1024 * 1024),
        max_chars=current_app.config["MAX_ARTICLE_CHARS"],
    )


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_error):
    """An upload over MAX_CONTENT_LENGTH: say so on the import page, change nothing."""
    db.session.rollback()
    page = _import_page(
        PasteForm(formdata=None), UploadForm(formdata=None, prefix="upload"), None, True
    )
    return page, 413


@bp.route("/<int:article_id>/edit", methods=["GET", "POST"])
@require_role(Role.PROJECT_ADMIN)
def edit(article_id: int):
    article = _article(article_id, manage=True)
    locked = articles.has_annotations(db.session, article)
    form = EditForm(obj=article)
    if request.method == "GET":
        form.published_at.data = iso_date_or_moment(article.published_at) or ""
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in articles.METADATA_FIELDS}
        try:
            articles.update_metadata(db.session, article, values)
            if "text" in request.form:  # a locked text is not sent (disabled field)
                articles.update_text(db.session, article, form.text.data)
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "title").errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Article saved."), "success")
            return redirect(url_for("articles.show", article_id=article.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "articles/edit.html", form=form, article=article, locked=locked, delete=DeleteForm()
    ), status


@bp.post("/<int:article_id>/delete")
@require_role(Role.PROJECT_ADMIN)
def delete(article_id: int):
    article = _article(article_id, manage=True)
    if DeleteForm().validate_on_submit():
        title = article.title
        articles.delete_article(db.session, article)
        db.session.commit()
        flash(_("Article “%(title)s” deleted.", title=title), "success")
    return redirect(url_for("articles.index"))
