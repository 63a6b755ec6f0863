from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/review")

from . import blind, publish, second_chance, views  # noqa: E402,F401
