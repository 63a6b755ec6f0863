from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import factchecks, verdicts, views  # noqa: E402,F401
