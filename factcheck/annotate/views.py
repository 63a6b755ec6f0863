"""Views of this area. Placeholder until its issue is built."""

from flask import render_template

from ..permissions import login_required
from . import bp


@bp.get("/mine")
@login_required
def mine():
    return render_template("main/home.html")


@bp.get("/articles/<int:article_id>/annotate")
@login_required
def page(article_id: int):
    return render_template("main/home.html")
