"""Assignment pages: the list (and creation), one assignment's progress and agreement,
"My work" for annotators, and the adjudication page for reviewers."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..idempotency import creates
from ..models import Annotation, Article, Assignment, AssignmentArticle, User
from ..permissions import Role, is_project_admin
from ..projects.current import current_project
from ..services import adjudication, assignment_agreement, assignments, projects, verdicts
from ..services.errors import DomainError, NotFound
from ..web import require_role
from . import bp
from .forms import AssignmentForm, DecisionForm, DoneForm

#: the article picker lists at most this many free articles (search narrows it)
PICKER_LIMIT = 200


def _assignment_or_404(assignment_id: int) -> Assignment:
    try:
        return assignments.get_visible(db.session, assignment_id, current_user)
    except NotFound:
        abort(404)


def _picker(form: AssignmentForm, project, search: str) -> None:
    """Free articles of the project, and its annotators."""
    taken = select(AssignmentArticle.article_id)
    query = select(Article.id, Article.title).where(
        Article.project_id == project.id, Article.id.not_in(taken)
    )
    if search:
        query = query.where(Article.title.ilike(f"%{search}%"))
    rows = db.session.execute(query.order_by(Article.id.desc()).limit(PICKER_LIMIT))
    form.article_ids.choices = [(i, t) for i, t in rows]
    form.annotators.choices = [
        (user.username, user.name)
        for user, roles in projects.members(db.session, project)
        if Role.ANNOTATOR in roles and user.active
    ]


@bp.route("/", methods=["GET", "POST"])
@require_role(Role.REVIEWER)
@creates  # commits; the form's one-time token makes a double submit create once
def index():
    form = AssignmentForm()
    search = (request.args.get("q") or "").strip()[:200]
    project = current_project()
    manages = project is not None and is_project_admin(current_user, project.id)
    status = 200
    if manages:
        _picker(form, project, search)
    if request.method == "POST":
        if not manages:
            abort(403)
        if form.validate_on_submit():
            try:
                assignment = assignments.create(
                    db.session,
                    current_user,
                    {
                        "project": project.slug,
                        "name": form.name.data,
                        "article_ids": form.article_ids.data,
                        "annotators": form.annotators.data,
                        "per_article": form.per_article.data,
                        "blind": form.blind.data,
                    },
                )
                db.session.flush()
            except DomainError as error:
                # the page again, with everything as typed and ticked, and the reason
                db.session.rollback()
                flash(error.message, "error")
                status = 422
            else:
                flash(_("Assignment created."), "success")
                return redirect(url_for("assignments.show", assignment_id=assignment.id))
        else:
            status = 422
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return render_template(
        "assignments/index.html",
        items=assignments.listing(db.session, current_user),
        project=project,
        manages=manages,
        progress=assignment_agreement.progress(db.session),
        waiting=len(adjudication.queue(db.session, current_user)),
        form=form,
        search=search,
    ), status


@bp.get("/<int:assignment_id>")
@require_role()
def show(assignment_id: int):
    assignment = _assignment_or_404(assignment_id)
    states = assignments.states_for(db.session, assignment, current_user)
    staff = assignments.is_staff(current_user, assignment)
    report = per_article = None
    if staff:
        report = assignment_agreement.agreement_report(db.session, assignment)
        per_article = assignment_agreement.per_article(db.session, assignment)
    return render_template(
        "assignments/show.html",
        assignment=assignment,
        states=states,
        report=report,
        per_article=per_article,
        staff=staff,
    )


@bp.get("/work")
@require_role(Role.ANNOTATOR)
def work():
    return render_template(
        "assignments/work.html",
        rows=assignments.my_work(db.session, current_user),
        form=DoneForm(),
    )


@bp.post("/<int:assignment_id>/articles/<int:article_id>/done")
@require_role(Role.ANNOTATOR)
def done(assignment_id: int, article_id: int):
    assignment = _assignment_or_404(assignment_id)
    if DoneForm().validate_on_submit():
        undo = request.form.get("undo") == "1"
        assignments.mark_done(db.session, assignment, article_id, current_user, done=not undo)
        db.session.commit()
        flash(_("Reopened: you can change your claims.") if undo else _("Marked done."), "success")
    return redirect(url_for("assignments.work"))


@bp.post("/adjudicate/next")
@require_role(Role.REVIEWER)
def adjudicate_next():
    if not DoneForm().validate_on_submit():
        abort(400)
    aa = adjudication.next_item(db.session, current_user)
    db.session.commit()
    if aa is None:
        flash(_("Nothing waits for adjudication."), "success")
        return redirect(url_for("assignments.index"))
    return redirect(
        url_for("assignments.adjudicate", assignment_id=aa.assignment_id, article_id=aa.article_id)
    )


@bp.route("/<int:assignment_id>/articles/<int:article_id>/adjudicate", methods=["GET", "POST"])
@require_role(Role.REVIEWER)
def adjudicate(assignment_id: int, article_id: int):
    aa = adjudication.get(db.session, _assignment_or_404(assignment_id).id, article_id)
    adjudication.check_adjudicator(db.session, aa, current_user)
    form = DecisionForm()
    if request.method == "POST" and form.validate_on_submit():
        _decide(aa, form)
        return redirect(request.url)
    article = db.session.get(Article, article_id)
    groups = adjudication.groups(db.session, aa)
    authors = {a.author_id for g in groups for a in g.versions}
    names = {u.id: u.name for u in db.session.scalars(select(User).where(User.id.in_(authors)))}
    return render_template(
        "assignments/adjudicate.html",
        aa=aa,
        article=article,
        groups=groups,
        contexts=[_context(article.text, g.start, g.end) for g in groups],
        names=names,
        scale=verdicts.scale(db.session, aa.assignment.project_id, include_retired=True),
        form=form,
    )


def _context(text: str, start: int, end: int, width: int = 80) -> tuple[str, str, str]:
    return text[max(start - width, 0) : start], text[start:end], text[end : end + width]


def _decide(aa: AssignmentArticle, form: DecisionForm) -> None:
    data = {"start": form.start.data, "end": form.end.data, "decision": form.decision.data}
    if form.decision.data == "accept":
        data["annotation_id"] = form.annotation_id.data
        source = db.session.get(Annotation, form.annotation_id.data or 0)
        # "accept with edits" sends the four fields: keep only what the adjudicator changed
        edits = {
            name: getattr(form, name).data or ""
            for name in adjudication.EDITABLE
            if name in request.form and source is not None
        }
        edits = {k: v for k, v in edits.items() if v != (getattr(source, k) or "")}
        if edits:
            data["edits"] = edits
    try:
        adjudication.decide(db.session, aa, current_user, data)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return
    if aa.adjudicated_at is not None:
        flash(_("Article adjudicated: the accepted claims are approved."), "success")
    else:
        flash(_("Group settled."), "success")
