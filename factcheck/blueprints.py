"""The URL map: one blueprint per area, and ids bounded by what the database can store."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

from .admin import bp as admin_bp
from .annotate import bp as annotate_bp
from .api import bp as api_bp
from .articles import bp as articles_bp
from .assignments import bp as assignments_bp
from .auth import bp as auth_bp
from .claimants import bp as claimants_bp
from .claims import bp as claims_bp
from .evidence import bp as evidence_bp
from .export import bp as export_bp
from .main import bp as main_bp
from .models.base import MAX_ID
from .projects import bp as projects_bp
from .review import bp as review_bp
from .revisions import bp as revisions_bp

BLUEPRINTS = (
    main_bp,
    auth_bp,
    articles_bp,
    annotate_bp,
    review_bp,
    assignments_bp,
    export_bp,
    admin_bp,
    projects_bp,
    api_bp,
    revisions_bp,
    evidence_bp,
    claims_bp,
    claimants_bp,
)


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` up to the largest stored id: a bigger number is a 404, not a 500."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedIntConverter  # before any rule is added
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
