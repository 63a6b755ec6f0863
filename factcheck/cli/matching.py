"""`factcheck reindex` and `factcheck import-claimreview FILE...` (claim matching)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db
from ..services import factchecks
from ..services.matching import indexer
from ..services.matching.embedder import get_parallel
from . import main


def run_index(
    everything: bool = False, label: str = "Indexing claims", workers: int | None = None
) -> None:
    """Index what is missing (or everything), with a progress bar; commits per batch of
    ``indexer.BATCH`` claims per worker. ``workers`` model instances embed side by side
    (default: one per core)."""
    workers = max(1, workers or os.cpu_count() or 1)
    embedder = None
    if current_app.config.get("MATCHING_MODEL"):
        embedder = get_parallel(current_app.config["MATCHING_MODEL"], workers)
    if embedder is None:
        click.echo("Semantic model unavailable: building the lexical index only.", err=True)
    model = embedder.name if embedder else None
    total = sum(indexer.count(db.session, k, model, everything) for k in indexer.KINDS)
    started = time.perf_counter()
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        batch = indexer.BATCH * workers
        for done in indexer.reindex(db.session, embedder, everything=everything, batch=batch):
            bar.update(done)
    elapsed = time.perf_counter() - started
    rate = total / elapsed if elapsed > 0 else 0.0
    click.echo(f"{total} claims indexed in {elapsed:.1f} s ({rate:,.0f} claims/s).")


@main.command("reindex")
@click.option(
    "--all", "everything", is_flag=True, help="Check every claim, not only those not indexed yet."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Model instances embedding side by side (default: one per core).",
)
@with_appcontext
def reindex_command(everything: bool, workers: int | None):
    """Build the "Checked before?" index: folded text and embeddings of every claim and
    past fact-check that has none (or, with --all, whose text changed).

    Each batch is committed: interrupt it (Ctrl+C) and run it again to resume.
    """
    run_index(everything, workers=workers)


@main.command("import-claimreview")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--no-index", is_flag=True, help="Leave the indexing to the server's workers.")
@with_appcontext
def import_claimreview_command(files: tuple[Path, ...], no_index: bool):
    """Import past fact-checks from schema.org ClaimReview FILE... (a JSON array, JSON
    Lines or JSON-LD documents). A known url is updated, never duplicated; a record without
    claimReviewed or url is reported with FILE:LINE and skipped (exit status 1).
    """
    report = factchecks.Report()
    for path in files:
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        factchecks.import_text(db.session, text, str(path), report)
    db.session.commit()
    for error in report.errors:
        click.echo(f"{error['file']}:{error['line']}: error: {error['message']}", err=True)
    click.echo(
        f"{report.created} fact-checks imported, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.errors)} skipped."
    )
    if not no_index:
        run_index(label="Indexing fact-checks")
    if report.errors:
        sys.exit(1)


def demo_factchecks() -> None:
    """`factcheck demo`: a small ClaimReview archive (ours), then the index of everything."""
    path = Path(current_app.root_path) / "demo" / "claimreview.json"
    report = factchecks.import_text(db.session, path.read_text(encoding="utf-8"), str(path))
    db.session.commit()
    click.echo(f"Demo past fact-checks: {report.created} added.")
    run_index(label="Indexing claims for “Checked before?”")
