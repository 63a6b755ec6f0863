"""Sources needing attention: a project's sources whose page changed, vanished or refuses
us (the link check's findings, services/evidence/health.py); their captures stay."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import EvidenceSource, Health

#: what needs a person's look: the page changed, is gone, or refuses us
ATTENTION = (Health.CHANGED, Health.GONE, Health.BLOCKED)


def _where(project_id: int):
    return (EvidenceSource.project_id == project_id, EvidenceSource.health.in_(ATTENTION))


def sources_needing_attention(
    session: Session, project_id: int, limit: int = 500
) -> list[EvidenceSource]:
    """The latest changes first; a source never dated last."""
    return list(
        session.scalars(
            select(EvidenceSource)
            .where(*_where(project_id))
            .order_by(EvidenceSource.health_since.desc().nulls_last(), EvidenceSource.id.desc())
            .limit(limit)
        )
    )


def count(session: Session, project_id: int) -> int:
    total = session.scalar(
        select(func.count()).select_from(EvidenceSource).where(*_where(project_id))
    )
    return int(total or 0)


def records(session: Session, ids: set[int]) -> dict[int, EvidenceSource]:
    if not ids:
        return {}
    rows = session.scalars(select(EvidenceSource).where(EvidenceSource.id.in_(ids)))
    return {row.id: row for row in rows}


def published_after(source: EvidenceSource | None, claimed_at) -> bool:
    """Evidence written after the claim (the article's date) is pointed out."""
    return bool(source and source.published_at and claimed_at and source.published_at > claimed_at)
