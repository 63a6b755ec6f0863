"""Planning a revision from reads only: where every claim goes in the new text, the diff
the revision's page will show, and what each claim's row becomes. Nothing here writes, so
the minutes a large revision could take never hold a write lock (writing.py writes the plan
in one short transaction)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from ...models import Anchor, Annotation, Article, Status, User
from .. import textdiff
from ..anchoring import Anchored, PositionMap, Stored, anchor_one
from ..errors import Conflict, Invalid
from ..spans import span_values
from .reading import clean_note, clean_text, race_message, read_only, text_of

_a = Annotation.__table__.c
COLUMNS = (
    _a.id,
    _a.start,
    _a.end,
    _a.quote,
    _a.prefix,
    _a.suffix,
    _a.status,
    _a.version,
    _a.anchor,
    _a.article_revision,
    _a.previous_start,
    _a.previous_end,
    _a.previous_quote,
    _a.previous_revision,
)


@dataclass
class Outcome:
    """What a revision did to one annotation (the API's ``annotations`` items)."""

    id: int
    anchor: str
    start: int
    end: int
    quote: str
    previous: dict | None = None
    status: str = ""
    reason: str = ""

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "anchor": self.anchor,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "previous": self.previous,
            "status": self.status,
        }


@dataclass
class Plan:
    """Revision ``base + 1`` of an article with ``text``, worked out from reads only."""

    article_id: int
    base: int
    old_text: str
    old_sha: str
    text: str
    note: str = ""
    diff: textdiff.TextDiff | None = None
    #: each annotation's row as read, and where it goes
    planned: dict[int, tuple[Row, Anchored]] = field(default_factory=dict)
    #: one diff per revision that claims' offsets index (the base one, old orphans' ones)
    maps: dict[int, PositionMap] = field(default_factory=dict)

    def anchored(self, session: Session, row: Row) -> Anchored:
        """Where the claim of ``row`` goes: as planned if its row is the one read, else
        now, through the plan's diff (it was edited or added since)."""
        found = self.planned.get(row.id)
        if found is not None and tuple(found[0]) == tuple(row):
            return found[1]
        stored = Stored(row.start, row.end, row.quote, row.prefix, row.suffix)
        return anchor_one(self._positions(session, row.article_revision), stored)

    def _positions(self, session: Session, number: int) -> PositionMap:
        if number not in self.maps:
            source = (
                self.old_text if number == self.base else text_of(session, self.article_id, number)
            )
            self.maps[number] = PositionMap(
                source if source is not None else self.old_text, self.text
            )
        return self.maps[number]


def rows(session: Session, article_id: int) -> list[Row]:
    return list(
        session.execute(select(*COLUMNS).where(_a.article_id == article_id).order_by(_a.id))
    )


def plan(
    session: Session,
    article: Article,
    text: object,
    *,
    note: object = "",
    expected_revision: object = None,
) -> Plan:
    """Check the input (422, or 409 when ``expected_revision`` is no longer the current
    one) and work out the revision: every claim re-anchored, the page's diff computed."""
    text = clean_text(text)
    note = clean_note(note)
    base = article.revision
    if expected_revision is not None and expected_revision != base:
        if isinstance(expected_revision, bool) or not isinstance(expected_revision, int):
            raise Invalid(_("revision must be a whole number."), field="revision")
        raise Conflict(race_message(base), code="stale_revision", details={"revision": base})
    if text == article.text:
        raise Invalid(
            _("The new text is the same as revision %(n)s: nothing to revise.", n=base),
            field="text",
            code="unchanged",
        )
    planned = Plan(article.id, base, article.text, article.text_sha256, text, note)
    for row in rows(session, article.id):
        planned.planned[row.id] = (row, planned.anchored(session, row))
    planned.diff = textdiff.compare(article.text, text)
    return planned


def dry_run(session: Session, article: Article, text: object) -> dict[str, int]:
    """What a revision with ``text`` would do to the claims (counts per anchor), without
    writing anything: the admin's preview. Raises like ``plan`` on bad text."""
    planned = Plan(
        article.id, article.revision, article.text, article.text_sha256, clean_text(text)
    )
    counts = {a.value: 0 for a in Anchor}
    for row in rows(session, article.id):
        anchor = planned.anchored(session, row).anchor
        if anchor == Anchor.OK.value and row.anchor != Anchor.OK.value:
            anchor = Anchor.RELOCATED.value
        counts[anchor] += 1
    return counts


