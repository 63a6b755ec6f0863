"""Creating, editing and deleting annotations; the span rules live in spans.py."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..models import Annotation
from .errors import Invalid


def check_submittable(annotation: Annotation) -> None:
    """A claim goes to review only when it is complete."""
    if not (annotation.claim or "").strip():
        raise Invalid(str(_l("Write the claim before submitting.")), field="claim")
    if not annotation.verdict:
        raise Invalid(str(_l("Pick a verdict before submitting.")), field="verdict")
    if not annotation.sources:
        raise Invalid(str(_l("Add at least one source before submitting.")), field="sources")
