"""The home page: what needs me now."""

from flask import render_template

from ..permissions import login_required
from . import bp


@bp.get("/")
@login_required
def home():
    return render_template("main/home.html")


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}
