"""Evidence in the JSON API: a project's sources, their captures and health.

    GET, POST /sources                 list (``health``, ``q``, ``project``); ``{"url"}``
                                       creates or returns the source, and queues a capture
    GET /sources/<id>                  the source, its captures, health history, claims
    POST /sources/<id>/captures        capture now (queued), or upload (multipart ``file``)
    GET /captures/<id>                 metadata and ``text``
    GET /captures/<id>/raw             the bytes, only ever as a download

A source of a project the caller is not a member of does not exist (404). Citing,
capturing and uploading are for the project's annotators and reviewers.
"""

from __future__ import annotations

from flask import Response, current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import undefer

from ..extensions import db
from ..idempotency import creates
from ..models import Capture, EvidenceSource, Role, SourceCheck
from ..permissions import has_project_role, is_member
from ..services import projects
from ..services.errors import BadRequest, Invalid, NotAllowed, NotFound
from ..services.evidence import capture, sources
from ..services.evidence.importing import article_from_link
from ..services.records import RecordError, clean_language
from ..times import iso
from . import bp, json_body, known_args, page_answer, page_args, text_field

LIST_PARAMS = {"health", "q", "project"}


def _may_cite(project_id: int) -> None:
    if not has_project_role(current_user, project_id, Role.ANNOTATOR, Role.REVIEWER):
        raise NotAllowed(_("Only the project's annotators and reviewers add evidence."))


def capture_json(row: Capture, with_text: bool = False) -> dict:
    data = {
        "id": row.id,
        "source_id": row.source_id,
        "kind": row.kind.value,
        "url": row.url,
        "fetched_at": iso(row.fetched_at),
        "status": row.status,
        "content_type": row.content_type,
        "sha256": row.sha256,
        "size": row.size,
        "title": row.title,
        "note": row.note,
        "error": row.error,
        "raw_url": f"/api/v1/captures/{row.id}/raw" if row.sha256 else None,
    }
    if with_text:
        data["text"] = row.text
    return data


def source_json(source: EvidenceSource, project_slug: str) -> dict:
    return {
        "id": source.id,
        "project": project_slug,
        "url": source.url,
        "final_url": source.final_url,
        "title": source.title,
        "publisher": source.publisher,
        "published_at": iso(source.published_at),
        "medium": source.medium.value,
        "health": source.health.value,
        "health_checked_at": iso(source.health_checked_at),
        "health_since": iso(source.health_since),
        "created_at": iso(source.created_at),
    }


def _check_json(check: SourceCheck) -> dict:
    return {
        "checked_at": iso(check.checked_at),
        "health": check.health.value,
        "status": check.status,
        "error": check.error,
        "capture_id": check.capture_id,
    }


def _claims_json(source: EvidenceSource) -> list[dict]:
    claims = []
    rows = sources.citing_claims(db.session, source, current_user)
    for annotation, citation, claimed_at in rows:
        later = bool(source.published_at and claimed_at and source.published_at > claimed_at)
        claims.append(
            {
                "annotation_id": annotation.id,
                "article_id": annotation.article_id,
                "status": annotation.status.value,
                "claim": annotation.claim,
                "url": citation.url,
                "stance": citation.stance.value if citation.stance else None,
                "excerpts": citation.excerpts,
                # evidence written after the claim (the article's date) is pointed out
                "published_after_claim": later,
            }
        )
    return claims


@bp.get("/sources")
def list_sources():
    page, per_page = page_args(LIST_PARAMS)
    wanted = sources.parse_filter(request.args)
    project = projects.optional(db.session, request.args.get("project"), current_user)
    wanted.project_id = project.id if project is not None else None
    items, total = sources.list_sources(db.session, current_user, wanted, page, per_page)
    slugs = _slugs({s.project_id for s in items})
    return page_answer([source_json(s, slugs[s.project_id]) for s in items], total, page, per_page)


def _slugs(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(projects.Project.id, projects.Project.slug).where(projects.Project.id.in_(ids))
    )
    return {project_id: slug for project_id, slug in rows}


@bp.post("/sources")
@creates  # commits; a repeated Idempotency-Key gets the first answer
def create_source():
    data = json_body()
    projects.refuse_unknown(data, {"url", "project"})
    project = projects.resolve(db.session, data.get("project"), current_user)
    _may_cite(project.id)
    projects.check_writable(project)
    url = text_field(data, "url")
    source, created = sources.find_or_create(db.session, project.id, url, current_user)
    if created or not _has_capture(source.id):
        sources.capture_later(db.session, source.id)
    answer = source_json(source, project.slug)
    return answer, 201 if created else 200, {"Location": f"/api/v1/sources/{source.id}"}


