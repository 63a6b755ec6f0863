"""The interface language: the user's profile setting, else the browser's, else English."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g, has_request_context, request
from flask_login import current_user

from .extensions import babel

TRANSLATIONS = str(Path(__file__).parent / "translations")


def init_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=TRANSLATIONS)


def select_locale() -> str | None:
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
