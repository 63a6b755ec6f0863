"""Admin: the verdict scale. Add, relabel (EN/FR), reorder, colour, shortcut, retire;
delete only what no claim uses (409 otherwise)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..models import Verdict
from ..permissions import Role, require_role
from ..services import verdicts as service
from ..services.errors import DomainError
from . import bp

FIELDS = ("label", "label_fr", "colour", "shortcut", "rating")


def _page(status: int = 200, error: DomainError | None = None, data: dict | None = None):
    items = service.scale(db.session, include_retired=True)
    usage = {v.id: service.usage(db.session, v) for v in items}
    return (
        render_template(
            "admin/verdicts.html", items=items, usage=usage, error=error, data=data or {}
        ),
        status,
    )


def _run(action, data: dict | None = None):
    """Run one change; on a domain error re-render the scale with the message and status."""
    try:
        action()
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        return _page(error.status, error, data)
    flash(_("The verdict scale is saved."), "success")
    return redirect(url_for("admin.verdicts"))


@bp.get("/verdicts")
@require_role(Role.ADMIN)
def verdicts():
    return _page()


@bp.post("/verdicts")
@require_role(Role.ADMIN)
def add_verdict():
    fields = {name: request.form.get(name, "") for name in FIELDS}
    return _run(
        lambda: service.add_verdict(db.session, request.form.get("key", ""), fields),
        {"key": request.form.get("key", ""), **fields},
    )


@bp.post("/verdicts/<int:verdict_id>")
@require_role(Role.ADMIN)
def update_verdict(verdict_id: int):
    verdict = db.get_or_404(Verdict, verdict_id)
    fields = {name: request.form[name] for name in FIELDS if name in request.form}
    return _run(lambda: service.update_verdict(db.session, verdict, fields))


@bp.post("/verdicts/<int:verdict_id>/move")
@require_role(Role.ADMIN)
def move_verdict(verdict_id: int):
    verdict = db.get_or_404(Verdict, verdict_id)
    step = -1 if request.form.get("direction") == "up" else 1
    return _run(lambda: service.move_verdict(db.session, verdict, step))


@bp.post("/verdicts/<int:verdict_id>/retire")
@require_role(Role.ADMIN)
def retire_verdict(verdict_id: int):
    verdict = db.get_or_404(Verdict, verdict_id)
    retired = request.form.get("retired") == "1"
    return _run(lambda: service.set_retired(db.session, verdict, retired))


@bp.post("/verdicts/<int:verdict_id>/delete")
@require_role(Role.ADMIN)
def delete_verdict(verdict_id: int):
    verdict = db.get_or_404(Verdict, verdict_id)
    return _run(lambda: service.delete_verdict(db.session, verdict))
