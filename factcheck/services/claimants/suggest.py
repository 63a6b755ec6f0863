"""Claimants as one types: by word prefix of their name and aliases, accents and case
ignored, live claimants only (a merged one stands behind the one it joined).

Ranked: the name folded exactly as typed, then names starting with it, then the others
(a whole word typed first, then by name). The first two come from the ``folded`` index
of names, with a range query (``folded >= q AND folded < q'``, ``q'`` being ``q`` with
its last character moved one up), which both databases answer from the index in any
collation. Only when those are fewer than ``limit`` are the others looked for in
``claimant_word`` (one row per word of a name or an alias, kept by index.py): every word
typed must start a word of the same claimant ("mair" finds "Le maire", "luc"
"Jean-Luc", "maire lyon" "Maire de Lyon"); the longest word typed is read by a range on
the (word, claimant) index, the others are checked per claimant on (claimant, word).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import Session, aliased, selectinload

from ...models import Claimant, ClaimantWord
from .core import folded, words_of

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
    """Live claimants whose name or aliases have, for every word typed, a word starting
    with it: the exact name first, then names starting with ``q``, then the others by
    name."""
    key = folded(q or "")
    typed = words_of(key)
    if not typed:
        return []
    limit = max(1, min(limit, MAX_LIMIT))
    ids = _by_start(session, key, limit)
    if len(ids) < limit:
        ids += _by_words(session, typed, limit, ids)
    rows = {
        c.id: c
        for c in session.scalars(
            select(Claimant).where(Claimant.id.in_(ids)).options(selectinload(Claimant.aliases))
        )
    }
    return [Suggestion(rows[i], _alias(rows[i], typed)) for i in ids if i in rows]


def _by_start(session: Session, key: str, limit: int) -> list[int]:
    """Live claimants whose folded name starts with ``key``, the exact one first."""
    return list(
        session.scalars(
            select(Claimant.id)
            .where(
                Claimant.folded >= key,
                Claimant.folded < upper_bound(key),
                Claimant.merged_into_id.is_(None),
            )
            .order_by(Claimant.folded, Claimant.id)
            .limit(limit)
        )
    )


def _starts(column, word: str):
    return and_(column >= word, column < upper_bound(word))


def _by_words(session: Session, typed: list[str], limit: int, seen: list[int]) -> list[int]:
    """Live claimants not in ``seen`` with a word starting with each of ``typed``: those
    where the longest word typed is a whole word first ("maire" before "mairet"), then by
    name."""
    driver, *others = sorted(typed, key=len, reverse=True)
    whole = aliased(ClaimantWord)
    whole_word = exists().where(whole.claimant_id == Claimant.id, whole.word == driver)
    query = (
        select(Claimant.id)
        .where(
            Claimant.id.in_(
                select(ClaimantWord.claimant_id).where(_starts(ClaimantWord.word, driver))
            ),
            Claimant.merged_into_id.is_(None),
        )
        .order_by(case((whole_word, 0), else_=1), Claimant.folded, Claimant.id)
        .limit(limit)  # those of ``seen`` among them are left out
    )
    for word in others:
        other = aliased(ClaimantWord)
        query = query.where(
            exists().where(other.claimant_id == Claimant.id, _starts(other.word, word))
        )
    found = [i for i in session.scalars(query) if i not in seen]
    return found[: limit - len(seen)]


def _covers(words: list[str], typed: list[str]) -> bool:
    return all(any(w.startswith(t) for w in words) for t in typed)


def _alias(claimant: Claimant, typed: list[str]) -> str | None:
    """The alias that matched (None: the name did, or words of both together)."""
    if _covers(words_of(claimant.folded), typed):
        return None
    aliases = [(row.alias, words_of(row.folded)) for row in claimant.aliases]
    for alias, words in aliases:
        if _covers(words, typed):
            return alias
    for alias, words in aliases:
        if any(w.startswith(t) for w in words for t in typed):
            return alias
    return None


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
