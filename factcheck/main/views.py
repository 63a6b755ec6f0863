"""The home page: what needs me now, per role."""

from flask import render_template
from flask_login import current_user

from ..extensions import db
from ..models import Role
from ..permissions import has_project_role, is_admin, is_project_admin
from ..projects.current import current_project, my_projects
from ..services import anchors, dashboard, verdicts
from ..web import login_required
from . import bp


@bp.get("/")
@login_required
def home():
    """What needs me now, in the current project; the projects I belong to."""
    user = current_user
    project = current_project()
    pid = project.id if project is not None else None
    reviews = (has_project_role(user, pid, Role.REVIEWER) if pid else False) or is_admin(user)
    annotates = user.has_role(Role.ANNOTATOR)
    board_admin = is_admin(user) or (pid is not None and is_project_admin(user, pid))
    return render_template(
        "main/home.html",
        annotator=dashboard.annotator_board(db.session, user, project_id=pid)
        if annotates
        else None,
        reviewer=dashboard.reviewer_board(db.session, user, project_id=pid) if reviews else None,
        admin=dashboard.admin_board(db.session, project_id=pid) if board_admin else None,
        verdicts={v.key: v for v in verdicts.scale(db.session, project, include_retired=True)}
        if project is not None
        else {},
        attention=anchors.needs_attention(db.session, user, project_id=pid),
        projects=my_projects(),
        project=project,
        site_admin=is_admin(user),
    )


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}
