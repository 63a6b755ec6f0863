"""Claimants as one types: by word prefix of their name and aliases, accents and case
ignored, live claimants only (a merged one stands behind the one it joined).

Ranked: the name folded exactly as typed, then names starting with it, then the others
(a whole word typed first, then by name, among the first ``WINDOW`` found). The first two
come from the ``folded`` index of names, with a range query (``folded >= q AND folded <
q'``, ``q'`` being ``q`` with its last character moved one up), which both databases
answer from the index in any collation. Only when those are fewer than ``limit`` are the
others looked for in ``claimant_word`` (one row per word of a name or an alias, kept by
index.py): every word typed must start a word of the same claimant ("mair" finds "Le
maire", "luc" "Jean-Luc", "maire lyon" "Maire de Lyon"). The rarest word typed is read
by a range on the (word, claimant) index, the others are checked per claimant on
(claimant, word), and at most ``SCAN_MOST`` rows are read: a suggestion costs about the
same at any size.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, literal, select, tuple_
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


#: the words of at most this many rows of ``claimant_word`` are read for one suggestion
#: (those of the rarest word typed, in the index's order): a word held by more is
#: narrowed by typing more, never by reading them all
SCAN_MOST = 2000
#: the first this many claimants found are ranked (whole word, name) for the page
WINDOW = 100


def _rows_starting(word: str):
    return select(ClaimantWord.word, ClaimantWord.claimant_id).where(
        _starts(ClaimantWord.word, word)
    )


def _rarest(session: Session, typed: list[str]) -> tuple[str, int]:
    """The word typed that starts the fewest words and how many (counted up to
    ``SCAN_MOST``, from the index alone); the longest among equals."""
    if len(typed) == 1:
        return typed[0], 0
    held = {
        word: session.scalar(
            select(func.count()).select_from(_rows_starting(word).limit(SCAN_MOST).subquery())
        )
        for word in typed
    }
    driver = min(typed, key=lambda word: (held[word], -len(word)))
    return driver, held[driver]


def _by_words(session: Session, typed: list[str], limit: int, seen: list[int]) -> list[int]:
    """Live claimants not in ``seen`` with a word starting with each of ``typed``.

    The rarest word typed is read in the word index's order (its whole word first,
    "maire" before "mairet"), up to ``SCAN_MOST`` rows; each claimant found is checked for
    the other words on the (claimant, word) index; the first ``WINDOW`` found are ranked:
    those holding the rarest word whole first, then by name."""
    driver, held = _rarest(session, typed)
    query = (
        select(ClaimantWord.claimant_id, ClaimantWord.word, Claimant.folded)
        .join(Claimant, Claimant.id == ClaimantWord.claimant_id)
        .where(_starts(ClaimantWord.word, driver), Claimant.merged_into_id.is_(None))
        .order_by(ClaimantWord.word, ClaimantWord.claimant_id)  # the index's order
        .limit(WINDOW)
    )
    others = [word for word in typed if word != driver]
    if held >= SCAN_MOST:
        # the rows after the first SCAN_MOST are not read (few of them held the others)
        last = session.execute(
            _rows_starting(driver)
            .order_by(ClaimantWord.word, ClaimantWord.claimant_id)
            .offset(SCAN_MOST - 1)
            .limit(1)
        ).first()
        if last is not None:
            query = query.where(
                tuple_(ClaimantWord.word, ClaimantWord.claimant_id) <= tuple_(*last)
            )
    for word in others:
        # a probe per claimant found (a scalar subquery with LIMIT, which PostgreSQL does
        # not turn into a join reading every row of ``word``), never a semi-join
        other = aliased(ClaimantWord)
        probe = (
            select(literal(1))
            .where(other.claimant_id == Claimant.id, _starts(other.word, word))
            .limit(1)
            .scalar_subquery()
        )
        query = query.where(probe.is_not(None))
    ranked: dict[int, tuple] = {}
    for claimant_id, word, name in session.execute(query):
        if claimant_id not in seen and claimant_id not in ranked:
            ranked[claimant_id] = (word != driver, name, claimant_id)
    return sorted(ranked, key=ranked.__getitem__)[: limit - len(seen)]


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
