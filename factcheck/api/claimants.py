"""Claimants in the JSON API."""

from . import bp  # noqa: F401
