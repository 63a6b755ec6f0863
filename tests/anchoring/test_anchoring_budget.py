"""Re-anchoring stays fast on the texts that made it crawl: a repetitive text rewritten
everywhere, and hundreds of long claims each changed by one word."""

from __future__ import annotations

import random
import time

from factcheck.services.anchoring import PositionMap, Stored, reanchor
from factcheck.services.spans import CONTEXT
from tests.anchoring.corpus import _sentence as sentence


def test_the_position_map_of_a_repetitive_text_is_built_in_a_moment():
    # diff-match-patch's overlap search is quadratic on it: 40,000 characters took 1 s
    old, new = "ab" * 20_000, "ba" * 20_000
    started = time.perf_counter()
    positions = PositionMap(old, new)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.5, f"{elapsed:.2f} s"
    assert 0 <= positions.start(1000) <= len(new)
    assert "".join(d for op, d in positions.diffs if op != 1) == old
    assert "".join(d for op, d in positions.diffs if op != -1) == new


def long_claims(count: int, seed: int = 3) -> tuple[str, str, list[Stored]]:
    """``count`` paragraphs of ~1,000 characters of the corpus' repetitive sentences, a claim
    of ~900 characters in each, and the text with one word of every claim changed."""
    rng = random.Random(seed)
    paragraphs = []
    for _ in range(count):
        paragraph = ""
        while len(paragraph) < 1000:
            paragraph += sentence(rng) + " "
        paragraphs.append(paragraph.strip())
    old = "\n\n".join(paragraphs)
    stored, changed, position = [], [], 0
    for paragraph in paragraphs:
        start = position + paragraph.index(" ", 20) + 1
        end = position + paragraph.index(" ", 900)
        stored.append(
            Stored(
                start,
                end,
                old[start:end],
                old[max(0, start - CONTEXT) : start],
                old[end : end + CONTEXT],
            )
        )
        words = paragraph.split(" ")
        words[len(words) // 2] += "s"
        changed.append(" ".join(words))
        position += len(paragraph) + 2
    return old, "\n\n".join(changed), stored


def test_long_claims_each_changed_by_one_word_are_reanchored_in_seconds():
    # 0.25 s a claim before (difflib over every place the context repeats): 300 claims
    # held a SQLite site's write lock for minutes
    old, new, stored = long_claims(40)
    started = time.perf_counter()
    results = reanchor(old, new, stored)
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, f"{elapsed:.2f} s"
    assert [r.anchor for r in results] == ["relocated"] * 40
    for item, result in zip(stored, results, strict=True):
        assert result.reason == "quote_changed"
        assert new[result.start : result.end] == result.quote
        assert abs(result.start - item.start) < 50 * 40  # its own paragraph, not another
        assert result.quote != item.quote and len(result.quote) == len(item.quote) + 1
