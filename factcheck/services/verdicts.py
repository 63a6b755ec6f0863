"""The verdict scale."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import DEFAULT_VERDICTS, Verdict


def ensure_default_scale(session: Session) -> int:
    """Create the default verdicts when the scale is empty; return how many were added."""
    if session.scalar(select(Verdict.id).limit(1)) is not None:
        return 0
    for position, (key, label, label_fr, rating, colour, shortcut) in enumerate(DEFAULT_VERDICTS):
        session.add(
            Verdict(
                key=key,
                label=label,
                label_fr=label_fr,
                rating=rating,
                colour=colour,
                shortcut=shortcut,
                position=position,
            )
        )
    session.flush()
    return len(DEFAULT_VERDICTS)


def scale(session: Session, *, include_retired: bool = False) -> list[Verdict]:
    query = select(Verdict).order_by(Verdict.position, Verdict.id)
    if not include_retired:
        query = query.where(Verdict.retired.is_(False))
    return list(session.scalars(query))
