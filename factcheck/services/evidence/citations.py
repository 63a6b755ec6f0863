"""Citations: what a claim says about each source it cites.

An annotation's ``sources`` are ``{"url", "title", "note", "source_id", "stance",
"excerpts": [{"capture_id", "start", "end", "quote"}]}``; a plain ``{url, title, note}``
still works and means no stance yet. ``clean`` checks the shape (no database), ``link``
ties each citation to the project's source (creating it, which queues its capture) and
checks each excerpt against its capture's text with the rules of claim spans (code
points, ``quote == text[start:end]``, no grapheme cut). Errors are 422 naming the field,
as ``sources[0].excerpts[1].quote``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...models import Capture, EvidenceSource, Project, Stance, User
from ..errors import Invalid
from ..spans import is_boundary
from . import sources

STANCES = tuple(s.value for s in Stance)
#: the fields of a citation beyond url, title and note
FIELDS = ("source_id", "stance", "excerpts")
EXCERPT_FIELDS = ("capture_id", "start", "end", "quote")
MAX_EXCERPTS = 20
MAX_QUOTE = 10_000


def _whole(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Invalid(_("%(field)s must be a whole number.", field=field), field=field)
    return value


def clean(item: Mapping, i: int) -> dict:
    """The evidence fields of citation number ``i``, checked for shape."""
    here = f"sources[{i}]"
    source_id = item.get("source_id")
    if source_id is not None:
        source_id = _whole(source_id, f"{here}.source_id")
    stance = item.get("stance")
    if stance in ("", None):
        stance = None
    elif stance not in STANCES:
        raise Invalid(
            _("A stance is one of: %(values)s.", values=", ".join(STANCES)), field=f"{here}.stance"
        )
    excerpts = item.get("excerpts") or []
    if not isinstance(excerpts, list) or len(excerpts) > MAX_EXCERPTS:
        raise Invalid(
            _("excerpts is a list of at most %(n)s passages.", n=MAX_EXCERPTS),
            field=f"{here}.excerpts",
        )
    return {
        "source_id": source_id,
        "stance": Stance(stance) if stance else None,
        "excerpts": [_excerpt(e, f"{here}.excerpts[{j}]") for j, e in enumerate(excerpts)],
    }


def _excerpt(value: object, here: str) -> dict:
    if not isinstance(value, dict):
        raise Invalid(_("An excerpt is an object."), field=here)
    unknown = set(value) - set(EXCERPT_FIELDS)
    if unknown:
        raise Invalid(
            _("Unknown excerpt field: %(names)s.", names=", ".join(sorted(unknown))), field=here
        )
    quote = value.get("quote")
    if not isinstance(quote, str) or not quote or len(quote) > MAX_QUOTE:
        raise Invalid(
            _("quote is the passage's text (at most %(n)s characters).", n=MAX_QUOTE),
            field=f"{here}.quote",
        )
    return {
        "capture_id": _whole(value.get("capture_id"), f"{here}.capture_id"),
        "start": _whole(value.get("start"), f"{here}.start"),
        "end": _whole(value.get("end"), f"{here}.end"),
        "quote": quote,
    }


def link(session: Session, project_id: int, rows: list[dict], user: User | None) -> list[dict]:
    """Tie each cleaned citation to the project's source and check its excerpts."""
    for i, row in enumerate(rows):
        here = f"sources[{i}]"
        source = _source(session, project_id, row, user, here)
        row["source_id"] = source.id
        for j, excerpt in enumerate(row.get("excerpts") or []):
            check_excerpt(session, source, excerpt, f"{here}.excerpts[{j}]")
    return rows


def _source(session, project_id, row, user, here) -> EvidenceSource:
    if row.get("source_id") is None:
        return sources.cite(session, project_id, row["url"], user)
    source = session.get(EvidenceSource, row["source_id"])
    if source is None or source.project_id != project_id:
        raise Invalid(_("No such source in this project."), field=f"{here}.source_id")
    if sources.normalize_url(row["url"]) != source.url:
        raise Invalid(
            _("source_id names the source of another address (%(url)s).", url=source.url[:200]),
            field=f"{here}.source_id",
        )
    return source


def check_excerpt(session: Session, source: EvidenceSource, excerpt: dict, here: str) -> None:
    """``quote == capture.text[start:end]``, whole graphemes, in a capture of ``source``."""
    capture = session.get(Capture, excerpt["capture_id"])
    if capture is None or capture.source_id != source.id:
        raise Invalid(_("No such capture of this source."), field=f"{here}.capture_id")
    text = capture.text or ""
    start, end = excerpt["start"], excerpt["end"]
    if not text:
        raise Invalid(_("This capture has no text to quote."), field=f"{here}.capture_id")
    if start >= len(text):
        raise Invalid(
            _("start must be between 0 and %(max)s.", max=len(text) - 1), field=f"{here}.start"
        )
    if end <= start or end > len(text):
        raise Invalid(
            _("end must be greater than start and at most %(max)s.", max=len(text)),
            field=f"{here}.end",
        )
    if text[start:end] != excerpt["quote"]:
        raise Invalid(
            _(
                "The quote does not match the capture's text at %(start)s–%(end)s.",
                start=start,
                end=end,
            ),
            field=f"{here}.quote",
        )
    for name, offset in (("start", start), ("end", end)):
        if not is_boundary(text, offset):
            raise Invalid(
                _(
                    "The excerpt cuts a character in two at %(offset)s (an emoji, a flag or "
                    "a letter with its accent). Select whole characters.",
                    offset=offset,
                ),
                field=f"{here}.{name}",
            )


def require_evidence(project: Project | None, citations: Iterable) -> None:
    """The project setting ``evidence_required``: every cited source has a stance and at
    least one citation quotes an excerpt (422 naming ``sources``)."""
    if project is None or not project.evidence_required:
        return
    citations = list(citations)
    for i, citation in enumerate(citations):
        if citation.stance is None:
            raise Invalid(
                _(
                    "This project asks what each source shows: give source %(n)s a stance.",
                    n=i + 1,
                ),
                field=f"sources[{i}].stance",
            )
    if not any(citation.excerpt_rows for citation in citations):
        raise Invalid(
            _("This project asks for evidence: quote at least one excerpt of a source."),
            field="sources",
        )
