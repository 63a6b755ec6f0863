"""Claimants pages: the list (search, likely duplicates for those who may merge), a
claimant's page (their claims by verdict over time, the edit form) and the merge
confirmation. Members of a project read; site and project admins edit and merge."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..jsonsafe import parse_whole
from ..models import Claimant, ClaimantKind, Verdict
from ..permissions import can_edit_claimants, can_see_claimants, is_admin
from ..services import claimants as service
from ..services import verdicts as verdict_service
from ..services.errors import DomainError
from ..web import login_required, number_arg
from . import bp
from .chart import chart

PER_PAGE = 50


def _reader() -> None:
    if not can_see_claimants(current_user):
        abort(403)


def _editor() -> None:
    if not can_edit_claimants(current_user):
        abort(403)


def _claimant(claimant_id: int) -> Claimant:
    return db.get_or_404(Claimant, claimant_id)


@bp.get("/claimants")
@login_required
def index():
    _reader()
    q = request.args.get("q", "").strip()[:300]
    page = number_arg("page", most=100_000)
    if q:
        items = [s.claimant for s in service.suggest(db.session, q, service.MAX_LIMIT)]
        total = len(items)
    else:
        items, total = service.listing(db.session, page, PER_PAGE)
    may_merge = can_edit_claimants(current_user)
    return render_template(
        "claimants/index.html",
        items=items,
        total=total,
        q=q,
        page=page,
        per_page=PER_PAGE if not q else max(total, 1),
        counts=service.claim_counts(db.session, [c.id for c in items], current_user),
        duplicates=service.duplicates(db.session) if may_merge else [],
        may_merge=may_merge,
        admin_nav=is_admin(current_user),
    )


def _labels(keys) -> dict[str, str]:
    """Verdict key → label, from the default scale, else any project's verdict so named."""
    labels = verdict_service.labels(db.session)
    missing = [k for k in keys if k not in labels and k not in (service.HIDDEN, service.NONE)]
    if missing:
        for verdict in db.session.scalars(select(Verdict).where(Verdict.key.in_(missing))):
            labels.setdefault(verdict.key, verdict_service.label(verdict))
    labels[service.HIDDEN] = _("Verdict hidden until you give yours")
    labels[service.NONE] = _("No verdict yet")
    return labels


def _render_claimant(claimant: Claimant, *, error: DomainError | None = None, form=None):
    history = service.claims_by_verdict_over_time(db.session, claimant, current_user)
    claims = service.claims_of(db.session, claimant, current_user)
    groups: dict[str, list] = {key: [] for key in history.by_verdict}
    for annotation, shown in claims:
        groups.setdefault(shown, []).append(annotation)
    kept = service.live(db.session, claimant) if claimant.merged_into_id else None
    return render_template(
        "claimants/claimant.html",
        claimant=claimant,
        kept=kept,
        history=history,
        groups=groups,
        labels=_labels(groups),
        chart=chart(history),
        may_edit=can_edit_claimants(current_user) and claimant.merged_into_id is None,
        kinds=[k.value for k in ClaimantKind],
        error=error,
        form=form or {},
    ), (error.status if error is not None else 200)


@bp.get("/claimants/<int:claimant_id>")
@login_required
def claimant_page(claimant_id: int):
    _reader()
    return _render_claimant(_claimant(claimant_id))


def _lines(name: str) -> list[str]:
    return [line.strip() for line in request.form.get(name, "").splitlines() if line.strip()]


@bp.post("/claimants/<int:claimant_id>")
@login_required
def edit(claimant_id: int):
    _editor()
    claimant = _claimant(claimant_id)
    # the shape by hand (no FlaskForm): CSRF is checked for every POST by CSRFProtect
    data = {
        "name": request.form.get("name", ""),
        "kind": request.form.get("kind", ""),
        "description": request.form.get("description", ""),
        "aliases": _lines("aliases"),
        "same_as": _lines("same_as"),
        "version": parse_whole(request.form.get("version", "")),
    }
    try:
        service.update_claimant(db.session, claimant, data)
    except DomainError as error:
        db.session.rollback()
        claimant = _claimant(claimant_id)
        return _render_claimant(claimant, error=error, form=request.form)
    db.session.commit()
    flash(_("Claimant saved."), "success")
    return redirect(url_for("claimants.claimant_page", claimant_id=claimant_id))


def _into() -> Claimant:
    into = parse_whole(request.values.get("into", ""))
    target = db.session.get(Claimant, into) if into is not None else None
    if target is None:
        abort(404)
    return target


@bp.get("/claimants/<int:claimant_id>/merge")
@login_required
def merge_confirm(claimant_id: int):
    _editor()
    source, target = _claimant(claimant_id), _into()
    moving = service.claim_counts(db.session, [source.id], current_user).get(source.id, 0)
    return render_template(
        "claimants/merge.html",
        source=source,
        target=target,
        moving=moving,
        names=[source.name, *(a.alias for a in source.aliases)],
    )


@bp.post("/claimants/<int:claimant_id>/merge")
@login_required
def merge(claimant_id: int):
    _editor()
    source = _claimant(claimant_id)
    try:
        kept = service.merge(
            db.session,
            source,
            parse_whole(request.form.get("into", "")),
            parse_whole(request.form.get("version", "")),
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("claimants.index"))
    db.session.commit()
    flash(_("%(source)s was merged into %(kept)s.", source=source.name, kept=kept.name), "success")
    return redirect(url_for("claimants.claimant_page", claimant_id=kept.id))
