"""Re-anchoring claims when an article's text is revised: pure functions, no database.

The answer for each claim is ``ok``, ``relocated`` or ``orphaned``
(docs/contract/revisions.md), and it is never silently wrong: ``ok`` is given only where
the very same quote stands, at the one place whose surroundings agree.

1. **Map the span through a diff** of the old and the new text. The diff is Google's
   diff-match-patch (Myers' O(ND) algorithm with a line-level first pass and a deadline,
   in pure Python): a 50,000-character article with an edit near the top diffs in
   milliseconds. The standard library's ``difflib.SequenceMatcher`` is quadratic at the
   character level on such texts (or, with its "autojunk", ignores every common letter),
   and rapidfuzz's opcodes keep an N×M/64 bit matrix for a long changed middle.
2. **Accept the mapped place** only if the quote is unchanged there, its ends are
   grapheme boundaries, and the stored prefix/suffix agree with the new surroundings,
   and no other copy of the quote agrees as well (then several places compete).
3. A quote found elsewhere (a paragraph moved) is ``ok`` only at the one copy whose
   context agrees; several such copies, or a copy whose context does not agree, give
   ``relocated``.
4. Otherwise the best fuzzy candidate (the mapped region, copies of the quote, the text
   between the stored prefix and suffix), scored on quote + prefix + suffix weighted
   0.6 / 0.2 / 0.2, gives ``relocated`` (never ``ok``) when the quote is similar enough;
   else the claim is ``orphaned`` and keeps its old span.
"""

from __future__ import annotations

import time
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from os.path import commonprefix

from .spans import CONTEXT, is_boundary, snap_outward
from .textdiff import Bounded, kept

OK, RELOCATED, ORPHANED = "ok", "relocated", "orphaned"

#: weights of the fuzzy score: the quote counts most, its surroundings break ties
WEIGHTS = (0.6, 0.2, 0.2)
#: a fuzzy candidate needs a quote at least this similar to the stored one
MIN_QUOTE_SIMILARITY = 0.6
#: context agreement (mean of prefix and suffix similarity) for the diff-confirmed place
LOOSE_CONTEXT = 0.5
#: ... and for a copy found elsewhere, without the diff's word for it
STRONG_CONTEXT = 0.8
#: similarity of the context inside the paragraph, for a unique quote that moved
PARAGRAPH_CONTEXT = 0.7
#: more copies than this of one quote is not a place, it is a refrain
MAX_OCCURRENCES = 5000
#: fuzzy candidates scored at most (a quote standing in hundreds of places is no place)
MAX_CANDIDATES = 50
#: quotes longer than this are aligned by diff-match-patch (see ``similarity``) ...
LONG = 300
#: ... within this many seconds each (past it, the similarity found so far: lower)
SIMILARITY_SECONDS = 0.1
#: the diff gives up refining after this many seconds (the result is still a valid diff)
DIFF_TIMEOUT = 1.0


@dataclass(frozen=True)
class Stored:
    """A claim's span as stored: offsets into the old text, quote and its context."""

    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


@dataclass(frozen=True)
class Anchored:
    """Where a claim stands in the new text. For ``orphaned`` the span is the old one."""

    anchor: str
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    #: unchanged, moved, ambiguous, context_changed, quote_changed, gone
    reason: str
    score: float = 1.0


