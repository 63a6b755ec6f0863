"""Suggestions on an article's sentences in the JSON API: known claims, worth checking."""

from . import bp  # noqa: F401
