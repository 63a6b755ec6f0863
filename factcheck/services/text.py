"""Text that a database can store: no NUL character, no unpaired UTF-16 surrogate.

PostgreSQL refuses NUL (U+0000) in text columns, and neither database can encode a lone
surrogate (U+D800–U+DFFF, which JSON's ``"\\ud800"`` escape produces) as UTF-8. Left
alone, both become a 500 deep inside a write. The rule, the same everywhere (articles,
annotations, sources, users, verdicts, review comments): such text is refused with 422
naming the field; it is never silently stripped, because the stored text must be exactly
what the user sent.

Three places apply it: the request guard (``security.py``: query strings, forms and JSON
bodies, so reads such as searches are safe too), the importers (``records._string``,
for a per-record error in files), and a ``before_flush`` net here for any other writer.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session

from .errors import Invalid

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def is_storable(value: str) -> bool:
    return _UNSTORABLE.search(value) is None


def unstorable_message(field: str) -> str:
    return str(
        _(
            "%(field)s contains a character that cannot be stored "
            "(a NUL character or an unpaired surrogate).",
            field=field,
        )
    )


def check_storable(value: object, field: str) -> None:
    """422 naming ``field`` when ``value`` is text that cannot be stored."""
    if isinstance(value, str) and not is_storable(value):
        raise Invalid(unstorable_message(field), field=field, code="invalid_character")


def find_unstorable(data: Any, field: str = "") -> str | None:
    """The name of the first field of a JSON value holding unstorable text (keys too)."""
    if isinstance(data, str):
        return None if is_storable(data) else (field or "body")
    if isinstance(data, dict):
        for key, value in data.items():
            name = key if isinstance(key, str) and is_storable(key) else None
            if name is None:
                return field or "body"
            found = find_unstorable(value, name)
            if found:
                return found
    elif isinstance(data, list):
        for item in data:
            found = find_unstorable(item, field)
            if found:
                return found
    return None


#: the field name the user knows, for models that are parts of another
_FIELD_OF = {"source": "sources"}


@event.listens_for(Session, "before_flush")
def _refuse_unstorable_text(session: Session, _context, _instances) -> None:
    """The net under every writer (HTML, API, CLI): nothing unstorable reaches SQL."""
    for obj in list(session.new) + list(session.dirty):
        state = obj.__dict__
        for key, value in state.items():
            if isinstance(value, str) and not key.startswith("_"):
                if not is_storable(value):
                    table = getattr(obj, "__tablename__", "")
                    check_storable(value, _FIELD_OF.get(table, key))
