"""Article revisions: a new text makes revision n+1, and every claim is re-anchored to it
(docs/contract/revisions.md).

    reading.py    the revisions of an article, the text a claim's offsets index, input
                  checks, and the 409 for a span checked against an older text
    planning.py   where every claim goes (services/anchoring.py) and the stored diff of
                  the revision: computed from reads only, outside any write
    writing.py    the short write: the conditional UPDATE, the claims in bounded batches,
                  history rows; ``revise`` plans in a read transaction and then writes
    diffs.py      a revision's changes as the page shows them, computed once and stored

- Of two concurrent revisions of one article exactly one wins: the text, its hash and the
  number change in ONE conditional UPDATE on (id, revision); the other gets 409.
- Every annotation, of any status, is re-anchored from the text of the revision its
  offsets index. Nothing is ever deleted: a claim that cannot be found again is
  ``orphaned`` and keeps its old span and revision.
- A claim left ``relocated`` stays so until a person confirms or moves it (a later
  revision never promotes a guess to ``ok``); an ``orphaned`` one found again comes back
  as ``relocated``, to be looked at.
- An approved claim whose quote changed (or is gone) goes back to review (``submitted``),
  with a history row saying why. Every anchor change writes a history row.
- A claim edited or added between the plan and the write is re-anchored in the write, from
  the plan's diff: the revision never leaves a claim on the old text's offsets.
"""

from .diffs import Shown, shown
from .planning import Outcome, Plan, dry_run, plan, preview
from .reading import (
    NOTE_MAX,
    check_current,
    clean_note,
    clean_text,
    history,
    listing,
    text_for,
    text_of,
)
from .writing import RevisionResult, apply, create_revision, revise

__all__ = [
    "NOTE_MAX",
    "Outcome",
    "Plan",
    "RevisionResult",
    "Shown",
    "apply",
    "check_current",
    "clean_note",
    "clean_text",
    "create_revision",
    "dry_run",
    "history",
    "listing",
    "plan",
    "preview",
    "revise",
    "shown",
    "text_for",
    "text_of",
]
