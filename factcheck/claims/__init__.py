"""Claims pages (the JSON twin is api/claims.py)."""

from flask import Blueprint

bp = Blueprint("claims", __name__)

from . import views  # noqa: E402,F401
