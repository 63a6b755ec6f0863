"""The ``new_database`` fixture of test_maintenance.py, for the other maintenance tests."""

from .test_maintenance import new_database  # noqa: F401
