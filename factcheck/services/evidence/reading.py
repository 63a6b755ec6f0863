"""A capture's reading view: its text cut into the paragraphs of the article page (code-
point starts), with one passage marked (an excerpt opened from a claim)."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import jsonsafe
from ...models import Annotation, Capture, User
from ...permissions import is_member
from .. import annotations
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


def source_evidence(form: Mapping, i: int) -> dict:
    """The stance and excerpts of the claim form's source row ``i`` (the page without its
    script posts them: a select, and the excerpts as JSON in a hidden field)."""
    evidence: dict = {"stance": form.get(f"sources-{i}-stance") or None}
    raw = form.get(f"sources-{i}-excerpts") or "[]"
    try:
        excerpts = jsonsafe.loads(raw[:200_000])
    except ValueError:
        excerpts = []
    # a shape the service refuses in words (a list of objects), never a crash here
    evidence["excerpts"] = excerpts if isinstance(excerpts, list) else []
    return evidence


def latest_readable(session: Session, source_id: int) -> int | None:
    """The newest capture of the source that kept a text to read."""
    return session.scalar(
        select(Capture.id)
        .where(Capture.source_id == source_id, Capture.sha256.is_not(None), Capture.text != "")
        .order_by(Capture.id.desc())
        .limit(1)
    )


def add_excerpt(
    session: Session, annotation: Annotation, user: User, capture: Capture, span: Mapping
) -> Annotation:
    """Append the passage ``span`` (start, end, quote, version) of ``capture`` to the claim's
    citation of its source, citing the source when the claim does not yet; through the
    ordinary edit of a claim, so its checks and its version hold."""
    excerpt = {
        "capture_id": capture.id,
        "start": _number(span.get("start")),
        "end": _number(span.get("end")),
        "quote": span.get("quote") or "",
    }
    cited = [citation.as_dict() for citation in annotation.sources]
    for row in cited:
        if row["source_id"] == capture.source_id:
            row["excerpts"].append(excerpt)
            break
    else:
        source = capture.source
        cited.append({"url": source.url, "title": source.title, "excerpts": [excerpt]})
    return annotations.update_annotation(
        session, annotation, user, {"sources": cited}, version=span.get("version")
    )


def _number(raw: object) -> object:
    """A form's whole number as an int; anything else as sent (the service names it)."""
    number = jsonsafe.parse_whole(str(raw or "").strip())
    return raw if number is None else number
