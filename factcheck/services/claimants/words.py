"""The words of every claimant's names, held in memory per process: how a suggestion finds
"Le maire" for "mair" in a few microseconds at 100,000 claimants.

The database's ``folded`` indexes answer "a name *starting* with…" (suggest.py's first
tier), not "a name with a *word* starting with…": that needs one row per word, which the
schema does not hold, and a LIKE '% mair%' reads every row (60 to 200 ms at 100,000 on a
loaded machine). So each process keeps the sorted words of all names and aliases with the
claimants holding them, and answers from there.

It is a cache, never the truth: every claimant it proposes is loaded from the database and
checked again (live, and its current name or an alias really has a word starting with what
was typed), so a stale entry costs nothing but a lookup. Claimants and aliases added since
the last look (ids above those seen: a cheap ``max(id)`` on each side) are added at once;
a rename is seen at once in the process that made it (``note``) and within ``TTL``
seconds elsewhere: the index is then rebuilt from scratch in a background thread and
swapped in, so that no request waits for it; so is a large index the first time
(``SYNC_BUILD_MOST``), meanwhile suggestions find names by their start only.
"""

from __future__ import annotations

import re
import threading
import time
from bisect import bisect_left, insort
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Claimant, ClaimantAlias

WORD = re.compile(r"\w+")
#: seconds before the index is rebuilt from scratch (renames made by other processes)
TTL = 300.0
#: up to this many names and aliases (by their ids), the first lookup of a process builds
#: the index itself (under 0.1 s); beyond, it is built in the background, and suggestions
#: find names by their start only until it is ready (a second or two at 100,000)
SYNC_BUILD_MOST = 20_000
#: at most this many claimants are checked for one suggestion (a word held by thousands,
#: "adjointe", is narrowed by typing more, not by checking them all)
MOST_CANDIDATES = 300


def word_start(key: str) -> re.Pattern:
    """A pattern finding ``key`` (folded) where a word of a folded text starts."""
    return re.compile(r"(?<!\w)" + re.escape(key))


def has_word_starting(text: str, key: str) -> bool:
    """Does a word of ``text`` (folded) start the phrase ``key`` (folded)?"""
    return word_start(key).search(text) is not None


@dataclass
class _Index:
    built_at: float = 0.0
    max_claimant: int = 0
    max_alias: int = 0
    words: list[str] = field(default_factory=list)
    postings: dict[str, list[int]] = field(default_factory=dict)
    #: claimant id → its folded name and aliases, as last seen
    texts: dict[int, list[str]] = field(default_factory=dict)

    def add(self, rows) -> None:
        """Index ``(claimant id, folded text)`` rows; the new words are sorted in once."""
        new: list[str] = []
        for claimant_id, text in rows:
            self.texts.setdefault(claimant_id, []).append(text)
            for word in set(WORD.findall(text)):
                ids = self.postings.get(word)
                if ids is None:
                    ids = self.postings[word] = []
                    new.append(word)
                ids.append(claimant_id)
        if len(new) > 100:
            self.words = sorted(self.postings)
        else:
            for word in new:
                insort(self.words, word)

    def lookup(self, prefix: str, most: int) -> list[int]:
        found: dict[int, None] = {}
        at = bisect_left(self.words, prefix)
        while at < len(self.words) and self.words[at].startswith(prefix):
            # newest first: an entry gone stale (merged, renamed) never hides a new one
            for claimant_id in reversed(self.postings[self.words[at]]):
                found[claimant_id] = None
                if len(found) >= most:
                    return list(found)
            at += 1
        return list(found)


_indexes: dict[str, _Index] = {}
#: databases whose index is being rebuilt in the background
_rebuilding: set[str] = set()
_lock = threading.Lock()


def _key(session: Session) -> str:
    return str(session.get_bind().url)


def forget(session: Session) -> None:
    """Drop this database's index: the next lookup builds it again (benchmarks, tests)."""
    with _lock:
        _indexes.pop(_key(session), None)


