from flask import Blueprint

bp = Blueprint("export", __name__, url_prefix="/export")

from . import views  # noqa: E402,F401
