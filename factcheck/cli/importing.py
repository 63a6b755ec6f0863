"""`factcheck import FILE...`: articles from txt, md, html, jsonl or csv files."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..extensions import db
from ..models import User, UserRole
from ..permissions import Role
from ..services import importing, projects
from ..services.errors import DomainError
from ..services.formats import FORMATS
from . import main
from .links import FILE_OR_URL, import_links


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=FILE_OR_URL)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", *FORMATS]),
    default="auto",
    show_default=True,
    help="File format; auto guesses from the extension, then the content.",
)
@click.option("--language", default=None, help="ISO 639-1 code for records without one (fr, en…).")
@click.option("--strict", is_flag=True, help="Import nothing if any record is invalid.")
@click.option(
    "--update",
    is_flag=True,
    help="A record whose external_id is known and whose text differs makes a new revision "
    "of that article (its claims are re-anchored); without it, such a record is skipped.",
)
@click.option(
    "--project",
    "project_slug",
    default=None,
    help="Slug of the project the articles go to (default: the default project).",
)
@click.option(
    "--as",
    "acting",
    default=None,
    help="With --update: the administrator named in the claims' history "
    "(default: the first active administrator).",
)
@with_appcontext
def import_command(
    files: tuple[Path, ...],
    fmt: str,
    language: str | None,
    strict: bool,
    update: bool,
    acting: str | None,
    project_slug: str | None,
):
    """Import articles from FILE... as one batch (all of it, or nothing on a crash), and
    from each web page given by its URL (fetched safely; its capture is kept).

    Invalid records are reported with FILE:LINE and skipped; a record whose external_id
    is known is skipped as a duplicate, or with --update makes a new revision when its
    text differs. Exits with status 1 if any record was invalid.
    """
    if language is not None:
        try:
            language = importing.clean_language(language)
        except importing.RecordError as error:
            raise click.BadParameter(error.message, param_hint="--language") from None
    reviser = _reviser(acting) if update else None
    try:
        project = projects.resolve(db.session, project_slug, None)
        projects.check_writable(project)
    except DomainError as error:
        raise click.BadParameter(error.message, param_hint="--project") from None
    links = [f for f in files if isinstance(f, str)]  # URLs: cli/links.py
    files = tuple(f for f in files if not isinstance(f, str))
    started = time.perf_counter()
    parsed = importing.parse_all(((str(p), p.read_bytes()) for p in files), fmt=fmt)
    total = len(parsed.records)
    with click.progressbar(length=total, label="Importing", file=sys.stderr) as bar:
        report = importing.import_records(
            db.session,
            parsed.records,
            reviser,
            language=language,
            strict=strict,
            problems=parsed.problems,
            progress=bar.update,
            update=update,
            project=project,
        )
        db.session.commit()
    elapsed = time.perf_counter() - started
    if files:
        _print_report(report, total, elapsed)
    if import_links(links, project, language) or report.errors:
        sys.exit(1)


def _reviser(name: str | None) -> User:
    """The administrator a revision is recorded under."""
    query = select(User).join(UserRole).where(User.active, UserRole.role == Role.ADMIN.value)
    if name:
        query = query.where(User.username == name)
    user = db.session.scalars(query.order_by(User.id).limit(1)).first()
    if user is None:
        raise click.ClickException(
            f"No active administrator {name!r}."
            if name
            else "--update needs an administrator: "
            "create one with `factcheck user create NAME --role admin`."
        )
    return user


def _print_report(report: importing.ImportReport, total: int, elapsed: float) -> None:
    for problem in report.errors:
        click.echo(f"{problem.location}: error: {problem.message}", err=True)
    for problem in report.duplicates:
        click.echo(f"{problem.location}: duplicate: {problem.message}", err=True)
    rate = report.imported / elapsed if elapsed > 0 else 0.0
    for article_id, number in report.revised:
        click.echo(f"article {article_id}: revision {number}", err=True)
    click.echo(
        f"{report.imported} imported, "
        + (f"{len(report.revised)} revised, " if report.revised else "")
        + f"{len(report.duplicates)} duplicates skipped, "
        f"{len(report.errors)} invalid, of {total} records read "
        f"in {elapsed:.1f} s ({rate:,.0f} articles/s)."
    )
    if report.strict and report.errors:
        click.echo("Strict mode: nothing was imported.", err=True)
