"""Diffs of article texts within a budget: what the revision pages show (server-rendered,
no script), and the bounded diff-match-patch that re-anchoring uses too (anchoring.py).

diff-match-patch is fast on texts that differ little, but three of its steps have no
deadline and are quadratic on repetitive text ("ab" × 999,000 against "ba" × 999,000 kept
a worker busy for over 15 minutes): the half-match speedup (its seed stands at every other
place of a periodic text), the overlap search of the semantic clean-up and the "lossless"
sliding of an edit along a repeated run. ``Bounded`` skips the first where its seed
repeats, and runs the other two on windows of at most ``WINDOW`` characters until the
deadline. What is left, the O(ND) bisection, stops at the deadline (the rest of that
stretch then reads as removed and added: still an exact diff, only coarser).

``compare`` (the pages) sets the common start and end of the two texts aside, compares
the rest line by line (one code point per distinct line), then each changed block of lines
word by word (``\\w+``, runs of spaces, single graphemes: "40 → 42", not "4" plus "0 → 2").
A ``Budget`` bounds it: a deadline, at most ``segments`` changes, at most ``refine``
characters read word by word, at most ``distinct`` lines or words (chr() stops at
U+10FFFF). Whatever runs out makes the diff coarser — lines instead of words, paragraphs
instead of lines, else the changed passage whole — and ``TextDiff.unit`` says which.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

import regex
from diff_match_patch import diff_match_patch

#: words (with their combining marks), runs of spaces, or single other characters
_TOKEN = regex.compile(r"\w+|\s+|\X")
#: a word with the spaces after it, or another character with them (``kept``)
_WORD_RUNS = re.compile(r"\w+\s*|\s+|[^\w\s]\s*")
#: paragraphs end after a blank line (the next one starts at its first character)
_PARAGRAPH = re.compile(r"(?<=\n\n)(?=[^\n])")

_SPACE = re.compile(r"\s")

#: unchanged text longer than this is shown as its two ends around an ellipsis
KEEP = 160
#: from the finest to the coarsest
UNITS = ("words", "lines", "paragraphs", "passage")
#: the version of the stored form (``to_json``): another one is computed again
FORMAT = 1

EQUAL, INSERT, DELETE = 0, 1, -1
_OPS = {EQUAL: "equal", INSERT: "insert", DELETE: "delete"}


@dataclass(frozen=True)
class Budget:
    """What one comparison may spend (the defaults keep a page of a 2,000,000-character
    article under 2 s on a small machine)."""

    #: wall-clock seconds for the whole comparison
    seconds: float = 1.0
    #: changes shown word by word at most (the clean-up is quadratic in them)
    segments: int = 5_000
    #: characters compared word by word at most (tokenizing costs ~0.25 µs a character)
    refine: int = 400_000
    #: distinct lines, paragraphs or words one encoding may use: one code point each
    distinct: int = 1_000_000


BUDGET = Budget()


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "insert" or "delete"
    text: str
    #: for a long unchanged run: the text left out between ``text`` and ``tail``
    skipped: int = 0
    tail: str = ""


@dataclass(frozen=True)
class TextDiff:
    """A diff as lengths: (op, n) takes n characters from the old text (equal, delete) or
    the new one (equal, insert). Stored with the revision, whose texts are stored anyway."""

    ops: tuple[tuple[int, int], ...] = ()
    #: "words"; "lines" when some changed lines could not be compared word by word;
    #: "paragraphs"; "passage" when the changed passage is shown whole
    unit: str = "words"

    @property
    def coarse(self) -> bool:
        return self.unit != "words"

    def stats(self) -> dict[str, int]:
        """Characters inserted and deleted."""
        return {
            "inserted": sum(n for op, n in self.ops if op == INSERT),
            "deleted": sum(n for op, n in self.ops if op == DELETE),
        }

    def fits(self, old: str, new: str) -> bool:
        return sum(n for op, n in self.ops if op != INSERT) == len(old) and sum(
            n for op, n in self.ops if op != DELETE
        ) == len(new)

    def parts(self, old: str, new: str) -> list[Segment]:
        """The segments the page shows (long unchanged runs shortened)."""
        diffs, o, n = [], 0, 0
        for op, size in self.ops:
            if op == INSERT:
                diffs.append((op, new[n : n + size]))
                n += size
            else:
                diffs.append((op, old[o : o + size]))
                o += size
                n += size if op == EQUAL else 0
        return _segments(diffs)

    def to_json(self) -> str:
        return json.dumps({"v": FORMAT, "unit": self.unit, "ops": self.ops}, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str | None, old: str, new: str) -> TextDiff | None:
        """The stored diff of ``old`` → ``new``; None when there is none, it has another
        format or it does not fit the texts."""
        if not raw:
            return None
        data = json.loads(raw)
        if data.get("v") != FORMAT or data.get("unit") not in UNITS:
            return None
        diff = cls(tuple((op, n) for op, n in data["ops"]), data["unit"])
        return diff if diff.fits(old, new) else None


def stats(parts: list[Segment]) -> dict[str, int]:
    """Characters inserted and deleted."""
    return {
        "inserted": sum(len(p.text) for p in parts if p.op == "insert"),
        "deleted": sum(len(p.text) for p in parts if p.op == "delete"),
    }


# --------------------------------------------------------------------------- bounded dmp


class Bounded(diff_match_patch):
    """diff-match-patch whose every step ends by ``deadline`` (a ``time.time()`` value),
    give or take one window of work; ``expired`` tells whether it had to stop early."""

    #: the half-match speedup is tried only when its seed stands in so few places
    SEED_PLACES = 4
    #: the overlap search and the lossless sliding look this far around an edit
    WINDOW = 1000
    #: the semantic clean-up is skipped on longer diffs (it inserts into the list)
    CLEANUP_MAX = 20_000

    def __init__(self, deadline: float):
        super().__init__()
        self.Diff_Timeout = 1.0  # not 0: keeps the half-match; the deadline is passed in
        self.deadline = deadline
        self.expired = False
        self.in_line_mode = False

    def late(self) -> bool:
        if time.time() > self.deadline:
            self.expired = True
        return self.expired

    def diff(self, text1: str, text2: str, checklines: bool = False) -> list[tuple[int, str]]:
        return self.diff_main(text1, text2, checklines, self.deadline)

    def diff_bisect(self, text1, text2, deadline):
        diffs = super().diff_bisect(text1, text2, deadline)
        self.late()  # past the deadline, the bisection gave up on this stretch
        return diffs

    def diff_halfMatch(self, text1, text2):
        if self.late() or _seed_repeats(text1, text2, self.SEED_PLACES):
            return None
        return super().diff_halfMatch(text1, text2)

    def diff_commonOverlap(self, text1, text2):
        if self.late():
            return 0
        return super().diff_commonOverlap(text1[-self.WINDOW :], text2[: self.WINDOW])

    def diff_linesToChars(self, text1, text2):
        """The library's, with the deadline (its loop over a million lines takes seconds);
        past it, or past the code points, each text is one line."""
        lines = (text1.splitlines(keepends=True), text2.splitlines(keepends=True))
        encoded = _encode(*lines, BUDGET.distinct, self.deadline)
        return encoded if encoded is not None else ("\x01", "\x02", ["", text1, text2])

    def diff_lineMode(self, text1, text2, deadline):
        # Its semantic clean-up of the line diff would join changed lines across a blank
        # line into one block, re-read character by character: 300 corrected paragraphs
        # became one bisection of 300,000 characters. Each run of changed lines is re-read
        # on its own instead.
        self.in_line_mode = True
        try:
            return super().diff_lineMode(text1, text2, deadline)
        finally:
            self.in_line_mode = False

    def diff_cleanupSemantic(self, diffs):
        if self.in_line_mode or len(diffs) > self.CLEANUP_MAX or self.late():
            return
        super().diff_cleanupSemantic(diffs)

    def diff_cleanupSemanticLossless(self, diffs):
        """The library's sliding, one edit at a time within ``WINDOW`` characters of it
        (it copies both neighbours at every step: quadratic along a repeated run)."""
        window = self.WINDOW
        pointer = 1
        while pointer < len(diffs) - 1:
            if diffs[pointer - 1][0] == EQUAL and diffs[pointer + 1][0] == EQUAL:
                if self.late():
                    return
                before, after = diffs[pointer - 1][1], diffs[pointer + 1][1]
                head, tail = before[:-window], after[window:]
                part = [(EQUAL, before[-window:]), diffs[pointer], (EQUAL, after[:window])]
                super().diff_cleanupSemanticLossless(part)
                edit = next(i for i, (op, _text) in enumerate(part) if op != EQUAL)
                before = head + "".join(t for _op, t in part[:edit])
                after = "".join(t for _op, t in part[edit + 1 :]) + tail
                replacement = [(EQUAL, before)] if before else []
                replacement += [part[edit]] + ([(EQUAL, after)] if after else [])
                diffs[pointer - 1 : pointer + 2] = replacement
                pointer += 0 if before else -1
            pointer += 1


def _seed_repeats(text1: str, text2: str, places: int) -> bool:
    """Would the half-match try its seed (a quarter of the longer text, from its second
    or third quarter) at more than ``places`` places of the shorter one?"""
    longtext, shorttext = (text1, text2) if len(text1) > len(text2) else (text2, text1)
    size = len(longtext)
    for start in ((size + 3) // 4, (size + 1) // 2):
        seed = longtext[start : start + size // 4]
        found, at = 0, shorttext.find(seed)
        while at != -1:
            found += 1
            if found > places:
                return True
            at = shorttext.find(seed, at + 1)
    return False


def kept(a: str, b: str, deadline: float) -> int:
    """How many characters of ``a`` a diff with ``b`` keeps (a longest common subsequence;
    fewer if the deadline cuts it short): words first, then each changed run of words
    character by character (re-anchoring's similarity of long quotes)."""
    encoded = _encode(_WORD_RUNS.findall(a), _WORD_RUNS.findall(b), BUDGET.distinct)
    dmp = Bounded(deadline)
    if encoded is None:
        return sum(len(t) for op, t in dmp.diff(a, b) if op == EQUAL)
    diffs = _decoded(dmp.diff(encoded[0], encoded[1]), encoded[2])
    total = sum(len(text) for op, text in diffs if op == EQUAL)
    for start, stop in _blocks(diffs):
        old = "".join(text for op, text in diffs[start:stop] if op == DELETE)
        new = "".join(text for op, text in diffs[start:stop] if op == INSERT)
        if old and new:
            total += sum(len(t) for op, t in dmp.diff(old, new) if op == EQUAL)
    return total


# --------------------------------------------------------------------------- compare


def compare(old: str, new: str, budget: Budget = BUDGET) -> TextDiff:
    """The changes from ``old`` to ``new`` as the pages show them, within ``budget``."""
    started = time.time()
    if old == new:
        return TextDiff(((EQUAL, len(old)),) if old else ())
    head, tail = _common_ends(old, new)
    middle = old[head : len(old) - tail], new[head : len(new) - tail]
    unit, diffs = "lines", _by_unit(*middle, _lines, started + 0.4 * budget.seconds, budget)
    if diffs is None:
        deadline = started + 0.6 * budget.seconds
        unit, diffs = "paragraphs", _by_unit(*middle, _paragraphs, deadline, budget)
    if diffs is None:
        unit, diffs = "passage", _passage(*middle)
    elif _refine(diffs, started + 0.9 * budget.seconds, budget):
        unit = "words"
    diffs = [(EQUAL, old[:head]), *diffs, (EQUAL, old[len(old) - tail :])]
    return TextDiff(tuple((op, len(text)) for op, text in _merged(diffs)), unit)


def segments(old: str, new: str, budget: Budget = BUDGET) -> list[Segment]:
    return compare(old, new, budget).parts(old, new)


def _common_ends(old: str, new: str) -> tuple[int, int]:
    """The lengths of the common start and end, each cut after a line break (so the
    middle starts and ends with whole lines in both texts)."""
    dmp = diff_match_patch()
    head = dmp.diff_commonPrefix(old, new)
    head = old.rfind("\n", 0, head) + 1
    tail = dmp.diff_commonSuffix(old[head:], new[head:])
    if tail:
        cut = old.find("\n", len(old) - tail)
        tail = len(old) - cut - 1 if cut != -1 else 0
    return head, tail


def _passage(old: str, new: str) -> list[tuple[int, str]]:
    """The changed passage whole, from the first to the last changed word."""
    dmp = diff_match_patch()
    head = dmp.diff_commonPrefix(old, new)
    head = max(old.rfind(" ", 0, head), old.rfind("\n", 0, head)) + 1
    tail = dmp.diff_commonSuffix(old[head:], new[head:])
    space = _SPACE.search(old, len(old) - tail) if tail else None
    tail = len(old) - space.start() if space else 0
    return [
        (EQUAL, old[:head]),
        (DELETE, old[head : len(old) - tail]),
        (INSERT, new[head : len(new) - tail]),
        (EQUAL, old[len(old) - tail :]),
    ]


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _paragraphs(text: str) -> list[str]:
    return _PARAGRAPH.split(text)


def _by_unit(
    old: str, new: str, split: Callable[[str], list[str]], deadline: float, budget: Budget
) -> list[tuple[int, str]] | None:
    """A diff of whole units (lines, paragraphs), or None when it does not fit."""
    encoded = _encode(split(old), split(new), budget.distinct, deadline)
    if encoded is None:
        return None
    old_chars, new_chars, units = encoded
    if set(old_chars).isdisjoint(new_chars):  # nothing in common: Myers would try it all
        return _merged([(DELETE, old), (INSERT, new)])
    dmp = Bounded(deadline)
    diffs = dmp.diff(old_chars, new_chars)
    if dmp.expired or len(diffs) > budget.segments:
        return None
    # no semantic clean-up here: it would join changed paragraphs across the blank line
    # between them, and each block is compared word by word on its own
    return _decoded(diffs, units)


def _encode(
    old: Iterable[str], new: Iterable[str], limit: int, deadline: float | None = None
) -> tuple[str, str, list[str]] | None:
    """Both texts as one code point per unit (diff-match-patch's lines-to-chars), or None
    when they have more than ``limit`` distinct units or the deadline passes."""
    units = [""]  # chr(0) stays unused, as in diff-match-patch
    index: dict[str, int] = {}

    def encode(pieces: Iterable[str]) -> str | None:
        out = []
        for count, piece in enumerate(pieces):
            number = index.get(piece)
            if number is None:
                if len(units) > limit:
                    return None
                number = index[piece] = len(units)
                units.append(piece)
            out.append(number)
            if deadline is not None and not count & 0xFFFF and time.time() > deadline:
                return None
        return "".join(map(chr, out))

    old_chars = encode(old)
    new_chars = encode(new) if old_chars is not None else None
    if new_chars is None:
        return None
    return old_chars, new_chars, units


def _decoded(diffs: list[tuple[int, str]], units: list[str]) -> list[tuple[int, str]]:
    return [(op, "".join([units[ord(c)] for c in chars])) for op, chars in diffs]


def _refine(diffs: list[tuple[int, str]], deadline: float, budget: Budget) -> bool:
    """Compare each changed block again word by word, in place, while the budget lasts;
    True if every block could be."""
    blocks = _blocks(diffs)
    left = budget.refine
    count = len(diffs)
    complete = True
    for start, stop in reversed(blocks):  # from the end: the indexes stay valid
        old = "".join(text for op, text in diffs[start:stop] if op == DELETE)
        new = "".join(text for op, text in diffs[start:stop] if op == INSERT)
        if not old or not new:
            continue  # only added or only removed: exact as it is
        left -= len(old) + len(new)
        words = _words(old, new, deadline, budget) if left >= 0 else None
        if words is None or count + len(words) > budget.segments:
            complete = False
            continue
        count += len(words)
        diffs[start:stop] = words
    return complete


def _blocks(diffs: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """[start, stop) of every run of changes between two equal parts."""
    blocks, start = [], None
    for index, (op, _text) in enumerate([*diffs, (EQUAL, "")]):
        if op != EQUAL and start is None:
            start = index
        elif op == EQUAL and start is not None:
            blocks.append((start, index))
            start = None
    return blocks


def _words(old: str, new: str, deadline: float, budget: Budget) -> list[tuple[int, str]] | None:
    encoded = _encode(_TOKEN.findall(old), _TOKEN.findall(new), budget.distinct, deadline)
    if encoded is None:
        return None
    old_chars, new_chars, tokens = encoded
    dmp = Bounded(deadline)
    diffs = dmp.diff(old_chars, new_chars)
    if dmp.expired or len(diffs) > budget.segments:
        return None
    dmp.diff_cleanupSemantic(diffs)
    return None if dmp.expired else _decoded(diffs, tokens)


def _merged(diffs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Adjacent parts of one kind joined, empty ones dropped."""
    return [
        (op, "".join(text for _op, text in group))
        for op, group in groupby((d for d in diffs if d[1]), key=itemgetter(0))
    ]


def _segments(diffs: list[tuple[int, str]]) -> list[Segment]:
    result = []
    for index, (op, text) in enumerate(diffs):
        if op == EQUAL and len(text) > 2 * KEEP:
            head = text[:KEEP] if index > 0 else ""
            tail = text[-KEEP:] if index < len(diffs) - 1 else ""
            result.append(Segment("equal", head, len(text) - len(head) - len(tail), tail))
        else:
            result.append(Segment(_OPS[op], text))
    return result