class PositionMap:
    """Old-text offsets → new-text offsets, through one diff of the two texts."""

    def __init__(self, old: str, new: str, *, timeout: float = DIFF_TIMEOUT):
        self.old, self.new = old, new
        # line by line first, then the changed lines character by character; bounded
        # (textdiff.Bounded): past the deadline a changed stretch maps as a whole
        self.diffs = Bounded(time.time() + timeout).diff(old, new, checklines=True)
        # one row per segment that consumes old text (equal or deleted):
        # old start, new start, is-equal, new position after the segment and any
        # insertion right behind it (a replacement maps onto its replacement)
        self._old_starts: list[int] = []
        self._rows: list[tuple[int, int, bool, int]] = []
        self._copies: dict[str, _Copies] = {}
        o = n = 0
        for op, data in self.diffs:
            size = len(data)
            if op == 1:  # inserted: extends the previous deletion's replacement
                n += size
                if self._rows and not self._rows[-1][2]:
                    old_start, new_start, _equal, _after = self._rows[-1]
                    self._rows[-1] = (old_start, new_start, False, n)
                continue
            self._old_starts.append(o)
            self._rows.append((o, n, op == 0, n if op == -1 else n + size))
            o += size
            if op == 0:
                n += size

    def _row(self, position: int) -> tuple[int, int, bool, int] | None:
        index = bisect_right(self._old_starts, position) - 1
        return self._rows[index] if index >= 0 else None

    def start(self, position: int) -> int:
        """Where the character at ``position`` went (a deleted one: where it was)."""
        if position >= len(self.old):
            return len(self.new)
        old_start, new_start, equal, _after = self._row(position)
        return new_start + (position - old_start) if equal else new_start

    def end(self, position: int) -> int:
        """Where the place just after the character before ``position`` went."""
        if position <= 0:
            return 0
        old_start, new_start, equal, after = self._row(position - 1)
        return new_start + (position - old_start) if equal else after

    def changed(self) -> bool:
        return any(op != 0 for op, _data in self.diffs)

    def copies(self, quote: str) -> _Copies:
        """The copies of ``quote`` in both texts, computed once per distinct quote."""
        found = self._copies.get(quote)
        if found is None:
            found = self._copies[quote] = _Copies(self, quote)
        return found


class _Copies:
    """Where a quote stands in the old and the new text, and which new copies continue
    an old one (its image through the diff) and which are fresh (inserted text)."""

    def __init__(self, positions: PositionMap, quote: str):
        size = len(quote)
        new = positions.new
        self.new = [c for c in occurrences(new, quote) if _whole(new, c, c + size)]
        self.count_old = len(occurrences(positions.old, quote))
        regions = sorted(
            (positions.start(o), positions.end(o + size)) for o in occurrences(positions.old, quote)
        )
        exact = {low for low, _high in regions}
        lows = [low for low, _high in regions]

        def image(c: int) -> bool:
            if c in exact:
                return True
            index = bisect_right(lows, c) - 1
            # copies of one quote hardly overlap: the two nearest regions are the candidates
            return any(regions[i][1] >= c + size for i in (index, index - 1) if i >= 0)

        self.fresh = [c for c in self.new if not image(c)]


# --------------------------------------------------------------------------- scores


