"""A slug from what a person typed: "Desk Élections 2027" → "desk-elections-2027"."""

from __future__ import annotations

import re

from .fold import fold

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
MAX = 60


def slugify(text: str) -> str:
    """Lowercase ASCII letters and digits joined by single dashes, at most 60 characters;
    "" when nothing of ``text`` can be written so."""
    return _NOT_SLUG.sub("-", fold(text)).strip("-")[:MAX].strip("-")
