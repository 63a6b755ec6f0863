"""factcheck: annotate, review and export fact-checked claims in news articles.

``create_app`` is the list of the app's parts: each ``init_*`` lives in the module whose
concern it is.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from .blueprints import init_blueprints
from .cli import init_cli
from .config import init_config
from .database import init_database
from .errors import init_errors
from .i18n import init_i18n
from .idempotency import init_app as init_idempotency
from .security import init_login, init_security
from .services.matching.indexer import init_indexer
from .tasks import init_queue
from .templating import init_templates
from .web import init_app as init_web

PACKAGE_DIR = Path(__file__).parent


def create_app(test_config: dict | None = None) -> Flask:
    instance_path = os.environ.get("FACTCHECK_INSTANCE_PATH") or str(Path.cwd() / "instance")
    app = Flask(
        __name__,
        instance_path=os.path.abspath(instance_path),
        instance_relative_config=True,
        template_folder=_folder("templates"),
        static_folder=_folder("static"),
        static_url_path="/static",
    )
    init_config(app, test_config)
    init_database(app)
    init_i18n(app)
    init_login(app)
    init_security(app)
    init_errors(app)
    init_blueprints(app)
    init_idempotency(app)
    init_templates(app)
    init_web(app)
    init_cli(app)
    init_indexer(app)
    init_queue(app)
    return app


def _folder(name: str) -> str:
    """``templates/`` or ``static/``: inside the package in an installed wheel (setup.py maps
    them there), at the top of the checkout otherwise (editable install, tests)."""
    for folder in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if folder.is_dir():
            return str(folder)
    raise RuntimeError(f"factcheck is installed without its {name}/ folder")