def similarity(a: str, b: str) -> float:
    """0..1, 1 for equal texts: difflib's ratio, with the common start and end counted as
    matching first (a long quote changed by one word costs only its changed middle). Past
    ``LONG`` characters, the middle's longest common subsequence through a bounded diff
    (textdiff.kept): difflib takes the longest block first, which on repetitive text
    aligns a phrase with its repetition further on (0.43 for two passages 97 % alike)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    head, tail = _common_ends(a, b)
    middle_a, middle_b = a[head : len(a) - tail], b[head : len(b) - tail]
    if len(middle_a) + len(middle_b) > 2 * LONG:
        matched = kept(middle_a, middle_b, time.time() + SIMILARITY_SECONDS)
    else:
        blocks = SequenceMatcher(None, middle_a, middle_b, autojunk=False).get_matching_blocks()
        matched = sum(block.size for block in blocks)
    return 2.0 * (head + tail + matched) / (len(a) + len(b))


def _common_ends(a: str, b: str) -> tuple[int, int]:
    head = len(commonprefix((a, b)))
    tail = len(commonprefix((a[head:][::-1], b[head:][::-1])))
    return head, tail


def _letters_bound(quote: str, candidate: str) -> float:
    """An upper bound of ``similarity(quote, candidate)`` without aligning them: the
    letters they have in common (difflib's quick_ratio)."""
    if quote == candidate:
        return 1.0
    return SequenceMatcher(None, quote, candidate, autojunk=False).quick_ratio()


def _context(text: str, start: int, end: int, prefix: str, suffix: str) -> tuple[str, str]:
    """The new surroundings, as long as the stored ones (so they compare like for like)."""
    return text[max(0, start - len(prefix)) : start], text[end : end + len(suffix)]


def context_score(text: str, start: int, end: int, stored: Stored) -> float:
    before, after = _context(text, start, end, stored.prefix, stored.suffix)
    return (_side(stored.prefix, before) + _side(stored.suffix, after)) / 2


def _side(stored: str, found: str) -> float:
    if stored == found:
        return 1.0
    return similarity(stored, found)


def _paragraph_context(
    text: str, start: int, end: int, stored: Stored, threshold: float = PARAGRAPH_CONTEXT
) -> bool:
    """The context inside the claim's paragraph agrees: what lies beyond a line break
    (or the start or end of the text) belongs to a neighbouring paragraph, which changes
    when paragraphs are reordered; the paragraph must begin and end where it did."""
    before = text[max(0, start - CONTEXT) : start]
    after = text[end : end + CONTEXT]
    old_edge = (
        ("\n" in stored.prefix or len(stored.prefix) < CONTEXT),
        ("\n" in stored.suffix or len(stored.suffix) < CONTEXT),
    )
    new_edge = ("\n" in before or len(before) < CONTEXT), ("\n" in after or len(after) < CONTEXT)
    if old_edge != new_edge:
        return False
    inside = (
        (stored.prefix.rsplit("\n", 1)[-1], before.rsplit("\n", 1)[-1]),
        (stored.suffix.split("\n", 1)[0], after.split("\n", 1)[0]),
    )
    if threshold >= 1.0:
        return all(old == found for old, found in inside)
    return all(_side(old, found) >= threshold for old, found in inside)


def occurrences(text: str, quote: str, limit: int = MAX_OCCURRENCES) -> list[int]:
    found: list[int] = []
    position = text.find(quote)
    while position != -1 and len(found) < limit:
        found.append(position)
        position = text.find(quote, position + 1)
    return found


def _boundary(text: str, position: int) -> bool:
    """``spans.is_boundary``, with a shortcut: below U+0300 no character joins its
    neighbour into one grapheme (no combining mark, joiner, prepend or Hangul jamo), so
    between two such characters (CR LF aside) there is always a boundary."""
    if position <= 0 or position >= len(text):
        return True
    before, after = text[position - 1], text[position]
    if before < "\u0300" and after < "\u0300" and not (before == "\r" and after == "\n"):
        return True
    return is_boundary(text, position)


def _whole(text: str, start: int, end: int) -> bool:
    return _boundary(text, start) and _boundary(text, end)


def _span(text: str, anchor: str, start: int, end: int, reason: str, score: float) -> Anchored:
    return Anchored(
        anchor=anchor,
        start=start,
        end=end,
        quote=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
        reason=reason,
        score=round(score, 4),
    )


# --------------------------------------------------------------------------- deciding


def reanchor(old: str, new: str, stored: Iterable[Stored]) -> list[Anchored]:
    """Re-anchor every span of ``old`` in ``new`` (one diff for all of them)."""
    positions = PositionMap(old, new)
    return [anchor_one(positions, item) for item in stored]


def anchor_one(positions: PositionMap, stored: Stored) -> Anchored:
    """Where one stored span stands in the new text (see the module docstring)."""
    new, quote = positions.new, stored.quote
    size = len(quote)
    mapped_start = positions.start(stored.start)
    mapped_end = max(mapped_start, positions.end(stored.end))
    found = positions.copies(quote)
    copies = found.new
    scores: dict[int, float] = {}

    def score(c: int) -> float:
        if c not in scores:
            scores[c] = context_score(new, c, c + size, stored)
        return scores[c]

    def same_paragraph(c: int) -> bool:
        return _paragraph_context(new, c, c + size, stored, threshold=1.0)

    # 1. the diff put the old span where this copy stands: accept it if the context agrees
    #    and no fresh copy (one that continues no copy of the old text) competes
    here = _in_place(copies, mapped_start, mapped_end, size)
    if here is not None:
        mine = score(here)
        if mine >= LOOSE_CONTEXT or _paragraph_context(new, here, here + size, stored):
            bar = min(mine, STRONG_CONTEXT)
            rival = any(c != here and (same_paragraph(c) or score(c) >= bar) for c in found.fresh)
            reason = "ambiguous" if rival else "unchanged"
            return _span(new, RELOCATED if rival else OK, here, here + size, reason, mine)
    # 2. the quote stands elsewhere: ok only at the one fresh copy whose paragraph context
    #    is the same (the paragraph moved) while no copy was added overall
    if copies:
        moved = [c for c in found.fresh if same_paragraph(c)]
        if len(moved) == 1 and len(copies) <= found.count_old:
            return _span(new, OK, moved[0], moved[0] + size, "moved", score(moved[0]))
        pool = (moved or found.fresh or copies)[:MAX_CANDIDATES]
        best = max(pool, key=lambda c: (score(c), -abs(c - mapped_start)))
        reason = "ambiguous" if len(moved) > 1 else "context_changed"
        return _span(new, RELOCATED, best, best + size, reason, score(best))
    # 3. the quote changed or is gone
    return _fuzzy(positions, stored, mapped_start, mapped_end)


def _in_place(copies: list[int], low: int, high: int, size: int) -> int | None:
    """The first copy standing inside the region the diff maps the old span to."""
    index = bisect_left(copies, low)
    if index < len(copies) and copies[index] + size <= high:
        return copies[index]
    return None


def _fuzzy(positions: PositionMap, stored: Stored, mapped_start: int, mapped_end: int) -> Anchored:
    """The quote changed or is gone: the best similar passage (relocated), else orphaned."""
    new = positions.new
    spans: set[tuple[int, int]] = set()
    if mapped_end > mapped_start:
        spans.add(_trimmed(new, mapped_start, mapped_end))
    spans.update(_between_context(new, stored))
    # The surroundings first (short), then the quotes (long), in the order of an upper
    # bound of their score: a candidate that cannot beat the best one found, or whose
    # quote cannot reach MIN_QUOTE_SIMILARITY, is never aligned (difflib on a 900-character
    # quote costs ~10 ms, on a mapped region of 100,000 characters minutes).
    candidates = []
    for start, end in spans:
        if end <= start:
            continue
        before, after = _context(new, start, end, stored.prefix, stored.suffix)
        context = WEIGHTS[1] * _side(stored.prefix, before) + WEIGHTS[2] * _side(
            stored.suffix, after
        )
        size = 2.0 * min(end - start, len(stored.quote)) / (end - start + len(stored.quote))
        candidates.append((context + WEIGHTS[0] * size, context, start, end))
    candidates.sort(key=lambda c: (-c[0], abs(c[2] - mapped_start), c[2]))
    best: tuple[float, float, int, int] | None = None
    ceiling = 0.0  # the best score a candidate that was not aligned could have had
    for bound, context, start, end in candidates[:MAX_CANDIDATES]:
        if best is not None and bound < best[0]:
            break  # sorted: no later one can do better
        size = (bound - context) / WEIGHTS[0]
        letters = (
            size if size < MIN_QUOTE_SIMILARITY else _letters_bound(stored.quote, new[start:end])
        )
        if letters < MIN_QUOTE_SIMILARITY or (best and context + WEIGHTS[0] * letters < best[0]):
            ceiling = max(ceiling, context + WEIGHTS[0] * letters)
            continue
        quote_score = similarity(stored.quote, new[start:end])
        total = WEIGHTS[0] * quote_score + context
        key = (total, quote_score, -abs(start - mapped_start), start)
        if best is None or key > (best[0], best[1], -abs(best[2] - mapped_start), best[2]):
            best = (total, quote_score, start, end)
    if best is not None and best[1] >= MIN_QUOTE_SIMILARITY:
        total, _quote_score, start, end = best
        return _span(new, RELOCATED, start, end, "quote_changed", total)
    return Anchored(
        anchor=ORPHANED,
        start=stored.start,
        end=stored.end,
        quote=stored.quote,
        prefix=stored.prefix,
        suffix=stored.suffix,
        reason="gone",
        score=round(max(best[0] if best else 0.0, ceiling), 4),
    )


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A candidate without surrounding whitespace, on grapheme boundaries."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return start, start
    return snap_outward(text, start, end)


def _between_context(text: str, stored: Stored, limit: int = 20) -> list[tuple[int, int]]:
    """Passages standing between a copy of the stored prefix and of the stored suffix
    (a paragraph that moved and whose quote was edited)."""
    head = stored.prefix[-16:]
    tail = stored.suffix[:16]
    if len(head) < 8 or len(tail) < 8:
        return []
    reach = 2 * len(stored.quote) + 64
    found = []
    for position in occurrences(text, head, limit):
        start = position + len(head)
        end = text.find(tail, start, start + reach)
        if end > start:
            found.append(_trimmed(text, start, end))
    return found


def summary(results: Sequence[Anchored]) -> dict[str, int]:
    counts = {OK: 0, RELOCATED: 0, ORPHANED: 0}
    for result in results:
        counts[result.anchor] += 1
    return counts
