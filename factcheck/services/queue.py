"""The review queue: listing, reservations ("Next") and Skip.

The queue is every submitted annotation, oldest first (``submitted_at``, then ``id``),
without the caller's own (the four-eyes rule). Taking an item reserves it for
``REVIEW_RESERVATION_MINUTES``; a reservation is only a pair of columns compared with
the clock, so it expires by itself without any cron job.

Two reviewers asking at the same instant get different items:

* PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED`` on the candidate, then an UPDATE of
  that row (the second transaction skips the row the first one locked; if it reads the
  row after the first committed, the re-checked WHERE no longer matches).
* SQLite: one conditional UPDATE whose subquery picks the candidate; SQLite runs a
  statement under its single write lock, so choosing and reserving are one atomic step.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Select, and_, func, or_, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from ..models import Annotation, Article, Status, User, utcnow
from ..models import User as Author
from ..models.functions import lower
from ..permissions import Role, visible_projects

#: how many times the SQLite path retries when its candidate was taken meanwhile
RETRIES = 5
#: the longest list a filter offers
CHOICES_LIMIT = 500


@dataclass
class QueueFilters:
    """What the queue page and the API filter on; empty values mean "any"."""

    article_id: int | None = None
    annotator: str = ""  # username
    verdict: str = ""  # verdict key
    claimant: str = ""  # case-insensitive substring
    project_id: int | None = None  # one project (resolved by the caller); None: all mine

    def apply(self, query: Select) -> Select:
        if self.project_id:
            query = query.where(Annotation.project_id == self.project_id)
        if self.article_id:
            query = query.where(Annotation.article_id == self.article_id)
        if self.annotator:
            author_ids = select(Author.id).where(Author.username == self.annotator.strip().lower())
            query = query.where(Annotation.author_id.in_(author_ids))
        if self.verdict:
            query = query.where(Annotation.verdict == self.verdict)
        if self.claimant.strip():
            needle = self.claimant.strip().lower()
            query = query.where(lower(Annotation.claimant).contains(needle, autoescape=True))
        return query


@dataclass
class QueueCounts:
    total: int = 0  # submitted items the reviewer may review (with the filters)
    reserved_by_others: int = 0
    reserved_by_me: int = 0

    @property
    def free(self) -> int:
        return self.total - self.reserved_by_others


@dataclass
class QueuePage:
    items: list[Annotation]
    counts: QueueCounts
    filters: QueueFilters = field(default_factory=QueueFilters)


def reservation_minutes(project=None) -> int:
    """How long a reservation holds, the one rule for the queue, an undone decision and
    adjudication: the project's setting, else the installation's (config.py)."""
    if project is not None and project.reservation_minutes:
        return int(project.reservation_minutes)
    return int(current_app.config["REVIEW_RESERVATION_MINUTES"])


def _in_my_projects(reviewer: User):
    """The projects where ``reviewer`` reviews (permissions.visible_projects)."""
    return visible_projects(reviewer, Annotation.project_id, Role.REVIEWER)


def _in_review_not_own(reviewer: User) -> tuple:
    """The conditions every queue query shares: in review, and not the reviewer's own claim."""
    return (Annotation.status == Status.SUBMITTED, Annotation.author_id != reviewer.id)


def reviewable(reviewer: User, project_id: int | None = None) -> Select:
    """Submitted annotations that ``reviewer`` may review, in queue order."""
    query = (
        select(Annotation)
        .where(
            *_in_review_not_own(reviewer),
            _in_my_projects(reviewer),
        )
        .order_by(Annotation.submitted_at, Annotation.id)
    )
    if project_id is not None:
        query = query.where(Annotation.project_id == project_id)
    return query


def _free_for(reviewer_id: int, now: datetime):
    """Not reserved by somebody else right now (an expired reservation is free)."""
    return or_(
        Annotation.reserved_until.is_(None),
        Annotation.reserved_until < now,
        Annotation.reserved_by_id == reviewer_id,
    )


def queue_page(
    session: Session,
    reviewer: User,
    filters: QueueFilters | None = None,
    *,
    page: int = 1,
    per_page: int = 50,
    now: datetime | None = None,
) -> QueuePage:
    """One page of the queue and its counts (three queries, whatever the page size)."""
    filters = filters or QueueFilters()
    now = now or utcnow()
    query = filters.apply(reviewable(reviewer))
    # the list shows article titles: never load every article's full text with them
    query = query.options(
        joinedload(Annotation.article).load_only(Article.id, Article.title),
        selectinload(Annotation.author),
        selectinload(Annotation.reserved_by),
    )
    items = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return QueuePage(items=items, counts=queue_counts(session, reviewer, filters, now=now))


