"""The JSON shapes of the API, one function per kind of object (contract field names: see
docs/contract/interfaces.md#json-api). Times are written by ``times.iso``."""

from __future__ import annotations

from flask import has_request_context
from flask_babel import get_locale
from flask_login import current_user

from ..extensions import db
from ..models import Annotation, ArticleRevision, Assignment, FactCheck, ReviewEvent, User
from ..permissions import project_roles
from ..services import adjudication
from ..services.articles import ArticleRow
from ..services.projects import SETTINGS, Project
from ..services.second_verdict import redact
from ..times import iso


def annotation_json(annotation: Annotation, include_history: bool = True) -> dict:
    data = {
        "id": annotation.id,
        "article_id": annotation.article_id,
        "start": annotation.start,
        "end": annotation.end,
        "quote": annotation.quote,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
        "claim": annotation.claim,
        "claimant": annotation.claimant,
        "verdict": annotation.verdict,
        "rationale": annotation.rationale,
        "sources": [source.as_dict() for source in annotation.sources],
        "status": annotation.status.value,
        "version": annotation.version,
        "author": annotation.author.username,
        "reviewer": annotation.reviewer.username if annotation.reviewer else None,
        "review_comment": annotation.review_comment,
        "created_at": iso(annotation.created_at),
        "updated_at": iso(annotation.updated_at),
        "submitted_at": iso(annotation.submitted_at),
        "reviewed_at": iso(annotation.reviewed_at),
        # article revisions (docs/contract/revisions.md): where the span stands after the
        # last correction
        "anchor": annotation.anchor.value,
        "article_revision": annotation.article_revision,
        "previous": previous_span(annotation),
        "project": annotation.project.slug,
        "guidelines_version": annotation.guidelines_version,
        # the desk's memory (DESIGN.md): who, when and where, and the publication
        "claimant_id": annotation.claimant_id,
        "claim_date": annotation.claim_date.isoformat() if annotation.claim_date else None,
        "claim_medium": annotation.claim_medium.value if annotation.claim_medium else None,
        "appearances": [appearance.as_dict() for appearance in annotation.appearances],
        "published_url": annotation.published_url,
        "published_at": iso(annotation.published_at),
    }
    if include_history:
        data["history"] = [event_json(event) for event in annotation.events]
    return _blind(data, annotation)


def _blind(data: dict, annotation: Annotation) -> dict:
    """Blind second verdict: hide the annotator's verdict from a reviewer who owes theirs."""
    if not has_request_context():
        return data
    return redact(db.session, data, annotation, current_user)


def event_json(event: ReviewEvent) -> dict:
    """One row of an annotation's history."""
    return {
        "from": event.from_status.value if event.from_status else None,
        "to": event.to_status.value,
        "by": event.actor.username,
        "at": iso(event.at),
        "comment": event.comment,
        "version": event.version,
        # a step that kept the status ("publish", "unpublish"); null for a transition
        "action": event.action,
    }


def previous_span(annotation: Annotation) -> dict | None:
    """The span a relocated or orphaned claim had before the revision, else None."""
    if annotation.previous_start is None:
        return None
    return {
        "start": annotation.previous_start,
        "end": annotation.previous_end,
        "quote": annotation.previous_quote,
        "revision": annotation.previous_revision,
    }


def article_json(row: ArticleRow, with_text: bool = False) -> dict:
    article = row.article
    data = {
        "id": article.id,
        "project": article.project.slug,
        "title": article.title,
        "url": article.url,
        "published_at": iso(article.published_at),
        "language": article.language,
        "external_id": article.external_id,
        "created_at": iso(article.created_at),
        "text_sha256": article.text_sha256,
        "revision": article.revision,
        "counts": row.counts,
    }
    if with_text:
        data["text"] = article.text
    return data


def revision_json(row: ArticleRevision, with_text: bool = False) -> dict:
    data = {
        "number": row.number,
        "note": row.note,
        "by": row.created_by.username if row.created_by else None,
        "at": iso(row.created_at),
        "text_sha256": row.text_sha256,
        "length": len(row.text),
    }
    if with_text:
        data["text"] = row.text
    return data


def verdict_json(verdict) -> dict:
    return {
        "key": verdict.key,
        "label": verdict.label_for(str(get_locale() or "en")),
        "rating": verdict.rating,
        "colour": verdict.colour,
        "shortcut": verdict.shortcut,
        "position": verdict.position,
        "retired": verdict.retired,
    }


def project_json(project: Project, user: User | None = None) -> dict:
    data = {
        "slug": project.slug,
        "name": project.name,
        "description": project.description,
        "guidelines": project.guidelines,
        "guidelines_version": project.guidelines_version or None,
        "settings": {name: getattr(project, name) for name in SETTINGS},
        "archived": project.archived,
        "created_at": iso(project.created_at),
    }
    if user is not None:
        data["my_roles"] = sorted(r.value for r in project_roles(user, project.id))
    return data


def member_json(user: User, roles: set) -> dict:
    return {"username": user.username, "roles": sorted(r.value for r in roles)}


def factcheck_json(factcheck: FactCheck) -> dict:
    return {
        "id": factcheck.id,
        "url": factcheck.url,
        "claim": factcheck.claim,
        "claimant": factcheck.claimant,
        "verdict": factcheck.verdict,
        "verdict_label": factcheck.rating,
        "publisher": factcheck.publisher,
        "language": factcheck.language,
        "published_at": iso(factcheck.published_at, seconds=True),
        "created_at": iso(factcheck.created_at, seconds=True),
    }


def assignment_json(assignment: Assignment, states=None) -> dict:
    data = {
        "id": assignment.id,
        "project": assignment.project.slug,
        "name": assignment.name,
        "per_article": assignment.per_article,
        "blind": assignment.blind,
        "created_at": iso(assignment.created_at),
    }
    if states is not None:
        data["articles"] = [
            {
                "article_id": s.article_id,
                "title": s.title,
                "annotators": s.annotators,
                "done": s.done,
                "adjudicated": s.adjudicated,
                "claims": s.claims,
            }
            for s in states
        ]
    return data


def group_json(group: adjudication.Group) -> dict:
    decision = group.decision
    return {
        "start": group.start,
        "end": group.end,
        "versions": [annotation_json(a, include_history=False) for a in group.versions],
        "decision": None
        if decision is None
        else {
            "decision": decision.decision,
            "annotation_id": decision.source_annotation_id,
            "result_id": decision.result_annotation_id,
            "at": iso(decision.at),
        },
    }
