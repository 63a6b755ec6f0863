"""SQL functions that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction


class lower(GenericFunction):  # noqa: N801 (named as the SQL function it stands for)
    """``lower()`` for every letter on both databases: PostgreSQL's folds "É" to "é",
    SQLite's only A–Z, so there it calls ``unicode_lower``, Python's, registered on each
    connection. For searches ("élodie" finds "Élodie"), never for indexes."""

    type = String()
    inherit_cache = True
    name = "lower"
    identifier = "unicode_lower"  # registered apart: ``func.lower`` stays the built-in


@compiles(lower, "sqlite")
def _sqlite_lower(element, compiler, **kw):
    return f"unicode_lower({compiler.process(element.clauses, **kw)})"


def unicode_lower(value):
    """What ``unicode_lower`` does on SQLite."""
    return value.lower() if isinstance(value, str) else value
