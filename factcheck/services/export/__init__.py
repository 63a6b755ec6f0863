"""The dataset export: CSV (the contract), JSON Lines and schema.org ClaimReview.

Everything streams, as ``(rows in chunk, UTF-8 bytes)`` pairs: nothing holds more than
one batch of rows, so memory stays flat whatever the row count.

- ``filters``: which annotations go out (parsed, checked, narrowed to what a user may
  export);
- ``query``: the rows, read in keyset batches, shared by the formats;
- ``csv``, ``jsonl``, ``claimreview``: one writer per format;
- ``registry``: the formats themselves (name, suffix, media type, writer, approved only),
  which the API, the download page and the CLI read.

Imports run one way: registry → writers → query → filters. This module only gathers
the public names.
"""

from __future__ import annotations

from .claimreview import Publisher, claim_review, claimreview_batches, jsonld_for_html
from .csv import (
    COLUMNS,
    CSV_BATCH_SIZE,
    FORMULA_STARTS,
    NUMERIC_COLUMNS,
    csv_batches,
    preview,
)
from .filters import (
    ANCHORS,
    ExportFilter,
    approved_only,
    check_filters,
    for_user,
    in_projects,
    parse_anchors,
    parse_filters,
)
from .jsonl import jsonl_batches, records
from .query import BATCH_SIZE, count, iso, joined_select, left_out, left_out_by_anchor
from .registry import (
    FORMATS,
    Format,
    Options,
    by_suffix,
    chunks,
    count_for,
    filename,
    get,
    project_label,
    texts,
)

__all__ = [
    "ANCHORS",
    "BATCH_SIZE",
    "COLUMNS",
    "CSV_BATCH_SIZE",
    "FORMATS",
    "FORMULA_STARTS",
    "NUMERIC_COLUMNS",
    "ExportFilter",
    "Format",
    "Options",
    "Publisher",
    "approved_only",
    "by_suffix",
    "check_filters",
    "chunks",
    "claim_review",
    "claimreview_batches",
    "count",
    "count_for",
    "csv_batches",
    "filename",
    "project_label",
    "for_user",
    "get",
    "in_projects",
    "iso",
    "joined_select",
    "jsonl_batches",
    "jsonld_for_html",
    "left_out",
    "left_out_by_anchor",
    "parse_anchors",
    "parse_filters",
    "preview",
    "records",
    "texts",
]
