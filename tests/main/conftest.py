"""The dashboard tests use the review tests' cast of users and submitted claims."""

from ..review.conftest import cast, submitted  # noqa: F401  (fixtures)