def queue_counts(
    session: Session, reviewer: User, filters: QueueFilters | None = None, *, now=None
) -> QueueCounts:
    filters = filters or QueueFilters()
    now = now or utcnow()
    held = and_(Annotation.reserved_until.is_not(None), Annotation.reserved_until >= now)
    query = filters.apply(
        select(
            func.count(Annotation.id),
            func.count(Annotation.id).filter(held, Annotation.reserved_by_id != reviewer.id),
            func.count(Annotation.id).filter(held, Annotation.reserved_by_id == reviewer.id),
        ).where(
            *_in_review_not_own(reviewer),
            _in_my_projects(reviewer),
        )
    )
    total, others, mine = session.execute(query).one()
    return QueueCounts(total=total, reserved_by_others=others, reserved_by_me=mine)


def is_reserved_by_other(annotation: Annotation, reviewer: User, now: datetime | None = None):
    now = now or utcnow()
    return (
        annotation.reserved_until is not None
        and annotation.reserved_until >= now
        and annotation.reserved_by_id not in (None, reviewer.id)
    )


def next_item(
    session: Session,
    reviewer: User,
    now: datetime | None = None,
    skip: Collection[int] = (),
    project=None,
    filters: QueueFilters | None = None,
) -> Annotation | None:
    """Reserve and return the next item for ``reviewer``, or None when nothing is free.

    The reviewer's own still-valid reservation comes first (asking twice gives the
    same item); ``skip`` holds ids the reviewer skipped in this session; ``filters``
    (the queue page's active filters) limit the candidates.
    """
    now = now or utcnow()
    until = now + timedelta(minutes=reservation_minutes(project))
    skip = [int(i) for i in skip]
    if project is not None:  # the project's queue, within the active filters
        filters = replace(filters or QueueFilters(), project_id=project.id)
    annotation_id = _own_reservation(session, reviewer, now, skip, filters)
    if annotation_id is not None:
        _reserve(session, annotation_id, reviewer, until)
    elif session.get_bind().dialect.name == "postgresql":
        annotation_id = _take_postgresql(session, reviewer, now, until, skip, filters)
    else:
        annotation_id = _take_sqlite(session, reviewer, now, until, skip, filters)
    if annotation_id is None:
        return None
    annotation = session.get(Annotation, annotation_id)
    session.refresh(annotation)
    return annotation


def _first_id(
    where: tuple, order_by: tuple, skip: list[int], filters: QueueFilters | None
) -> Select:
    """The id of the first queue item meeting ``where`` in ``order_by``, leaving out the
    ``skip``ped ids, narrowed by the queue ``filters`` if any."""
    query = select(Annotation.id).where(*where).order_by(*order_by).limit(1)
    if skip:
        query = query.where(Annotation.id.not_in(skip))
    return filters.apply(query) if filters else query


def candidates_query(
    reviewer: User, now: datetime, skip: list[int], filters: QueueFilters | None = None
) -> Select:
    where = (*_in_review_not_own(reviewer), _free_for(reviewer.id, now), _in_my_projects(reviewer))
    return _first_id(where, (Annotation.submitted_at, Annotation.id), skip, filters)


def _own_reservation(session: Session, reviewer: User, now: datetime, skip: list[int], filters):
    return session.scalar(own_reservation_query(reviewer, now, skip, filters))


def own_reservation_query(
    reviewer: User, now: datetime, skip: list[int], filters: QueueFilters | None = None
) -> Select:
    where = (
        Annotation.reserved_by_id == reviewer.id,
        Annotation.reserved_until >= now,
        *_in_review_not_own(reviewer),
    )
    # A reviewer holds one or two items: ordering them by id is free, whereas ordering
    # by submitted_at would lead the planner to walk the whole queue index instead of
    # the small partial index of reserved rows.
    return _first_id(where, (Annotation.id,), skip, filters)


def _reserve(session: Session, annotation_id: int, reviewer: User, until: datetime) -> None:
    session.execute(
        update(Annotation)
        .where(Annotation.id == annotation_id)
        .values(reserved_by_id=reviewer.id, reserved_until=until)
        .execution_options(synchronize_session=False)
    )


