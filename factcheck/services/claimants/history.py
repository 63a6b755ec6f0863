"""What a claimant said that the desk checked, as a given person may see it: their claims by
verdict, month by month, and the likely duplicates among claimants.

Only the claims ``user`` may see count (``matching.scope.visible_claims``: their projects,
nobody else's drafts), and a claim in review whose verdict the blind second verdict still
hides from them counts under ``HIDDEN``, never under its verdict (the rule of
``second_verdict.hidden_ids``, in SQL: ``second_verdict.verdict_visible``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import Session, aliased, selectinload

from ...models import Annotation, Article, Claimant, ClaimantAlias, Project, User
from ...permissions import Role, has_project_role
from ..matching.scope import visible_claims
from ..second_verdict import verdict_visible

#: the bucket of claims whose verdict is hidden from the viewer until they give theirs
HIDDEN = "hidden"
#: the bucket of claims without a verdict yet
NONE = "none"
#: at most this many months on the chart (the most recent)
MAX_MONTHS = 36


@dataclass
class Month:
    start: date
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class History:
    total: int = 0
    #: verdict key (or HIDDEN, NONE) → claims, most frequent first
    by_verdict: dict[str, int] = field(default_factory=dict)
    months: list[Month] = field(default_factory=list)

    @property
    def busiest(self) -> int:
        return max((m.total for m in self.months), default=0)


def blind_for(session: Session, user: User) -> tuple[int, ...]:
    """The projects that review blind where ``user`` reviews (``hidden_ids``' rule)."""
    ids = session.scalars(select(Project.id).where(Project.blind_second_verdict.is_(True)))
    return tuple(p for p in ids if has_project_role(user, p, Role.REVIEWER))


def shown_verdict(session: Session, user: User):
    """The verdict column as ``user`` may see it: HIDDEN where the blind rule hides it,
    NONE where there is none yet."""
    verdict = case((Annotation.verdict.is_(None), literal(NONE)), else_=Annotation.verdict)
    blind = blind_for(session, user)
    if not blind:
        return verdict
    return case((verdict_visible(user.id, blind), verdict), else_=literal(HIDDEN))


def _month(day: date) -> date:
    return day.replace(day=1)


def _next(start: date) -> date:
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def claims_by_verdict_over_time(session: Session, claimant: Claimant, user: User) -> History:
    """``claimant``'s claims that ``user`` may see, by verdict, overall and per month (the
    claim's date, or when it was written)."""
    rows = session.execute(
        select(shown_verdict(session, user), Annotation.claim_date, Annotation.created_at).where(
            Annotation.claimant_id == claimant.id, visible_claims(user)
        )
    ).all()
    if not rows:
        return History()
    overall: Counter[str] = Counter()
    per_month: dict[date, Counter[str]] = {}
    for verdict, claim_date, created_at in rows:
        overall[verdict] += 1
        start = _month(claim_date or created_at.date())
        per_month.setdefault(start, Counter())[verdict] += 1
    months = []
    start, last = min(per_month), max(per_month)
    while start <= last:
        months.append(Month(start, dict(per_month.get(start, {}))))
        start = _next(start)
    return History(
        total=len(rows), by_verdict=dict(overall.most_common()), months=months[-MAX_MONTHS:]
    )


def claims_of(
    session: Session, claimant: Claimant, user: User, limit: int = 200
) -> list[tuple[Annotation, str]]:
    """``claimant``'s claims that ``user`` may see, newest first, each with the verdict as
    they may see it (HIDDEN, NONE or a key)."""
    verdict = shown_verdict(session, user).label("shown")
    rows = session.execute(
        select(Annotation, verdict)
        .where(Annotation.claimant_id == claimant.id, visible_claims(user))
        .order_by(Annotation.created_at.desc(), Annotation.id.desc())
        .limit(limit)
        .options(selectinload(Annotation.article).load_only(Article.id, Article.title))
    ).all()
    return [(annotation, shown) for annotation, shown in rows]


def duplicates(session: Session, limit: int = 50) -> list[tuple[Claimant, Claimant]]:
    """Pairs of live claimants likely to be the same: the same folded name, or the name of
    one an alias of the other. Proposals: a person confirms by merging. The newer of a
    pair comes first (the one a merge would fold into the older)."""
    one, other = aliased(Claimant), aliased(Claimant)
    live = and_(one.merged_into_id.is_(None), other.merged_into_id.is_(None))
    same_name = select(other.id.label("newer"), one.id.label("older")).where(
        one.folded == other.folded, one.id < other.id, live
    )
    alias = select(
        case((one.id > other.id, one.id), else_=other.id).label("newer"),
        case((one.id > other.id, other.id), else_=one.id).label("older"),
    ).where(
        ClaimantAlias.claimant_id == other.id,
        ClaimantAlias.folded == one.folded,
        one.id != other.id,
        live,
    )
    pairs = session.execute(same_name.union(alias).order_by("older", "newer").limit(limit)).all()
    ids = {i for pair in pairs for i in pair}
    rows = {
        c.id: c
        for c in session.scalars(
            select(Claimant).where(Claimant.id.in_(ids)).options(selectinload(Claimant.aliases))
        )
    }
    return [(rows[newer], rows[older]) for newer, older in pairs]


def claim_counts(session: Session, ids: list[int], user: User) -> dict[int, int]:
    """How many claims each claimant of ``ids`` has among those ``user`` may see."""
    if not ids:
        return {}
    rows = session.execute(
        select(Annotation.claimant_id, func.count())
        .where(Annotation.claimant_id.in_(ids), visible_claims(user))
        .group_by(Annotation.claimant_id)
    )
    return {claimant_id: count for claimant_id, count in rows}
