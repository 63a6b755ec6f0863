"""What counts as a web address, one rule for a claim's sources, an article's url and a
past fact-check's url: an absolute http(s) URL with a host, with no whitespace, control
character or backslash anywhere (they hide schemes and break CSV)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: in code points
MAX_LENGTH = 2000
#: whitespace (``\s`` is ``str.isspace``), control characters and the backslash: one
#: regular expression, not a Python loop per character (46,000 urls of an import: 0.1 s)
_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f\\]")


def web_address(value: object, limit: int | None = MAX_LENGTH) -> str | None:
    """``value`` without surrounding whitespace if it is a web address of at most ``limit``
    code points, else None."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or (limit is not None and len(url) > limit):
        return None
    if _FORBIDDEN.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url