def _has_capture(source_id: int) -> bool:
    found = db.session.scalar(
        select(Capture.id).where(Capture.source_id == source_id, Capture.sha256.is_not(None))
    )
    return found is not None


@bp.get("/sources/<int:source_id>")
def get_source(source_id: int):
    known_args()
    source = sources.get(db.session, source_id, current_user)
    data = source_json(source, _slugs({source.project_id})[source.project_id])
    data["captures"] = [capture_json(c) for c in source.captures]
    data["checks"] = [_check_json(c) for c in source.checks]
    data["claims"] = _claims_json(source)
    return data


@bp.post("/sources/<int:source_id>/captures")
def capture_source(source_id: int):
    """Multipart ``file``: keep the upload as a capture (201). Otherwise: queue a fetch of
    the page now (202)."""
    source = sources.get(db.session, source_id, current_user)
    _may_cite(source.project_id)
    projects.check_writable(db.session.get(projects.Project, source.project_id))
    if request.files or (request.mimetype or "").startswith("multipart/"):
        upload = request.files.get("file")
        if upload is None:
            raise BadRequest(_("Send the file in a multipart field named file."), field="file")
        cap = int(current_app.config["UPLOAD_MAX_BYTES"])
        kept = capture.upload(db.session, source, upload.stream.read(cap + 1), current_user)
        answer = capture_json(kept, with_text=True)
        db.session.commit()
        return answer, 201, {"Location": f"/api/v1/captures/{kept.id}"}
    queued = sources.capture_later(db.session, source.id)
    db.session.commit()
    return {"queued": queued, "source_id": source.id}, 202


def _capture_or_404(capture_id: int, *options) -> Capture:
    row = db.session.get(Capture, capture_id, options=options)
    if row is None:
        raise NotFound(_("No such capture."))
    source = db.session.get(EvidenceSource, row.source_id)
    if not is_member(current_user, source.project_id):
        raise NotFound(_("No such capture."))
    return row


@bp.get("/captures/<int:capture_id>")
def get_capture(capture_id: int):
    known_args()
    return capture_json(_capture_or_404(capture_id, undefer(Capture.text)), with_text=True)


#: what a browser may do with a capture's bytes: nothing but save them
RAW_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "Cache-Control": "private, no-store",
}
_SUFFIX = {
    "text/html": "html",
    "application/xhtml+xml": "xhtml",
    "application/pdf": "pdf",
    "text/plain": "txt",
    "text/csv": "csv",
    "application/json": "json",
    "image/png": "png",
    "image/jpeg": "jpg",
}


@bp.get("/captures/<int:capture_id>/raw")
def raw_capture(capture_id: int):
    known_args()
    row = _capture_or_404(capture_id, undefer(Capture.content))
    if row.content is None:
        raise NotFound(_("This attempt failed: it kept no bytes (%(why)s)", why=row.error))
    name = f"capture-{row.id}.{_SUFFIX.get(row.content_type, 'bin')}"
    headers = dict(RAW_HEADERS)
    headers["Content-Disposition"] = f'attachment; filename="{name}"'
    # served as opaque bytes: the type is said in the file name, never acted upon
    return Response(row.content, mimetype="application/octet-stream", headers=headers)


# --- articles from a link (POST /api/v1/articles {"url": …}, routed by api/articles.py) ---

LINK_FIELDS = {"url", "project", "language", "title", "external_id"}


def is_link(data: object) -> bool:
    """An import of one page by its address: a ``url`` and no ``text``."""
    return isinstance(data, dict) and "url" in data and "text" not in data


def import_link(data: dict, check_admin) -> tuple[dict, int]:
    """Fetch the page, import it as an article of the project (``check_admin(project_id)``
    says who may); the answer is the import report with the article, its capture and the
    page's author."""
    projects.refuse_unknown(data, LINK_FIELDS)
    project = projects.resolve(db.session, data.get("project"), current_user)
    check_admin(project.id)
    projects.check_writable(project)
    language = text_field(data, "language")
    try:
        language = clean_language(language) if language else None
    except RecordError as error:
        raise BadRequest(error.message, field="language") from None
    result = article_from_link(
        db.session,
        data.get("url"),
        current_user,
        project,
        language=language,
        title=text_field(data, "title"),
        external_id=text_field(data, "external_id"),
    )
    answer = result.report.as_dict()
    if not result.report.imported and result.report.errors:
        raise Invalid(
            _("Nothing was imported: %(why)s", why=result.report.errors[0].message),
            details={"report": answer},
        )
    if result.article is not None:
        answer.update(
            article_id=result.article.id,
            title=result.article.title,
            language=result.article.language,
            published_at=iso(result.article.published_at),
            author=result.author,
            capture_id=result.capture.id,
            source_id=result.capture.source_id,
        )
    return answer, 201 if result.report.imported else 200
