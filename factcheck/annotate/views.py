"""The annotate page, its HTML form fallback (no JavaScript, no mouse), "My claims" and
the verdict colours stylesheet.

The page's JavaScript uses the JSON API; the HTML routes here call the same services,
and on a validation error re-render the page with the user's input kept.
"""

from __future__ import annotations

import hashlib

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from ..errors import on_csrf_failure
from ..extensions import db
from ..idempotency import creates
from ..jsonsafe import parse_whole
from ..loaders import annotation_or_404, article_or_404
from ..models import Anchor, Annotation, Article, Role, Status
from ..models.base import MAX_ID
from ..permissions import (
    can_annotate,
    can_edit,
    can_settle_anchor,
    holds,
    why_no_annotating,
)
from ..projects.current import current_project
from ..services import annotations as service
from ..services import second_verdict
from ..services import verdicts as verdict_service
from ..services.appearances import MAX_APPEARANCES
from ..services.errors import BadRequest, DomainError, NotFound
from ..services.evidence.reading import source_evidence
from ..services.paragraphs import lines as paragraph_lines
from ..services.spans import find_quote, snap_outward
from ..web import number_arg, require_role
from . import bp

EDIT_ROLES = (Role.ANNOTATOR,)
VIEW_ROLES = (Role.ANNOTATOR, Role.REVIEWER)


def paragraphs(text: str) -> list[tuple[int, str, bool]]:
    """(code-point start, text, blank) of each paragraph: the one rule of
    services/paragraphs.py (a paragraph is a line)."""
    return paragraph_lines(text)


def span_data(items: list[Annotation], user, hidden: set[int] = frozenset()) -> list[list]:
    """Compact rows for the page's script: id, start, end, verdict, status, mine; no verdict
    for the claims whose verdict ``user`` may not see yet (blind second verdict)."""
    return [
        [
            a.id,
            a.start,
            a.end,
            "" if a.id in hidden else a.verdict or "",
            a.status.value,
            int(a.author_id == user.id),
        ]
        for a in items
        if a.anchor.value != "orphaned"  # its offsets index an older revision
    ]


def may_settle(items: list[Annotation], user) -> list[int]:
    """The claims a revision left in doubt whose place ``user`` may settle: the page's script
    offers "Confirm this place" on these only (``permissions.can_settle_anchor``)."""
    return [a.id for a in items if a.anchor is not Anchor.OK and can_settle_anchor(user, a)]


def form_data(form: MultiDict) -> dict:
    """The claim form as the service's input mapping (field names are the JSON names)."""
    data: dict = {}
    for name in ("start", "end"):
        raw = (form.get(name) or "").strip()
        number = parse_whole(raw)  # "²" is a digit to isdigit(), not to int()
        data[name] = raw if number is None else number
    for name in ("quote", "claim", "claimant", "verdict", "rationale"):
        data[name] = form.get(name, "")
    sources = []
    for i in range(service.MAX_SOURCES + 5):
        row = {k: form.get(f"sources-{i}-{k}", "") for k in ("url", "title", "note")}
        if any(v.strip() for v in row.values()):
            sources.append(row | source_evidence(form, i))
    data["sources"] = sources
    return data | when_where(form)


def when_where(form: MultiDict) -> dict:
    """The form's claimant id, claim date, medium and appearances rows (``appearances-N-url``
    …, the radio ``appearances-first`` naming the first's row), as the API takes them."""
    raw_id = (form.get("claimant_id") or "").strip()
    number = parse_whole(raw_id)
    first = form.get("appearances-first", "")
    rows = []
    for i in range(MAX_APPEARANCES + 5):
        row = {k: form.get(f"appearances-{i}-{k}", "").strip() for k in ("url", "date", "note")}
        if any(row.values()):
            rows.append(row | {"date": row["date"] or None, "first": first == str(i)})
    return {
        "claimant_id": number if number is not None else raw_id or None,
        "claim_date": form.get("claim_date", ""),
        "claim_medium": form.get("claim_medium", ""),
        "appearances": rows,
    }


def _visible(annotation_id: int) -> Annotation:
    return annotation_or_404(db.session, annotation_id, current_user)


def _article(article_id: int) -> Article:
    return article_or_404(db.session, article_id, current_user)


CLAIMS_PER_PAGE = 100


