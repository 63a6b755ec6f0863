"""The one paragraph rule, shared by import, annotate, the article page and review.

**A paragraph is a line of the stored text**: what lies between two line breaks (``\\n``).
Empty (or blank) lines only separate paragraphs; they are never shown as paragraphs. So
"one line per paragraph" and "a blank line between paragraphs" both give the same
paragraphs, on every page. Imports keep line breaks as they are (HTML: one line per
block element).
"""

from __future__ import annotations


def lines(text: str) -> list[tuple[int, str, bool]]:
    """(code-point start, line, blank) of every non-empty line, in order.

    The annotate page counts offsets from each paragraph's start, so everything between
    two paragraphs is line breaks only (a blank line is kept, marked, and hidden).
    """
    result = []
    position = 0
    for line in text.split("\n"):
        if line:
            result.append((position, line, not line.strip()))
        position += len(line) + 1
    return result


def paragraphs(text: str) -> list[str]:
    """The paragraphs to show, without the blank lines."""
    return [line for line in text.split("\n") if line.strip()]


def context(text: str, start: int, end: int, around: int = 1) -> dict:
    """The span ``[start, end)`` in its paragraph(s), cut into ``before``/``quote``/
    ``after``, with up to ``around`` whole paragraphs either side."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end < 0 else para_end
    earlier = paragraphs(text[:para_start])
    later = paragraphs(text[para_end:])
    return {
        "earlier": earlier[-around:] if around else [],
        "before": text[para_start:start],
        "quote": text[start:end],
        "after": text[end:para_end],
        "later": later[:around] if around else [],
        "more_before": len(earlier) > around,
        "more_after": len(later) > around,
    }
