"""Spans of article text: validation against the stored text, and "find the quote".

Offsets are 0-based, end-exclusive code-point indices into the normalized article text
(Python string indices). A span may not cut a grapheme cluster (an emoji with its skin
tone, a ZWJ family, a flag, ``e`` + a combining accent): the quote would be a broken
character for every reader and every export.

Grapheme boundaries are computed with ``regex``'s ``\\X`` on a bounded window around the
offset, never on the whole text: an article may hold two million code points.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex
from flask_babel import lazy_gettext as _l

from .errors import Invalid

#: code points of context stored either side of a span (W3C TextQuoteSelector)
CONTEXT = 32
#: how far to look for a safe place to start or stop segmenting
WINDOW = 256
GRAPHEME = regex.compile(r"\X")
WHITESPACE = frozenset(" \t\n\u00a0\u2009\u202f")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


#: the columns that place a claim in its article's text
SPAN_FIELDS = ("start", "end", "quote", "prefix", "suffix")


def span_values(span: object) -> dict:
    """The placing columns of a ``Span``, an annotation or an anchoring result."""
    return {name: getattr(span, name) for name in SPAN_FIELDS}


def _window(text: str, offset: int) -> tuple[int, int]:
    """A slice around ``offset`` whose edges are certainly grapheme boundaries.

    There is always a boundary before a whitespace character (no Unicode rule joins a
    space to what precedes it) and at the ends of the text, so the window runs from the
    nearest whitespace before ``offset`` to the nearest one after it, within WINDOW.
    """
    low_limit = max(0, offset - WINDOW)
    low = offset - 1
    while low > low_limit and text[low] not in WHITESPACE:
        low -= 1
    low = max(low, low_limit)
    high_limit = min(len(text), offset + WINDOW)
    high = offset
    while high < high_limit and text[high] not in WHITESPACE:
        high += 1
    return low, high


def grapheme_boundaries(text: str, offset: int) -> list[int]:
    """Absolute grapheme boundaries found in the window around ``offset``."""
    low, high = _window(text, offset)
    bounds = [low]
    bounds.extend(m.end() for m in GRAPHEME.finditer(text, low, high))
    return bounds


def is_boundary(text: str, offset: int) -> bool:
    if offset <= 0 or offset >= len(text):
        return True
    return offset in grapheme_boundaries(text, offset)


def snap_outward(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``start``/``end`` to the grapheme boundaries at or around them."""
    if not is_boundary(text, start):
        start = max(b for b in grapheme_boundaries(text, start) if b <= start)
    if not is_boundary(text, end):
        end = min(b for b in grapheme_boundaries(text, end) if b >= end)
    return start, end


def _whole_number(value: object, field: str) -> int:
    # bool is an int in Python; true/false are not offsets
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(str(_l("%(field)s must be a whole number.", field=field)), field=field)
    return value


def validate_span(text: str, start: object, end: object, quote: object) -> Span:
    """Check a span against the stored text; return it with its prefix and suffix."""
    start = _whole_number(start, "start")
    end = _whole_number(end, "end")
    if not isinstance(quote, str):
        raise Invalid(str(_l("quote must be text.")), field="quote")
    length = len(text)
    if start < 0 or start >= length:
        raise Invalid(
            str(_l("start must be between 0 and %(max)s.", max=max(length - 1, 0))),
            field="start",
        )
    if end <= start or end > length:
        raise Invalid(
            str(_l("end must be greater than start and at most %(max)s.", max=length)),
            field="end",
        )
    if text[start:end] != quote:
        raise Invalid(
            str(
                _l(
                    "The quote does not match the article text at %(start)s–%(end)s. "
                    "Reload the article and select the passage again.",
                    start=start,
                    end=end,
                )
            ),
            field="quote",
        )
    for name, offset in (("start", start), ("end", end)):
        if not is_boundary(text, offset):
            raise Invalid(
                str(
                    _l(
                        "The span cuts a character in two at %(offset)s (an emoji, a flag "
                        "or a letter with its accent). Select whole characters.",
                        offset=offset,
                    )
                ),
                field=name,
            )
    return Span(
        start=start,
        end=end,
        quote=quote,
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
    )


# --- find the quote -------------------------------------------------------------------

#: typographic variants a keyboard user types with plain keys
_EQUIVALENTS = str.maketrans(
    {
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
)
_fold_cache: dict[str, str] = {}


def _fold_char(char: str) -> str:
    folded = _fold_cache.get(char)
    if folded is None:
        decomposed = unicodedata.normalize("NFD", char.translate(_EQUIVALENTS))
        folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        if folded.isspace():
            folded = " "
        if len(_fold_cache) < 10_000:
            _fold_cache[char] = folded
    return folded


def fold(text: str) -> tuple[str, list[int]]:
    """Case-, accent- and whitespace-insensitive text, and the original index of each
    of its characters (so matches map back to exact offsets)."""
    out: list[str] = []
    origin: list[int] = []
    previous_space = False
    for index, char in enumerate(text):
        folded = _fold_char(char)
        if not folded:
            continue  # a combining mark: it belongs to the base character before it
        if folded == " ":
            if previous_space:
                continue
            previous_space = True
        else:
            previous_space = False
        out.append(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    before: str
    quote: str
    after: str


def find_quote(text: str, query: str, limit: int = 20) -> list[Match]:
    """Where ``query`` occurs in ``text``, ignoring case, accents, typographic quotes and
    runs of whitespace. Offsets are exact and never cut a character."""
    needle, _ = fold((query or "").strip())
    if len(needle) < 2:
        return []
    haystack, origin = fold(text)
    matches: list[Match] = []
    position = haystack.find(needle)
    while position != -1 and len(matches) < limit:
        start = origin[position]
        end = origin[position + len(needle) - 1] + 1
        start, end = snap_outward(text, start, end)
        matches.append(
            Match(
                start=start,
                end=end,
                before=text[max(0, start - 60) : start],
                quote=text[start:end],
                after=text[end : end + 60],
            )
        )
        position = haystack.find(needle, position + 1)
    return matches