def _take_postgresql(session, reviewer, now, until, skip, filters=None) -> int | None:
    # only the id column: FOR UPDATE cannot lock the outer-joined eager relationships
    annotation_id = session.scalar(
        candidates_query(reviewer, now, skip, filters).with_for_update(skip_locked=True)
    )
    if annotation_id is not None:
        _reserve(session, annotation_id, reviewer, until)
    return annotation_id


def sqlite_reserve_statement(
    reviewer: User, now: datetime, until: datetime, skip: list[int], filters=None
):
    """One atomic UPDATE: pick the oldest free candidate and reserve it (RETURNING its id).

    The outer WHERE repeats the "free" test so that the row is only taken if it is
    still free when the write happens."""
    candidate = candidates_query(reviewer, now, skip, filters).scalar_subquery()
    return (
        update(Annotation)
        .where(Annotation.id == candidate, _free_for(reviewer.id, now))
        .values(reserved_by_id=reviewer.id, reserved_until=until)
        .returning(Annotation.id)
        .execution_options(synchronize_session=False)
    )


def _take_sqlite(session, reviewer, now, until, skip, filters=None) -> int | None:
    statement = sqlite_reserve_statement(reviewer, now, until, skip, filters)
    for _attempt in range(RETRIES):
        annotation_id = session.scalar(statement)
        if annotation_id is not None:
            return annotation_id
        # nothing updated: either the queue is empty or the candidate went meanwhile
        if session.scalar(candidates_query(reviewer, now, skip, filters)) is None:
            return None
    return None


def release(session: Session, annotation: Annotation, reviewer: User) -> bool:
    """Skip: give back ``reviewer``'s reservation of ``annotation`` (others' stay)."""
    result = session.execute(
        update(Annotation)
        .where(Annotation.id == annotation.id, Annotation.reserved_by_id == reviewer.id)
        .values(reserved_by_id=None, reserved_until=None)
        .execution_options(synchronize_session=False)
    )
    session.refresh(annotation)
    return result.rowcount == 1


def neighbours(
    session: Session, reviewer: User, annotation: Annotation
) -> tuple[int | None, int | None]:
    """Ids of the queue items before and after ``annotation`` (for j/k), in queue order."""
    if annotation.status is not Status.SUBMITTED or annotation.submitted_at is None:
        first = session.scalar(reviewable(reviewer).with_only_columns(Annotation.id).limit(1))
        return None, first
    key = (annotation.submitted_at, annotation.id)
    base = select(Annotation.id).where(
        *_in_review_not_own(reviewer),
        Annotation.project_id == annotation.project_id,
        _in_my_projects(reviewer),
    )
    after = base.where(
        or_(
            Annotation.submitted_at > key[0],
            and_(Annotation.submitted_at == key[0], Annotation.id > key[1]),
        )
    ).order_by(Annotation.submitted_at, Annotation.id)
    before = base.where(
        or_(
            Annotation.submitted_at < key[0],
            and_(Annotation.submitted_at == key[0], Annotation.id < key[1]),
        )
    ).order_by(Annotation.submitted_at.desc(), Annotation.id.desc())
    return session.scalar(before.limit(1)), session.scalar(after.limit(1))


def filter_choices(
    session: Session, reviewer: User, project_id: int | None = None
) -> tuple[list, list]:
    """What the queue's filters offer: the articles and the annotators that have claims
    waiting for ``reviewer`` (in the projects they review), as (id, title) and
    (username, name) pairs."""
    waiting = select(Annotation.article_id, Annotation.author_id).where(
        *_in_review_not_own(reviewer),
        _in_my_projects(reviewer),
    )
    if project_id is not None:
        waiting = waiting.where(Annotation.project_id == project_id)
    article_rows = session.execute(
        select(Article.id, Article.title)
        .where(Article.id.in_(waiting.with_only_columns(Annotation.article_id)))
        .order_by(Article.title, Article.id)
        .limit(CHOICES_LIMIT)
    ).all()
    author_rows = session.execute(
        select(User.username, User.display_name)
        .where(User.id.in_(waiting.with_only_columns(Annotation.author_id)))
        .order_by(User.username)
        .limit(CHOICES_LIMIT)
    ).all()
    return (
        [(article_id, title) for article_id, title in article_rows],
        [(name, f"{shown} ({name})" if shown else name) for name, shown in author_rows],
    )
