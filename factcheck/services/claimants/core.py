"""Who a claim names: folding a name, following merges, finding a claimant by name and
resolving the claimant of a claim being saved."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ...models import Claimant, ClaimantAlias
from ...models.base import MAX_ID
from ...text.fold import fold
from ..errors import Invalid

#: a claimant's name, as the claim's ``claimant`` field
NAME_LIMIT = 300
#: a word of a name as ``claimant_word`` holds it (longer ones are cut)
WORD_LIMIT = 100
#: merges are followed this far at most (a longer chain is a bug, never a loop)
_MAX_HOPS = 50


def folded(name: str) -> str:
    """The name as suggestions and duplicates compare it: accents, case and typography
    folded, spaces collapsed."""
    return " ".join(fold(name).split())[:NAME_LIMIT]


_WORD = re.compile(r"[^\W_]+")


def words_of(text: str) -> list[str]:
    """The words of a folded text, once each, in order: split on whatever is not a letter
    or a digit ("jean-luc" → "jean", "luc"), cut at ``WORD_LIMIT``."""
    return list(dict.fromkeys(word[:WORD_LIMIT] for word in _WORD.findall(text)))


def live(session: Session, claimant: Claimant) -> Claimant:
    """The claimant that ``claimant`` was (perhaps repeatedly) merged into, or itself."""
    for _hop in range(_MAX_HOPS):
        if claimant.merged_into_id is None:
            return claimant
        claimant = session.get(Claimant, claimant.merged_into_id)
    raise RuntimeError(f"claimant merge chain longer than {_MAX_HOPS}")


def by_name(session: Session, name: str) -> Claimant | None:
    """The live claimant called ``name`` or known by it as an alias, accents and case
    ignored; the one named exactly so first, then the oldest."""
    key = folded(name)
    if not key:
        return None
    aliased = select(ClaimantAlias.claimant_id).where(ClaimantAlias.folded == key)
    found = list(
        session.scalars(
            select(Claimant)
            .where(
                Claimant.merged_into_id.is_(None),
                or_(Claimant.folded == key, Claimant.id.in_(aliased)),
            )
            .order_by(Claimant.id)
            .limit(20)
        )
    )
    for claimant in found:
        if claimant.name == name:
            return claimant
    return found[0] if found else None


def resolve(session: Session, name: str, claimant_id: object = None) -> int | None:
    """The ``claimant_id`` a claim written with ``name`` (already tidied) gets.

    An id given names a claimant (a merged one stands for the one it was merged into;
    an unknown id is a 422). Without one, the name finds its claimant as the suggestions
    would, and a new name creates one. No name and no id: no claimant.
    """
    if claimant_id not in (None, ""):
        if (
            isinstance(claimant_id, bool)
            or not isinstance(claimant_id, int)
            or not 0 < claimant_id <= MAX_ID
        ):
            raise Invalid(_("claimant_id must be a claimant's id."), field="claimant_id")
        claimant = session.get(Claimant, claimant_id)
        if claimant is None:
            raise Invalid(_("No claimant has the id %(id)s.", id=claimant_id), field="claimant_id")
        return live(session, claimant).id
    if not name:
        return None
    claimant = by_name(session, name)
    if claimant is None:
        claimant = Claimant(name=name[:NAME_LIMIT], folded=folded(name), same_as=[])
        session.add(claimant)
        session.flush()
    return claimant.id
