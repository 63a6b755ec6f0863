"""What a person who wrote on an old version of a claim is told. It lives below the
workflow because the blind second verdict, which the workflow's reviewer step calls, says
it too."""

from __future__ import annotations

from flask_babel import gettext as _

from ..models import Annotation


def stale_message(annotation: Annotation, seen_version: int) -> str:
    return _(
        "This claim changed since you opened it (you saw version %(seen)s, it is now "
        "version %(now)s, %(status)s). Nothing was saved; reload to see the current state.",
        seen=seen_version,
        now=annotation.version,
        status=annotation.status.value,
    )
