"""Articles in the JSON API: list, import (one or a batch), read, edit metadata, delete."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..idempotency import creates
from ..loaders import article_or_404
from ..models import Role
from ..permissions import can_manage_articles
from ..services import articles, importing, projects
from ..services.errors import BadRequest, Invalid, NotAllowed
from ..web import require_role
from . import bp, flag, json_body, json_value, page_answer, page_args, text_field
from .evidence import import_link, is_link
from .shapes import article_json

LIST_PARAMS = {"q", "language", "has_claims", "needs_review", "sort", "project"}


@bp.get("/articles")
def list_articles():
    page, per_page = page_args(LIST_PARAMS)
    wanted = articles.parse_filter(request.args)
    project = projects.optional(db.session, request.args.get("project"), current_user)
    wanted.project_id = project.id if project is not None else None
    found = articles.list_articles(db.session, current_user, wanted, page, per_page)
    return page_answer([article_json(r) for r in found.items], found.total, page, per_page)


@bp.post("/articles")
@require_role(Role.PROJECT_ADMIN)
@creates  # commits; a repeated Idempotency-Key gets the first answer
def import_articles():
    if is_link(request.get_json(silent=True)):  # {"url": …} alone: the page is fetched
        return import_link(json_body(), _check_project_admin)
    records, strict, slug = _records_from_body()
    project = projects.resolve(db.session, slug, current_user)
    _check_project_admin(project.id)
    projects.check_writable(project)
    report = importing.import_records(
        db.session, records, current_user, strict=strict, project=project
    )
    if not report.imported and report.errors:
        raise Invalid(
            _("Nothing was imported: every record is invalid.")
            if not strict
            else _("Nothing was imported (strict): some records are invalid."),
            field=report.errors[0].field,
            details={"report": report.as_dict()},
        )
    return report.as_dict(), 201 if report.imported else 200


def _check_project_admin(project_id: int) -> None:
    if not can_manage_articles(current_user, project_id):
        raise NotAllowed(_("Only the project's administrators can do this."))


def _records_from_body() -> tuple[list, bool, str | None]:
    """One article object, ``{"articles": [...], "strict": bool, "project": slug}`` or a
    plain JSON list; a ``project`` field names the project (one per request)."""
    data = json_value()
    strict = flag("strict")
    slugs: set = set()
    if isinstance(data, list):
        records = data
    elif isinstance(data, dict) and "articles" in data:
        if set(data) - {"articles", "strict", "project"}:
            raise BadRequest(_("A batch holds only the keys articles, strict and project."))
        records, strict = data["articles"], data.get("strict", strict)
        strict = False if strict is None else strict
        if not isinstance(strict, bool):
            raise Invalid(_("strict must be true or false."), field="strict")
        if data.get("project") is not None:
            slugs.add(text_field(data, "project"))
    elif isinstance(data, dict):
        records = [data]
    else:
        raise BadRequest(_('Send a JSON object, a list, or {"articles": [...]}.'))
    if not isinstance(records, list) or not records:
        raise BadRequest(_("articles must be a non-empty list."))
    if not all(isinstance(r, dict) for r in records):
        raise BadRequest(_("Every article must be a JSON object."))
    if any("project" in r for r in records):
        records = [dict(r) for r in records]
        for record in records:
            if record.get("project") is not None:
                slugs.add(text_field(record, "project"))
            record.pop("project", None)
    if len(slugs) > 1:
        raise Invalid(_("One import goes to one project."), field="project")
    return records, strict, next(iter(slugs), None)


@bp.get("/articles/<int:article_id>")
def get_article(article_id: int):
    article = article_or_404(db.session, article_id, current_user)
    return article_json(articles.row_for(db.session, current_user, article), with_text=True)


@bp.patch("/articles/<int:article_id>")
@require_role(Role.PROJECT_ADMIN)
def patch_article(article_id: int):
    values = json_body()
    article = article_or_404(db.session, article_id, current_user)
    _check_project_admin(article.project_id)
    projects.check_writable(article.project)
    if "project" in values:
        target = projects.by_slug(db.session, values.pop("project"), current_user)
        _check_project_admin(target.id)
        projects.move_article(db.session, article, target)
    articles.update_metadata(db.session, article, values)
    if "text" in values:
        articles.update_text(db.session, article, values["text"])
    db.session.commit()
    return article_json(articles.row_for(db.session, current_user, article), with_text=True)


@bp.delete("/articles/<int:article_id>")
@require_role(Role.PROJECT_ADMIN)
def delete_article(article_id: int):
    article = article_or_404(db.session, article_id, current_user)
    _check_project_admin(article.project_id)
    articles.delete_article(db.session, article)
    db.session.commit()
    return "", 204
