"""JSON that is safe to embed in HTML: every JSON document the app emits goes through here.

``<``, ``>`` and ``&`` (and the JavaScript line separators U+2028/U+2029) are written as
``\\u003c``, ``\\u003e``, ``\\u0026``…: the same JSON value, but no text inside it can close
a ``<script type="application/ld+json">`` block or open a comment when a publisher pastes
our ClaimReview (or any export or API answer) into a page.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask.json.provider import DefaultJSONProvider

_UNSAFE = re.compile("[<>&\u2028\u2029]")
_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def escape(text: str) -> str:
    """Escape already serialized JSON (these characters only occur inside strings)."""
    return text.translate(_ESCAPES) if _UNSAFE.search(text) else text


def dumps(value: Any, **kwargs: Any) -> str:
    kwargs.setdefault("ensure_ascii", False)
    return escape(json.dumps(value, **kwargs))


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON (``jsonify``, ``return dict``) with the HTML-safe escapes."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return escape(super().dumps(obj, **kwargs))
