"""A readable diff of two article texts, for the pages (server-rendered, no script)."""

from __future__ import annotations

from dataclasses import dataclass

import regex
from diff_match_patch import diff_match_patch

#: words (with their combining marks), runs of spaces, or single other characters
_TOKEN = regex.compile(r"\w+|\s+|\X")

#: unchanged text longer than this is shown as its two ends around an ellipsis
KEEP = 160


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "insert" or "delete"
    text: str
    #: for a long unchanged run: the text left out between ``text`` and ``tail``
    skipped: int = 0
    tail: str = ""


def segments(old: str, new: str, *, timeout: float = 2.0) -> list[Segment]:
    """The changes from ``old`` to ``new``, word by word (a corrected figure reads as
    "40 → 42", not "4" plus "0 → 2")."""
    dmp = diff_match_patch()
    dmp.Diff_Timeout = timeout
    tokens: list[str] = [""]
    index: dict[str, int] = {}

    def encode(text: str) -> str:
        out = []
        for token in _TOKEN.findall(text):
            if token not in index:
                index[token] = len(tokens)
                tokens.append(token)
            out.append(chr(index[token]))
        return "".join(out)

    diffs = dmp.diff_main(encode(old), encode(new), False)
    dmp.diff_charsToLines(diffs, tokens)
    dmp.diff_cleanupSemantic(diffs)
    names = {0: "equal", 1: "insert", -1: "delete"}
    result = []
    for index, (op, text) in enumerate(diffs):
        if op == 0 and len(text) > 2 * KEEP:
            head = text[:KEEP] if index > 0 else ""
            tail = text[-KEEP:] if index < len(diffs) - 1 else ""
            result.append(Segment("equal", head, len(text) - len(head) - len(tail), tail))
        else:
            result.append(Segment(names[op], text))
    return result


def stats(parts: list[Segment]) -> dict[str, int]:
    """Characters inserted and deleted."""
    return {
        "inserted": sum(len(p.text) for p in parts if p.op == "insert"),
        "deleted": sum(len(p.text) for p in parts if p.op == "delete"),
    }
