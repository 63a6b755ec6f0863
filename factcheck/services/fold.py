"""One fold for searching: case and accents ignored ("mele" finds "mêlé", "ETE" finds
"été"), the same in Python, on SQLite and on PostgreSQL (the folded text is stored in
``article.search_text``, so both databases compare plain strings)."""

from __future__ import annotations

import unicodedata


def fold(value: str) -> str:
    """NFKD, combining marks dropped, casefolded, recomposed (NFC)."""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped.casefold())


def article_search_text(title: str | None, text: str | None) -> str:
    """What article search looks in: the title, a line break, the text; folded."""
    return fold(f"{title or ''}\n{text or ''}")
