"""Publishing an approved claim's verdict in the JSON API."""

from . import bp  # noqa: F401
