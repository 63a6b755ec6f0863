"""What the home page shows each role. Every figure comes from a grouped query:
the number of queries does not grow with the number of rows, users or days."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session, joinedload, selectinload

from ..models import Annotation, Article, ReviewEvent, Status, User, Verdict, utcnow
from ..permissions import visible_projects
from . import queue, second_verdict
from .projects import default_project
from .review_undo import decision_rows, undone_decision

RECENT = 8
#: verdict colours are admin input: only plain #rrggbb reaches an SVG attribute
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
DECISIONS = (Status.APPROVED, Status.REJECTED)


def _light(query):
    """Annotation lists show titles (never the articles' full text) and reviewers."""
    return query.options(
        joinedload(Annotation.article).load_only(Article.id, Article.title),
        selectinload(Annotation.reviewer),
    )


def _events(query):
    """Events with their annotation and actor in the same query (no query per row)."""
    return query.options(
        joinedload(ReviewEvent.annotation)
        .joinedload(Annotation.article)
        .load_only(Article.id, Article.title),
        joinedload(ReviewEvent.actor),
    )


@dataclass
class AnnotatorBoard:
    counts: dict[str, int]
    drafts: list[Annotation]
    to_revise: list[Annotation]
    recent_decisions: list[ReviewEvent]


@dataclass
class ReviewerBoard:
    queue: queue.QueueCounts
    reserved: list[Annotation]
    recent_reviews: list[ReviewEvent]


@dataclass
class DayRow:
    day: date
    created: int = 0
    approved: int = 0
    rejected: int = 0


@dataclass
class AdminBoard:
    by_status: dict[str, int]
    by_verdict: list[tuple[Verdict | None, str | None, int]]
    per_annotator: list[tuple[User, dict[str, int]]]
    per_day: list[DayRow] = field(default_factory=list)
    #: annotator–reviewer verdict α from blind second verdicts (None: no pair stored)
    verdict_agreement: second_verdict.Report | None = None

    def alpha_chart(self) -> AlphaChart | None:
        return alpha_chart(self.verdict_agreement) if self.verdict_agreement else None

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    def verdict_bars(self, locale: str | None) -> list[tuple[str, int, str, str | None]]:
        """(label, count, css class, fill colour) per verdict, for the SVG chart."""
        bars = []
        for verdict, key, n in self.by_verdict:
            label = verdict.label_for(locale) if verdict else (key or "—")
            colour = verdict.colour if verdict and COLOUR.fullmatch(verdict.colour or "") else None
            bars.append((label, n, f"bar-verdict bar-verdict-{key or 'none'}", colour))
        return bars


def status_counts(
    session: Session, author: User | None = None, project_id: int | None = None
) -> dict[str, int]:
    query = select(Annotation.status, func.count()).group_by(Annotation.status)
    if project_id is not None:
        query = query.where(Annotation.project_id == project_id)
    if author is not None:
        # an author's own figures: of the projects they still belong to
        query = query.where(
            Annotation.author_id == author.id, visible_projects(author, Annotation.project_id)
        )
    counts = {s.value: 0 for s in Status}
    for status, n in session.execute(query):
        counts[Status(status).value] = n
    return counts


def _in(project_id: int | None):
    """The current project's rows only (None: every project the user belongs to)."""
    return Annotation.project_id == project_id if project_id is not None else true()


def annotator_board(session: Session, user: User, project_id: int | None = None) -> AnnotatorBoard:
    """The user's own claims in the current project (``project_id``), of the projects they
    belong to now (a removed member's claims stay in the project they left)."""
    member = visible_projects(user, Annotation.project_id)
    mine = select(Annotation).where(Annotation.author_id == user.id, member, _in(project_id))
    drafts = session.scalars(
        _light(mine.where(Annotation.status == Status.DRAFT))
        .order_by(Annotation.updated_at.desc())
        .limit(RECENT)
    )
    to_revise = session.scalars(
        _light(mine.where(Annotation.status == Status.REJECTED))
        .order_by(Annotation.reviewed_at.desc())
        .limit(RECENT)
    )
    decisions = session.scalars(
        _events(select(ReviewEvent))
        .join(Annotation, Annotation.id == ReviewEvent.annotation_id)
        .where(
            Annotation.author_id == user.id,
            member,
            _in(project_id),
            decision_rows(),
            ~undone_decision(),  # a decision taken back is no decision
        )
        .order_by(ReviewEvent.at.desc(), ReviewEvent.id.desc())
        .limit(RECENT)
    )
    return AnnotatorBoard(
        counts=status_counts(session, user, project_id),
        drafts=list(drafts),
        to_revise=list(to_revise),
        recent_decisions=list(decisions),
    )


def reviewer_board(
    session: Session, user: User, now: datetime | None = None, project_id: int | None = None
) -> ReviewerBoard:
    now = now or utcnow()
    member = visible_projects(user, Annotation.project_id)
    reserved = session.scalars(
        _light(
            select(Annotation).where(
                Annotation.reserved_by_id == user.id,
                Annotation.reserved_until >= now,
                Annotation.status == Status.SUBMITTED,
                member,
                _in(project_id),
            )
        ).order_by(Annotation.submitted_at, Annotation.id)
    )
    reviews = session.scalars(
        _events(select(ReviewEvent))
        .join(Annotation, Annotation.id == ReviewEvent.annotation_id)
        .where(
            ReviewEvent.actor_id == user.id,
            member,
            _in(project_id),
            decision_rows(),
            ~undone_decision(),
        )
        .order_by(ReviewEvent.at.desc(), ReviewEvent.id.desc())
        .limit(RECENT)
    )
    return ReviewerBoard(
        queue=queue.queue_counts(session, user, queue.QueueFilters(project_id=project_id), now=now),
        reserved=list(reserved),
        recent_reviews=list(reviews),
    )


def admin_board(
    session: Session, days: int = 30, now: datetime | None = None, project_id: int | None = None
) -> AdminBoard:
    """Progress of one project (None: the whole installation, as before projects)."""
    now = now or utcnow()
    return AdminBoard(
        by_status=status_counts(session, project_id=project_id),
        by_verdict=_by_verdict(session, project_id),
        per_annotator=_per_annotator(session, project_id),
        per_day=_per_day(session, days, now, project_id),
        verdict_agreement=verdict_agreement(session, project_id),
    )


def verdict_agreement(session: Session, project_id: int | None) -> second_verdict.Report | None:
    """Annotator–reviewer α per week, or per month once the pairs span half a year."""
    report = second_verdict.report(session, project_id, "week")
    if report is not None and len(report.periods) >= second_verdict.MAX_PERIODS:
        report = second_verdict.report(session, project_id, "month")
    return report


@dataclass
class AlphaChart:
    """Geometry of the α-over-time chart (SVG user units), computed here, not in Jinja."""

    width: int
    height: int
    low: float
    #: (css class, "x,y x,y …") per unbroken run of periods that have a value
    lines: list[tuple[str, str]]
    #: (css class, x, y, tooltip) per period with a value
    points: list[tuple[str, float, float, str]]
    #: (y, label) for the horizontal guides
    ticks: list[tuple[float, str]]
    #: (x, label) under the axis
    labels: list[tuple[float, str]]


def alpha_chart(report: second_verdict.Report, width: int = 420, height: int = 160) -> AlphaChart:
    """α nominal and ordinal per period as two lines; the scale runs from 0 (or the lowest
    α, if negative) to 1; a period without pairs breaks the lines."""
    pad_l, pad_r, pad_t, pad_b = 34, 8, 10, 22
    values = [
        v for p in report.periods for v in (p.alpha_nominal, p.alpha_ordinal) if v is not None
    ]
    low = min([0.0, *values])
    low = max(-1.0, math.floor(low * 10) / 10)
    n = len(report.periods)
    step = (width - pad_l - pad_r) / max(n - 1, 1)

    def x(i: int) -> float:
        return round(pad_l + (i * step if n > 1 else (width - pad_l - pad_r) / 2), 1)

    def y(value: float) -> float:
        value = max(value, low)  # α can dip below -1 on tiny samples: pin it to the floor
        return round(pad_t + (1 - value) / (1 - low) * (height - pad_t - pad_b), 1)

    lines, points = [], []
    for name in ("nominal", "ordinal"):
        run: list[str] = []
        for i, period in enumerate(report.periods):
            value = getattr(period, f"alpha_{name}")
            if value is None:
                if len(run) > 1:
                    lines.append((f"alpha-{name}", " ".join(run)))
                run = []
                continue
            run.append(f"{x(i)},{y(value)}")
            tip = f"{period.start.isoformat()}: α {name} {value:.2f} ({period.pairs})"
            points.append((f"alpha-{name}", x(i), y(value), tip))
        if len(run) > 1:
            lines.append((f"alpha-{name}", " ".join(run)))
    ticks = [(y(v), f"{v:g}") for v in sorted({low, 0.0, 0.5, 1.0}) if v >= low]
    every = max(1, n // 6)
    labels = [
        (x(i), p.start.strftime("%d/%m"))
        for i, p in enumerate(report.periods)
        if (n - 1 - i) % every == 0
    ]
    return AlphaChart(width, height, low, lines, points, ticks, labels)


def _in_project(query, column, project_id: int | None):
    return query if project_id is None else query.where(column == project_id)


def _by_verdict(
    session: Session, project_id: int | None = None
) -> list[tuple[Verdict | None, str | None, int]]:
    rows = session.execute(
        _in_project(
            select(Annotation.verdict, func.count()).where(Annotation.status != Status.DRAFT),
            Annotation.project_id,
            project_id,
        ).group_by(Annotation.verdict)
    ).all()
    if project_id is None:
        default = default_project(session)
        project_id = default.id if default is not None else None
    scale = {
        v.key: v for v in session.scalars(select(Verdict).where(Verdict.project_id == project_id))
    }
    result = [(scale.get(key), key, n) for key, n in rows]
    order = {key: (v.position, v.id) for key, v in scale.items()}
    return sorted(result, key=lambda row: order.get(row[1], (10**6, 0)))


def _per_annotator(
    session: Session, project_id: int | None = None
) -> list[tuple[User, dict[str, int]]]:
    rows = session.execute(
        _in_project(
            select(Annotation.author_id, Annotation.status, func.count()),
            Annotation.project_id,
            project_id,
        ).group_by(Annotation.author_id, Annotation.status)
    ).all()
    table: dict[int, dict[str, int]] = {}
    for author_id, status, n in rows:
        table.setdefault(author_id, {s.value: 0 for s in Status})[Status(status).value] = n
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(table)))}
    result = [(users[uid], counts) for uid, counts in table.items() if uid in users]
    return sorted(result, key=lambda row: (-sum(row[1].values()), row[0].username))


