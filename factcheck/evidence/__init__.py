"""Evidence pages: a source with its health and captures, a capture's reading view, and
the sources needing attention (the JSON twin is api/evidence.py)."""

from flask import Blueprint

bp = Blueprint("evidence", __name__)

from . import views  # noqa: E402,F401
