"""Admin: a project's verdict scale (the current project, or ``?project=SLUG``). Add,
relabel (EN/FR), reorder, colour, shortcut, retire; delete only what no claim uses (409
otherwise). Site admins and the project's admins."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..jsonsafe import parse_id
from ..models import Project, Role, Verdict
from ..permissions import is_member, is_project_admin
from ..projects.current import current_project
from ..services import verdicts as service
from ..services.errors import DomainError
from ..web import require_role
from . import bp

FIELDS = ("label", "label_fr", "colour", "shortcut", "rating")


def _scoped_project() -> Project:
    project = current_project()
    if project is None:
        abort(404)
    if not is_project_admin(current_user, project.id):
        abort(403)
    return project


def _verdict(verdict_id: int) -> Verdict:
    verdict = db.session.get(Verdict, verdict_id)
    if verdict is None or not is_member(current_user, verdict.project_id):
        abort(404)
    if not is_project_admin(current_user, verdict.project_id):
        abort(403)
    return verdict


def _page(
    project: Project,
    status: int = 200,
    error: DomainError | None = None,
    data: dict | None = None,
    rows: dict | None = None,
):
    items = service.scale(db.session, project, include_retired=True)
    usage = {v.id: service.usage(db.session, v) for v in items}
    return (
        render_template(
            "admin/verdicts.html",
            items=items,
            usage=usage,
            error=error,
            data=data or {},
            # the scale's edits as sent, shown again when they are refused (nothing lost)
            rows=rows or {},
            project=project,
        ),
        status,
    )


def _run(project_id: int, action, data: dict | None = None, rows: dict | None = None):
    """Run one change; on a domain error re-render the scale with the message and status."""
    try:
        action()
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        return _page(db.session.get(Project, project_id), error.status, error, data, rows)
    flash(_("The verdict scale is saved."), "success")
    slug = db.session.get(Project, project_id).slug
    return redirect(url_for("admin.verdicts", project=slug))


@bp.get("/verdicts")
@require_role(Role.PROJECT_ADMIN)
def verdicts():
    return _page(_scoped_project())


@bp.post("/verdicts")
@require_role(Role.PROJECT_ADMIN)
def add_verdict():
    project = _scoped_project()
    fields = {name: request.form.get(name, "") for name in FIELDS}
    return _run(
        project.id,
        lambda: service.add_verdict(db.session, request.form.get("key", ""), fields, project),
        {"key": request.form.get("key", ""), **fields},
    )


@bp.post("/verdicts/<int:verdict_id>")
@require_role(Role.PROJECT_ADMIN)
def update_verdict(verdict_id: int):
    verdict = _verdict(verdict_id)
    fields = {name: request.form[name] for name in FIELDS if name in request.form}
    return _run(verdict.project_id, lambda: service.update_verdict(db.session, verdict, fields))


def _scale_rows(form) -> dict[int, dict]:
    """``label-12=…``, ``rating-12=…``: the scale editor's fields, by verdict id."""
    rows: dict[int, dict] = {}
    for key, value in form.items():
        name, _sep, raw_id = key.rpartition("-")
        verdict_id = parse_id(raw_id)
        if name in FIELDS and verdict_id is not None:
            rows.setdefault(verdict_id, {})[name] = value
    return rows


@bp.post("/verdicts/scale")
@require_role(Role.PROJECT_ADMIN)
def save_scale():
    """Every row of the scale at once: Save in any row sends the edits of all of them."""
    project = _scoped_project()
    rows = _scale_rows(request.form)
    return _run(project.id, lambda: service.update_scale(db.session, project.id, rows), rows=rows)


@bp.post("/verdicts/<int:verdict_id>/move")
@require_role(Role.PROJECT_ADMIN)
def move_verdict(verdict_id: int):
    verdict = _verdict(verdict_id)
    step = -1 if request.form.get("direction") == "up" else 1
    return _run(verdict.project_id, lambda: service.move_verdict(db.session, verdict, step))


@bp.post("/verdicts/<int:verdict_id>/retire")
@require_role(Role.PROJECT_ADMIN)
def retire_verdict(verdict_id: int):
    verdict = _verdict(verdict_id)
    retired = request.form.get("retired") == "1"
    return _run(verdict.project_id, lambda: service.set_retired(db.session, verdict, retired))


@bp.post("/verdicts/<int:verdict_id>/delete")
@require_role(Role.PROJECT_ADMIN)
def delete_verdict(verdict_id: int):
    verdict = _verdict(verdict_id)
    return _run(verdict.project_id, lambda: service.delete_verdict(db.session, verdict))
