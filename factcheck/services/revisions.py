"""Article revisions: a new text makes revision n+1, and every claim is re-anchored in the
same transaction (DESIGN.md, "Article revisions and re-anchoring").

- Of two concurrent revisions of one article exactly one wins: the text, its hash and the
  number change in ONE conditional UPDATE on (id, revision); the other gets 409.
- Every annotation, of any status, is re-anchored (services/anchoring.py) from the text
  of the revision its offsets index. Nothing is ever deleted: a claim that cannot be
  found again is ``orphaned`` and keeps its old span and revision.
- A claim left ``relocated`` stays so until a person confirms or moves it (a later
  revision never promotes a guess to ``ok``); an ``orphaned`` one found again comes back
  as ``relocated``, to be looked at.
- An approved claim whose quote changed (or is gone) goes back to review (``submitted``),
  with a history row saying why. Every anchor change writes a history row.
- The annotations' rows are updated in one executemany, each on (id, version): an edit
  that slipped in meanwhile makes the whole revision fail with 409, nothing half-written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from ..models import Anchor, Annotation, Article, ArticleRevision, ReviewEvent, Status, User, utcnow
from .anchoring import PositionMap, Stored, anchor_one
from .errors import Conflict, Invalid
from .fold import article_search_text
from .records import RecordError, check_text, normalize_text, text_hash
from .spans import span_values
from .text import check_storable

NOTE_MAX = 2000
_a = Annotation.__table__.c


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
class RevisionResult:
    article: Article
    revision: ArticleRevision
    outcomes: list[Outcome] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {a.value: 0 for a in Anchor}
        for outcome in self.outcomes:
            counts[outcome.anchor] += 1
        return counts


# --------------------------------------------------------------------------- input


def clean_text(text: object) -> str:
    """A revision's text, normalized like an import; 422 naming ``text`` otherwise."""
    if not isinstance(text, str):
        raise Invalid(_("The field %(name)s must be a string.", name="text"), field="text")
    check_storable(text, "text")
    text = normalize_text(text)
    try:
        return check_text(text)
    except RecordError as error:
        raise Invalid(error.message, field="text") from None


def clean_note(note: object) -> str:
    if note is None:
        return ""
    if not isinstance(note, str):
        raise Invalid(_("The field %(name)s must be a string.", name="note"), field="note")
    check_storable(note, "note")
    note = note.strip()
    if len(note) > NOTE_MAX:
        message = _l("%(field)s is too long (at most %(n)s characters).", field="note", n=NOTE_MAX)
        raise Invalid(str(message), field="note")
    return note


# --------------------------------------------------------------------------- reading


def history(session: Session, article: Article) -> list[ArticleRevision]:
    """Every revision of the article, oldest first (revision 1 even if never stored)."""
    rows = list(
        session.scalars(
            select(ArticleRevision)
            .where(ArticleRevision.article_id == article.id)
            .order_by(ArticleRevision.number)
        )
    )
    if not any(r.number == article.revision for r in rows):
        rows.append(_current_row(article))
    return rows


def _current_row(article: Article) -> ArticleRevision:
    return ArticleRevision(
        article_id=article.id,
        number=article.revision,
        text=article.text,
        text_sha256=article.text_sha256,
        note="",
        created_by_id=article.imported_by_id,
        created_at=article.created_at,
    )


def text_of(session: Session, article_id: int, number: int) -> str | None:
    return session.scalar(
        select(ArticleRevision.text).where(
            ArticleRevision.article_id == article_id, ArticleRevision.number == number
        )
    )


def text_for(session: Session, annotation: Annotation) -> str:
    """The text the annotation's offsets index: the current one, or an orphan's old one."""
    article = annotation.article
    if annotation.article_revision == article.revision:
        return article.text
    return text_of(session, article.id, annotation.article_revision) or article.text


def check_current(session: Session, article: Article) -> None:
    """409 when the article was revised since ``article`` was read (annotation writes
    call it: a span checked against an old text must not land on the new one). On
    PostgreSQL the row is read FOR SHARE, so it waits for a revision being written."""
    number = session.scalar(
        select(Article.revision).where(Article.id == article.id).with_for_update(read=True)
    )
    if number != article.revision:
        raise Conflict(
            str(
                _l(
                    "The article was revised (it is now revision %(n)s) while you were working; "
                    "nothing was saved. Reload it and select the passage again.",
                    n=number,
                )
            ),
            code="article_revised",
        )


# --------------------------------------------------------------------------- writing


