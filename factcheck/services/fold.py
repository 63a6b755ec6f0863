"""Article search: case and accents ignored ("mele" finds "mêlé", "ETE" finds "été",
"oeuvre" finds "Œuvre"), the same in Python, on SQLite and on PostgreSQL: the folded text is
stored in ``article.search_text``, so both databases compare plain strings. The fold itself
is the one every search uses (factcheck/text/fold.py)."""

from __future__ import annotations

from ..text.fold import fold

__all__ = ["article_search_text", "fold"]


def article_search_text(title: str | None, text: str | None) -> str:
    """What article search looks in: the title, a line break, the text; folded."""
    return fold(f"{title or ''}\n{text or ''}")