@dataclass
class Preview:
    """The Edit text page's preview: the clean text, its diff, the claims' fate."""

    text: str
    diff: textdiff.TextDiff
    counts: dict[str, int]
    unchanged: bool


def preview(session: Session, article: Article, text: object) -> Preview:
    """What saving ``text`` would do. Reads only: the caller's transaction is ended first,
    so the diff and the re-anchoring hold no write lock."""
    read_only(session)
    clean = clean_text(text)
    counts = dry_run(session, article, clean)
    return Preview(clean, textdiff.compare(article.text, clean), counts, clean == article.text)


def decide(row: Row, result: Anchored, number: int, user: User, now) -> tuple:
    """The new column values, the history row (or None) and the outcome of one claim."""
    was, status = Anchor(row.anchor), Status(row.status)
    anchor = Anchor(result.anchor)
    if anchor is Anchor.OK and was is not Anchor.OK:
        anchor = Anchor.RELOCATED  # a guess or a lost claim is confirmed by a person only
    values = {
        "b_id": row.id,
        "b_version": row.version,
        "start": row.start,
        "end": row.end,
        "quote": row.quote,
        "prefix": row.prefix,
        "suffix": row.suffix,
        "anchor": anchor.value,
        "article_revision": row.article_revision,
        "status": status.value,
        "version": row.version,
        "previous": None,
        "back_to_review": False,
    }
    if anchor is not Anchor.ORPHANED:
        values.update(span_values(result), article_revision=number)
    if anchor is not Anchor.OK and was is Anchor.OK:
        # the last span a person stood by: kept until someone confirms or moves the claim
        values["previous"] = {
            "start": row.start,
            "end": row.end,
            "quote": row.quote,
            "revision": row.article_revision,
        }
    quote_lost = anchor is Anchor.ORPHANED or values["quote"] != row.quote
    to = Status.SUBMITTED if status is Status.APPROVED and quote_lost else status
    event = None
    if anchor is not was or to is not status or (anchor is Anchor.RELOCATED and quote_lost):
        values.update(version=row.version + 1, status=to.value, back_to_review=to is not status)
        event = {
            "annotation_id": row.id,
            "actor_id": user.id,
            "at": now,
            "from_status": status,
            "to_status": to,
            "comment": _comment(anchor, result.reason, number, to is not status),
            "version": row.version + 1,
        }
    previous = values["previous"]
    if previous is None and anchor is not Anchor.OK and row.previous_start is not None:
        previous = {
            "start": row.previous_start,
            "end": row.previous_end,
            "quote": row.previous_quote,
            "revision": row.previous_revision,
        }
    if previous is None:
        # the answer names every claim's span before this revision, an `ok` one included
        # (docs/contract/revisions.md); the stored previous_* stay "the last span a person
        # stood by", for the claims that need one
        previous = {
            "start": row.start,
            "end": row.end,
            "quote": row.quote,
            "revision": row.article_revision,
        }
    outcome = Outcome(
        id=row.id,
        anchor=anchor.value,
        start=values["start"],
        end=values["end"],
        quote=values["quote"],
        previous=previous,
        status=values["status"],
        reason=result.reason,
    )
    return values, event, outcome


def _comment(anchor: Anchor, reason: str, number: int, back_to_review: bool) -> str:
    if anchor is Anchor.ORPHANED:
        text = _(
            "Article revised (revision %(n)s): the passage is gone; the claim keeps its old "
            "quote until someone selects the right text.",
            n=number,
        )
    elif reason == "ambiguous":
        text = _(
            "Article revised (revision %(n)s): the quote now stands in several places; "
            "a best guess was kept, to be confirmed.",
            n=number,
        )
    elif anchor is Anchor.RELOCATED:
        text = _(
            "Article revised (revision %(n)s): the quote changed or its surroundings did; "
            "a best guess was kept, to be confirmed.",
            n=number,
        )
    else:
        text = _("Article revised (revision %(n)s).", n=number)
    if back_to_review:
        text = str(text) + " " + _("It was approved: back to review, its quote changed.")
    return str(text)
