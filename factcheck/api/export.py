"""API routes of this area (see the issue that builds it)."""
