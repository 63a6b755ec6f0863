from flask import Blueprint

bp = Blueprint("annotate", __name__, url_prefix="/articles")

from . import views  # noqa: E402,F401
