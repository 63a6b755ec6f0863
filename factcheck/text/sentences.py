"""Sentences of an article's text, French and English, as code-point spans.

``spans(text)`` gives ``(start, end)`` pairs, 0-based and end-exclusive, into ``text``
itself (the normalized article text: Python string indices, as every claim's offsets), each
sentence trimmed of the spaces around it. The rules, in order:

- a line break ends a sentence (a paragraph, a list item, a title);
- ``.``, ``!``, ``?``, ``…`` (or ``...``) end a sentence when followed by a space and
  then something that can start one (a capital, a digit, an opening quote or bracket);
  the closing marks right after the stop belong to the sentence that ends (``."``,
  ``.”``, ``. »``, ``!)``);
- a dot does not end a sentence after a known abbreviation (M., Mme, MM., Dr, Pr, p. ex.,
  U.S., Mr., e.g., i.e., No., St., cf., vs. …) nor after an initial (J. K. Rowling);
  ``etc.`` ends one when a capital follows. Decimals and grouped numbers (1,5 3.14 1.000)
  hold no space, so never end a sentence;
- a piece longer than ``MAX_CHARS`` (a 50,000-character paragraph with no stop) is cut
  into windows at a space (at a grapheme boundary when there is none), so nothing
  downstream reads an unbounded sentence. No cut ever falls inside a grapheme: an emoji
  with its modifiers stays whole.

Pure and bounded: linear in the text's length, no database, no Flask.
"""

from __future__ import annotations

import regex

#: the longest sentence handed on; a longer piece is cut into windows
MAX_CHARS = 1000
#: a window is cut at the last space after this share of ``MAX_CHARS``
_MIN_WINDOW = MAX_CHARS // 2

#: abbreviations after which a dot never ends a sentence (folded to lower case, without
#: their final dot): titles, "for example", references
_NEVER_END = frozenset(
    """
    m mm mme mmes mlle mlles dr drs pr prof me mgr st ste sr jr mr mrs ms messrs
    no nos nº n° art al ch chap fig vol p pp ex cf vs env av apr j.-c e.g i.e
    u.s u.k u.n u.e p.ex gen gén col cdt lt sgt rev hon gov sen rep dept
    jan janv feb fév févr mar apr avr jun juil jul aug sept sep oct nov dec déc
    """.split()
)
#: abbreviations that end a sentence when what follows starts with a capital
_MAY_END = frozenset("etc inc ltd co corp cie".split())

# a stop: dots, ellipses, ! and ?, then the closing marks that belong to the sentence
# (a French closing guillemet may stand after a space)
_STOP = regex.compile(
    r"(?:\.{2,}|…|[.!?])[.!?…]*(?:[»”’\"')\]]|[ \u00a0\u202f]+»)*",
)
# what may start a sentence: a capital, a digit, an opening quote or bracket, a dash
_STARTER = regex.compile(r"[\p{Lu}\p{Lt}\p{Lo}\p{N}«“‘\"'(\[¿¡—–-]|\p{Extended_Pictographic}")
_WORD_BEFORE = regex.compile(r"([\p{L}.\-'’°º]+)$")
_SPACE = regex.compile(r"\s+")
_LINE = regex.compile(r"[^\n]+")


def spans(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` as (start, end) code-point spans, trimmed, in order."""
    found: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        start = line.start()
        for cut in _boundaries(text, line.start(), line.end()):
            _add(text, start, cut, found)
            start = cut
        _add(text, start, line.end(), found)
    return found


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings (``spans`` read back)."""
    return [text[s:e] for s, e in spans(text)]


def _boundaries(text: str, start: int, end: int):
    """Where sentences end inside ``text[start:end]`` (one line), after their stop."""
    for stop in _STOP.finditer(text, start, end):
        after = stop.end()
        if after >= end:
            return
        if not text[after].isspace():
            continue  # 3.14, 1.000, U.S.A, "word.word", a stop inside a token
        nxt = _SPACE.match(text, after, end)
        following = nxt.end() if nxt else after
        if following >= end:
            return
        if not _STARTER.match(text, following):
            continue  # « Pourquoi ? » demanda-t-il ; etc. et ; a lower-case word
        if text[stop.start()] == "." and stop.group().rstrip(".»”’\"')] \u00a0\u202f") == "":
            if _abbreviation(text, start, stop.start(), text[following]):
                continue
        yield after


def _abbreviation(text: str, line_start: int, dot: int, following: str) -> bool:
    """Whether the dot at ``dot`` closes an abbreviation or an initial, not a sentence."""
    match = _WORD_BEFORE.search(text, max(line_start, dot - 20), dot)
    if not match:
        return False
    word = regex.split(r"['’]", match.group(1))[-1].strip(".-")
    if len(word) == 1 and word.isalpha() and word.isupper():
        return True  # an initial: J. K. Rowling
    lowered = word.lower()
    if lowered in _NEVER_END:
        return True
    if "." in lowered:
        return True  # U.S., e.g., i.e., J.-C., an acronym written with dots
    if lowered == "ex" and text[max(line_start, dot - 6) : dot - 2].rstrip().lower().endswith("p."):
        return True  # p. ex.
    if lowered in _MAY_END:
        return not (following.isupper() or following.isdigit())
    return False


def _add(text: str, start: int, end: int, found: list[tuple[int, int]]) -> None:
    """Trim ``text[start:end]`` and add it, cut into windows when it is too long."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_CHARS:
        cut = _window_end(text, start, start + MAX_CHARS)
        found.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
        # the window may end on spaces: trim them from the piece kept
        last = found[-1]
        trimmed = last[1]
        while trimmed > last[0] and text[trimmed - 1].isspace():
            trimmed -= 1
        found[-1] = (last[0], trimmed)
    if end > start:
        found.append((start, end))


def _window_end(text: str, start: int, limit: int) -> int:
    """Where a window from ``start`` ends, at most ``limit``: after the last space past
    the window's middle, else at the last grapheme boundary before ``limit``."""
    space = max(text.rfind(" ", start + _MIN_WINDOW, limit), text.rfind("\t", start, limit))
    if space > start:
        return space + 1
    cut = start
    for grapheme in regex.finditer(r"\X", text, pos=start, endpos=limit + 64):
        if grapheme.end() > limit:
            break
        cut = grapheme.end()
    return cut if cut > start else limit
