"""Blind second verdict on the review page (services/second_verdict.py): the reviewer's
own verdict first, then the annotator's verdict and rationale, then the usual decision."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..models import Annotation, Role
from ..permissions import can_review, can_see
from ..services import second_verdict
from ..services.errors import DomainError
from ..services.versions import parse_version
from ..web import require_role
from . import bp


@bp.app_template_global()
def blind_review(annotation: Annotation) -> dict | None:
    """What the review page needs in a blind project, for whoever may review the claim:
    ``required`` (hide the annotator's verdict and rationale), ``mine`` (the committed
    verdict) and ``choices``; None where the setting is off or the viewer may not review."""
    if not current_user.is_authenticated or not can_review(current_user, annotation):
        return None
    if not second_verdict.is_on(db.session, annotation):
        return None
    own = second_verdict.mine(db.session, annotation, current_user)
    return {
        "required": second_verdict.must_commit(db.session, annotation, current_user),
        "mine": own,
        "choices": second_verdict.choices(db.session, annotation),
    }


@bp.post("/<int:annotation_id>/second-verdict")
@require_role(Role.REVIEWER)
def commit_second_verdict(annotation_id: int):
    annotation = db.session.get(Annotation, annotation_id)
    if annotation is None or not can_see(current_user, annotation):
        abort(404)
    # the shape by hand (no FlaskForm): CSRF is checked for every POST by CSRFProtect
    try:
        second_verdict.commit(
            db.session,
            annotation,
            current_user,
            request.form.get("verdict", ""),
            version=parse_version(request.form.get("version") or None),
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("review.item", annotation_id=annotation_id))
    db.session.commit()
    flash(_("Your verdict is recorded. Now compare it with the annotator's."), "success")
    return redirect(url_for("review.item", annotation_id=annotation_id, _anchor="blind-result"))
