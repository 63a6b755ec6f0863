"""One fold for every search: "oeuvre" finds "Œuvre", "mele" finds "mêlé", "l'ete" finds
"L’été", in article search, in Find and in *Checked before?* alike.

A character folds on its own: compatibility decomposition (NFKD), case folded, combining
marks dropped, then the letters NFKD keeps whole (œ, æ, ø, ł, đ…) spelled out and
typographic quotes, dashes and spaces made the ones a keyboard types. Folding a text is
then ``str.translate`` through one table that learns each character the first time it
meets it: no regular expression, no per-call normalization of the whole text.
"""

from __future__ import annotations

import unicodedata

#: letters NFKD leaves whole, spelled as a French or English reader would type them
_LETTERS = {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ı": "i"}
#: typographic variants of what a keyboard types
_TYPOGRAPHY = {
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "–": "-",
    "—": "-",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
}
_MAX_LEARNED = 100_000


def _fold_char(char: str) -> str:
    if char in _TYPOGRAPHY:
        return _TYPOGRAPHY[char]
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", char).casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(_LETTERS.get(c, c) for c in kept)


class _Table(dict):
    """code point → folded string, filled on first use (``str.translate`` asks through
    ``__getitem__``, so ``__missing__`` is consulted for a character not seen yet)."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        if len(self) < _MAX_LEARNED:
            self[code] = folded
        return folded


TABLE = _Table({code: chr(code).lower() for code in range(128)})


def fold_char(char: str) -> str:
    """One character folded: "" for a combining mark, two letters for "œ"."""
    return TABLE[ord(char)]


def fold(value: str) -> str:
    """``value`` folded, character by character (its length may change)."""
    if value.isascii():
        return value.lower()
    return value.translate(TABLE)
