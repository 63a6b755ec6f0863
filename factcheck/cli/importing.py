"""`factcheck import` (see the articles issue)."""
