"""The home page: what needs me now, per role."""

from flask import render_template
from flask_login import current_user

from ..extensions import db
from ..permissions import Role, is_admin, login_required
from ..services import anchors, dashboard, verdicts
from . import bp


@bp.get("/")
@login_required
def home():
    user = current_user
    reviews = user.has_role(Role.REVIEWER) or is_admin(user)
    annotates = user.has_role(Role.ANNOTATOR)
    return render_template(
        "main/home.html",
        annotator=dashboard.annotator_board(db.session, user) if annotates else None,
        reviewer=dashboard.reviewer_board(db.session, user) if reviews else None,
        admin=dashboard.admin_board(db.session) if is_admin(user) else None,
        attention=anchors.needs_attention(db.session, user),
        verdicts={v.key: v for v in verdicts.scale(db.session, include_retired=True)},
    )


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}
