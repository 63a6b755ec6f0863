"""A capture's reading view: its text cut into the paragraphs of the article page (code-
point starts), with one passage marked (an excerpt opened from a claim)."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...models import Capture, User
from ...permissions import is_member
from ..errors import NotFound
from ..paragraphs import lines


def capture_or_404(session: Session, capture_id: int, user: User | None, *options) -> Capture:
    """The capture, for the members of its source's project (else 404)."""
    row = session.get(Capture, capture_id, options=options)
    if row is None or (user is not None and not is_member(user, row.source.project_id)):
        raise NotFound(_("No such capture."))
    return row


def mark_arg(args: Mapping, length: int) -> tuple[int, int] | None:
    """``?start=&end=``: the passage to mark, when both are sound offsets."""
    try:
        start, end = int(args.get("start", "")), int(args.get("end", ""))
    except ValueError:
        return None
    return (start, end) if 0 <= start < end <= length else None


def paragraphs(text: str, mark: tuple[int, int] | None = None) -> list[dict]:
    """Each paragraph as ``{start, blank, parts: [(text, marked)]}``; the parts join into
    the paragraph's text, so its ``data-start`` offsets hold."""
    result = []
    for start, line, blank in lines(text):
        parts = [(line, False)]
        if mark is not None:
            a = max(mark[0] - start, 0)
            b = min(mark[1] - start, len(line))
            if a < b:
                parts = [(line[:a], False), (line[a:b], True), (line[b:], False)]
                parts = [p for p in parts if p[0]]
        result.append({"start": start, "blank": blank, "parts": parts})
    return result
