"""A readable diff of two article texts, for the pages (server-rendered, no script)."""

from __future__ import annotations

from dataclasses import dataclass

from diff_match_patch import diff_match_patch

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
    """The changes from ``old`` to ``new`` in whole words where possible."""
    dmp = diff_match_patch()
    dmp.Diff_Timeout = timeout
    diffs = dmp.diff_main(old, new)
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
