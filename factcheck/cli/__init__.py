"""The ``factcheck`` command: set-up and batch work (``factcheck --help``)."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from .. import create_app


@click.group(
    cls=FlaskGroup,
    create_app=lambda: create_app(),
    add_default_commands=False,
    add_version_option=False,
)
def main():
    """factcheck: annotate, review and export fact-checked claims."""
    from ..database import write_intent

    write_intent.set(True)  # commands write: take SQLite's write lock up front


from . import exporting, importing, maintenance, matching, setup  # noqa: E402,F401
