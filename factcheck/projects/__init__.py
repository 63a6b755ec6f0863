"""Project pages: the switcher, the list of my projects, and the project admin page."""

from flask import Blueprint

bp = Blueprint("projects", __name__, url_prefix="/projects")

from . import members, views  # noqa: E402,F401
