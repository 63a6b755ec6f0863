"""factcheck: annotate, review and export fact-checked claims in news articles."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.routing import IntegerConverter

from .config import (
    Defaults,
    create_private_file,
    load_secret_key,
    make_private_dir,
    normalize_database_url,
    secret_key_problem,
)

PACKAGE_DIR = Path(__file__).parent


def create_app(test_config: dict | None = None) -> Flask:
    instance_path = os.environ.get("FACTCHECK_INSTANCE_PATH") or str(Path.cwd() / "instance")
    app = Flask(
        __name__, instance_path=os.path.abspath(instance_path), instance_relative_config=True
    )
    app.url_map.converters["int"] = BoundedIntConverter
    _configure(app, test_config)
    _init_extensions(app)

    from .errors import init_errors
    from .idempotency import init_app as init_idempotency
    from .security import init_security
    from .web import init_app as init_web

    init_security(app)
    init_errors(app)
    _register_blueprints(app)
    init_idempotency(app)
    _template_helpers(app)
    init_web(app)
    _register_commands(app)
    _start_matching_indexer(app)
    return app


def _start_matching_indexer(app: Flask) -> None:
    """Claim matching: each server process indexes new claims in the background, started
    on its first request (after any fork), never in the CLI nor, by default, in tests."""
    background = app.config.get("MATCHING_BACKGROUND")
    if background is None:
        background = not app.testing
    if not background:
        return

    @app.before_request
    def _indexer():
        from .services.matching import indexer

        indexer.start(app)


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` up to the largest stored id: a bigger number is a 404, not a 500."""

    def __init__(self, map, *args, **kwargs):
        from .models.base import MAX_ID

        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def _register_commands(app: Flask) -> None:
    """Make the ``factcheck`` commands available on ``app.cli`` too (tests, ``flask``)."""
    from .cli import main

    for name, command in main.commands.items():
        app.cli.add_command(command, name)


def _configure(app: Flask, test_config: dict | None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("FACTCHECK")
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if test_config:
        app.config.update(test_config)

    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        # the database holds unpublished verdicts: folder 700, file 600 (SQLite gives its
        # -wal and -shm files the database file's mode)
        make_private_dir(app.instance_path)
        path = os.path.join(app.instance_path, "factcheck.db")
        create_private_file(path)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    uri = normalize_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    if uri.startswith("sqlite"):
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    else:
        options = {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 5}
        options.update(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options

    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(app.instance_path)
    problem = secret_key_problem(app.config["SECRET_KEY"])
    # Only a test's own create_app({"TESTING": True, ...}) may relax the rule: TESTING set
    # through FACTCHECK_TESTING or instance/config.py never weakens a real server.
    relaxed = bool(test_config and test_config.get("TESTING"))
    if problem and not relaxed:
        raise RuntimeError(
            f"SECRET_KEY is unfit: {problem}. Remove it to let factcheck generate one in "
            "instance/secret_key, or set FACTCHECK_SECRET_KEY to a long random value "
            "(python3 -c 'import secrets; print(secrets.token_hex(32))')."
        )


def _init_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (register the tables)
    from .database import configure_engine
    from .extensions import babel, csrf, db, login_manager, migrate
    from .services import text  # noqa: F401  (the before_flush guard against NUL)

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(PACKAGE_DIR / "migrations"),
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
    )
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=_select_locale,
        default_translation_directories=str(PACKAGE_DIR / "translations"),
    )
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load_user(session_token: str):
        from sqlalchemy import select

        from .models import User

        user = db.session.scalar(select(User).where(User.session_token == session_token))
        return user if user is not None and user.active else None

    with app.app_context():
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def _render_item(type_, obj, autogen_context):
    """Write our column types as plain SQLAlchemy types in migrations."""
    from .models.base import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _select_locale() -> str | None:
    from flask import current_app, has_request_context

    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    user = getattr(g, "_login_user", None) or current_user
    chosen = getattr(user, "locale", None) if user else None
    if chosen in languages:
        return chosen
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def _register_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .annotate import bp as annotate_bp
    from .api import bp as api_bp
    from .articles import bp as articles_bp
    from .assignments import bp as assignments_bp
    from .auth import bp as auth_bp
    from .export import bp as export_bp
    from .main import bp as main_bp
    from .projects import bp as projects_bp
    from .review import bp as review_bp
    from .revisions import bp as revisions_bp

    for blueprint in (
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
    ):
        app.register_blueprint(blueprint)


#: extra admin pages: (endpoint, label), shown in the admin sub-navigation when they exist
ADMIN_PAGES = (
    ("admin.verdicts", _l("Verdict scale")),
    ("articles.import_page", _l("Import articles")),
    ("admin.factchecks", _l("Past fact-checks")),
)


def _admin_links():
    from flask import current_app

    return [(e, str(label)) for e, label in ADMIN_PAGES if e in current_app.view_functions]


def _template_helpers(app: Flask) -> None:
    from flask_babel import get_locale

    from .permissions import Role

    @app.context_processor
    def _inject():
        from .projects.current import switcher

        return {
            "Role": Role,
            "current_locale": str(get_locale() or "en"),
            "admin_links": _admin_links,
            "project_switcher": switcher,
        }

    @app.template_filter("isotime")
    def _isotime(value):
        return value.isoformat().replace("+00:00", "Z") if value else ""
