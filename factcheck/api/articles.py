"""Articles in the JSON API: list, import (one or a batch), read, edit metadata, delete."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..idempotency import creates
from ..permissions import Role, require_role
from ..services import articles, importing
from ..services.articles import ArticleRow
from ..services.errors import BadRequest, Invalid
from . import bp, json_body, page_answer, page_args

LIST_PARAMS = {"q", "language", "has_claims", "needs_review", "sort"}


def _iso(value) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def article_json(row: ArticleRow, with_text: bool = False) -> dict:
    article = row.article
    data = {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "published_at": _iso(article.published_at),
        "language": article.language,
        "external_id": article.external_id,
        "created_at": _iso(article.created_at),
        "text_sha256": article.text_sha256,
        "counts": row.counts,
    }
    if with_text:
        data["text"] = article.text
    return data


@bp.get("/articles")
def list_articles():
    page, per_page = page_args(LIST_PARAMS)
    wanted = articles.parse_filter(request.args)
    found = articles.list_articles(db.session, current_user, wanted, page, per_page)
    return page_answer([article_json(r) for r in found.items], found.total, page, per_page)


@bp.post("/articles")
@require_role(Role.ADMIN)
@creates  # commits; a repeated Idempotency-Key gets the first answer
def import_articles():
    records, strict = _records_from_body()
    report = importing.import_records(db.session, records, current_user, strict=strict)
    if not report.imported and report.errors:
        raise Invalid(
            _("Nothing was imported: every record is invalid.")
            if not strict
            else _("Nothing was imported (strict): some records are invalid."),
            details={"report": report.as_dict()},
        )
    return report.as_dict(), 201 if report.imported else 200


def _records_from_body() -> tuple[list, bool]:
    """One article object, ``{"articles": [...], "strict": bool}`` or a plain JSON list."""
    data = request.get_json(silent=True)
    strict = request.args.get("strict", "").lower() in ("1", "true", "yes")
    if isinstance(data, list):
        records = data
    elif isinstance(data, dict) and "articles" in data:
        records, strict = data["articles"], bool(data.get("strict", strict))
        if set(data) - {"articles", "strict"}:
            raise BadRequest(_("A batch holds only the keys articles and strict."))
    elif isinstance(data, dict):
        records = [data]
    else:
        raise BadRequest(_('Send a JSON object, a list, or {"articles": [...]}.'))
    if not isinstance(records, list) or not records:
        raise BadRequest(_("articles must be a non-empty list."))
    if not all(isinstance(r, dict) for r in records):
        raise BadRequest(_("Every article must be a JSON object."))
    return records, strict


@bp.get("/articles/<int:article_id>")
def get_article(article_id: int):
    article = articles.get_article(db.session, article_id)
    return article_json(articles.row_for(db.session, current_user, article), with_text=True)


@bp.patch("/articles/<int:article_id>")
@require_role(Role.ADMIN)
def patch_article(article_id: int):
    values = json_body()
    article = articles.get_article(db.session, article_id)
    articles.update_metadata(db.session, article, values)
    if "text" in values:
        articles.update_text(db.session, article, values["text"])
    db.session.commit()
    return article_json(articles.row_for(db.session, current_user, article), with_text=True)


@bp.delete("/articles/<int:article_id>")
@require_role(Role.ADMIN)
def delete_article(article_id: int):
    article = articles.get_article(db.session, article_id)
    articles.delete_article(db.session, article)
    db.session.commit()
    return "", 204