def _render(article: Article, *, status: int = 200, **panel):
    """The annotate page; ``panel`` says what the side panel shows."""
    user = current_user._get_current_object()
    items = service.visible_for_article(db.session, article, user)
    # blind second verdict: a reviewer who owes their own verdict sees neither the
    # annotator's verdict nor its colour here either (the API hides it the same way)
    hidden = second_verdict.hidden_ids(db.session, user, items)
    query = request.args.get("q", "").strip()[:300]
    project = article.project
    scale = verdict_service.scale(db.session, project)
    labels = {v.key: v.label_for(str(get_locale() or "en")) for v in scale}
    # the list under the text (how claims open without JavaScript) goes by pages: a
    # thousand claims would otherwise weigh more than the article itself
    pages = max(1, -(-len(items) // CLAIMS_PER_PAGE))
    claims_page = number_arg("claims_page", most=pages)
    start = (claims_page - 1) * CLAIMS_PER_PAGE
    return render_template(
        "annotate/page.html",
        article=article,
        paragraphs=paragraphs(article.text),
        items=items[start : start + CLAIMS_PER_PAGE],
        claims_total=len(items),
        claims_page=claims_page,
        claims_pages=pages,
        spans=span_data(items, user, hidden),
        may_settle=may_settle(items, user),
        hidden_verdicts=hidden,
        verdicts=scale,
        verdict_labels=labels,
        query=query,
        matches=find_quote(article.text, query) if query else [],
        can_annotate=can_annotate(user, project),
        # why selecting a passage opens no form, said on the page (None: it does)
        no_annotating=why_no_annotating(user, project),
        project=project,
        limits=service.LIMITS,
        **panel,
    ), status


def _chosen_span(article: Article) -> dict | None:
    """A span picked from the "find the quote" matches (``?start=…&end=…``)."""
    start = parse_whole(request.args.get("start", ""))
    end = parse_whole(request.args.get("end", ""))
    if start is None or end is None:
        return None
    if not 0 <= start < end <= len(article.text):
        return None
    start, end = snap_outward(article.text, start, end)
    quote = article.text[start:end]
    # the claim starts empty: "use the quote" copies it on purpose, never by accident
    return {"start": start, "end": end, "quote": quote, "claim": "", "sources": []}


@bp.get("/articles/<int:article_id>/annotate")
@require_role(*VIEW_ROLES)
def page(article_id: int):
    article = _article(article_id)
    selected = None
    if (number := parse_whole(request.args.get("annotation", ""))) is not None and number >= 0:
        if number > MAX_ID:
            abort(404)
        selected = _visible(number)
        if selected.article_id != article.id:
            abort(404)
    return _render(article, selected=selected, form=_chosen_span(article))


@bp.post("/articles/<int:article_id>/annotate")
@require_role(*EDIT_ROLES)
@creates  # commits; the form's one-time token makes a double submit create once
def create(article_id: int):
    article = _article(article_id)
    data = form_data(request.form)
    data["status"] = "submitted" if request.form.get("action") == "submit" else "draft"
    try:
        annotation = service.create(db.session, article, current_user, data)
    except DomainError as error:
        db.session.rollback()
        return _render(article, status=error.status, form=data, error=error)
    return _saved(annotation)


@bp.post("/annotations/<int:annotation_id>/edit")
@require_role(*EDIT_ROLES)
def edit(annotation_id: int):
    annotation = _visible(annotation_id)
    article = annotation.article
    data = form_data(request.form)
    try:
        service.update_annotation(
            db.session, annotation, current_user, data, version=request.form.get("version")
        )
        if request.form.get("action") == "submit" and annotation.status is not Status.SUBMITTED:
            service.submit(db.session, annotation, current_user, version=annotation.version)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        annotation = db.session.get(Annotation, annotation_id)
        data["version"] = request.form.get("version")
        return _render(article, status=error.status, selected=annotation, edit=data, error=error)
    return _saved(annotation)


@bp.post("/annotations/<int:annotation_id>/withdraw")
@require_role(*EDIT_ROLES)
def withdraw(annotation_id: int):
    annotation = _visible(annotation_id)
    service.withdraw(db.session, annotation, current_user, version=request.form.get("version"))
    db.session.commit()
    flash(_("Withdrawn from review: the claim is a draft again, to correct or delete."), "success")
    return redirect(url_for(".page", article_id=annotation.article_id, annotation=annotation.id))


@bp.post("/annotations/<int:annotation_id>/delete")
@require_role(*EDIT_ROLES)
def delete(annotation_id: int):
    annotation = _visible(annotation_id)
    back = url_for(".page", article_id=annotation.article_id)
    service.delete_annotation(
        db.session, annotation, current_user, version=request.form.get("version")
    )
    db.session.commit()
    return redirect(back)


def _may_annotate() -> bool:
    return holds(current_user, *EDIT_ROLES)


def _on_expired_form(endpoint: str, find, arg: str):
    """The answer to a form of ``endpoint`` whose CSRF token expired: the page again with what
    the user typed and a fresh token. The decorated function renders it from the form's
    target (``find(view_args[arg])``), the typed data and the error; a user who may not
    annotate, or a target they may not see, gets the ordinary CSRF error page instead."""

    def decorate(render):
        @on_csrf_failure(endpoint)
        def back(message: str):
            if not _may_annotate():
                return None
            try:
                target = find(request.view_args.get(arg))
            except NotFound:
                return None
            error = BadRequest(message, code="csrf_failed")
            return render(target, form_data(request.form), error)

        return render

    return decorate


@_on_expired_form("annotate.create", _article, "article_id")
def _create_form_back(article: Article, data: dict, error: BadRequest):
    """The user's claim back in the panel."""
    return _render(article, status=400, form=data, error=error)


@_on_expired_form("annotate.edit", _visible, "annotation_id")
def _edit_form_back(annotation: Annotation, data: dict, error: BadRequest):
    data["version"] = request.form.get("version")
    return _render(annotation.article, status=400, selected=annotation, edit=data, error=error)


def _saved(annotation: Annotation):
    return redirect(
        url_for(".page", article_id=annotation.article_id, annotation=annotation.id)
        + f"#annotation-{annotation.id}"
    )


@bp.get("/mine")
@require_role(*EDIT_ROLES)
def mine():
    project = current_project()
    items = service.mine(db.session, current_user, project.id if project is not None else None)
    groups = {s.value: [a for a in items if a.status is s] for s in Status}
    return render_template("annotate/mine.html", groups=groups, total=len(items))


@bp.get("/verdicts.css")
def verdicts_css():
    """Verdict colours from the table, so templates need no inline styles."""
    project = current_project() if request.args.get("project") else None
    scale = verdict_service.scale(db.session, project, include_retired=True)
    css = render_template("annotate/verdicts.css", verdicts=scale)
    etag = hashlib.sha256(css.encode()).hexdigest()[:20]
    response = Response(css, mimetype="text/css")
    response.set_etag(etag)
    # the scale rarely changes; revalidation is cheap thanks to the ETag
    response.headers["Cache-Control"] = "public, max-age=300"
    return response.make_conditional(request)


@bp.app_template_global()
def may_edit(annotation: Annotation) -> bool:
    return can_edit(current_user, annotation)
