"""How a message names a claim to a person: by its words, not by its database id."""

from __future__ import annotations

#: a message quotes at most this many characters of a claim
CLAIM_NAME_LENGTH = 60


def shorten(text: str, limit: int = CLAIM_NAME_LENGTH) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters with
    an ellipsis when it was longer."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:  # a word boundary not too far back
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


def claim_name(claim: str | None, quote: str | None = None) -> str:
    """The claim's text cut to ~60 characters: what messages call a claim by (the quoted
    passage when the claim is not written yet). The message puts its own quotation marks
    around it: “…” in English, « … » in French."""
    return shorten(claim or quote or "")
