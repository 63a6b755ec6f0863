"""Article revisions in the JSON API (docs/contract/revisions.md).

- ``GET /articles/<id>/revisions``: the revisions, oldest first (number, note, who, when,
  text_sha256, length; ``text`` with ``?text=1``).
- ``POST /articles/<id>/revisions`` (admin) ``{"text": "…", "note": "…"}``, optionally
  ``"revision": N`` (the revision the new text was based on: 409 if it is no longer the
  current one). Answers 201 ``{"article": {…, "revision": n+1}, "annotations": [{"id",
  "anchor", "start", "end", "quote", "previous": {"start", "end", "quote", "revision"} or
  null, "status"}]}``.
- ``POST /annotations/<id>/anchor`` ``{"action": "confirm", "version": N}`` or
  ``{"action": "move", "start", "end", "quote", "version": N}``: the author or a reviewer
  settles a relocated or orphaned claim (services/anchors.py); answers the annotation.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..idempotency import creates
from ..loaders import annotation_or_404, article_or_404
from ..models import Role
from ..permissions import can_manage_articles
from ..services import anchors, articles, revisions
from ..services import annotations as annotation_service
from ..services.errors import NotAllowed
from ..web import require_role
from . import bp, flag, json_body, known_args
from .shapes import annotation_json, article_json, revision_json


@bp.get("/articles/<int:article_id>/revisions")
def list_revisions(article_id: int):
    known_args({"text"})
    article = article_or_404(db.session, article_id, current_user)
    with_text = flag("text")
    rows = revisions.history(db.session, article)
    return {"items": [revision_json(r, with_text) for r in rows], "total": len(rows)}


@bp.post("/articles/<int:article_id>/revisions")
@require_role(Role.PROJECT_ADMIN)
@creates  # commits; a repeated Idempotency-Key gets the first answer
def create_revision(article_id: int):
    data = json_body()
    annotation_service.refuse_unknown(data, {"text", "note", "revision"})
    article = article_or_404(db.session, article_id, current_user)
    if not can_manage_articles(current_user, article.project_id):
        raise NotAllowed(_("Only an administrator of the article's project revises its text."))
    result = revisions.create_revision(
        db.session,
        article,
        data.get("text"),
        note=data.get("note"),
        user=current_user,
        expected_revision=data.get("revision"),
    )
    db.session.flush()
    row = articles.row_for(db.session, current_user, result.article)
    answer = {
        "article": article_json(row),
        "annotations": [o.as_dict() for o in result.outcomes],
    }
    return answer, 201


@bp.post("/annotations/<int:annotation_id>/anchor")
def settle_anchor(annotation_id: int):
    annotation = annotation_or_404(db.session, annotation_id, current_user)
    data = json_body()
    version = data.pop("version", None)
    anchors.act(db.session, annotation, current_user, data, version=version)
    db.session.commit()
    return annotation_json(annotation)
