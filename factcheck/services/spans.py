"""Spans of article text: validation against the stored text, and "find the quote".

Offsets are 0-based, end-exclusive code-point indices into the normalized article text
(Python string indices). A span may not cut a grapheme cluster (an emoji with its skin
tone, a ZWJ family, a flag, ``e`` + a combining accent): the quote would be a broken
character for every reader and every export.

Grapheme boundaries are computed with ``regex``'s ``\\X`` on a bounded window around the
offset, never on the whole text: an article may hold two million code points.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex
from flask_babel import gettext as _

from ..text.fold import fold_char
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
        raise Invalid(_("%(field)s must be a whole number.", field=field), field=field)
    return value


def validate_span(text: str, start: object, end: object, quote: object) -> Span:
    """Check a span against the stored text; return it with its prefix and suffix."""
    start = _whole_number(start, "start")
    end = _whole_number(end, "end")
    if not isinstance(quote, str):
        raise Invalid(_("quote must be text."), field="quote")
    length = len(text)
    if start < 0 or start >= length:
        raise Invalid(
            _("start must be between 0 and %(max)s.", max=max(length - 1, 0)),
            field="start",
        )
    if end <= start or end > length:
        raise Invalid(
            _("end must be greater than start and at most %(max)s.", max=length),
            field="end",
        )
    if text[start:end] != quote:
        raise Invalid(
            str(
                _(
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
                    _(
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


def _fold_char(char: str) -> str:
    """The search fold of one character (factcheck/text/fold.py), any space made " "."""
    folded = fold_char(char)
    return " " if folded.isspace() else folded


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


def _match(text: str, start: int, end: int) -> Match:
    start, end = snap_outward(text, start, end)
    return Match(
        start=start,
        end=end,
        before=text[max(0, start - 60) : start],
        quote=text[start:end],
        after=text[end : end + 60],
    )


def find_quote(text: str, query: str, limit: int = 20) -> list[Match]:
    """Where ``query`` occurs in ``text``, ignoring case, accents, typographic quotes and
    runs of whitespace; then, up to ``limit``, the passages its words match loosely (see
    ``_fuzzy``). Offsets are exact and never cut a character."""
    needle, _positions = fold((query or "").strip())
    if len(needle) < 2:
        return []
    haystack, origin = fold(text)
    matches: list[Match] = []
    position = haystack.find(needle)
    while position != -1 and len(matches) < limit:
        start = origin[position]
        end = origin[position + len(needle) - 1] + 1
        matches.append(_match(text, start, end))
        position = haystack.find(needle, position + 1)
    loose = _fuzzy(haystack, origin, needle) if len(matches) < limit else ()
    for start, end in loose:
        if len(matches) >= limit:
            break
        if not any(m.start < end and start < m.end for m in matches):
            matches.append(_match(text, start, end))
    return matches


# --- loose matching: the words typed, in order, each a prefix or a near miss ---------------

_WORD = regex.compile(r"[\p{L}\p{N}]+")
#: words of the text that may lie between two words of the query ("ne s'est pas")
MAX_GAP = 5
#: at most this many text words tried as the start of a passage (bounds the time)
MAX_STARTS = 5_000


def _within(a: str, b: str, limit: int) -> bool:
    """Levenshtein distance of ``a`` and ``b`` is at most ``limit`` (banded, early exit)."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


def word_matches(typed: str, word: str) -> bool:
    """A typed word matches a (folded) word of the text when it is a prefix of it ("elect"
    for "election") or a near miss: one edit from 4 letters, two from 8 ("electoin")."""
    if word.startswith(typed):
        return True
    limit = 2 if len(typed) >= 8 else 1 if len(typed) >= 4 else 0
    return limit > 0 and _within(typed, word, limit)


def _fuzzy(haystack: str, origin: list[int], needle: str):
    """(start, end) of the passages where the query's words occur in order, each matching
    a word of the text (``word_matches``), with at most MAX_GAP words between two."""
    typed = _WORD.findall(needle)
    if not typed:
        return
    words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(haystack)]
    cache: dict[tuple[int, str], bool] = {}

    def ok(k: int, word: str) -> bool:
        found = cache.get((k, word))
        if found is None:
            found = cache[(k, word)] = word_matches(typed[k], word)
        return found

    starts = 0
    i = 0
    while i < len(words) and starts < MAX_STARTS:
        if not ok(0, words[i][0]):
            i += 1
            continue
        starts += 1
        j, last = i, i
        for k in range(1, len(typed)):
            nxt = next(
                (n for n in range(j + 1, min(len(words), j + 2 + MAX_GAP)) if ok(k, words[n][0])),
                None,
            )
            if nxt is None:
                break
            j = last = nxt
        else:
            yield origin[words[i][1]], origin[words[last][2] - 1] + 1
            i = last + 1
            continue
        i += 1
