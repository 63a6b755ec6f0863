"""Annotations in the JSON API.

``GET/POST /articles/<id>/annotations``, ``GET/PATCH/DELETE /annotations/<id>``,
``POST /annotations/<id>/submit``.

Payloads: only the contract fields (``start``, ``end``, ``quote``, ``claim``,
``claimant``, ``verdict``, ``rationale``, ``sources``, ``claimant_id``, ``claim_date``,
``claim_medium``, ``appearances``; ``status`` on creation;
``version`` on PATCH, DELETE and submit) are read. Any other field is refused with
422 naming it (mass-assignment protection), with one exception: a PATCH may echo back
read-only fields of a GET (``id``, ``status``, ``author``, ``created_at``…) unchanged,
so a client can send back the object it read; a changed read-only field is refused.

An annotation the caller may not see (another's draft) is 404; one they may see but
not change is 403; a stale ``version`` is 409.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..idempotency import creates
from ..loaders import annotation_or_404, article_or_404
from ..models import Article, Role
from ..services import annotations as service
from ..services.errors import Invalid
from ..services.versions import parse_version
from ..web import require_role
from . import bp, json_body, known_args
from .shapes import annotation_json

#: fields of the GET answer that a PATCH may echo back unchanged
READ_ONLY = frozenset(
    {
        "id",
        "article_id",
        "prefix",
        "suffix",
        "status",
        "author",
        "reviewer",
        "review_comment",
        "created_at",
        "updated_at",
        "submitted_at",
        "reviewed_at",
        "history",
        "anchor",
        "article_revision",
        "previous",
        "project",
        "guidelines_version",
        "published_url",
        "published_at",
    }
)


def _article(article_id: int) -> Article:
    return article_or_404(db.session, article_id, current_user)


def _version_arg(data: dict | None = None):
    """``version`` from the JSON body (a number), or from the query string (text; DELETE
    bodies are rare)."""
    if data is not None and "version" in data:
        return parse_version(data.pop("version"), text=False)
    return request.args.get("version")


@bp.get("/articles/<int:article_id>/annotations")
def article_annotations(article_id: int):
    known_args()  # the whole list, unfiltered: any parameter is a mistake
    article = _article(article_id)
    items = service.visible_for_article(db.session, article, current_user, with_history=True)
    return {
        "items": [annotation_json(a) for a in items],
        "total": len(items),
        "page": 1,
        "per_page": len(items),
    }


@bp.post("/articles/<int:article_id>/annotations")
@require_role(Role.ANNOTATOR)
@creates  # commits; a repeated Idempotency-Key gets the first answer
def create_annotation(article_id: int):
    article = _article(article_id)
    annotation = service.create(db.session, article, current_user, json_body())
    answer = annotation_json(annotation)  # before the commit expires what we already hold
    return answer, 201, {"Location": f"/api/v1/annotations/{answer['id']}"}


@bp.get("/annotations/<int:annotation_id>")
def get_annotation(annotation_id: int):
    return annotation_json(annotation_or_404(db.session, annotation_id, current_user))


@bp.patch("/annotations/<int:annotation_id>")
def patch_annotation(annotation_id: int):
    annotation = annotation_or_404(db.session, annotation_id, current_user)
    data = json_body()
    version = _version_arg(data)
    echoed = READ_ONLY & set(data)
    # the claim form sends no read-only field: no JSON (and its queries) built for nothing
    current = annotation_json(annotation) if echoed else {}
    for name in echoed:
        if data.pop(name) != current[name]:
            raise Invalid(_("%(field)s is read-only.", field=name), field=name)
    service.update_annotation(db.session, annotation, current_user, data, version=version)
    db.session.commit()
    return annotation_json(annotation)


@bp.delete("/annotations/<int:annotation_id>")
def delete_annotation(annotation_id: int):
    annotation = annotation_or_404(db.session, annotation_id, current_user)
    data = request.get_json(silent=True) if request.data else None
    version = _version_arg(data if isinstance(data, dict) else None)
    service.delete_annotation(db.session, annotation, current_user, version=version)
    db.session.commit()
    return "", 204


@bp.post("/annotations/<int:annotation_id>/submit")
def submit_annotation(annotation_id: int):
    annotation = annotation_or_404(db.session, annotation_id, current_user)
    data = json_body()
    service.refuse_unknown(data, {"version"})
    version = parse_version(data.get("version"), text=False)
    service.submit(db.session, annotation, current_user, version=version)
    db.session.commit()
    return annotation_json(annotation)
