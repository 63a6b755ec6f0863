"""Claimants pages (the JSON twin is api/claimants.py)."""

from flask import Blueprint

bp = Blueprint("claimants", __name__)

from . import views  # noqa: E402,F401
