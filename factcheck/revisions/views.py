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
from ..services import anchors, revisions, textdiff
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
    """The article's revisions, newest first (for the article page)."""
    return list(reversed(revisions.history(db.session, article)))


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
        counts = revisions.dry_run(db.session, article, text)
        clean = revisions.clean_text(text)
        parts = textdiff.segments(article.text, clean)
        return render_template(
            "revisions/revise.html",
            **context,
            preview=parts,
            stats=textdiff.stats(parts),
            counts=counts,
            unchanged=clean == article.text,
        )
    except DomainError as error:
        db.session.rollback()
        return render_template("revisions/revise.html", **context, error=error), error.status


@creates  # commits; the form's one-time token makes a double Save revise once
def _save_revision(article: Article, text: str, note: str, based_on: str):
    result = revisions.create_revision(
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
    """What revision ``number`` changed, against the one before."""
    article = article_or_404(db.session, article_id, current_user)
    by_number = {r.number: r for r in revisions.history(db.session, article)}
    if number not in by_number:
        abort(404)
    row = by_number[number]
    before = by_number.get(number - 1)
    parts = textdiff.segments(before.text, row.text) if before else []
    return render_template(
        "revisions/show.html",
        article=article,
        row=row,
        before=before,
        parts=parts,
        stats=textdiff.stats(parts) if before else None,
    )


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
