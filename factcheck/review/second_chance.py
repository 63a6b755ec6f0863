"""Undo one's own decision (a few minutes), and "fix and approve" (services/review_undo.py);
undo one's last adjudication decision (services/adjudication_undo.py).

After every decision the session remembers it (``LAST_KEY``), so that the next page offers
"Undo" while the window is open. An adjudication decision is found again in the database
(the adjudicator's latest, for a few minutes).
"""

from __future__ import annotations

from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..annotate.views import form_data
from ..extensions import db
from ..jsonsafe import parse_id
from ..loaders import annotation_or_404
from ..models import Annotation, Role
from ..services import adjudication_undo, review_undo
from ..services.errors import DomainError
from ..web import require_role
from . import bp
from .navigation import annotation_name, open_next

LAST_KEY = "review_last_decision"


def _visible_or_404(annotation_id: int) -> Annotation:
    """The claim for members of its project who may see it; 404 for anybody else."""
    return annotation_or_404(db.session, annotation_id, current_user)


def remember_decision(annotation: Annotation) -> None:
    session[LAST_KEY] = {"id": annotation.id, "version": annotation.version}


@bp.app_template_global()
def undoable_decision() -> dict | None:
    """The caller's last decision while it may still be undone: id, status, version, until."""
    last = session.get(LAST_KEY)
    if not last or not current_user.is_authenticated:
        return None
    annotation = db.session.get(Annotation, int(last["id"]))
    if annotation is None or annotation.version != last["version"]:
        return None
    if not review_undo.can_undo(annotation, current_user):
        return None
    return {
        "id": annotation.id,
        "status": annotation.status.value,
        "version": annotation.version,
        "until": review_undo.undo_deadline(annotation),
        "claim": annotation_name(annotation),
        # undoing a fix also puts the author's text back: the bar says so
        "fixed": review_undo.undoes_a_fix(db.session, annotation),
    }


@bp.post("/<int:annotation_id>/undo")
@require_role(Role.REVIEWER)
def undo(annotation_id: int):
    annotation = _visible_or_404(annotation_id)
    fixed = review_undo.undoes_a_fix(db.session, annotation)
    try:
        review_undo.undo(db.session, annotation, current_user, version=request.form.get("version"))
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("review.item", annotation_id=annotation_id))
    db.session.commit()
    session.pop(LAST_KEY, None)
    if fixed:
        message = _(
            "Decision and fix undone: “%(claim)s” is back in review as its author wrote it, "
            "held for you.",
            claim=annotation_name(annotation),
        )
    else:
        message = _(
            "Decision undone: “%(claim)s” is back in review, held for you.",
            claim=annotation_name(annotation),
        )
    flash(message, "success")
    return redirect(url_for("review.item", annotation_id=annotation_id))


@bp.post("/<int:annotation_id>/fix")
@require_role(Role.REVIEWER)
def fix_and_approve(annotation_id: int):
    annotation = _visible_or_404(annotation_id)
    fields = form_data(request.form)
    data = {name: fields[name] for name in review_undo.FIXABLE}
    try:
        review_undo.fix_and_approve(
            db.session,
            annotation,
            current_user,
            data,
            version=request.form.get("version"),
            comment=request.form.get("comment", ""),
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("review.item", annotation_id=annotation_id))
    db.session.commit()
    remember_decision(annotation)  # the next page's undo bar says what was done
    return open_next()


@bp.app_template_global()
def undoable_adjudication() -> dict | None:
    """The caller's last adjudication decision while it may still be undone."""
    if not current_user.is_authenticated:
        return None
    last = adjudication_undo.last_decision(db.session, current_user)
    if last is None:
        return None
    return {
        "id": last.id,
        "decision": last.decision,
        "group": adjudication_undo.group_number(db.session, last),
        "article_id": last.article_id,
        "until": adjudication_undo.deadline(last),
    }


@bp.post("/adjudication/undo")
@require_role(Role.REVIEWER)
def undo_adjudication():
    """Take back one's last adjudication decision; back to that article's page."""
    raw = request.form.get("decision", "")
    try:
        undone = adjudication_undo.undo(db.session, current_user, parse_id(raw) or 0)
        number = adjudication_undo.group_number(db.session, undone)
        page = url_for(
            "assignments.adjudicate",
            assignment_id=undone.assignment_id,
            article_id=undone.article_id,
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("assignments.index"))
    db.session.commit()
    flash(_("Decision undone: group %(n)s is open again.", n=number), "success")
    return redirect(page)
