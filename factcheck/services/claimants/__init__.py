"""Claimants as entities of the installation (DESIGN.md, "The desk's memory").

core.py      folding a name, following merges, by_name, resolve (a claim being saved)
suggest.py   suggestions as one types (name and aliases, word prefixes), the list
index.py     the claimant_word table kept in step with names and aliases (every flush)
edit.py      create, update (optimistic version), merge in one transaction
history.py   a claimant's claims by verdict over time as a viewer may see them,
             likely duplicates
"""

from .core import NAME_LIMIT, by_name, folded, live, resolve, words_of
from .edit import FIELDS, clean, create, merge, read_version, refuse_unknown, update_claimant
from .history import HIDDEN, NONE, claim_counts, claims_by_verdict_over_time, claims_of, duplicates
from .index import reindex, reindex_all
from .suggest import DEFAULT_LIMIT, MAX_LIMIT, Suggestion, listing, suggest

__all__ = [
    "DEFAULT_LIMIT",
    "FIELDS",
    "HIDDEN",
    "MAX_LIMIT",
    "NAME_LIMIT",
    "NONE",
    "Suggestion",
    "by_name",
    "claim_counts",
    "claims_by_verdict_over_time",
    "claims_of",
    "clean",
    "create",
    "duplicates",
    "folded",
    "listing",
    "live",
    "merge",
    "read_version",
    "refuse_unknown",
    "reindex",
    "reindex_all",
    "resolve",
    "suggest",
    "update_claimant",
    "words_of",
]
