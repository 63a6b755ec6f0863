"""One fold for searching: case and accents ignored ("mele" finds "mêlé", "ETE" finds
"été"), the same in Python, on SQLite and on PostgreSQL (the folded text is stored in
``article.search_text``, so both databases compare plain strings)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


@lru_cache(maxsize=4096)
def _fold_run(run: str) -> str:
    """A run of non-ASCII characters, folded (runs repeat: é, è, à… hence the cache)."""
    decomposed = unicodedata.normalize("NFKD", run)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped.casefold())


def _fold_match(match: re.Match) -> str:
    return _fold_run(match.group())


def fold(value: str) -> str:
    """NFKD, combining marks dropped, casefolded, recomposed (NFC).

    ASCII folds by ``lower()``; only the non-ASCII runs take the slow path (a combining
    accent after an ASCII letter is a run of its own, and folds to nothing)."""
    if value.isascii():
        return value.lower()
    return _NON_ASCII.sub(_fold_match, value).lower()


def article_search_text(title: str | None, text: str | None) -> str:
    """What article search looks in: the title, a line break, the text; folded."""
    return fold(f"{title or ''}\n{text or ''}")
