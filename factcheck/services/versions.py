"""The version of a claim a client saw: the one parser (``parse_version``), the one stale
check (``check_version``) and what a person who wrote on an old version is told. It lives
below the workflow because the blind second verdict, which the workflow's reviewer step
calls, checks versions too.

A form field or a query string carries the version as text (``text=True``: digits); a JSON
body carries a number (``text=False``: "3" is refused there, as everywhere in the API).
"""

from __future__ import annotations

from flask_babel import gettext as _

from ..jsonsafe import whole_number
from ..models import Annotation
from .errors import Conflict, Invalid


def parse_version(value: object, *, text: bool = True, required: bool = False) -> int | None:
    """The ``version`` a client saw: a whole number (a string of digits too when ``text``:
    form fields and query strings are text); None when absent, unless ``required``."""
    if value is None:
        if required:
            raise Invalid(_("The version you saw is required."), field="version")
        return None
    readable = isinstance(value, int) or (text and isinstance(value, str))
    version = whole_number(value, "version") if readable else None  # 422 beyond the database
    if version is not None:
        return version
    raise Invalid(_("The version must be a whole number."), field="version")


def check_version(annotation: Annotation, version: int | None) -> None:
    """Refuse a write that names no version or an old one."""
    parse_version(version, text=False, required=True)
    if version != annotation.version:
        raise stale(annotation, version)


def state(annotation: Annotation) -> dict:
    return {"status": annotation.status.value, "version": annotation.version}


def conflict(annotation: Annotation, message: str, code: str = "stale_version") -> Conflict:
    """A 409 that carries the annotation's current status and version."""
    return Conflict(message, code=code, details={"current": state(annotation)})


def stale(annotation: Annotation, seen_version: int) -> Conflict:
    return conflict(annotation, stale_message(annotation, seen_version))


def stale_message(annotation: Annotation, seen_version: int) -> str:
    return _(
        "This claim changed since you opened it (you saw version %(seen)s, it is now "
        "version %(now)s, %(status)s). Nothing was saved; reload to see the current state.",
        seen=seen_version,
        now=annotation.version,
        status=annotation.status.value,
    )
