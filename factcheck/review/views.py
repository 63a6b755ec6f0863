"""Review pages: the queue, "Next", the item page with Approve / Reject / Skip.

The item page doubles as the annotation's own page (its full history): anybody who may
see the annotation may open it; the decision forms appear only for those who may review
it (never its author: the four-eyes rule in the UI; the service enforces it anyway).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..loaders import annotation_or_404, in_review_or_404
from ..models import Annotation, ReviewEvent, Role, Status, utcnow
from ..permissions import can_review, is_project_admin
from ..projects.current import current_project
from ..services import queue as review_queue
from ..services import review, revisions, verdicts
from ..services.errors import Conflict
from ..services.matching import links as matching_links
from ..web import login_required, require_role
from . import bp
from .forms import ApproveForm, QueueFilterForm, RejectForm, ReopenForm, SkipForm
from .second_chance import remember_decision

#: ids skipped in this browser session, so that "Next" does not hand them straight back
SKIP_KEY = "review_skip"
MAX_SKIPS = 200


def _skipped() -> list[int]:
    return [int(i) for i in session.get(SKIP_KEY, [])]


def _remember_skip(annotation_id: int) -> None:
    skipped = [i for i in _skipped() if i != annotation_id] + [annotation_id]
    session[SKIP_KEY] = skipped[-MAX_SKIPS:]


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


#: the queue's active filters, kept so that "Next" (and every decision) stays inside them
FILTERS_KEY = "review_filters"
FILTER_NAMES = ("article", "annotator", "verdict", "claimant")


def _filters_from(values, project=None) -> review_queue.QueueFilters:
    article = str(values.get("article") or "").strip()
    return review_queue.QueueFilters(
        project_id=project.id if project is not None else None,
        article_id=int(article) if article.isdigit() and len(article) < 10 else None,
        annotator=str(values.get("annotator") or "").strip()[:80],
        # a blind project's queue must not sort claims by the verdict it hides
        verdict=""
        if project is not None and project.blind_second_verdict
        else str(values.get("verdict") or "")[:64],
        claimant=str(values.get("claimant") or "").strip()[:300],
    )


def _remember_filters(args) -> None:
    wanted = {name: args.get(name, "") for name in FILTER_NAMES if args.get(name, "").strip()}
    if wanted:
        session[FILTERS_KEY] = wanted
    else:
        session.pop(FILTERS_KEY, None)


@bp.get("/")
@require_role(Role.REVIEWER)
def queue():
    form = QueueFilterForm(request.args)
    project = current_project()
    scale = verdicts.scale(db.session, project, include_retired=True) if project else []
    form.verdict.choices = [("", _("Any verdict"))] + [(v.key, v.label) for v in scale]
    article_choices, annotator_choices = review_queue.filter_choices(
        db.session, current_user, project.id if project else None
    )
    form.article.choices = [("", _("Any article"))] + [(str(i), t) for i, t in article_choices]
    form.annotator.choices = [("", _("Any annotator"))] + annotator_choices
    form.validate()
    _remember_filters(request.args)
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page = 1
    result = review_queue.queue_page(
        db.session, current_user, _filters_from(request.args, project), page=page, per_page=50
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
    return _open_next()


def _open_next():
    """Reserve the next free item for the caller and go to it (commits)."""
    filters = _filters_from(session.get(FILTERS_KEY, {}), current_project())
    annotation = review_queue.next_item(db.session, current_user, skip=_skipped(), filters=filters)
    db.session.commit()
    if annotation is None:
        active = session.get(FILTERS_KEY, {})
        if _skipped():
            session.pop(SKIP_KEY, None)  # a fresh round may offer the skipped ones again
            flash(_("Nothing else to review now: you skipped the rest."), "info")
        elif active:
            flash(_("Nothing left to review with the active filters."), "info")
        else:
            flash(_("The queue is empty: nothing waits for review. Well done!"), "success")
        return redirect(url_for("review.queue", **active))
    return redirect(url_for("review.item", annotation_id=annotation.id))


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
        return _open_next()
    remember_decision(annotation)  # "Undo" is offered on the next page for a few minutes
    if decision == "approve":
        flash(_("Approved claim %(id)s.", id=annotation_id), "success")
    else:
        flash(_("Rejected claim %(id)s: it went back to its author.", id=annotation_id), "success")
    return _open_next()


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
    _remember_skip(annotation_id)
    return _open_next()


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
    flash(_("Reopened claim %(id)s: it is back in the review queue.", id=annotation_id), "success")
    return redirect(url_for("review.item", annotation_id=annotation_id))
