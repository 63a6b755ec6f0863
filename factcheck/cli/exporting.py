"""`factcheck export` (see the export issue)."""
