"""What every blueprint's forms.py shares.

``Limit`` replaces WTForms' ``Length`` for a maximum: the same server-side check, with a
message that names the limit and the length sent, and no ``maxlength`` attribute on the
input, because a browser silently cuts a longer text pasted into such an input (a
600-character title arrived as its first 500 characters, and nobody was told).
"""

from __future__ import annotations

from flask_babel import gettext as _
from wtforms.validators import Length, ValidationError


class Limit(Length):
    """At most ``max`` characters (and at least ``min``, if given), said in a sentence."""

    def __init__(self, min: int = -1, max: int = -1, message: str | None = None):
        super().__init__(min=min, max=max, message=message)
        # no maxlength (nor minlength): the server says so instead of the browser cutting
        self.field_flags = {}

    def __call__(self, form, field) -> None:
        length = len(field.data or "")
        if self.max != -1 and length > self.max:
            raise ValidationError(
                _(
                    "%(field)s: at most %(max)s characters, this one has %(length)s. "
                    "Nothing was cut: shorten it.",
                    field=field.label.text,
                    max=f"{self.max:,}",
                    length=f"{length:,}",
                )
            )
        super().__call__(form, field)