def create_revision(
    session: Session,
    article: Article,
    text: object,
    *,
    note: object = "",
    user: User,
    expected_revision: object = None,
) -> RevisionResult:
    """Make revision n+1 of ``article`` with ``text`` and re-anchor every claim (flushed,
    not committed: the caller commits once). 422 for bad input, 409 for a lost race."""
    text = clean_text(text)
    note = clean_note(note)
    base = article.revision
    if expected_revision is not None and expected_revision != base:
        if isinstance(expected_revision, bool) or not isinstance(expected_revision, int):
            raise Invalid(_("revision must be a whole number."), field="revision")
        raise Conflict(_race_message(base), code="stale_revision", details={"revision": base})
    if text == article.text:
        raise Invalid(
            _("The new text is the same as revision %(n)s: nothing to revise.", n=base),
            field="text",
            code="unchanged",
        )
    old_text, old_sha = article.text, article.text_sha256
    now = utcnow()
    claimed = session.execute(
        update(Article)
        .where(Article.id == article.id, Article.revision == base)
        .values(
            text=text,
            text_sha256=text_hash(text),
            # a Core UPDATE skips the model's listeners: fold for search here
            search_text=article_search_text(article.title, text),
            revision=base + 1,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise Conflict(_race_message(base), code="stale_revision")
    _keep(session, article.id, base, old_text, old_sha, article, now)
    row = ArticleRevision(
        article_id=article.id,
        number=base + 1,
        text=text,
        text_sha256=text_hash(text),
        note=note,
        created_by_id=user.id,
        created_at=now,
    )
    session.add(row)
    session.flush()
    outcomes = _reanchor_article(session, article.id, base, old_text, text, user, now)
    session.expire(article)
    return RevisionResult(article=article, revision=row, outcomes=outcomes)


def _keep(session, article_id, number, text, sha, article, now) -> None:
    """Store the text being replaced as its revision, if it was never stored."""
    exists = session.scalar(
        select(ArticleRevision.id).where(
            ArticleRevision.article_id == article_id, ArticleRevision.number == number
        )
    )
    if exists is None:
        session.add(
            ArticleRevision(
                article_id=article_id,
                number=number,
                text=text,
                text_sha256=sha,
                note="",
                created_by_id=article.imported_by_id,
                created_at=article.created_at or now,
            )
        )


def _race_message(base: int) -> str:
    return str(
        _l(
            "This article was revised by someone else since you read revision %(n)s. "
            "Nothing was saved; reload it to see the current text.",
            n=base,
        )
    )


_COLUMNS = (
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


def _results(session: Session, article_id: int, base: int, old_text: str, new_text: str):
    """(row, anchoring result) for every annotation of the article, from the text of the
    revision its offsets index (one diff per distinct revision)."""
    rows = session.execute(
        select(*_COLUMNS).where(_a.article_id == article_id).order_by(_a.id)
    ).all()
    maps: dict[int, PositionMap] = {}
    for row in rows:
        number = row.article_revision
        if number not in maps:
            source = old_text if number == base else text_of(session, article_id, number)
            maps[number] = PositionMap(source if source is not None else old_text, new_text)
        stored = Stored(row.start, row.end, row.quote, row.prefix, row.suffix)
        yield row, anchor_one(maps[number], stored)


def _reanchor_article(
    session: Session, article_id: int, base: int, old_text: str, new_text: str, user: User, now
) -> list[Outcome]:
    updates, events, outcomes = [], [], []
    for row, result in list(_results(session, article_id, base, old_text, new_text)):
        values, event, outcome = _decide(row, result, base + 1, user, now)
        updates.append(values)
        if event is not None:
            events.append(event)
        outcomes.append(outcome)
    if updates:
        _write(session, updates)
    if events:
        session.execute(insert(ReviewEvent), events)
    return outcomes


def dry_run(session: Session, article: Article, text: object) -> dict[str, int]:
    """What a revision with ``text`` would do to the claims (counts per anchor), without
    writing anything: the admin's preview. Raises like ``create_revision`` on bad text."""
    text = clean_text(text)
    counts = {a.value: 0 for a in Anchor}
    results = _results(session, article.id, article.revision, article.text, text)
    for row, result in results:
        anchor = result.anchor
        if anchor == Anchor.OK.value and row.anchor != Anchor.OK.value:
            anchor = Anchor.RELOCATED.value
        counts[anchor] += 1
    return counts


def _decide(row, result, number: int, user: User, now):
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
        text = _l(
            "Article revised (revision %(n)s): the passage is gone; the claim keeps its old "
            "quote until someone selects the right text.",
            n=number,
        )
    elif reason == "ambiguous":
        text = _l(
            "Article revised (revision %(n)s): the quote now stands in several places; "
            "a best guess was kept, to be confirmed.",
            n=number,
        )
    elif anchor is Anchor.RELOCATED:
        text = _l(
            "Article revised (revision %(n)s): the quote changed or its surroundings did; "
            "a best guess was kept, to be confirmed.",
            n=number,
        )
    else:
        text = _l("Article revised (revision %(n)s).", n=number)
    if back_to_review:
        text = str(text) + " " + _("It was approved: back to review, its quote changed.")
    return str(text)


def _write(session: Session, updates: list[dict]) -> None:
    """All the annotations' new values in one executemany, each on (id, version)."""
    table = Annotation.__table__
    previous_rows = [u for u in updates if u["previous"] is not None]
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
        .values(
            start=bindparam("start"),
            end=bindparam("end"),
            quote=bindparam("quote"),
            prefix=bindparam("prefix"),
            suffix=bindparam("suffix"),
            anchor=bindparam("anchor"),
            article_revision=bindparam("article_revision"),
            status=bindparam("status"),
            version=bindparam("version"),
        )
    )
    params = [
        {k: v for k, v in u.items() if k not in ("previous", "back_to_review")} for u in updates
    ]
    result = session.connection().execute(statement, params)
    if result.rowcount != len(updates):
        raise Conflict(
            str(
                _l(
                    "A claim of this article changed while the revision was being saved; "
                    "nothing was saved. Try again."
                )
            ),
            code="claim_changed",
        )
    if previous_rows:
        session.connection().execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(
                previous_start=bindparam("p_start"),
                previous_end=bindparam("p_end"),
                previous_quote=bindparam("p_quote"),
                previous_revision=bindparam("p_revision"),
            ),
            [
                {
                    "b_id": u["b_id"],
                    "p_start": u["previous"]["start"],
                    "p_end": u["previous"]["end"],
                    "p_quote": u["previous"]["quote"],
                    "p_revision": u["previous"]["revision"],
                }
                for u in previous_rows
            ],
        )
    back = [u["b_id"] for u in updates if u["back_to_review"]]
    if back:  # back in the queue as a fresh submission, nobody holding it
        session.connection().execute(
            update(table)
            .where(table.c.id.in_(back))
            .values(submitted_at=utcnow(), reserved_by_id=None, reserved_until=None)
        )
