"""`factcheck export`: the dataset to stdout or to a file, written atomically."""

from __future__ import annotations

import itertools
import json
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..database import write_intent
from ..extensions import db
from ..services import adjudication, export
from ..services.errors import DomainError
from . import main


@main.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(export.FORMATS)),
    default="csv",
    show_default=True,
    help=", ".join(f"{f.name} ({f.summary})" for f in export.FORMATS.values()) + ".",
)
@click.option(
    "--status",
    default="approved",
    show_default=True,
    help="approved, all, or a comma-separated list (e.g. submitted,rejected).",
)
@click.option("--article", type=int, help="Only this article id.")
@click.option(
    "--anchor",
    default="ok",
    show_default=True,
    help="ok (claims anchored on the article's current text: text[start:end] == quote), "
    "all, or a comma-separated list of ok, relocated, orphaned (after a revision).",
)
@click.option("--verdict", help="Only this verdict key (e.g. false).")
@click.option("--project", "project", help="Only this project (its slug).")
@click.option("--from", "date_from", help="Last decision on or after this date (YYYY-MM-DD).")
@click.option("--to", "date_to", help="Last decision on or before this date (YYYY-MM-DD).")
@click.option(
    "--spreadsheet-safe",
    is_flag=True,
    help="CSV only: prefix ' to cells starting with = + - @ tab CR or NUL so a spreadsheet "
    "never runs them as formulas, and start with a UTF-8 BOM for Excel. Without it the "
    "CSV is exact text, no BOM (what pandas and scripts want).",
)
@click.option(
    "--include-unadjudicated",
    is_flag=True,
    help="JSON Lines only: after the claims, one line per annotator's own version in every "
    "double-annotation assignment (adjudicated or not), with the assignment and the "
    'annotator ("record": "annotator_version"), for research on disagreement.',
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to FILE (atomically: a temporary file renamed into place when complete) "
    "with a progress bar; default standard output.",
)
@with_appcontext
def export_command(
    fmt,
    status,
    article,
    anchor,
    verdict,
    project,
    date_from,
    date_to,
    spreadsheet_safe,
    include_unadjudicated,
    output,
):
    """Export the labeled dataset (default: approved claims, CSV, exact text, no BOM).

    Exact mode (the default) writes every cell as stored: it round-trips through any
    CSV reader. --spreadsheet-safe is for opening the file in Excel or LibreOffice.
    """
    write_intent.set(False)  # a read: never hold SQLite's write lock for the whole export
    try:
        filters = export.parse_filters(
            {"status": status, "article": article, "verdict": verdict, "anchor": anchor}
            | {"project": project}
            | {"from": date_from, "to": date_to}
        )
        filters = export.in_projects(db.session, filters)
        export.check_filters(db.session, filters)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    if include_unadjudicated and fmt != "jsonl":
        raise click.ClickException("--include-unadjudicated goes with --format jsonl.")
    safe = spreadsheet_safe and export.get(fmt).spreadsheet_mode
    pairs = export.chunks(
        db.session,
        fmt,
        filters,
        spreadsheet_safe=safe,
        bom=safe,
        publisher=export.Publisher.from_config(current_app.config),
    )
    if include_unadjudicated:
        pairs = itertools.chain(pairs, _versions())
    if output is None:
        _write(pairs, sys.stdout.buffer)
        return
    total = export.count_for(db.session, fmt, filters)
    write_atomically(output, pairs, total)
    click.echo(f"Exported {total} rows to {output}.", err=True)


def _versions() -> Iterable[tuple[int, bytes]]:
    for version in adjudication.annotator_versions(db.session):
        yield 0, (json.dumps(version, ensure_ascii=False) + "\n").encode("utf-8")


def _write(pairs: Iterable[tuple[int, bytes]], out) -> None:
    for _rows, data in pairs:
        out.write(data)
    out.flush()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(target: Path, pairs: Iterable[tuple[int, bytes]], total: int) -> None:
    """Write to a temporary file beside ``target``, rename it into place once complete.

    A crash or an error never leaves a half file under the final name, and the temporary
    file is removed.
    """
    target = target.resolve()
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with (
            os.fdopen(fd, "wb") as out,
            click.progressbar(length=total, label="Exporting", file=sys.stderr) as bar,
        ):
            for rows, data in pairs:
                out.write(data)
                if rows:
                    bar.update(rows)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp_name, 0o666 & ~_umask())  # mkstemp makes 0600; act like open()
        os.replace(temp_name, target)
    except BaseException:
        # interrupted or failed: drop the partial file, keep whatever was there before
        Path(temp_name).unlink(missing_ok=True)
        raise
