"""Admin pages. Placeholder until built."""

from flask import render_template

from ..permissions import Role, require_role
from . import bp


@bp.get("/users")
@require_role(Role.ADMIN)
def users():
    return render_template("main/home.html")
