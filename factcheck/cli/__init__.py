"""The ``factcheck`` command: set-up and batch work (``factcheck --help``)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from ..database import write_intent


def build_app() -> Flask:
    """The app the commands run in."""
    # imported here: the package's create_app registers these commands (init_cli)
    from .. import create_app

    return create_app()


@click.group(
    cls=FlaskGroup,
    create_app=build_app,
    add_default_commands=False,
    add_version_option=False,
)
def main():
    """factcheck: annotate, review and export fact-checked claims."""
    write_intent.set(True)  # commands write: take SQLite's write lock up front


from . import evidence, exporting, importing, maintenance, matching, setup  # noqa: E402,F401


def init_cli(app: Flask) -> None:
    """Make the ``factcheck`` commands available on ``app.cli`` too (tests, ``flask``)."""
    for name, command in main.commands.items():
        app.cli.add_command(command, name)
