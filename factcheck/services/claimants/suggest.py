"""Claimants as one types: by word prefix of their name and aliases, accents and case
ignored, live claimants only (a merged one stands behind the one it joined).

Two tiers. The first reads the ``folded`` indexes of names and aliases with range queries
(``folded >= q AND folded < q'``, ``q'`` being ``q`` with its last character moved one
up), which both databases answer from the index, in any collation, for a name or an alias
that *starts* with what was typed. Only when that finds fewer than ``limit`` does the
second look inside the names ("mair" finds "Le maire"): a LIKE on a word boundary, which
reads the index (SQLite) or the table (PostgreSQL) from end to end, stopping at ``limit``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from ...models import Claimant, ClaimantAlias
from .core import folded

DEFAULT_LIMIT = 8
MAX_LIMIT = 50
#: characters after which a word starts inside a folded name ("jean-luc", "l'adjointe")
_WORD_STARTS = (" ", "-", "'")


@dataclass
class Suggestion:
    claimant: Claimant
    #: the alias that matched what was typed (None: the name did)
    alias: str | None = None


def upper_bound(key: str) -> str:
    """The first string after every string starting with ``key`` (``key`` not empty)."""
    last = ord(key[-1])
    if last >= 0x10FFFF:
        return key + "\U0010ffff"
    return key[:-1] + chr(last + 1)


def _like_escape(key: str) -> str:
    return key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def suggest(session: Session, q: str, limit: int = DEFAULT_LIMIT) -> list[Suggestion]:
    """Live claimants whose name or an alias has a word starting with ``q``: names
    starting with it first, then aliases, then names and aliases with a later word."""
    key = folded(q or "")
    if not key:
        return []
    limit = max(1, min(limit, MAX_LIMIT))
    found: dict[int, str | None] = {}
    _by_start(session, key, limit, found)
    if len(found) < limit:
        _inside(session, key, limit, found)
    if not found:
        return []
    ids = list(found)[:limit]
    rows = {
        c.id: c
        for c in session.scalars(
            select(Claimant).where(Claimant.id.in_(ids)).options(selectinload(Claimant.aliases))
        )
    }
    return [Suggestion(rows[i], found[i]) for i in ids if i in rows]


def _by_start(session: Session, key: str, limit: int, found: dict) -> None:
    high = upper_bound(key)
    names = session.scalars(
        select(Claimant.id)
        .where(Claimant.folded >= key, Claimant.folded < high, Claimant.merged_into_id.is_(None))
        .order_by(Claimant.folded, Claimant.id)
        .limit(limit)
    )
    for claimant_id in names:
        found.setdefault(claimant_id, None)
    if len(found) >= limit:
        return
    aliases = session.execute(
        select(ClaimantAlias.claimant_id, ClaimantAlias.alias)
        .join(Claimant, Claimant.id == ClaimantAlias.claimant_id)
        .where(
            ClaimantAlias.folded >= key,
            ClaimantAlias.folded < high,
            Claimant.merged_into_id.is_(None),
        )
        .order_by(ClaimantAlias.folded, ClaimantAlias.id)
        .limit(limit)
    )
    for claimant_id, alias in aliases:
        found.setdefault(claimant_id, alias)


def _inside(session: Session, key: str, limit: int, found: dict) -> None:
    """Names, then aliases, with a later word starting with ``key``."""
    escaped = _like_escape(key)

    def inside(column):
        return or_(*(column.like(f"%{c}{escaped}%", escape="\\") for c in _WORD_STARTS))

    # ids only, so that SQLite reads the folded index alone (it covers folded and id)
    name_ids = list(session.scalars(select(Claimant.id).where(inside(Claimant.folded)).limit(200)))
    if name_ids:
        live = session.scalars(
            select(Claimant.id)
            .where(Claimant.id.in_(name_ids), Claimant.merged_into_id.is_(None))
            .order_by(func.length(Claimant.folded), Claimant.id)
        )
        for claimant_id in live:
            found.setdefault(claimant_id, None)
    if len(found) >= limit:
        return
    alias_ids = list(
        session.scalars(select(ClaimantAlias.id).where(inside(ClaimantAlias.folded)).limit(200))
    )
    if alias_ids:
        rows = session.execute(
            select(ClaimantAlias.claimant_id, ClaimantAlias.alias)
            .join(Claimant, Claimant.id == ClaimantAlias.claimant_id)
            .where(ClaimantAlias.id.in_(alias_ids), Claimant.merged_into_id.is_(None))
            .order_by(func.length(ClaimantAlias.folded), ClaimantAlias.id)
        )
        for claimant_id, alias in rows:
            found.setdefault(claimant_id, alias)


def listing(session: Session, page: int, per_page: int) -> tuple[list[Claimant], int]:
    """Live claimants by name, a page of them, and how many there are."""
    live = Claimant.merged_into_id.is_(None)
    total = session.scalar(select(func.count()).select_from(Claimant).where(live)) or 0
    items = list(
        session.scalars(
            select(Claimant)
            .where(live)
            .order_by(Claimant.folded, Claimant.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
            .options(selectinload(Claimant.aliases))
        )
    )
    return items, total