def note(session: Session, claimant_id: int, folded: str) -> None:
    """A claimant's new name, seen at once by this process (the old one turns stale and
    is checked away)."""
    with _lock:
        index = _indexes.get(_key(session))
        if index is not None:
            index.add([(claimant_id, folded)])


def _tops(session: Session) -> tuple[int, int]:
    tops = session.execute(
        select(
            select(func.max(Claimant.id)).scalar_subquery(),
            select(func.max(ClaimantAlias.id)).scalar_subquery(),
        )
    ).one()
    return tops[0] or 0, tops[1] or 0


def _fresh(session: Session) -> _Index | None:
    """This database's index, brought up to date; None while a large one is first built."""
    top_claimant, top_alias = _tops(session)
    key = _key(session)
    with _lock:
        index = _indexes.get(key)
        emptied = index is not None and (
            top_claimant < index.max_claimant or top_alias < index.max_alias
        )
        if index is None or emptied:
            if top_claimant + top_alias > SYNC_BUILD_MOST:
                _indexes.pop(key, None)
                _start_rebuild(session, key)
                return None
            index = _indexes[key] = _Index(built_at=time.monotonic())
        elif time.monotonic() - index.built_at > TTL:
            _start_rebuild(session, key)
        _add_since(session, index, top_claimant, top_alias)
        return index


def _start_rebuild(session: Session, key: str) -> None:
    """(Under ``_lock``.) Build the index again in a background thread, once at a time."""
    if key in _rebuilding:
        return
    _rebuilding.add(key)
    threading.Thread(target=_rebuild, args=(session.get_bind(), key), daemon=True).start()


def building() -> bool:
    """Is an index being built in the background (benchmarks and tests wait for it)?"""
    with _lock:
        return bool(_rebuilding)


def _rebuild(engine, key: str) -> None:
    """A new index from scratch, built beside the one in use, then swapped in: renames made
    by other processes reach this one without a request paying for the build."""
    try:
        with Session(engine) as session:
            index = _Index(built_at=time.monotonic())
            _add_since(session, index, *_tops(session))
        with _lock:
            current = _indexes.get(key)
            if current is not None:
                # what the requests added meanwhile
                with Session(engine) as session:
                    _add_since(session, index, current.max_claimant, current.max_alias)
            _indexes[key] = index
    finally:
        with _lock:
            _rebuilding.discard(key)


def _add_since(session: Session, index: _Index, top_claimant: int, top_alias: int) -> None:
    if top_claimant > index.max_claimant:
        index.add(
            session.execute(
                select(Claimant.id, Claimant.folded).where(
                    Claimant.id > index.max_claimant,
                    Claimant.id <= top_claimant,
                    Claimant.merged_into_id.is_(None),
                )
            )
        )
        index.max_claimant = top_claimant
    if top_alias > index.max_alias:
        index.add(
            session.execute(
                select(ClaimantAlias.claimant_id, ClaimantAlias.folded).where(
                    ClaimantAlias.id > index.max_alias, ClaimantAlias.id <= top_alias
                )
            )
        )
        index.max_alias = top_alias


def candidates(session: Session, key: str) -> list[int]:
    """Claimants with a word of their name (first) or of an alias starting with ``key``,
    shortest first (newest first among equals), as this process last saw them: the caller
    checks them against the rows, in order, until it has enough. Looked up by the longest
    word of ``key``; at most ``MOST_CANDIDATES``."""
    tokens = WORD.findall(key)
    if not tokens:
        return []
    index = _fresh(session)
    if index is None:
        return []
    pattern = word_start(key)
    ranked = []
    for claimant_id in index.lookup(max(tokens, key=len), MOST_CANDIDATES):
        for rank, text in enumerate(index.texts.get(claimant_id, ())):
            if pattern.search(text):
                ranked.append((rank > 0, len(text), -claimant_id))
                break
    ranked.sort()
    return [-newest for _alias, _length, newest in ranked]