def _per_day(
    session: Session, days: int, now: datetime, project_id: int | None = None
) -> list[DayRow]:
    """Claims created and decisions made per UTC day over the last ``days`` days."""
    first = (now - timedelta(days=days - 1)).date()
    since = datetime.combine(first, datetime.min.time(), tzinfo=now.tzinfo)
    rows = {first + timedelta(days=i): DayRow(first + timedelta(days=i)) for i in range(days)}
    created_day = func.date(Annotation.created_at)
    for day, n in session.execute(
        _in_project(
            select(created_day, func.count()).where(Annotation.created_at >= since),
            Annotation.project_id,
            project_id,
        ).group_by(created_day)
    ):
        _row(rows, day).created = n
    event_day = func.date(ReviewEvent.at)
    decided = select(event_day, ReviewEvent.to_status, func.count()).where(
        ReviewEvent.at >= since, decision_rows()
    )
    if project_id is not None:
        decided = decided.join(Annotation, Annotation.id == ReviewEvent.annotation_id).where(
            Annotation.project_id == project_id
        )
    decided = decided.group_by(event_day, ReviewEvent.to_status)
    for day, status, n in session.execute(decided):
        setattr(_row(rows, day), Status(status).value, n)
    return list(rows.values())


def _row(rows: dict[date, DayRow], day) -> DayRow:
    # SQLite answers date() with a string, PostgreSQL with a date
    key = day if isinstance(day, date) else date.fromisoformat(str(day)[:10])
    return rows.get(key) or DayRow(key)  # outside the window: counted nowhere
