"""`factcheck check-links`: the link check, now, in the terminal (the worker runs the same
check every LINK_CHECK_HOURS; services/evidence/health.py says what each health means)."""

from __future__ import annotations

from collections import Counter

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..extensions import db
from ..models import EvidenceSource
from ..services.evidence import health
from . import main


@main.command("check-links")
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="Check every source cited by an approved claim, not only those due.",
)
@click.option(
    "--source",
    "source_ids",
    multiple=True,
    type=click.IntRange(min=1),
    help="Check this source (repeatable), whatever cites it.",
)
@with_appcontext
def check_links_command(every, source_ids):
    """Fetch cited sources again and record their health (live, changed, gone, blocked).

    Without options: the sources the scheduled check would take now (cited by an approved
    claim, not checked within half of LINK_CHECK_HOURS). Exits 1 when a source is gone or
    blocked, so a cron job can tell.
    """
    session = db.session
    if source_ids:
        known = set(
            session.scalars(select(EvidenceSource.id).where(EvidenceSource.id.in_(source_ids)))
        )
        missing = sorted(set(source_ids) - known)
        if missing:
            raise click.BadParameter(
                f"no source has the id {', '.join(map(str, missing))}.", param_hint="--source"
            )
        ids = list(dict.fromkeys(source_ids))
    elif every:
        ids = list(
            session.scalars(
                select(EvidenceSource.id)
                .where(health.cited_by_approved())
                .order_by(EvidenceSource.id)
            )
        )
    else:
        ids = health.due(session)
    session.commit()
    if not ids:
        click.echo("No source to check.")
        return
    counts: Counter = Counter()
    for source_id in ids:
        check = health.check_source(session, source_id)
        session.commit()
        if check is None:  # deleted meanwhile
            continue
        source = session.get(EvidenceSource, source_id)
        state = check.health.value
        counts[state] += 1
        detail = f" ({check.error})" if check.error else ""
        status = f"HTTP {check.status}" if check.status else "no answer"
        click.echo(f"source {source_id}: {state}, {status}{detail}  {source.url}")
    summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items()))
    click.echo(f"Checked {sum(counts.values())} sources: {summary}.")
    if counts["gone"] or counts["blocked"]:
        raise SystemExit(1)
