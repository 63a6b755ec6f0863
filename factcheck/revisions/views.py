"""Revision pages (thin: services/revisions.py and services/anchors.py hold the rules)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..idempotency import creates
from ..jsonsafe import parse_whole
from ..loaders import annotation_or_404, article_or_404
from ..models import Annotation, Article, ArticleRevision
from ..permissions import Role, can_manage_articles, can_settle_anchor
from ..services import anchors, revisions
from ..services.errors import DomainError
from ..services.versions import parse_version
from ..web import login_required, require_role, safe_next
from . import bp


def _admin_article(article_id: int) -> Article:
    """The article, for an administrator of its project (404 outside it, 403 without the role)."""
    article = article_or_404(db.session, article_id, current_user)
    if not can_manage_articles(current_user, article.project_id):
        abort(403)
    return article


@bp.app_template_global()
def revision_history(article: Article) -> list[ArticleRevision]:
    """The article's revisions, newest first, without their texts (for the article page)."""
    return list(reversed(revisions.listing(db.session, article)))


@bp.route("/articles/<int:article_id>/revise", methods=["GET", "POST"])
@require_role(Role.PROJECT_ADMIN)
def revise(article_id: int):
    """Edit the text: "Preview" shows the diff and what happens to the claims; "Save"
    makes the revision (409 if someone revised the article meanwhile)."""
    article = _admin_article(article_id)
    text = request.form.get("text", article.text)
    note = request.form.get("note", "")
    based_on = request.form.get("revision", str(article.revision))
    context = {"article": article, "text": text, "note": note, "based_on": based_on}
    if request.method == "GET":
        return render_template("revisions/revise.html", **context)
    try:
        if request.form.get("action") == "save":
            return _save_revision(article, text, note, based_on)
        shown = revisions.preview(db.session, article, text)  # reads only: no write lock
        return render_template(
            "revisions/revise.html",
            **context,
            preview=shown.diff.parts(article.text, shown.text),
            changes=shown.diff,
            stats=shown.diff.stats(),
            counts=shown.counts,
            unchanged=shown.unchanged,
        )
    except DomainError as error:
        db.session.rollback()
        return render_template("revisions/revise.html", **context, error=error), error.status


@creates  # commits; the form's one-time token makes a double Save revise once
def _save_revision(article: Article, text: str, note: str, based_on: str):
    # planned in a read transaction, then written in a short one: re-anchoring hundreds
    # of claims never holds SQLite's write lock
    result = revisions.revise(
        db.session,
        article,
        text,
        note=note,
        user=current_user,
        expected_revision=based_on if parse_whole(based_on) is None else parse_whole(based_on),
    )
    db.session.flush()
    flash(
        _(
            "Revision %(n)s saved: %(ok)s claims in place, %(relocated)s to confirm, "
            "%(orphaned)s orphaned.",
            n=result.revision.number,
            **result.counts(),
        ),
        "success",
    )
    return redirect(url_for("articles.show", article_id=article.id))


@bp.get("/articles/<int:article_id>/revisions/<int:number>")
@login_required
def show(article_id: int, number: int):
    """What revision ``number`` changed, against the one before (stored with it)."""
    article = article_or_404(db.session, article_id, current_user)
    shown = revisions.shown(db.session, article, number)
    if shown is None:
        abort(404)
    if shown.stored_now:  # a revision older than stored diffs: computed this once
        db.session.commit()
    return render_template("revisions/show.html", article=article, shown=shown)


@bp.post("/annotations/<int:annotation_id>/anchor")
@login_required
def settle(annotation_id: int):
    """The no-script form of ``POST /api/v1/annotations/<id>/anchor`` (confirm)."""
    annotation = annotation_or_404(db.session, annotation_id, current_user)
    anchors.act(
        db.session,
        annotation,
        current_user,
        {"action": request.form.get("action", "")},
        version=parse_version(request.form.get("version")),
    )
    db.session.commit()
    flash(_("The claim's place is confirmed."), "success")
    default = url_for("annotate.page", article_id=annotation.article_id, annotation=annotation.id)
    return redirect(safe_next(request.form.get("next"), default))


@bp.app_template_global()
def anchor_actions_for(annotation: Annotation) -> bool:
    """Does the page offer "Confirm this place"? A relocated claim, and
    ``permissions.can_settle_anchor`` (the rule the API and the service apply)."""
    return annotation.anchor.value == "relocated" and can_settle_anchor(current_user, annotation)
