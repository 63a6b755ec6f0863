from flask import Blueprint

bp = Blueprint("annotate", __name__)

from . import views  # noqa: E402,F401
