"""Claimants as one types: by word prefix of their name and aliases, accents and case
ignored, live claimants only (a merged one stands behind the one it joined).

Two tiers. The first reads the ``folded`` indexes of names and aliases with range queries
(``folded >= q AND folded < q'``, ``q'`` being ``q`` with its last character moved one
up), which both databases answer from the index, in any collation, for a name or an alias
that *starts* with what was typed. Only when that finds fewer than ``limit`` does the
second look for a later word ("mair" finds "Le maire", "luc" "Jean-Luc"): the words index
of words.py proposes, the rows as they are now decide.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ...models import Claimant, ClaimantAlias
from . import words
from .core import folded

DEFAULT_LIMIT = 8
MAX_LIMIT = 50


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


def suggest(session: Session, q: str, limit: int = DEFAULT_LIMIT) -> list[Suggestion]:
    """Live claimants whose name or an alias has a word starting with ``q``: names
    starting with it first, then aliases, then names and aliases with a later word."""
    key = folded(q or "")
    if not key:
        return []
    limit = max(1, min(limit, MAX_LIMIT))
    found: dict[int, str | None] = {}
    _by_start(session, key, limit, found)
    rows: dict[int, Claimant] = {}
    if len(found) < limit:
        rows = _inside(session, key, limit, found)
    ids = list(found)[:limit]
    missing = [i for i in ids if i not in rows]
    if missing:
        rows.update(_load(session, missing))
    return [Suggestion(rows[i], found[i]) for i in ids if i in rows]


def _load(session: Session, ids: list[int], *, live_only: bool = False) -> dict[int, Claimant]:
    query = select(Claimant).where(Claimant.id.in_(ids)).options(selectinload(Claimant.aliases))
    if live_only:
        query = query.where(Claimant.merged_into_id.is_(None))
    return {c.id: c for c in session.scalars(query)}


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


#: the words index's proposals are checked against the rows this many at a time
_CHUNK = 16
_MOST_CHUNKS = 4


def _inside(session: Session, key: str, limit: int, found: dict) -> dict[int, Claimant]:
    """Names, then aliases, with a later word starting with ``key``: proposed by the
    words index (words.py), in its order, checked here against the rows as they are now
    (a proposal gone stale, merged away or renamed, is dropped and the next one taken)."""
    proposed = [i for i in words.candidates(session, key) if i not in found]
    loaded: dict[int, Claimant] = {}
    for start in range(0, min(len(proposed), _CHUNK * _MOST_CHUNKS), _CHUNK):
        chunk = proposed[start : start + _CHUNK]
        rows = _load(session, chunk, live_only=True)
        loaded.update(rows)
        for claimant_id in chunk:  # the index's order: names first, shortest first
            claimant = rows.get(claimant_id)
            if claimant is None or len(found) >= limit:
                continue
            if words.has_word_starting(claimant.folded, key):
                found[claimant_id] = None
                continue
            alias = next(
                (a for a in claimant.aliases if words.has_word_starting(a.folded, key)), None
            )
            if alias is not None:
                found[claimant_id] = alias.alias
        if len(found) >= limit:
            break
    return loaded


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
