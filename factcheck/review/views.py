"""Review pages: the queue, "Next", the item page with Approve / Reject / Skip.

The item page doubles as the annotation's own page (its full history): anybody who may
see the annotation may open it; the decision forms appear only for those who may review
it (never its author: the four-eyes rule in the UI; the service enforces it anyway).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..loaders import annotation_or_404, in_review_or_404
from ..models import Anchor, Annotation, ReviewEvent, Role, Status, utcnow
from ..permissions import can_review, is_project_admin
from ..projects.current import current_project
from ..services import queue as review_queue
from ..services import review, review_undo, revisions, verdicts
from ..services.errors import Conflict
from ..services.matching import links as matching_links
from ..web import login_required, number_arg, require_role
from . import bp
from .forms import ApproveForm, QueueFilterForm, RejectForm, ReopenForm, SkipForm
from .navigation import (
    annotation_name,
    filters_from,
    open_next,
    remember_filters,
    remember_skip,
)
from .second_chance import remember_decision


def _visible_or_404(annotation_id: int, *options) -> Annotation:
    return annotation_or_404(db.session, annotation_id, current_user, *options)


#: what the item page shows: the article, the claim's sources, verdict, people and history
ITEM_PAGE = (
    joinedload(Annotation.article),
    joinedload(Annotation.author),
    joinedload(Annotation.reserved_by),
    joinedload(Annotation.verdict_row),
    selectinload(Annotation.sources),
    selectinload(Annotation.events).joinedload(ReviewEvent.actor),
)


@bp.get("/")
@require_role(Role.REVIEWER)
def queue():
    form = QueueFilterForm(request.args)
    project = current_project()
    scale = verdicts.scale(db.session, project, include_retired=True) if project else []
    form.verdict.choices = [("", _("Any verdict"))] + [(v.key, verdicts.label(v)) for v in scale]
    article_choices, annotator_choices = review_queue.filter_choices(
        db.session, current_user, project.id if project else None
    )
    form.article.choices = [("", _("Any article"))] + [(str(i), t) for i, t in article_choices]
    form.annotator.choices = [("", _("Any annotator"))] + annotator_choices
    form.validate()
    remember_filters(request.args)
    page = number_arg("page", most=1_000_000)  # the OFFSET must fit
    result = review_queue.queue_page(
        db.session, current_user, filters_from(request.args, project), page=page, per_page=50
    )
    return render_template(
        "review/queue.html",
        form=form,
        result=result,
        page=page,
        per_page=50,
        verdicts={v.key: v for v in scale},
        now=utcnow(),
        start_form=SkipForm(),
        project=project,
    )


@bp.post("/next")
@require_role(Role.REVIEWER)
def next_item():
    if not SkipForm().validate_on_submit():
        abort(400)
    return open_next()


@bp.get("/<int:annotation_id>")
@login_required
def item(annotation_id: int):
    annotation = _visible_or_404(annotation_id, *ITEM_PAGE)
    may_review = can_review(current_user, annotation) and annotation.status is Status.SUBMITTED
    before, after = (None, None)
    if can_review(current_user, annotation):
        before, after = review_queue.neighbours(db.session, current_user, annotation)
    return render_template(
        "review/item.html",
        annotation=annotation,
        context=review.paragraph_context(
            revisions.text_for(db.session, annotation), annotation.start, annotation.end
        ),
        history=annotation.events,
        undone=review_undo.undone_ids(annotation.events),
        may_review=may_review,
        may_reopen=is_project_admin(current_user, annotation.project_id)
        and annotation.status is Status.APPROVED,
        project=annotation.article.project,
        held_by_other=review_queue.is_reserved_by_other(annotation, current_user),
        now=utcnow(),
        before_id=before,
        after_id=after,
        approve_form=ApproveForm(version=annotation.version, formdata=None),
        reject_form=RejectForm(version=annotation.version, formdata=None),
        skip_form=SkipForm(),
        reopen_form=ReopenForm(version=annotation.version, formdata=None),
        same_as=matching_links.confirmed(db.session, current_user, annotation),
    )


def _decide(annotation_id: int, decision: str, form):
    annotation = in_review_or_404(db.session, annotation_id, current_user)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("review.item", annotation_id=annotation_id))
    if (
        decision == "approve"
        and annotation.anchor is Anchor.ORPHANED
        and request.form.get("orphan_ok") != "1"
    ):
        # approved as it is, the claim keeps a quote the article no longer has and stays
        # out of the exact export: the reviewer decides that knowingly, or not at all
        flash(
            _(
                "Not approved yet: a revision of the article removed this claim's passage, "
                "so approved as it is it keeps an old quote and stays out of the default "
                "export. Tick “Its passage is gone: approve anyway” to approve it, or send it "
                "back so that its author selects the passage again."
            ),
            "error",
        )
        return redirect(url_for("review.item", annotation_id=annotation_id))
    try:
        review.decide(
            db.session,
            annotation,
            current_user,
            decision,
            version=form.version.data,
            comment=form.comment.data or "",
        )
    except Conflict as error:
        if error.code != "already_decided":
            raise
        # a double submit: the first one counted; carry on as if this one had
        db.session.rollback()
        flash(error.message, "info")
        return open_next()
    # the next page's undo bar says what was decided (and offers "Undo" for a few minutes):
    # no second banner saying the same
    remember_decision(annotation)
    return open_next()


@bp.post("/<int:annotation_id>/approve")
@require_role(Role.REVIEWER)
def approve(annotation_id: int):
    return _decide(annotation_id, "approve", ApproveForm())


@bp.post("/<int:annotation_id>/reject")
@require_role(Role.REVIEWER)
def reject(annotation_id: int):
    return _decide(annotation_id, "reject", RejectForm())


@bp.post("/<int:annotation_id>/skip")
@require_role(Role.REVIEWER)
def skip(annotation_id: int):
    annotation = _visible_or_404(annotation_id)
    if not SkipForm().validate_on_submit():
        abort(400)
    review_queue.release(db.session, annotation, current_user)
    remember_skip(annotation_id)
    return open_next()


@bp.post("/<int:annotation_id>/reopen")
@require_role(Role.PROJECT_ADMIN)
def reopen(annotation_id: int):
    annotation = _visible_or_404(annotation_id)
    form = ReopenForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("review.item", annotation_id=annotation_id))
    review.reopen(
        db.session, annotation, current_user, version=form.version.data, reason=form.reason.data
    )
    db.session.commit()
    flash(
        _(
            "Reopened “%(claim)s”: it is back in the review queue.",
            claim=annotation_name(annotation),
        ),
        "success",
    )
    return redirect(url_for("review.item", annotation_id=annotation_id))
