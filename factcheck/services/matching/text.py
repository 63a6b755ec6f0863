"""Text folding for the lexical route: accents, case and punctuation never matter.

We fold in Python (NFKD, combining marks dropped, casefold) and store the result in
``claim_text.norm``, so that SQLite FTS5 and PostgreSQL's ``simple`` configuration see
the same tokens, and PostgreSQL needs no ``unaccent`` extension (which an application
account often may not install).
"""

from __future__ import annotations

import hashlib
import unicodedata

import regex

_TOKEN = regex.compile(r"[\p{L}\p{N}]+")
#: letters that NFKD does not decompose
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"})

#: words too common to find anything with (French and English); numbers always count
STOPWORDS = frozenset(
    """
    a an and are as at be been but by did do does for from had has have he her his i if in
    into is it its not of on or our she so than that the their them then there these they
    this to was we were what when which who will with would you
    au aux avec ce ces cet cette d dans de des du elle en est et etait il ils je l la le les
    leur leurs lui m ma mais me meme mes n ne nos notre nous on ou par pas plus pour qu que
    qui s sa se ses son sont sur t ta te tes ton tu un une vos votre vous y ete
    """.split()
)
MAX_TERMS = 16


def fold(text: str) -> str:
    """Lower-case, accent-free words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_TOKEN.findall(stripped))


def query_terms(text: str) -> list[str]:
    """The distinct folded words of ``text`` worth searching for, in order."""
    seen: dict[str, None] = {}
    for word in fold(text).split():
        if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        seen.setdefault(word, None)
    return list(seen)[:MAX_TERMS]


def text_hash(text: str) -> str:
    """32 hex digits identifying a claim text (an unchanged claim is not re-indexed)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
