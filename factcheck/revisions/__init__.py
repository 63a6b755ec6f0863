"""Article revisions in the browser: the admin's "Edit text" page with its diff preview,
one revision's changes, and the form that confirms a relocated claim."""

from flask import Blueprint

bp = Blueprint("revisions", __name__)

from . import views  # noqa: E402,F401
